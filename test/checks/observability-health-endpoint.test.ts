import assert from "node:assert/strict";
import { describe, it } from "node:test";
import healthEndpoint from "../../src/checks/observability/health-endpoint.js";
import { locations, project, py } from "../helpers/project.js";

/** A FastAPI app with one business route and SQLAlchemy + Redis in use, then `extra` lines (from line 12 on). */
function appWith(...extra: string[]): string {
  return py(
    "import redis", // 1
    "from fastapi import Depends, FastAPI", // 2
    "from sqlalchemy import text", // 3
    "from sqlalchemy.orm import Session", // 4
    "from app.db import get_db", // 5
    "",
    "app = FastAPI()", // 7
    "cache = redis.Redis(host=\"cache\")", // 8
    "",
    "@app.get(\"/orders\")",
    "def list_orders(db: Session = Depends(get_db)): return []", // 11
    ...extra,
  );
}

const db = py("from sqlalchemy.orm import sessionmaker", "SessionLocal = sessionmaker()", "def get_db():", "    yield SessionLocal()");

describe("OBS006 no health endpoint that checks dependencies", () => {
  it("fires with no line on the file that creates the app when no route is a health check", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI",
        "from app.routes import router",
        "app = FastAPI()",
        "app.include_router(router)",
      ),
      "app/routes.py": py(
        "from fastapi import APIRouter",
        "router = APIRouter(prefix=\"/orders\")",
        "@router.get(\"\")",
        "def list_orders(): return []",
        "@router.post(\"\")",
        "def create_order(): return {}",
      ),
    });
    const findings = p.run(healthEndpoint);
    assert.deepEqual(locations(findings), [["OBS006", "app/main.py", null]]);
    assert.match(findings[0]?.message ?? "", /None of the 2 endpoints/);
    assert.equal(findings[0]?.severity, "medium");
  });

  const constantHealth = [
    "@app.get(\"/health\")",
    "def health(): return {\"status\": \"ok\"}", // 13
  ];

  it("fires at the handler of a /health route that answers a constant while SQLAlchemy and Redis are used", async () => {
    const p = await project({ "app/main.py": appWith(...constantHealth), "app/db.py": db });
    const findings = p.run(healthEndpoint);
    assert.deepEqual(locations(findings), [["OBS006", "app/main.py", 13]]);
    assert.match(findings[0]?.message ?? "", /GET \/health answers without checking any dependency/);
  });

  it("fires when the health route only logs, or takes a dependency that checks nothing", async () => {
    const logs = appWith(
      "import logging",
      "logger = logging.getLogger(__name__)",
      "@app.get(\"/healthz\")",
      "def healthz():", // 15
      "    logger.info(\"health probe\")",
      "    return {\"status\": \"ok\"}",
    );
    assert.deepEqual(locations((await project({ "app/main.py": logs, "app/db.py": db })).run(healthEndpoint)), [["OBS006", "app/main.py", 15]]);
    const settings = appWith(
      "def get_settings(): return {\"env\": \"prod\"}",
      "@app.get(\"/health\")",
      "def health(settings: dict = Depends(get_settings)):", // 14
      "    return {\"status\": \"ok\", \"env\": settings[\"env\"]}",
    );
    assert.deepEqual(locations((await project({ "app/main.py": settings, "app/db.py": db })).run(healthEndpoint)), [["OBS006", "app/main.py", 14]]);
  });

  it("does not take a business route ending in /status for a health check", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "@app.get(\"/orders/{order_id}/status\")",
        "def order_status(order_id: int): return {\"status\": \"shipped\"}",
      ),
    });
    assert.deepEqual(locations(p.run(healthEndpoint)), [["OBS006", "app/main.py", null]]);
  });

  const quiet: Array<[string, string[]]> = [
    ["a SELECT 1 through the session", [
      "@app.get(\"/health/ready\")",
      "def ready(db: Session = Depends(get_db)):",
      "    db.execute(text(\"SELECT 1\"))",
      "    return {\"status\": \"ok\"}",
    ]],
    ["a Redis PING", ["@app.get(\"/health\")", "def health():", "    cache.ping()", "    return {\"status\": \"ok\"}"]],
    ["a helper that pings Redis", [
      "def redis_alive() -> bool:",
      "    return bool(cache.ping())",
      "@app.get(\"/readyz\")",
      "def readyz(): return {\"redis\": redis_alive()}",
    ]],
    ["a dependency that runs SELECT 1", [
      "def check_db(db: Session = Depends(get_db)):",
      "    db.execute(text(\"SELECT 1\"))",
      "@app.get(\"/health\")",
      "def health(_: None = Depends(check_db)): return {\"status\": \"ok\"}",
    ]],
    ["a constant liveness route beside a readiness route that checks", [
      "@app.get(\"/livez\")",
      "def livez(): return {\"status\": \"ok\"}",
      "@app.get(\"/readyz\")",
      "def readyz(): return {\"redis\": cache.ping()}",
    ]],
  ];
  for (const [name, lines] of quiet) {
    it(`stays quiet on a health route with ${name}`, async () => {
      const p = await project({ "app/main.py": appWith(...lines), "app/db.py": db });
      assert.deepEqual(locations(p.run(healthEndpoint)), []);
    });
  }

  it("stays quiet without endpoints, and on a constant health route when no data store is used", async () => {
    const noEndpoints = await project({ "app/jobs.py": py("import redis", "def run(): redis.Redis().ping()") });
    assert.deepEqual(locations(noEndpoints.run(healthEndpoint)), []);
    const noStores = await project({
      "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get(\"/health\")", "def health(): return {\"ok\": True}", "@app.get(\"/echo\")", "def echo(q: str): return q"),
    });
    assert.deepEqual(locations(noStores.run(healthEndpoint)), []);
  });

  it("is raised for a public production API and lowered for a prototype", async () => {
    const files = { "app/main.py": appWith(), "app/db.py": db };
    const raised = (await project(files, { context: { stage: "production", exposure: "public" } })).run(healthEndpoint);
    assert.equal(raised[0]?.severity, "high");
    assert.equal(raised[0]?.severityNote, "raised from medium: public production API");
    const lowered = (await project(files, { context: { stage: "prototype" } })).run(healthEndpoint);
    assert.equal(lowered[0]?.severity, "low");
    assert.equal(lowered[0]?.severityNote, "lowered from medium: stage is prototype");
    const internal = (await project(files, { context: { stage: "production", exposure: "internal" } })).run(healthEndpoint);
    assert.equal(internal[0]?.severity, "medium");
    assert.equal(internal[0]?.severityNote, undefined);
  });

  it("a liveness-only health route is low; a Django view serving any method, django-health-check, or a health middleware count as health checks", async () => {
    const live = (await project({ "app/main.py": appWith(...constantHealth), "app/db.py": db })).run(healthEndpoint);
    assert.equal(live[0]?.severity, "low");
    assert.match(live[0]?.message ?? "", /liveness check/);
    const library = await project({ "app/main.py": appWith(), "app/db.py": db, "requirements.txt": "django-health-check==3.18.3\n" });
    assert.deepEqual(locations(library.run(healthEndpoint)), []);
    const middleware = await project({
      "app/main.py": appWith(),
      "app/db.py": db,
      "app/asgi.py": py("from app.health import health_check", "from app.main import app", "application = health_check(app, '/health/')"),
      "app/health.py": py("def health_check(app, path):", "    return app"),
    });
    assert.deepEqual(locations(middleware.run(healthEndpoint)), []);
    const django = await project({
      "hc/__init__.py": "",
      "hc/settings.py": py("ROOT_URLCONF = 'hc.urls'", "INSTALLED_APPS = ['hc']"),
      "hc/views.py": py("from django.db import connection", "from django.http import HttpResponse", "def status(request):", "    with connection.cursor() as c:", "        c.execute('SELECT 1')", "    return HttpResponse('OK')", "def items(request):", "    return HttpResponse()"),
      "hc/urls.py": py("from django.urls import path", "from hc import views", "urlpatterns = [path('api/v1/status/', views.status), path('items/', views.items)]"),
    });
    assert.deepEqual(locations(django.run(healthEndpoint)), []);
  });

  describe("probes that point at the health route", () => {
    const dockerfile = (url: string) => `FROM python:3.12-slim\nRUN pip install fastapi\nHEALTHCHECK --interval=30s CMD curl -f ${url} || exit 1\nCMD ["uvicorn", "app.main:app"]\n`;
    const deployment = (liveness: string, readiness: string) => [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: api",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: api",
      "          image: registry.example.com/api:1.4.2",
      "          livenessProbe:", // 11
      "            httpGet:",
      `              path: ${liveness}`,
      "              port: 8000",
      "          readinessProbe:", // 15
      "            httpGet:",
      `              path: ${readiness}`,
      "              port: 8000",
      "",
    ].join("\n");
    const checking = ["@app.get(\"/health/ready\")", "def ready(db: Session = Depends(get_db)):", "    db.execute(text(\"SELECT 1\"))", "    return {\"status\": \"ok\"}"];

    it("reads the probe paths of a Dockerfile HEALTHCHECK, compose healthcheck and Kubernetes probes", async () => {
      const p = await project({
        "Dockerfile": dockerfile("http://localhost:8000/healthz/"),
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n  api:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/ping?full=1\"]\n",
        "k8s/api.yaml": deployment("/livez", "/readyz"),
      });
      assert.deepEqual(p.model.healthProbes?.map((x) => [x.source, x.kind, x.path, x.service ?? null, x.file, x.line]), [
        ["dockerfile", "healthcheck", "/healthz/", null, "Dockerfile", 3],
        ["compose", "healthcheck", null, "db", "docker-compose.yml", 4],
        ["compose", "healthcheck", "/ping", "api", "docker-compose.yml", 8],
        ["kubernetes", "liveness", "/livez", null, "k8s/api.yaml", 11],
        ["kubernetes", "readiness", "/readyz", null, "k8s/api.yaml", 15],
      ]);
    });

    it("names the readiness probe that keeps an instance whose health route checks nothing in rotation", async () => {
      const p = await project({ "app/main.py": appWith(...constantHealth), "app/db.py": db, "k8s/api.yaml": deployment("/health", "/health") });
      const findings = p.run(healthEndpoint);
      assert.deepEqual(locations(findings), [["OBS006", "app/main.py", 13]]);
      assert.match(findings[0]?.message ?? "", /The Kubernetes readinessProbe \(k8s\/api\.yaml:15\) points at \/health, so an instance that lost .* is still reported ready and kept in rotation/);
      assert.deepEqual(findings[0]?.evidence[1], { file: "k8s/api.yaml", line: 15, snippet: "readinessProbe: httpGet: path: /health port: 8000" });
    });

    it("fires when the probes request another path than the health route", async () => {
      const p = await project({ "app/main.py": appWith(...checking), "app/db.py": db, "Dockerfile": dockerfile("http://localhost:8000/") });
      const findings = p.run(healthEndpoint);
      assert.deepEqual(locations(findings), [["OBS006", "Dockerfile", 3]]);
      assert.equal(findings[0]?.severity, "low");
      assert.match(findings[0]?.message ?? "", /The app serves GET \/health\/ready, which checks its dependencies, but the Dockerfile HEALTHCHECK \(Dockerfile:3\) requests \/ \(the home page\) instead/);
    });

    it("fires when a Kubernetes liveness probe points at the route that checks the database", async () => {
      const p = await project({ "app/main.py": appWith(...checking), "app/db.py": db, "k8s/api.yaml": deployment("/health/ready", "/health/ready") });
      const findings = p.run(healthEndpoint);
      assert.deepEqual(locations(findings), [["OBS006", "k8s/api.yaml", 11]]);
      assert.match(findings[0]?.message ?? "", /livenessProbe \(k8s\/api\.yaml:11\) points at GET \/health\/ready, which checks the service's dependencies/);
    });

    it("takes the route a probe requests for the health check whatever its name, and a Django path() view for any method", async () => {
      const named = await project({
        "app/main.py": appWith("@app.get(\"/api/alive\")", "def alive(db: Session = Depends(get_db)):", "    db.execute(text(\"SELECT 1\"))"),
        "app/db.py": db,
        "Dockerfile": dockerfile("http://127.0.0.1:8000/api/alive"),
      });
      assert.deepEqual(locations(named.run(healthEndpoint)), []);
      const django = await project({
        "hc/__init__.py": "",
        "hc/settings.py": py("ROOT_URLCONF = 'hc.urls'", "INSTALLED_APPS = ['hc']"),
        "hc/views.py": py("from django.db import connection", "from django.http import HttpResponse", "def healthz(request):", "    connection.cursor().execute('SELECT 1')", "    return HttpResponse('OK')"),
        "hc/urls.py": py("from django.urls import path", "from hc import views", "urlpatterns = [path('healthz', views.healthz)]"),
        "Dockerfile": dockerfile("http://localhost:8000/healthz/"),
        "k8s/api.yaml": deployment("/livez", "/healthz"),
      });
      assert.deepEqual(locations(django.run(healthEndpoint)), []);
    });

    it("does not take a database container's healthcheck for a probe of the app", async () => {
      const p = await project({ "app/main.py": appWith(), "app/db.py": db, "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n  api:\n    build: .\n" });
      const findings = p.run(healthEndpoint);
      assert.deepEqual(locations(findings), [["OBS006", "app/main.py", null]]);
      assert.equal(findings[0]?.severity, "medium");
    });

    it("does not take the healthcheck of a search engine built from its own Dockerfile for a probe of the app", async () => {
      const p = await project({
        "app/main.py": appWith(),
        "app/db.py": db,
        Dockerfile: "FROM python:3.12-slim\nCOPY . /app\nCMD [\"uvicorn\", \"app.main:app\"]\n",
        "search/Dockerfile": "FROM opensearchproject/opensearch:2\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n  opensearch:\n    build:\n      context: ./search\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl --fail http://localhost:9200/_cluster/health || exit 1\"]\n",
      });
      const findings = p.run(healthEndpoint);
      assert.deepEqual(locations(findings), [["OBS006", "app/main.py", null]]);
      assert.doesNotMatch(findings[0]?.message ?? "", /_cluster\/health/);
    });

    it("takes an internal `/_health/` route for the health check", async () => {
      const p = await project({ "app/main.py": appWith("@app.get(\"/_health/\")", "def health(): return \"OK\""), "app/db.py": db });
      const findings = p.run(healthEndpoint);
      assert.deepEqual(locations(findings), [["OBS006", "app/main.py", 13]]);
      assert.match(findings[0]?.message ?? "", /GET \/_health answers without checking any dependency/);
    });

    const quiet: Array<[string, Record<string, string>]> = [
      ["probes pointing at a checking readiness route and a liveness route", { "k8s/api.yaml": deployment("/livez", "/health/ready") }],
      ["a database container's own healthcheck, and a probe in a development compose file", {
        "docker-compose.yml": "services:\n  minio:\n    image: minio/minio\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:9000/minio/health/live\"]\n",
        "docker-compose.dev.yml": "services:\n  api:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/\"]\n",
      }],
    ];
    for (const [name, files] of quiet) {
      it(`stays quiet with ${name}`, async () => {
        const p = await project({ "app/main.py": appWith(...checking, "@app.get(\"/livez\")", "def livez(): return {}"), "app/db.py": db, ...files });
        assert.deepEqual(locations(p.run(healthEndpoint)), []);
      });
    }
  });
});
