import assert from "node:assert/strict";
import { describe, it } from "node:test";
import inProcessState from "../../src/checks/scalability/in-process-state.js";
import { project, py } from "../helpers/project.js";

const where = (findings: Awaited<ReturnType<typeof project>> extends { run: (...a: never[]) => infer R } ? R : never) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

const FOUR_WORKERS = "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app.main:app\", \"--workers\", \"4\", \"-k\", \"uvicorn.workers.UvicornWorker\"]\n";
const ONE_WORKER = "FROM python:3.12-slim\nCOPY . /app\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\"]\n";
const K8S_THREE = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.2\n";
const K8S_REDIS = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n";

// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell default in a Procfile, not a template
const SHELL_DEFAULT_PROCFILE = "web: gunicorn app:app -w ${WEB_WORKERS:-3}\n";

const handlerState = py(
  "from fastapi import FastAPI",
  "app = FastAPI()",
  "_carts: dict[int, list] = {}",
  "@app.post('/carts/{user_id}')",
  "def add(user_id: int, item: str):",
  "    _carts.setdefault(user_id, []).append(item)",
  "    _carts[user_id] = _carts[user_id]",
  "    return {'ok': True}",
);

describe("PERF005 in-process state that breaks horizontal scaling", () => {
  it("reports module-level state written by handlers with the worker and replica numbers and their sources", async () => {
    const p = await project({ "app/main.py": handlerState, Dockerfile: FOUR_WORKERS, "k8s/api.yaml": K8S_THREE });
    const findings = p.run(inProcessState);
    assert.deepEqual(where(findings), [["PERF005", "app/main.py", 3, "medium"]]);
    const message = findings[0]?.message ?? "";
    assert.match(message, /12 web processes/);
    assert.match(message, /4 gunicorn workers \(gunicorn --workers 4, Dockerfile:3\)/);
    assert.match(message, /3 replicas \(Deployment api, k8s\/api\.yaml:2\)/);
    assert.ok(findings[0]?.evidence.some((e) => e.file === "k8s/api.yaml"));
  });

  it("stays quiet with one process and one replica, and does not count a Redis StatefulSet as web replicas", async () => {
    const single = await project({ "app/main.py": handlerState, Dockerfile: ONE_WORKER });
    assert.deepEqual(single.run(inProcessState), []);
    const redis = await project({ "app/main.py": handlerState, Dockerfile: ONE_WORKER, "k8s/redis.yaml": K8S_REDIS });
    assert.deepEqual(redis.run(inProcessState), []);
    const nothing = await project({ "app/main.py": handlerState });
    assert.deepEqual(nothing.run(inProcessState), [], "no deployment read: no numbers, no finding");
  });

  it("does not report memo fills (a miss guard, except KeyError), locks, subscriber queues, objects the code builds, removals or a buffer the module drains", async () => {
    const p = await project({
      "app/main.py": py(
        "import asyncio, threading",
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "_memo = {}",
        "_locks = {}",
        "_buffer = []",
        "_patterns = {}",
        "_engines = {}",
        "_subscribers: set[asyncio.Queue] = set()",
        "@app.get('/x/{k}')",
        "def read(k: str):",
        "    if k not in _memo:",
        "        _memo[k] = k.upper()",
        "    _locks[k] = threading.Lock()",
        "    _buffer.append(k)",
        "    _subscribers.add(asyncio.Queue())",
        "    _engines[k] = Engine(k)",
        "    del _engines[k]",
        "    try:",
        "        return _patterns[k]",
        "    except KeyError:",
        "        _patterns[k] = k.lower()",
        "    flush()",
        "def flush():",
        "    _buffer.clear()",
      ),
      Dockerfile: FOUR_WORKERS,
    });
    assert.deepEqual(p.run(inProcessState), []);
  });

  it("reports in-memory rate limits (slowapi memory://, Flask-Limiter's default) and quiet when Redis storage is configured", async () => {
    const slow = await project({
      "app/main.py": py("from fastapi import FastAPI", "from slowapi import Limiter", "from slowapi.util import get_remote_address", "app = FastAPI()", 'limiter = Limiter(key_func=get_remote_address, storage_uri="memory://")'),
      Dockerfile: FOUR_WORKERS,
    });
    const found = slow.run(inProcessState);
    assert.deepEqual(where(found), [["PERF005", "app/main.py", 5, "medium"]]);
    assert.match(found[0]?.message ?? "", /slowapi Limiter .*4 web processes/);
    const flask = await project({
      "app/__init__.py": py("from flask import Flask", "from flask_limiter import Limiter", "from flask_limiter.util import get_remote_address", "app = Flask(__name__)", "limiter = Limiter(get_remote_address, app=app)"),
      Procfile: "web: gunicorn app:app --workers 3\n",
    });
    assert.deepEqual(where(flask.run(inProcessState)), [["PERF005", "app/__init__.py", 5, "medium"]]);
    const redis = await project({
      "app/__init__.py": py("from flask import Flask", "from flask_limiter import Limiter", "from flask_limiter.util import get_remote_address", "app = Flask(__name__)", 'app.config["RATELIMIT_STORAGE_URI"] = "redis://redis:6379/1"', "limiter = Limiter(get_remote_address, app=app)"),
      Procfile: "web: gunicorn app:app --workers 3\n",
    });
    assert.deepEqual(redis.run(inProcessState), []);
    const code = py("from flask import Flask", "from flask_limiter import Limiter", "from flask_limiter.util import get_remote_address", "app = Flask(__name__)", "limiter = Limiter(get_remote_address, app=app)");
    const shellDefault = await project({ "app/__init__.py": code, Procfile: SHELL_DEFAULT_PROCFILE });
    assert.match(shellDefault.run(inProcessState)[0]?.message ?? "", /3 gunicorn workers \(`-w \$\{WEB_WORKERS:-3\}`, Procfile:1\)/);
    const setToOne = await project({ "app/__init__.py": code, Procfile: SHELL_DEFAULT_PROCFILE, "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n      WEB_WORKERS: 1\n" });
    assert.deepEqual(setToOne.run(inProcessState), [], "the deployment sets the variable to 1: one process");
    const fromSettings = await project({
      "app/main.py": py("from fastapi import FastAPI", "from slowapi import Limiter", "from slowapi.util import get_remote_address", "from app.config import settings", "app = FastAPI()", "limiter = Limiter(key_func=get_remote_address, storage_uri=settings.REDIS_URL)"),
      Dockerfile: FOUR_WORKERS,
    });
    assert.deepEqual(fromSettings.run(inProcessState), []);
  });

  it("reports DRF throttling over Django's default LocMemCache, quiet with a Redis cache", async () => {
    const settings = (caches: string) =>
      py("INSTALLED_APPS = ['rest_framework']", "ROOT_URLCONF = 'shop.urls'", caches, "REST_FRAMEWORK = {", "    'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.AnonRateThrottle'],", "    'DEFAULT_THROTTLE_RATES': {'anon': '100/day'},", "}");
    const deploy = "FROM python:3.12\nCMD gunicorn shop.wsgi --workers 5\n";
    const locmem = await project({ "shop/settings.py": settings(""), Dockerfile: deploy });
    const found = locmem.run(inProcessState);
    assert.deepEqual(where(found), [["PERF005", "shop/settings.py", 4, "medium"]]);
    assert.match(found[0]?.message ?? "", /Django's default: no production settings module sets CACHES/);
    const disabled = await project({ "shop/settings.py": settings("").replace("'anon': '100/day'", "'anon': None"), Dockerfile: deploy });
    assert.deepEqual(disabled.run(inProcessState), [], "every rate None: the throttles let everything through");
    const redis = await project({ "shop/settings.py": settings("CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://redis:6379/0'}}"), Dockerfile: deploy });
    assert.deepEqual(redis.run(inProcessState), []);
  });

  it("reports APScheduler and while-True threads started in the web process, not a scheduler run as its own process", async () => {
    const p = await project({
      "app/main.py": py(
        "import threading",
        "from apscheduler.schedulers.background import BackgroundScheduler",
        "from flask import Flask",
        "def poll():",
        "    while True:",
        "        pass",
        "def create_app():",
        "    app = Flask(__name__)",
        "    scheduler = BackgroundScheduler()",
        "    scheduler.start()",
        "    threading.Thread(target=poll, daemon=True).start()",
        "    return app",
      ),
      "deploy/gunicorn_conf.py": py("import multiprocessing", "bind = '0.0.0.0:8000'", "workers = multiprocessing.cpu_count() * 2 + 1"),
      Dockerfile: "FROM python:3.12\nCMD gunicorn -c deploy/gunicorn_conf.py 'app.main:create_app()'\n",
    });
    const found = p.run(inProcessState);
    assert.deepEqual(where(found), [
      ["PERF005", "app/main.py", 10, "medium"],
      ["PERF005", "app/main.py", 11, "medium"],
    ]);
    assert.match(found[0]?.message ?? "", /every web process \(gunicorn workers per CPU core \(`workers = multiprocessing.cpu_count\(\) \* 2 \+ 1`, deploy\/gunicorn_conf.py:3\)/);
    const own = await project({
      "app/clock.py": py("from apscheduler.schedulers.background import BackgroundScheduler", "scheduler = BackgroundScheduler()", "scheduler.start()"),
      "app/main.py": py("from flask import Flask", "app = Flask(__name__)"),
      Procfile: "web: gunicorn app.main:app --workers 4\nclock: python -m app.clock\n",
    });
    assert.deepEqual(own.run(inProcessState), []);
  });
});

describe("PERF005 with compose replicas", () => {
  it("counts compose deploy.replicas on the service that runs the web server", async () => {
    const p = await project({
      "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "_cache = {}", "@app.get('/items/{key}')", "def item(key: str):", "    _cache[key] = key", "    return _cache[key]"),
      "docker-compose.yml": "services:\n  api:\n    build: .\n    command: gunicorn app.main:app -k uvicorn.workers.UvicornWorker --workers 2\n    deploy:\n      replicas: 3\n",
    });
    const [finding] = p.run(inProcessState);
    assert.match(finding?.message ?? "", /6 web processes \(2 gunicorn workers .* × 3 replicas \(compose service api: deploy\.replicas 3, docker-compose\.yml:6\)\)/);
  });
});
