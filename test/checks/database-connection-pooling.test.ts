import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/database/connection-pooling.js";
import { locations, project, py } from "../helpers/project.js";

const FASTAPI_REQS = "fastapi==0.115.0\nsqlalchemy==2.0.36\npsycopg2-binary==2.9.10\ngunicorn==23.0.0\nuvicorn==0.32.0\n";
const GUNICORN_4 = 'FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app", "-w", "4", "-k", "uvicorn.workers.UvicornWorker"]\n';
const GUNICORN = 'FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app", "-k", "uvicorn.workers.UvicornWorker"]\n';
const MAIN = py("from fastapi import FastAPI", "from app.db import engine", "app = FastAPI()", "", '@app.get("/items")', "def items():", "    return []");

describe("DB005 connection pooling", () => {
  it("fires on an engine created inside a FastAPI handler, medium, on the create_engine line", async () => {
    const p = await project({
      "requirements.txt": FASTAPI_REQS,
      "app/__init__.py": "",
      "app/main.py": py(
        "import os",
        "from fastapi import FastAPI",
        "from sqlalchemy import create_engine, text",
        "app = FastAPI()",
        "",
        '@app.get("/orders/{order_id}")',
        "def get_order(order_id: int):",
        '    engine = create_engine(os.environ["DATABASE_URL"])',
        "    with engine.connect() as conn:",
        '        return conn.execute(text("select * from orders where id = :id"), {"id": order_id}).one()._asdict()',
      ),
    });
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["DB005", "app/main.py", 8]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /in the handler get_order opens a new engine/);
  });

  it("fires on psycopg2.connect in a helper that a Flask view calls for every request", async () => {
    const p = await project({
      "requirements.txt": "flask==3.0.0\npsycopg2-binary==2.9.10\n",
      "app/__init__.py": "",
      "app/db.py": py("import os", "import psycopg2", "", "def get_conn():", '    return psycopg2.connect(os.environ["DATABASE_URL"])'),
      "app/views.py": py("from flask import Flask, jsonify", "from app.db import get_conn", "app = Flask(__name__)", "", '@app.route("/users")', "def users():", "    conn = get_conn()", "    cur = conn.cursor()", '    cur.execute("select id from users")', "    return jsonify(cur.fetchall())"),
    });
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["DB005", "app/db.py", 5]]);
    assert.match(findings[0]?.message ?? "", /in get_conn, which runs for every request/);
  });

  it("stays quiet when the engine is made once: module level, lifespan, cached factory, `is None` guard; and on sqlite3", async () => {
    const p = await project({
      "requirements.txt": FASTAPI_REQS,
      "app/__init__.py": "",
      "app/main.py": py(
        "import os, sqlite3",
        "from contextlib import asynccontextmanager",
        "from functools import lru_cache",
        "import asyncpg",
        "from fastapi import FastAPI",
        "from sqlalchemy import create_engine",
        "",
        "@asynccontextmanager",
        "async def lifespan(app):",
        '    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"])',
        "    yield",
        "",
        "app = FastAPI(lifespan=lifespan)",
        "_engine = None",
        "",
        "@lru_cache",
        "def cached_engine():",
        '    return create_engine(os.environ["DATABASE_URL"], pool_size=5, pool_pre_ping=True)',
        "",
        "def lazy_engine():",
        "    global _engine",
        "    if _engine is None:",
        '        _engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)',
        "    return _engine",
        "",
        '@app.get("/a")',
        "def a():",
        "    cached_engine()",
        "    lazy_engine()",
        '    sqlite3.connect("cache.db")',
        "    return []",
      ),
    });
    assert.deepEqual(locations(p.run(check)), []);
  });

  it("defaults: medium when the stated processes' default pools add up past PostgreSQL's connections, low within them", async () => {
    const within = await project({
      "requirements.txt": FASTAPI_REQS,
      Dockerfile: GUNICORN_4,
      "app/__init__.py": "",
      "app/main.py": MAIN,
      "app/db.py": py("import os", "from sqlalchemy import create_engine", 'engine = create_engine(os.environ["DATABASE_URL"])'),
    });
    // full-stack-fastapi-template: 4 workers × 15 = 60 of 97
    assert.deepEqual(within.run(check).map((f) => [f.severity, /60 in all, within the 97/.test(f.message)]), [["low", true]]);
    const p = await project({
      "requirements.txt": FASTAPI_REQS,
      Dockerfile: GUNICORN_4.replace("--workers 4", "--workers 8").replace('"4"', '"8"'),
      "app/__init__.py": "",
      "app/main.py": MAIN,
      "app/db.py": py("import os", "from sqlalchemy import create_engine", 'engine = create_engine(os.environ["DATABASE_URL"])'),
    });
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["DB005", "app/db.py", 3]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.deepEqual(findings[0]?.evidence.map((e) => `${e.file}:${e.line}`), ["app/db.py:3", "Dockerfile:2"]);
    assert.match(findings[0]?.message ?? "", /8 web processes \(Dockerfile:2\) each hold up to 15 connections/);
  });

  it("defaults: low when the process count is not stated; quiet with pool_pre_ping, NullPool, SQLite, or no deployment", async () => {
    const low = await project({ "requirements.txt": FASTAPI_REQS, Dockerfile: GUNICORN, "app/__init__.py": "", "app/main.py": MAIN, "app/db.py": py("import os", "from sqlalchemy import create_engine", 'engine = create_engine(os.environ["DATABASE_URL"])') });
    assert.deepEqual(low.run(check).map((f) => [f.id, f.severity]), [["DB005", "low"]]);
    for (const engine of ['engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)', 'engine = create_engine(os.environ["DATABASE_URL"], poolclass=NullPool)', 'engine = create_engine("sqlite:///./app.db")']) {
      const p = await project({ "requirements.txt": FASTAPI_REQS, Dockerfile: GUNICORN_4, "app/__init__.py": "", "app/main.py": MAIN, "app/db.py": py("import os", "from sqlalchemy import create_engine", "from sqlalchemy.pool import NullPool", engine) });
      assert.deepEqual(locations(p.run(check)), [], engine);
    }
    const undeployed = await project({ "requirements.txt": FASTAPI_REQS, "app/__init__.py": "", "app/main.py": MAIN, "app/db.py": py("import os", "from sqlalchemy import create_engine", 'engine = create_engine(os.environ["DATABASE_URL"])') });
    assert.deepEqual(locations(undeployed.run(check)), []);
  });

  it("Django: fires low when DATABASES sets no CONN_MAX_AGE in a deployed service; quiet with conn_max_age, a pooler, or an ASGI server", async () => {
    const settings = (databases: string) => py("import os", "import dj_database_url", "ROOT_URLCONF = 'mysite.urls'", "INSTALLED_APPS = ['django.contrib.auth']", databases);
    const base = { "requirements.txt": "django==5.1\ndj-database-url==2.2\npsycopg==3.2\ngunicorn==23.0.0\n", "mysite/__init__.py": "", "mysite/urls.py": "urlpatterns = []\n", Procfile: "web: gunicorn mysite.wsgi\n" };
    const bare = await project({ ...base, "mysite/settings.py": settings('DATABASES = {"default": dj_database_url.config(default="postgres://localhost/app")}') });
    const findings = bare.run(check);
    assert.deepEqual(locations(findings), [["DB005", "mysite/settings.py", 5]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /sets no CONN_MAX_AGE/);
    const quiet = [
      { ...base, "mysite/settings.py": settings('DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}') },
      { ...base, "mysite/settings.py": settings('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app", "CONN_MAX_AGE": 60}}') },
      { ...base, "mysite/settings.py": settings('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app", "OPTIONS": {"pool": True}}}') },
      { ...base, "mysite/settings.py": settings('DATABASES = {"default": dj_database_url.config()}'), "docker-compose.yml": "services:\n  pgbouncer:\n    image: edoburu/pgbouncer:1.22\n" },
      { ...base, Procfile: "web: uvicorn mysite.asgi:application\n", "mysite/settings.py": settings('DATABASES = {"default": dj_database_url.config()}') },
    ];
    for (const files of quiet) assert.deepEqual(locations((await project(files)).run(check)), [], files["mysite/settings.py"]);
  });
});

describe("DB005 near-misses found on real backends", () => {
  it("reports the DATABASES a production branch sets last, not the development default above it (GSA FAC)", async () => {
    const p = await project({
      "requirements.txt": "django==5.1\ndj-database-url==2.2\npsycopg==3.2\ngunicorn==23.0.0\n",
      "mysite/__init__.py": "",
      "mysite/urls.py": "urlpatterns = []\n",
      Procfile: "web: gunicorn mysite.wsgi -c gunicorn.conf.py\n",
      "mysite/settings.py": py(
        "import os, dj_database_url",
        "ROOT_URLCONF = 'mysite.urls'",
        'if os.environ.get("ENVIRONMENT") == "LOCAL":',
        '    DATABASES = {"default": dj_database_url.parse("postgres://postgres@localhost/backend")}',
        "else:",
        '    DATABASES = {"default": dj_database_url.parse(os.environ["DB_URL"])}',
      ),
    });
    assert.deepEqual(locations(p.run(check)), [["DB005", "mysite/settings.py", 6]]);
  });
});
