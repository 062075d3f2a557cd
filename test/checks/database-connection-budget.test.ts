import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/database/connection-budget.js";
import { locations, project, py } from "../helpers/project.js";

const REQS = "fastapi==0.115.0\nsqlalchemy==2.0.36\npsycopg2-binary==2.9.10\ngunicorn==23.0.0\nuvicorn==0.32.0\n";
const MAIN = py("from fastapi import FastAPI", "from app.db import engine", "app = FastAPI()", "", '@app.get("/items")', "def items():", "    return []");
const DEPLOYMENT = (replicas: number) => ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: api", "spec:", `  replicas: ${replicas}`, "  template:", "    spec:", "      containers:", "        - name: api", "          image: example/api:1", ""].join("\n");
const COMPOSE = "services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n";
const dockerfile = (workers: number | null) => `FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app", ${workers !== null ? `"-w", "${workers}", ` : ""}"-k", "uvicorn.workers.UvicornWorker"]\n`;
const ENGINE = py("import os", "from sqlalchemy import create_engine", 'engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)');

function files(extra: Record<string, string>): Record<string, string> {
  return { "requirements.txt": REQS, "docker-compose.yml": COMPOSE, "app/__init__.py": "", "app/main.py": MAIN, "app/db.py": ENGINE, ...extra };
}

describe("DB013 connection budget", () => {
  it("fires when replicas × workers × (pool + overflow) exceed PostgreSQL's default, showing every number and its source", async () => {
    const p = await project(files({ Dockerfile: dockerfile(4), "k8s/deployment.yaml": DEPLOYMENT(3) }));
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["DB013", "app/db.py", 3]]);
    const message = findings[0]?.message ?? "";
    // 15 × 4 × 3 = 180 > 97
    assert.match(message, /^Up to 180 database connections against the 97 PostgreSQL accepts \(max_connections 100 less 3 reserved for superusers\)/);
    assert.match(message, /15 per process from pool_size 5 \+ max_overflow 10 \(app\/db\.py:3\) × \(4 web processes \(Dockerfile:2\) × 3 instances \(k8s\/deployment\.yaml:2\)\)/);
    assert.match(message, /Assumed: SQLAlchemy's defaults where not set: pool_size 5, max_overflow 10; PostgreSQL's default max_connections 100/);
    assert.deepEqual(findings[0]?.evidence.map((e) => `${e.file}:${e.line}`), ["app/db.py:3", "Dockerfile:2", "k8s/deployment.yaml:2"]);
  });

  it("reads max_connections from the compose command and counts Celery workers", async () => {
    const compose = "services:\n  api:\n    build: .\n  worker:\n    build: .\n    command: celery -A app.tasks worker --concurrency 8\n  db:\n    image: postgres:16\n    command: postgres -c max_connections=150\n";
    const p = await project(files({ Dockerfile: dockerfile(6), "docker-compose.yml": compose, "k8s/deployment.yaml": DEPLOYMENT(2) }));
    const message = p.run(check)[0]?.message ?? "";
    // 15 × (6 × 2 + 8) = 300 > 147
    assert.match(message, /^Up to 300 database connections against the 147 PostgreSQL accepts \(max_connections 150 \(docker-compose\.yml:9\) less 3 reserved/);
    assert.match(message, /\+ 8 task worker processes \(docker-compose\.yml:4\)/);
  });

  it("fires on stated replicas with the worker count assumed at the server's default, and says so", async () => {
    const p = await project(files({ Dockerfile: dockerfile(null), "k8s/deployment.yaml": DEPLOYMENT(8), "app/db.py": py("import os", "from sqlalchemy import create_engine", 'engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, max_overflow=5)') }));
    const message = p.run(check)[0]?.message ?? "";
    assert.match(message, /^Up to 120 database connections/);
    assert.match(message, /one worker process per instance \(gunicorn's default; a configuration file may start more, so this is a lower bound\)/);
  });

  it("stays quiet within the budget, with only assumed counts, behind PgBouncer, or with a configured higher limit", async () => {
    // 15 × 4 = 60 ≤ 97
    assert.deepEqual(locations((await project(files({ Dockerfile: dockerfile(4) }))).run(check)), []);
    // neither workers nor replicas stated: every number would be assumed
    assert.deepEqual(locations((await project(files({ Dockerfile: dockerfile(null) }))).run(check)), []);
    const pgbouncer = "services:\n  api:\n    build: .\n  pgbouncer:\n    image: bitnami/pgbouncer:1.23\n  db:\n    image: postgres:16\n";
    assert.deepEqual(locations((await project(files({ Dockerfile: dockerfile(4), "k8s/deployment.yaml": DEPLOYMENT(3), "docker-compose.yml": pgbouncer }))).run(check)), []);
    const values = "postgresql:\n  primary:\n    extendedConfiguration: |\n      max_connections = 500\n";
    assert.deepEqual(locations((await project(files({ Dockerfile: dockerfile(4), "k8s/deployment.yaml": DEPLOYMENT(3), "chart/values.yaml": values }))).run(check)), []);
  });

  it("counts Django's one connection per sync worker process", async () => {
    const django = {
      "requirements.txt": "django==5.1\npsycopg==3.2\ngunicorn==23.0.0\n",
      "mysite/__init__.py": "",
      "mysite/urls.py": "urlpatterns = []\n",
      "mysite/settings.py": py("ROOT_URLCONF = 'mysite.urls'", 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app", "HOST": "db"}}'),
      Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "mysite.wsgi", "--workers", "9"]\n',
      "docker-compose.yml": COMPOSE,
    };
    assert.deepEqual(locations((await project({ ...django, "k8s/deployment.yaml": DEPLOYMENT(4) })).run(check)), []);
    const findings = (await project({ ...django, "k8s/deployment.yaml": DEPLOYMENT(12) })).run(check);
    assert.deepEqual(locations(findings), [["DB013", "mysite/settings.py", 2]]);
    assert.match(findings[0]?.message ?? "", /^Up to 108 database connections .* 1 per process from Django's one connection per process/);
  });
});
