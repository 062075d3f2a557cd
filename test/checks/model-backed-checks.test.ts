import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fkWithoutIndex from "../../src/checks/database/fk-without-index.js";
import modelsWithoutMigrations from "../../src/checks/database/models-without-migrations.js";
import productionServer from "../../src/checks/scalability/production-server.js";
import { locations, project, py } from "../helpers/project.js";

const fastapi = { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()"), "requirements.txt": "fastapi==0.115.6\n" };

describe("PERF004 production server misconfigured", () => {
  it("fires on a reload flag, a development server, and gunicorn sync workers under an ASGI app", async () => {
    const reload = await project({ ...fastapi, Dockerfile: py("FROM python:3.12-slim", 'CMD ["uvicorn", "app.main:app", "--reload"]') });
    assert.deepEqual(locations(reload.run(productionServer)), [["PERF004", "Dockerfile", 2]]);
    const sync = await project({ ...fastapi, Procfile: "web: gunicorn app.main:app -w 4\n" });
    assert.deepEqual(locations(sync.run(productionServer)), [["PERF004", "Procfile", 1]]);
    const runserver = await project({ "proj/settings.py": "DEBUG = False\n", Dockerfile: py("FROM python:3.12", 'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]') });
    assert.deepEqual(locations(runserver.run(productionServer)), [["PERF004", "Dockerfile", 2]]);
  });

  it("stays quiet on uvicorn workers under gunicorn, fastapi run, gunicorn for a WSGI app, and compose dev commands", async () => {
    const ok = await project({ ...fastapi, Dockerfile: py("FROM python:3.12-slim", 'CMD ["gunicorn", "app.main:app", "-k", "uvicorn.workers.UvicornWorker", "-w", "4"]'), "docker-compose.yml": "services:\n  api:\n    build: .\n    command: uvicorn app.main:app --reload\n" });
    assert.deepEqual(locations(ok.run(productionServer)), []);
    const fastapiRun = await project({ ...fastapi, Dockerfile: py("FROM python:3.12-slim", 'CMD ["fastapi", "run", "--workers", "4", "app/main.py"]') });
    assert.deepEqual(locations(fastapiRun.run(productionServer)), []);
    const wsgi = await project({ "app/main.py": py("from flask import Flask", "app = Flask(__name__)"), "requirements.txt": "flask==3.1.0\n", Procfile: "web: gunicorn app.main:app\n" });
    assert.deepEqual(locations(wsgi.run(productionServer)), []);
    // a Django WSGI module served by gunicorn, while a sibling sub-project of the monorepo uses Starlette
    const monorepo = await project({ "api/app/wsgi.py": py("from django.core.wsgi import get_wsgi_application", "application = get_wsgi_application()"), "mcp/server.py": py("from starlette.applications import Starlette", "app = Starlette()"), "api/Procfile": "web: gunicorn -b 0.0.0.0:8000 app.wsgi\n" });
    assert.deepEqual(locations(monorepo.run(productionServer)), []);
  });
});

describe("DB004 foreign key without an index", () => {
  const models = py(
    "from sqlalchemy import ForeignKey",
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
    "class Base(DeclarativeBase): ...",
    "class User(Base):",
    "    __tablename__ = 'users'",
    "    id: Mapped[int] = mapped_column(primary_key=True)",
    "class Order(Base):",
    "    __tablename__ = 'orders'",
    "    id: Mapped[int] = mapped_column(primary_key=True)",
    "    user_id: Mapped[int] = mapped_column(ForeignKey('users.id'))", // 10
    "    buyer_id: Mapped[int] = mapped_column(ForeignKey('users.id'), index=True)",
  );

  it("fires on an unindexed SQLAlchemy foreign key, at its line", async () => {
    const p = await project({ "app/models.py": models, "requirements.txt": "psycopg2-binary==2.9.10\n" });
    assert.deepEqual(locations(p.run(fkWithoutIndex)), [["DB004", "app/models.py", 10]]);
  });

  it("stays quiet for Django (which indexes foreign keys) and on MySQL", async () => {
    const django = await project({ "shop/models.py": py("from django.db import models", "class A(models.Model): ...", "class B(models.Model):", "    a = models.ForeignKey(A, on_delete=models.CASCADE)") });
    assert.deepEqual(locations(django.run(fkWithoutIndex)), []);
    const mysql = await project({ "app/models.py": models, "requirements.txt": "pymysql==1.1.1\n" });
    assert.deepEqual(locations(mysql.run(fkWithoutIndex)), []);
  });
});

describe("DB001 ORM models without migrations", () => {
  const model = py("from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column", "class Base(DeclarativeBase): ...", "class User(Base):", "    __tablename__ = 'users'", "    id: Mapped[int] = mapped_column(primary_key=True)");

  it("fires on SQLAlchemy models with no Alembic versions, and on a Django app without migrations", async () => {
    const p = await project({ "app/models.py": model });
    assert.deepEqual(locations(p.run(modelsWithoutMigrations)), [["DB001", "app/models.py", 3]]);
    const django = await project({ "shop/__init__.py": "", "shop/models.py": py("from django.db import models", "class Item(models.Model):", "    name = models.CharField(max_length=10)") });
    assert.deepEqual(locations(django.run(modelsWithoutMigrations)), [["DB001", "shop/models.py", 2]]);
  });

  it("stays quiet when migrations exist", async () => {
    const p = await project({ "app/models.py": model, "alembic/versions/001_init.py": "revision = '001'\n" });
    assert.deepEqual(locations(p.run(modelsWithoutMigrations)), []);
    const django = await project({ "shop/__init__.py": "", "shop/models.py": py("from django.db import models", "class Item(models.Model):", "    name = models.CharField(max_length=10)"), "shop/migrations/__init__.py": "", "shop/migrations/0001_initial.py": "x = 1\n" });
    assert.deepEqual(locations(django.run(modelsWithoutMigrations)), []);
  });
});
