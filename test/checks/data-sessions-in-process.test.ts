import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sessionsInProcess from "../../src/checks/data/sessions-in-process.js";
import { project, py } from "../helpers/project.js";

type Findings = ReturnType<Awaited<ReturnType<typeof project>>["run"]>;
const where = (findings: Findings) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

const K8S_TWO = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: web\n          image: example/web:1\n";
const DJANGO = ["INSTALLED_APPS = ['django.contrib.sessions']", "ROOT_URLCONF = 'shop.urls'"];
const WORKERS = "FROM python:3.12\nCMD gunicorn shop.wsgi --workers 4\n";
const ONE = "FROM python:3.12\nCMD gunicorn shop.wsgi\n";

describe("DATA002 sessions kept in process memory or on local disk", () => {
  it("reports Django cache sessions over LocMemCache with several workers, with the numbers", async () => {
    const p = await project({
      "shop/settings.py": py(...DJANGO, 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"', 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}'),
      Dockerfile: WORKERS,
    });
    const found = p.run(sessionsInProcess);
    assert.deepEqual(where(found), [["DATA002", "shop/settings.py", 3, "medium"]]);
    assert.match(found[0]?.message ?? "", /LocMemCache \(CACHES\["default"\] is LocMemCache, shop\/settings.py:4\).*4 gunicorn workers \(gunicorn --workers 4, Dockerfile:2\)/);
  });

  it("reports file sessions only when there are several instances, not several workers on one disk", async () => {
    const settings = py(...DJANGO, 'SESSION_ENGINE = "django.contrib.sessions.backends.file"');
    const workersOnly = await project({ "shop/settings.py": settings, Dockerfile: WORKERS });
    assert.deepEqual(workersOnly.run(sessionsInProcess), []);
    const replicas = await project({ "shop/settings.py": settings, Dockerfile: ONE, "deploy/web.yaml": K8S_TWO });
    assert.deepEqual(where(replicas.run(sessionsInProcess)), [["DATA002", "shop/settings.py", 3, "medium"]]);
  });

  it("is low for cached_db over LocMemCache, quiet for a Redis cache, the database engine and one process", async () => {
    const cachedDb = await project({ "shop/settings.py": py(...DJANGO, 'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"'), Dockerfile: WORKERS });
    assert.deepEqual(where(cachedDb.run(sessionsInProcess)), [["DATA002", "shop/settings.py", 3, "low"]]);
    const redis = await project({
      "shop/settings.py": py(...DJANGO, 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"', 'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://redis:6379/1"}}'),
      Dockerfile: WORKERS,
    });
    assert.deepEqual(redis.run(sessionsInProcess), []);
    const db = await project({ "shop/settings.py": py(...DJANGO, 'SESSION_ENGINE = "django.contrib.sessions.backends.db"'), Dockerfile: WORKERS });
    assert.deepEqual(db.run(sessionsInProcess), []);
    const single = await project({ "shop/settings.py": py(...DJANGO, 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"'), Dockerfile: ONE });
    assert.deepEqual(single.run(sessionsInProcess), []);
    const testOnly = await project({ "shop/settings/test.py": py(...DJANGO, 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"'), Dockerfile: WORKERS });
    assert.deepEqual(testOnly.run(sessionsInProcess), [], "test settings are not deployed");
  });

  it("reports Flask-Session filesystem sessions across replicas, not Starlette's cookie sessions", async () => {
    const flask = await project({
      "app/__init__.py": py("from flask import Flask", "from flask_session import Session", "app = Flask(__name__)", 'app.config["SESSION_TYPE"] = "filesystem"', "Session(app)"),
      Dockerfile: "FROM python:3.12\nCMD gunicorn app:app\n",
      "k8s/web.yaml": K8S_TWO,
    });
    assert.deepEqual(where(flask.run(sessionsInProcess)), [["DATA002", "app/__init__.py", 4, "medium"]]);
    const cookie = await project({
      "app/main.py": py("from fastapi import FastAPI", "from starlette.middleware.sessions import SessionMiddleware", "app = FastAPI()", 'app.add_middleware(SessionMiddleware, secret_key="x")'),
      Dockerfile: "FROM python:3.12\nCMD uvicorn app.main:app --workers 4\n",
      "k8s/web.yaml": K8S_TWO,
    });
    assert.deepEqual(cookie.run(sessionsInProcess), []);
  });

  it("reports fastapi-sessions' InMemoryBackend with several workers", async () => {
    const p = await project({
      "app/main.py": py("from fastapi import FastAPI", "from fastapi_sessions.backends.implementations import InMemoryBackend", "app = FastAPI()", "backend = InMemoryBackend()"),
      Dockerfile: "FROM python:3.12\nCMD uvicorn app.main:app --workers 2\n",
    });
    assert.deepEqual(where(p.run(sessionsInProcess)), [["DATA002", "app/main.py", 4, "medium"]]);
  });
});
