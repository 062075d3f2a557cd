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
});
