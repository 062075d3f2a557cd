import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/database/no-backup-evidence.js";
import { locations, project, py } from "../helpers/project.js";

const REQS = "fastapi==0.115.0\nsqlalchemy==2.0.36\npsycopg2-binary==2.9.10\nuvicorn==0.32.0\n";
const COMPOSE = "services:\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://app@db/app\n  db:\n    image: postgres:16\n";
const BASE = {
  "requirements.txt": REQS,
  Dockerfile: 'FROM python:3.12-slim\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
  "docker-compose.yml": COMPOSE,
  "app/__init__.py": "",
  "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()"),
};

describe("DB009 no backup evidence", () => {
  it("fires, with low confidence, when a deployed PostgreSQL has no backup job, IaC setting or document", async () => {
    const p = await project(BASE);
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["DB009", "docker-compose.yml", 6]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.equal(findings[0]?.confidence, "low");
    assert.match(findings[0]?.message ?? "", /No backup or restore evidence in the repository for the PostgreSQL database \(docker-compose\.yml:6\), while Dockerfile starts uvicorn/);
  });

  it("stays quiet with a pg_dump CronJob, an RDS retention period, a README section, django-dbbackup or a design document on backups", async () => {
    const cronjob = ["apiVersion: batch/v1", "kind: CronJob", "metadata:", "  name: db-backup", "spec:", '  schedule: "0 3 * * *"', "  jobTemplate:", "    spec:", "      template:", "        spec:", "          containers:", "            - name: backup", "              image: postgres:16", '              command: ["sh", "-c", "pg_dump $DATABASE_URL | gzip > /backups/db.gz"]', ""].join("\n");
    const variants: Array<Record<string, string>> = [
      { "k8s/backup-cronjob.yaml": cronjob },
      { "infra/rds.tf": 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n  backup_retention_period = 14\n}\n' },
      { "README.md": "# App\n\n## Backup and restore\n\nRun `make backup`.\n" },
      { "requirements.txt": `${REQS}django-dbbackup==4.2\n` },
      { "docs/operations.rst": "Operations\n==========\n\nRestoring the database\n----------------------\n\nUse the nightly snapshot.\n" },
    ];
    for (const extra of variants) assert.deepEqual(locations((await project({ ...BASE, ...extra })).run(check)), [], Object.keys(extra)[0]);
  });

  it("counts a zero retention period as no backup", async () => {
    const p = await project({ ...BASE, "infra/rds.tf": 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n  backup_retention_period = 0\n}\n' });
    assert.equal(p.run(check).length, 1);
  });

  it("stays quiet with no deployment, a prototype stage, or only SQLite; fires on a stated production stage", async () => {
    const { Dockerfile: _d, "docker-compose.yml": _c, ...undeployed } = BASE;
    assert.deepEqual(locations((await project(undeployed)).run(check)), []);
    assert.deepEqual(locations((await project(BASE, { context: { stage: "prototype" } })).run(check)), []);
    const sqlite = await project({ ...BASE, "docker-compose.yml": "services:\n  api:\n    build: .\n", "requirements.txt": "fastapi==0.115.0\nuvicorn==0.32.0\n", "app/db.py": py("import sqlite3", 'DB = "sqlite:///./app.db"') });
    assert.deepEqual(locations(sqlite.run(check)), []);
    const staged = await project({ ...undeployed, "app/db.py": py("from sqlalchemy import create_engine", 'engine = create_engine("postgresql://app@db/app")') }, { context: { stage: "production" } });
    assert.deepEqual(staged.run(check).map((f) => f.id), ["DB009"]);
  });

  it("is low when the database runs only in a self-hosted product's image that maps the host user", async () => {
    const p = await project({ ...BASE, Dockerfile: 'FROM python:3.12-slim\nENV PUID=1000\nCMD ["uvicorn", "app.main:app"]\n' });
    const findings = p.run(check);
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [["DB009", "low"]]);
    assert.match(findings[0]?.message ?? "", /operators run it on their own servers/);
  });
});

describe("DB009 near-misses found on real backends", () => {
  it("does not take a hosting platform file for a side service (polar's tailscale render.yaml) as the service's deployment", async () => {
    const { Dockerfile: _d, ...undeployed } = BASE;
    const p = await project({ ...undeployed, "infra/tailscale/render.yaml": "services:\n  - type: worker\n    name: subnet-router\n    env: docker\n" });
    assert.deepEqual(locations(p.run(check)), []);
  });

  it("is low when the database runs only in a sample deployment for operators (bugsink's docker-compose-sample.yaml)", async () => {
    const { "docker-compose.yml": _c, ...rest } = BASE;
    const p = await project({
      ...rest,
      "requirements.txt": "fastapi==0.115.0\nuvicorn==0.32.0\n",
      "pyproject.toml": '[project]\nname = "tracker"\nversion = "1.0"\n',
      "docker-compose-sample.yaml": "services:\n  tracker:\n    image: tracker/tracker:1\n    environment:\n      DATABASE_URL: postgresql://app@db/app\n  db:\n    image: postgres:16\n",
    });
    assert.equal(p.model.sampleDeployments.length, 1);
    const findings = p.run(check);
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [["DB009", "low"]]);
    assert.match(findings[0]?.message ?? "", /which only the sample deployment docker-compose-sample\.yaml:6 runs/);
  });

  it("does not take an integration's analytics engine (prefect-dbt's DuckDB) for the service's database", async () => {
    const p = await project({ ...BASE, "docker-compose.yml": "services:\n  api:\n    build: .\n", "requirements.txt": "fastapi==0.115.0\nuvicorn==0.32.0\n", "integrations/dbt/pyproject.toml": '[project]\nname = "dbt-plugin"\nversion = "1"\ndependencies = ["duckdb>=1.0"]\n' });
    assert.deepEqual(locations(p.run(check)), []);
  });
});

describe("backup evidence in the model", () => {
  it("keeps the line of a backup script with its credentials redacted", async () => {
    const p = await project({ ...BASE, "scripts/backup.sh": "#!/bin/sh\nPGPASSWORD=hunter2 pg_dump postgresql://app:s3cret@db/app | gzip > /backups/app.gz\n" });
    assert.deepEqual(p.model.operations?.backups, [{ file: "scripts/backup.sh", line: 2, snippet: "PGPASSWORD=*** pg_dump postgresql://app:***@db/app | gzip > /backups/app.gz" }]);
    assert.deepEqual(locations(p.run(check)), []);
  });
});

describe("DB009 on a managed platform", () => {
  it("is low when the service runs on Heroku, whose Postgres plans keep backups", async () => {
    const p = await project({
      Procfile: "web: gunicorn config.wsgi\n",
      "requirements.txt": "django==5.1\npsycopg2-binary==2.9.9\ngunicorn==22.0.0\n",
      "config/settings.py": py("import dj_database_url", "DATABASES = {'default': dj_database_url.config(default='postgres://localhost/app')}", "INSTALLED_APPS = ['django.contrib.auth']", "ROOT_URLCONF = 'config.urls'"),
      "app.json": '{"name": "app", "addons": ["heroku-postgresql"]}\n',
    }, { context: { stage: "production" } });
    const findings = p.run(check);
    assert.deepEqual(findings.map((f) => f.severity), ["low"]);
    assert.match(findings[0]?.message ?? "", /runs on Heroku/);
  });
});
