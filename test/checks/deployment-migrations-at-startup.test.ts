import assert from "node:assert/strict";
import { describe, it } from "node:test";
import migrationsAtStartup from "../../src/checks/deployment/migrations-at-startup.js";
import { project, py } from "../helpers/project.js";

type Findings = ReturnType<Awaited<ReturnType<typeof project>>["run"]>;
const where = (findings: Findings) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

const deployment = (replicas: number, init = "") =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n${init}      containers:\n        - name: web\n          image: example/web:1\n`;
const MIGRATING = "FROM python:3.12\nCOPY . /app\nCMD [\"sh\", \"-c\", \"python manage.py migrate && gunicorn shop.wsgi --workers 4\"]\n";
const PLAIN = "FROM python:3.12\nCOPY . /app\nCMD [\"gunicorn\", \"shop.wsgi\", \"--workers\", \"4\"]\n";
const APP = { "shop/models.py": py("from django.db import models", "class Order(models.Model):", "    total = models.IntegerField()"), "shop/migrations/0001_initial.py": py("from django.db import migrations", "class Migration(migrations.Migration):", "    operations = []") };

describe("DEP011 migrations run at start-up by every replica, or by nothing", () => {
  it("reports a container command that migrates before the server when three replicas run it", async () => {
    const p = await project({ ...APP, Dockerfile: MIGRATING, "k8s/web.yaml": deployment(3) });
    const found = p.run(migrationsAtStartup);
    assert.deepEqual(where(found), [["DEP011", "Dockerfile", 3, "medium"]]);
    assert.match(found[0]?.message ?? "", /manage\.py migrate.*3 replicas \(Deployment web, k8s\/web\.yaml:2\)/);
  });

  it("reports a migrating init container (one per pod) with several replicas", async () => {
    const init = "      initContainers:\n        - name: migrate\n          image: example/web:1\n          command: [\"python\", \"manage.py\", \"migrate\"]\n";
    const p = await project({ ...APP, Dockerfile: PLAIN, "k8s/web.yaml": deployment(2, init) });
    const found = p.run(migrationsAtStartup);
    assert.deepEqual(where(found), [["DEP011", "k8s/web.yaml", 2, "medium"]]);
    assert.match(found[0]?.message ?? "", /init containers run once per pod/);
  });

  it("stays quiet with one instance, a migration Job beside several replicas, and a Procfile release phase", async () => {
    const single = await project({ ...APP, Dockerfile: MIGRATING });
    assert.deepEqual(single.run(migrationsAtStartup), [], "one container migrating before its server is fine");
    const job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: web-migrate\nspec:\n  template:\n    spec:\n      containers:\n        - name: migrate\n          image: example/web:1\n";
    const withJob = await project({ ...APP, Dockerfile: PLAIN, "k8s/web.yaml": deployment(4), "k8s/migrate-job.yaml": job });
    assert.deepEqual(withJob.run(migrationsAtStartup), []);
    const release = await project({ ...APP, Procfile: "release: python manage.py migrate\nweb: gunicorn shop.wsgi --workers 4\n" });
    assert.deepEqual(release.run(migrationsAtStartup), []);
    const check = await project({ ...APP, Dockerfile: "FROM python:3.12\nCMD [\"sh\", \"-c\", \"python manage.py migrate --check && gunicorn shop.wsgi\"]\n", "k8s/web.yaml": deployment(3), "k8s/migrate-job.yaml": job });
    assert.deepEqual(check.run(migrationsAtStartup), [], "`migrate --check` only looks");
  });

  it("is low when migrations exist and nothing in the deployment runs them, quiet when a start script may", async () => {
    const p = await project({ ...APP, Dockerfile: PLAIN });
    assert.deepEqual(where(p.run(migrationsAtStartup)), [["DEP011", "Dockerfile", 3, "low"]]);
    const script = await project({ ...APP, Dockerfile: "FROM python:3.12\nCOPY docker/entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"gunicorn\", \"shop.wsgi\"]\n", "docker/entrypoint.sh": "#!/bin/sh\npython manage.py migrate\nexec \"$@\"\n" });
    assert.deepEqual(script.run(migrationsAtStartup), [], "the entrypoint script is not read here: unknown, not absent");
  });

  it("reports Alembic upgraded from the FastAPI lifespan when several workers run it", async () => {
    const p = await project({
      "app/main.py": py(
        "from contextlib import asynccontextmanager",
        "from alembic import command",
        "from alembic.config import Config",
        "from fastapi import FastAPI",
        "@asynccontextmanager",
        "async def lifespan(app):",
        "    command.upgrade(Config('alembic.ini'), 'head')",
        "    yield",
        "app = FastAPI(lifespan=lifespan)",
      ),
      "alembic/versions/0001_init.py": py("revision = '0001'", "def upgrade():", "    pass"),
      Dockerfile: "FROM python:3.12\nCMD [\"uvicorn\", \"app.main:app\", \"--workers\", \"4\"]\n",
    });
    const found = p.run(migrationsAtStartup);
    assert.deepEqual(where(found), [["DEP011", "app/main.py", 7, "medium"]]);
    assert.match(found[0]?.message ?? "", /as it starts .*4 uvicorn workers/);
    const onRequest = await project({
      "app/main.py": py("from alembic import command", "from alembic.config import Config", "from fastapi import FastAPI", "app = FastAPI()", "@app.post('/admin/migrate')", "def migrate():", "    command.upgrade(Config('alembic.ini'), 'head')"),
      "alembic/versions/0001_init.py": py("revision = '0001'", "def upgrade():", "    pass"),
      Dockerfile: "FROM python:3.12\nCMD [\"uvicorn\", \"app.main:app\", \"--workers\", \"4\"]\n",
    });
    assert.deepEqual(onRequest.run(migrationsAtStartup), [], "an endpoint that migrates on request is not start-up, and it is a migration command site");
  });
});
