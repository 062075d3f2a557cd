import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/database/database-scale-ahead.js";
import { locations, project, py } from "../helpers/project.js";

const DJANGO = {
  "requirements.txt": "django==5.1\npsycopg==3.2\ngunicorn==23.0.0\n",
  "mysite/__init__.py": "",
  "mysite/urls.py": "urlpatterns = []\n",
  "mysite/settings.py": py("ROOT_URLCONF = 'mysite.urls'", 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}'),
  Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "mysite.wsgi", "--workers", "4"]\n',
};

describe("DB012 database load ahead of scale", () => {
  it("is inactive without a stated peak or user count", async () => {
    assert.deepEqual(locations((await project(DJANGO)).run(check)), []);
    assert.deepEqual(locations((await project(DJANGO, { context: { stage: "production", data_volume_gb: 2000 } })).run(check)), []);
  });

  it("fires as info at a stated peak with one primary, and places the system on the roadmap", async () => {
    const p = await project(DJANGO, { context: { peak_rps: 3000 } });
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["DB012", "mysite/settings.py", 2]]);
    assert.equal(findings[0]?.severity, "info");
    // 4 sync workers × 1 instance at 100 ms a request: about 40 req/s, far below the stated peak
    assert.match(findings[0]?.message ?? "", /at a peak of 3000 req\/s, read replicas/);
    assert.match(findings[0]?.message ?? "", /about 40 req\/s today's web tier serves .* "Next: scale out the web tier" now, with "Later: scale the data tier" right after it/);
  });

  it("names partitioning when the stated data volume is large", async () => {
    const p = await project(DJANGO, { context: { users: 2_000_000, data_volume_gb: 800 } });
    assert.match(p.run(check)[0]?.message ?? "", /at 2000000 users, read replicas .*; at 800 GB, partitioning/);
  });

  it("stays quiet below the thresholds, or when a replica alias, a router, SQLAlchemy binds or an RDS replica is configured", async () => {
    assert.deepEqual(locations((await project(DJANGO, { context: { peak_rps: 200, users: 5000 } })).run(check)), []);
    const routed = { ...DJANGO, "mysite/settings.py": py("ROOT_URLCONF = 'mysite.urls'", 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}, "replica": {"ENGINE": "django.db.backends.postgresql", "NAME": "app", "HOST": "replica"}}', 'DATABASE_ROUTERS = ["mysite.routers.PrimaryReplicaRouter"]') };
    assert.deepEqual(locations((await project(routed, { context: { peak_rps: 3000 } })).run(check)), []);
    const binds = await project(
      {
        "requirements.txt": "fastapi==0.115.0\nsqlalchemy==2.0.36\npsycopg2-binary==2.9.10\nuvicorn==0.32.0\n",
        "app/__init__.py": "",
        "app/db.py": py("import os", "from sqlalchemy import create_engine", "from sqlalchemy.orm import sessionmaker", 'primary = create_engine(os.environ["DATABASE_URL"])', 'reader = create_engine(os.environ["DATABASE_READ_URL"])', "Session = sessionmaker(binds={Order: primary, Report: reader})"),
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
      },
      { context: { peak_rps: 3000 } },
    );
    assert.deepEqual(locations(binds.run(check)), []);
    const rds = await project({ ...DJANGO, "infra/db.tf": 'resource "aws_db_instance" "replica" {\n  replicate_source_db = aws_db_instance.main.identifier\n}\n' }, { context: { peak_rps: 3000 } });
    assert.deepEqual(locations(rds.run(check)), []);
  });
});
