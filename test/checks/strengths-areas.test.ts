import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declaredSchemas, rateLimiting } from "../../src/checks/strengths/api.js";
import { importContractsConfigured } from "../../src/checks/strengths/architecture.js";
import { centralSettings, typeCheckerConfigured } from "../../src/checks/strengths/code.js";
import { asyncPooledEngine } from "../../src/checks/strengths/database.js";
import { ciQualityGates, lockedDependencies, multiStageImage } from "../../src/checks/strengths/deployment.js";
import { applicationMetrics, distributedTracing, healthChecksDependencies } from "../../src/checks/strengths/observability.js";
import { outboundTimeouts, retriesWithBackoff } from "../../src/checks/strengths/resilience.js";
import { passwordHashing } from "../../src/checks/strengths/security.js";
import { STRENGTHS } from "../../src/checks/strengths/strengths.js";
import { locations, project, py } from "../helpers/project.js";

describe("strength checks: metadata", () => {
  it("every strength is severity info, kind strength, with a unique area-S id", () => {
    const ids = STRENGTHS.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const c of STRENGTHS) {
      assert.equal(c.kind, "strength", c.id);
      assert.equal(c.severity, "info", c.id);
      assert.match(c.id, /^(ARCH|DB|API|SEC|PERF|OBS|DEP|CODE|DATA|RES)-S\d{3}$/);
    }
  });
});

describe("ARCH-S001 import contracts declared", () => {
  const app = { "shop/__init__.py": "", "shop/api/__init__.py": "", "shop/api/routes.py": "from shop.domain import order\n", "shop/domain/__init__.py": "", "shop/domain/order.py": "x = 1\n" };
  it("reports archscope contracts, and whether the code keeps them", async () => {
    const contracts = '[tool.archscope.contracts]\nlayers = [{ name = "shop", layers = ["shop.api", "shop.domain"] }]\n';
    const kept = await project({ ...app, "pyproject.toml": `[project]\nname = "shop"\n${contracts}` });
    const findings = kept.run(importContractsConfigured);
    assert.deepEqual(locations(findings), [["ARCH-S001", "pyproject.toml", null]]);
    assert.match(findings[0]?.message ?? "", /1 import contract \(1 layers\).*the code keeps them/);
    const broken = await project({ ...app, "shop/domain/order.py": "from shop.api import routes\n", "pyproject.toml": `[project]\nname = "shop"\n${contracts}` });
    assert.match(broken.run(importContractsConfigured)[0]?.message ?? "", /break.*ARCH008/);
  });

  it("reads import-linter as a declared dependency, and stays quiet with neither", async () => {
    const linter = await project({ ...app, "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["fastapi"]\n[dependency-groups]\ndev = ["import-linter>=2"]\n' });
    assert.deepEqual(locations(linter.run(importContractsConfigured)), [["ARCH-S001", "pyproject.toml", 5]]);
    const none = await project({ ...app, "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["fastapi"]\n' });
    assert.deepEqual(locations(none.run(importContractsConfigured)), []);
  });
});

describe("DB-S002 async driver with a configured pool", () => {
  const engine = (args: string) => py("from sqlalchemy.ext.asyncio import create_async_engine", `engine = create_async_engine(DATABASE_URL${args})`);
  it("fires on create_async_engine with pool settings and an async driver", async () => {
    const p = await project({ "app/db.py": engine(", pool_size=10, max_overflow=5, pool_pre_ping=True"), "requirements.txt": "sqlalchemy==2.0.30\nasyncpg==0.29.0\n" });
    const findings = p.run(asyncPooledEngine);
    assert.deepEqual(locations(findings), [["DB-S002", "app/db.py", 2]]);
    assert.match(findings[0]?.message ?? "", /asyncpg driver.*pool_size=10/);
  });

  it("names psycopg 3 from the URL, and fires on an asyncpg pool", async () => {
    const url = await project({ "app/db.py": py("from sqlalchemy.ext.asyncio import create_async_engine", 'engine = create_async_engine("postgresql+psycopg://u@db/app", pool_recycle=300)') });
    assert.match(url.run(asyncPooledEngine)[0]?.message ?? "", /psycopg 3/);
    const pool = await project({ "app/db.py": py("import asyncpg", "async def connect():", "    return await asyncpg.create_pool(DSN, min_size=2, max_size=10)") });
    assert.deepEqual(locations(pool.run(asyncPooledEngine)), [["DB-S002", "app/db.py", 3]]);
  });

  it("stays quiet on a default engine, a NullPool, SQLite, a sync engine, and engines in tests", async () => {
    const deps = { "requirements.txt": "asyncpg==0.29.0\n" };
    const cases: Array<Record<string, string>> = [
      { "app/db.py": engine(""), ...deps },
      { "app/db.py": py("from sqlalchemy.ext.asyncio import create_async_engine", "from sqlalchemy.pool import NullPool", "engine = create_async_engine(URL, poolclass=NullPool, pool_pre_ping=True)"), ...deps },
      { "app/db.py": py("from sqlalchemy.ext.asyncio import create_async_engine", 'engine = create_async_engine("sqlite+aiosqlite:///x.db", pool_pre_ping=True)') },
      { "app/db.py": py("from sqlalchemy import create_engine", "engine = create_engine(URL, pool_size=10)"), ...deps },
      { "tests/conftest.py": engine(", pool_size=1"), ...deps },
    ];
    for (const files of cases) {
      assert.deepEqual(locations((await project(files)).run(asyncPooledEngine)), [], JSON.stringify(Object.keys(files)));
    }
  });
});

const routes = (withModels: boolean) =>
  py(
    "from fastapi import APIRouter",
    "from pydantic import BaseModel",
    "class ItemIn(BaseModel):",
    "    name: str",
    "class ItemOut(BaseModel):",
    "    id: int",
    "router = APIRouter()",
    `@router.get('/items'${withModels ? ", response_model=list[ItemOut]" : ""})`,
    "def list_items(): ...",
    `@router.post('/items'${withModels ? ", response_model=ItemOut" : ""})`,
    `def create_item(item: ${withModels ? "ItemIn" : "dict"}): ...`,
    `@router.get('/items/{id}'${withModels ? ", response_model=ItemOut" : ""})`,
    "def get_item(id: int): ...",
    `@router.put('/items/{id}'${withModels ? ", response_model=ItemOut" : ""})`,
    `def put_item(id: int, item: ${withModels ? "ItemIn" : "dict"}): ...`,
    `@router.get('/users'${withModels ? ", response_model=list[ItemOut]" : ""})`,
    "def users(): ...",
    `@router.get('/orders'${withModels ? ", response_model=list[ItemOut]" : ""})`,
    "def orders(): ...",
  );

describe("API-S001 request and response schemas", () => {
  it("fires when the JSON endpoints declare Pydantic responses and validated bodies", async () => {
    const p = await project({ "app/routes.py": routes(true) });
    const findings = p.run(declaredSchemas);
    assert.deepEqual(locations(findings), [["API-S001", "app/routes.py", 11]]);
    assert.match(findings[0]?.message ?? "", /^6 of 6 JSON endpoints declare their response as Pydantic models, and 2 of 2 write endpoints validate/);
  });

  it("stays quiet when bodies are dicts and responses undeclared, and below five endpoints", async () => {
    assert.deepEqual(locations((await project({ "app/routes.py": routes(false) })).run(declaredSchemas)), []);
    const few = py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/a', response_model=A)", "def a(): ...");
    assert.deepEqual(locations((await project({ "app/main.py": few })).run(declaredSchemas)), []);
  });
});

describe("API-S002 rate limiting", () => {
  it("fires on slowapi-limited routes, naming the sign-in route first", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI, Request",
        "from slowapi import Limiter",
        "from slowapi.util import get_remote_address",
        "limiter = Limiter(key_func=get_remote_address)",
        "app = FastAPI()",
        "@app.get('/items')",
        "def items(): ...",
        "@app.post('/login')",
        "@limiter.limit('5/minute')",
        "def login(request: Request): ...", // 10
      ),
    });
    const findings = p.run(rateLimiting);
    assert.deepEqual(locations(findings), [["API-S002", "app/main.py", 10]]);
    assert.match(findings[0]?.message ?? "", /^1 of 2 endpoints are rate limited, sign-in and token routes among them/);
  });

  it("fires on DRF default throttles, and stays quiet without any limit or with a limit only in a test cassette", async () => {
    const drf = await project({
      "shop/settings.py": py("REST_FRAMEWORK = {", "    'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.AnonRateThrottle'],", "    'DEFAULT_THROTTLE_RATES': {'anon': '100/day'},", "}"),
      "shop/views.py": py("from django.http import JsonResponse", "def ping(request):", "    return JsonResponse({})"),
      "shop/urls.py": py("from django.urls import path", "from . import views", "urlpatterns = [path('ping/', views.ping)]"),
    });
    assert.deepEqual(locations(drf.run(rateLimiting)), [["API-S002", "shop/settings.py", 1]]);
    const open = { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/items')", "def items(): ...") };
    assert.deepEqual(locations((await project(open)).run(rateLimiting)), []);
    assert.deepEqual(locations((await project({ "app/x.py": "x = 1\n" })).run(rateLimiting)), []);
    const cassette = { ...open, "tests/cassettes/oauth.yaml": "interactions:\n- response:\n    headers:\n      X-RateLimit-Limit: ['60']\n" };
    assert.deepEqual(locations((await project(cassette)).run(rateLimiting)), []);
  });
});

describe("API-S002 rate limiting: exceptions are not a practice", () => {
  it("stays quiet on one limited webhook among many routes, and on slowapi default limits without its middleware", async () => {
    const routes = Array.from({ length: 12 }, (_, i) => `@app.get('/r${i}')\ndef r${i}(): ...`).join("\n");
    const webhook = py("from fastapi import FastAPI, Request", "from slowapi import Limiter", "limiter = Limiter(key_func=str)", "app = FastAPI()", routes, "@app.post('/hooks/stripe')", "@limiter.limit('1000/minute')", "def stripe(request: Request): ...");
    assert.deepEqual(locations((await project({ "app/main.py": webhook })).run(rateLimiting)), []);
    const defaults = (middleware: boolean) =>
      py("from fastapi import FastAPI", "from slowapi import Limiter", "from slowapi.middleware import SlowAPIMiddleware", "limiter = Limiter(key_func=str, default_limits=['100/minute'])", "app = FastAPI()", middleware ? "app.add_middleware(SlowAPIMiddleware)" : "", "@app.get('/items')", "def items(): ...");
    assert.deepEqual(locations((await project({ "app/main.py": defaults(true) })).run(rateLimiting)), [["API-S002", "app/main.py", 4]]);
    assert.deepEqual(locations((await project({ "app/main.py": defaults(false) })).run(rateLimiting)), []);
  });
});

describe("SEC-S002 password hashing", () => {
  it("fires on pwdlib, passlib with bcrypt first, and Django's Argon2 hasher first", async () => {
    const pwdlib = await project({ "app/security.py": py("from pwdlib import PasswordHash", "password_hash = PasswordHash.recommended()") });
    assert.deepEqual(locations(pwdlib.run(passwordHashing)), [["SEC-S002", "app/security.py", 2]]);
    const passlib = await project({ "app/security.py": py("from passlib.context import CryptContext", 'ctx = CryptContext(schemes=["bcrypt"], deprecated="auto")') });
    assert.match(passlib.run(passwordHashing)[0]?.message ?? "", /CryptContext with bcrypt first/);
    const django = await project({ "shop/settings.py": py("PASSWORD_HASHERS = [", '    "django.contrib.auth.hashers.Argon2PasswordHasher",', '    "django.contrib.auth.hashers.PBKDF2PasswordHasher",', "]") });
    assert.deepEqual(locations(django.run(passwordHashing)), [["SEC-S002", "shop/settings.py", 1]]);
  });

  it("says Django's default only where the project has its own user model", async () => {
    const own = await project({ "accounts/models.py": py("from django.contrib.auth.models import AbstractUser", "class User(AbstractUser):", "    pass") });
    assert.match(own.run(passwordHashing)[0]?.message ?? "", /Django's default hasher \(PBKDF2-SHA256/);
    const none = await project({ "shop/models.py": py("from django.db import models", "class Order(models.Model):", "    total = models.IntegerField()") });
    assert.deepEqual(locations(none.run(passwordHashing)), []);
    // an OIDC callback authenticates without any password
    const oidc = await project({ "shop/views.py": py("from django.contrib.auth import authenticate, login", "def callback(request):", "    user = authenticate(request=request, **userinfo)", "    login(request, user)") });
    assert.deepEqual(locations(oidc.run(passwordHashing)), []);
    const form = await project({ "shop/views.py": py("from django.contrib.auth import authenticate", "def signin(request):", "    return authenticate(request, username=u, password=p)") });
    assert.deepEqual(locations(form.run(passwordHashing)), [["SEC-S002", "shop/views.py", 3]]);
  });

  it("stays quiet on a fast scheme first, and when a password is also hashed with sha256 (SEC007)", async () => {
    const md5 = await project({ "app/security.py": py("from passlib.context import CryptContext", 'ctx = CryptContext(schemes=["md5_crypt", "bcrypt"])') });
    assert.deepEqual(locations(md5.run(passwordHashing)), []);
    const mixed = await project({ "app/security.py": py("import bcrypt, hashlib", "def h(password):", "    return bcrypt.hashpw(password, bcrypt.gensalt())", "def legacy(password):", "    return hashlib.sha256(password.encode()).hexdigest()") });
    assert.deepEqual(locations(mixed.run(passwordHashing)), []);
  });
});

describe("OBS-S003 distributed tracing", () => {
  it("fires on an OpenTelemetry instrumentor and on Logfire, through aliases", async () => {
    const otel = await project({ "app/main.py": py("from fastapi import FastAPI", "from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor as FI", "app = FastAPI()", "FI.instrument_app(app)") });
    assert.deepEqual(locations(otel.run(distributedTracing)), [["OBS-S003", "app/main.py", 4]]);
    const logfire = await project({ "app/obs.py": py("import logfire", "def setup():", "    logfire.configure(service_name='api')") });
    assert.match(logfire.run(distributedTracing)[0]?.message ?? "", /Logfire \(OpenTelemetry\)/);
  });

  it("fires on a Dockerfile that starts the server under opentelemetry-instrument, and not on a mere import or a test", async () => {
    const docker = await project({ Dockerfile: py("FROM python:3.12-slim", 'CMD ["opentelemetry-instrument", "uvicorn", "app.main:app"]') });
    assert.deepEqual(locations(docker.run(distributedTracing)), [["OBS-S003", "Dockerfile", 2]]);
    const imported = await project({ "app/main.py": py("from opentelemetry import trace", "tracer = trace.get_tracer(__name__)") });
    assert.deepEqual(locations(imported.run(distributedTracing)), []);
    const test = await project({ "tests/test_x.py": py("import logfire", "logfire.configure()") });
    assert.deepEqual(locations(test.run(distributedTracing)), []);
    const systemMetrics = await project({ "app/metrics.py": py("from opentelemetry.instrumentation.system_metrics import SystemMetricsInstrumentor", "SystemMetricsInstrumentor().instrument()") });
    assert.deepEqual(locations(systemMetrics.run(distributedTracing)), []);
  });

  it("does not credit the service with tracing set up only in a sidecar of the repository", async () => {
    const files = {
      "api/shop/views.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/a')", "def a(): ...", "@app.get('/b')", "def b(): ..."),
      "mcp/server.py": py("from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor", "HTTPXClientInstrumentor().instrument()"),
    };
    assert.deepEqual(locations((await project(files)).run(distributedTracing)), []);
  });
});

describe("OBS-S004 application metrics", () => {
  it("fires on the Prometheus instrumentator and on django-prometheus routed, saying when it is optional", async () => {
    const fastapi = await project({ "app/main.py": py("from fastapi import FastAPI", "from prometheus_fastapi_instrumentator import Instrumentator", "app = FastAPI()", "Instrumentator().instrument(app).expose(app)") });
    assert.deepEqual(locations(fastapi.run(applicationMetrics)), [["OBS-S004", "app/main.py", 4]]);
    const django = await project({
      "shop/settings.py": py("INSTALLED_APPS = [", '    "django.contrib.auth",', '    "django_prometheus",', "]"),
      "shop/urls.py": py("from django.conf import settings", "from django.urls import include, path", "urlpatterns = []", "if settings.METRICS_ENABLED:", "    urlpatterns.append(path('', include('django_prometheus.urls')))"),
    });
    const findings = django.run(applicationMetrics);
    assert.deepEqual(locations(findings), [["OBS-S004", "shop/urls.py", 5]]);
    assert.match(findings[0]?.message ?? "", /when `settings\.METRICS_ENABLED`/);
  });

  it("stays quiet on django-prometheus installed but never routed, and on prometheus_client imported only", async () => {
    const unrouted = await project({ "shop/settings.py": py("INSTALLED_APPS = [", '    "django_prometheus",', "]") });
    assert.deepEqual(locations(unrouted.run(applicationMetrics)), []);
    const imported = await project({ "app/m.py": py("import prometheus_client", "REGISTRY = prometheus_client.REGISTRY") });
    assert.deepEqual(locations(imported.run(applicationMetrics)), []);
  });
});

describe("OBS-S005 health endpoint that checks dependencies", () => {
  const app = (body: string) => py("from fastapi import Depends, FastAPI", "from sqlalchemy import text", "app = FastAPI()", "@app.get('/healthz')", "def healthz(db = Depends(get_db)):", body, "    return {'ok': True}");
  it("fires when the health handler queries the database, with the query as evidence", async () => {
    const p = await project({ "app/main.py": app("    db.execute(text('SELECT 1'))") });
    assert.deepEqual(p.run(healthChecksDependencies)[0]?.evidence.map((e) => `${e.file}:${e.line}`), ["app/main.py:5", "app/main.py:6"]);
  });

  it("stays quiet on a liveness check, on a /status page, and on a logger.info call", async () => {
    assert.deepEqual(locations((await project({ "app/main.py": app("    pass") })).run(healthChecksDependencies)), []);
    assert.deepEqual(locations((await project({ "app/main.py": app("    logger.info('health')") })).run(healthChecksDependencies)), []);
    const status = py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/api/status')", "def status():", "    return {'workers': len(redis.execute('x'))}");
    assert.deepEqual(locations((await project({ "app/main.py": status })).run(healthChecksDependencies)), []);
  });
});

describe("DEP-S002 multi-stage image", () => {
  it("fires when a Python build stage is left out of the shipped image", async () => {
    const p = await project({ Dockerfile: py("FROM python:3.12 AS build", "RUN pip wheel -w /w -r requirements.txt", "FROM python:3.12-slim", "COPY --from=build /w /w", "RUN useradd app", "USER app", 'CMD ["gunicorn", "app:app"]') });
    const findings = p.run(multiStageImage);
    assert.deepEqual(locations(findings), [["DEP-S002", "Dockerfile", 3]]);
    assert.match(findings[0]?.message ?? "", /1 stage left out of the final image \(build\); the image ships FROM python:3\.12-slim, and runs as USER app/);
  });

  it("stays quiet on one stage, a frontend-only build stage, a docs stage, and a final stage built on the builder", async () => {
    for (const text of [
      py("FROM python:3.12-slim", 'CMD ["python", "-m", "app"]'),
      py("FROM node:22 AS frontend", "RUN npm run build", "FROM python:3.12", "COPY --from=frontend /dist /dist", 'CMD ["uvicorn", "app:app"]'),
      py("FROM python:3.12-slim AS base", "RUN pip install -r requirements.txt", "FROM base AS docs", "RUN mkdocs build", "FROM base", 'CMD ["uvicorn", "app:app"]'),
      py("FROM python:3.12 AS build", "RUN pip install -r requirements.txt", "FROM build AS runtime", 'CMD ["uvicorn", "app:app"]'),
    ]) {
      assert.deepEqual(locations((await project({ Dockerfile: text })).run(multiStageImage)), [], text);
    }
  });
});

describe("DEP-S003 lock file", () => {
  it("fires on the service's lock file first, and stays quiet without one or with only a dev lock", async () => {
    const p = await project({
      "backend/pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi", "sqlalchemy"]\n',
      "backend/uv.lock": "version = 1\n",
      "sdk/pyproject.toml": '[project]\nname = "sdk"\ndependencies = ["httpx"]\n',
      "sdk/uv.lock": "version = 1\n",
    });
    const findings = p.run(lockedDependencies);
    assert.deepEqual(locations(findings), [["DEP-S003", "backend/uv.lock", 1]]);
    assert.match(findings[0]?.message ?? "", /backend\/uv\.lock \(and 1 more lock file\)/);
    const none = await project({ "pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi>=0.110"]\n' });
    assert.deepEqual(locations(none.run(lockedDependencies)), []);
    const requirements = await project({ "requirements/pip.txt": "pip==24.0\nsetuptools==70.0.0\nwheel==0.43.0\n", "requirements/prod.txt": "django==5.0.6\ncelery==5.4.0\nredis==5.0.4\npsycopg==3.1.19\n" });
    assert.deepEqual(locations(requirements.run(lockedDependencies)), [["DEP-S003", "requirements/prod.txt", 1]]);
    const devOnly = await project({ "pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi>=0.110"]\n', "requirements-dev.txt": "pytest==8.0.0\nruff==0.5.0\nmypy==1.10.0\n" });
    assert.deepEqual(locations(devOnly.run(lockedDependencies)), []);
  });
});

describe("DEP-S004 CI quality gates", () => {
  const workflow = (steps: string[]) => `on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n${steps.map((s) => `      - run: ${s}\n`).join("")}`;
  it("fires when CI runs tests, lint and type checks, and says when no job audits the dependencies", async () => {
    const p = await project({ ".github/workflows/ci.yml": workflow(["ruff check .", "mypy app", "pytest -q"]) });
    const findings = p.run(ciQualityGates);
    assert.deepEqual(locations(findings), [["DEP-S004", ".github/workflows/ci.yml", 3]]);
    assert.match(findings[0]?.message ?? "", /^\.github\/workflows\/ci\.yml runs tests \(job check\), lint \(job check\) and type checks \(job check\)\. No job audits the dependencies/);
    const audited = await project({ ".github/workflows/ci.yml": workflow(["ruff check .", "mypy app", "pytest -q", "pip-audit"]) });
    assert.doesNotMatch(audited.run(ciQualityGates)[0]?.message ?? "", /No job audits/);
  });

  it("stays quiet without type checks, and when the gates are spread over unrelated pipelines", async () => {
    const p = await project({ ".github/workflows/ci.yml": workflow(["ruff check .", "pytest -q", "pip-audit"]) });
    assert.deepEqual(locations(p.run(ciQualityGates)), []);
    const spread = await project({ ".github/workflows/api.yml": workflow(["pytest -q", "mypy app"]), ".github/workflows/frontend.yml": workflow(["npm run lint"]) });
    assert.deepEqual(locations(spread.run(ciQualityGates)), []);
  });
});

describe("CODE-S002 settings in one typed object", () => {
  const settings = py("from pydantic_settings import BaseSettings", "class Settings(BaseSettings):", "    database_url: str", "    redis_url: str", "    secret_key: str", "settings = Settings()");
  it("fires on a pydantic-settings class and on django-environ in the settings module", async () => {
    const p = await project({ "app/core/config.py": settings });
    assert.deepEqual(locations(p.run(centralSettings)), [["CODE-S002", "app/core/config.py", 2]]);
    const django = await project({ "shop/settings.py": py("import environ", "env = environ.Env()", "DEBUG = env.bool('DEBUG', False)", "SECRET_KEY = env('SECRET_KEY')", "DATABASES = {'default': env.db()}") });
    assert.deepEqual(locations(django.run(centralSettings)), [["CODE-S002", "shop/settings.py", 2]]);
  });

  it("stays quiet when modules all over the code read os.environ themselves (CODE006)", async () => {
    const files: Record<string, string> = { "app/core/config.py": settings };
    for (let i = 0; i < 9; i++) files[`app/mod${i}.py`] = py("import os", `A${i} = os.getenv("A${i}")`, `B${i} = os.environ.get("B${i}")`);
    files["app/main.py"] = py(...Array.from({ length: 9 }, (_, i) => `import app.mod${i}`));
    assert.deepEqual(locations((await project(files)).run(centralSettings)), []);
  });
});

describe("CODE-S003 type checker configured", () => {
  it("fires on a [tool.mypy] table, naming the CI job that runs it, and stays quiet when mypy is only installed", async () => {
    const pyproject = (extra: string) => `[project]\nname = "shop"\ndependencies = ["fastapi"]\n[dependency-groups]\ndev = ["mypy>=1.10"]\n${extra}`;
    const p = await project({
      "pyproject.toml": pyproject("[tool.mypy]\nstrict = true\n"),
      ".github/workflows/ci.yml": "on: push\njobs:\n  types:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mypy app\n",
    });
    const findings = p.run(typeCheckerConfigured);
    assert.deepEqual(findings[0]?.evidence.map((e) => `${e.file}:${e.line}`), ["pyproject.toml:6", ".github/workflows/ci.yml:3"]);
    assert.match(findings[0]?.message ?? "", /^mypy is configured .*CI runs a type check \(job types/);
    assert.deepEqual(locations((await project({ "pyproject.toml": pyproject("") })).run(typeCheckerConfigured)), []);
  });
});

describe("RES-S001 retries with backoff", () => {
  it("fires on tenacity with an exponential wait and on a Celery task with retry_backoff", async () => {
    const p = await project({
      "app/client.py": py("import tenacity", "from tenacity import wait_exponential, stop_after_attempt", "@tenacity.retry(wait=wait_exponential(min=1, max=10), stop=stop_after_attempt(3))", "def fetch(): ..."),
      "app/tasks.py": py("from celery import shared_task", "@shared_task(autoretry_for=(IOError,), retry_backoff=True)", "def sync(): ..."),
    });
    const findings = p.run(retriesWithBackoff);
    assert.deepEqual(locations(findings), [["RES-S001", "app/client.py", 3]]);
    assert.match(findings[0]?.message ?? "", /2 places \(tenacity and Celery autoretry_for with retry_backoff\)/);
  });

  it("stays quiet on a fixed wait, a Retry without backoff_factor, and retries in tests", async () => {
    const p = await project({
      "app/client.py": py("from tenacity import retry, wait_fixed", "@retry(wait=wait_fixed(2))", "def fetch(): ...", "from urllib3.util import Retry", "r = Retry(total=3)"),
      "tests/test_x.py": py("import backoff", "@backoff.on_exception(backoff.expo, Exception)", "def test_x(): ..."),
    });
    assert.deepEqual(locations(p.run(retriesWithBackoff)), []);
  });
});

describe("RES-S002 timeouts on every outbound call", () => {
  const service = (second: string) => ({
    "app/main.py": py("from fastapi import FastAPI", "from app import billing", "app = FastAPI()", "@app.post('/pay')", "def pay():", "    return billing.charge()"),
    "app/billing.py": py("import httpx, requests", "def charge():", "    requests.post(URL, json={}, timeout=5)", `    ${second}`),
  });
  it("fires when every call is bounded, counting explicit timeouts", async () => {
    const findings = (await project(service("httpx.get(URL)"))).run(outboundTimeouts);
    assert.deepEqual(locations(findings), [["RES-S002", "app/billing.py", 3]]);
    assert.match(findings[0]?.message ?? "", /All 2 outbound HTTP calls .*1 pass `timeout=` explicitly, the other call relies on a client default/);
  });

  it("stays quiet when one call has no timeout, when none passes one, and without outbound calls", async () => {
    assert.deepEqual(locations((await project(service("requests.get(URL)"))).run(outboundTimeouts)), []);
    const defaultsOnly = service("httpx.get(URL)");
    defaultsOnly["app/billing.py"] = py("import httpx", "def charge():", "    httpx.get(URL)");
    assert.deepEqual(locations((await project(defaultsOnly)).run(outboundTimeouts)), []);
    assert.deepEqual(locations((await project({ "app/main.py": py("x = 1") })).run(outboundTimeouts)), []);
  });
});
