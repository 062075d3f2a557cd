import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/database/sqlite-in-production.js";
import { locations, project, py } from "../helpers/project.js";

const DJANGO_REQS = "django==5.1\ngunicorn==23.0.0\n";
const SQLITE_SETTINGS = py("from pathlib import Path", "BASE_DIR = Path(__file__).resolve().parent.parent", "ROOT_URLCONF = 'mysite.urls'", "DATABASES = {", '    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"},', "}");
const DJANGO = { "requirements.txt": DJANGO_REQS, "mysite/__init__.py": "", "mysite/urls.py": "urlpatterns = []\n", "mysite/settings.py": SQLITE_SETTINGS };
const DOCKERFILE = 'FROM python:3.12-slim\nCMD ["gunicorn", "mysite.wsgi", "--workers", "3"]\n';

describe("DB008 SQLite in production", () => {
  it("fires on Django's sqlite3 ENGINE when the Dockerfile starts gunicorn", async () => {
    const p = await project({ ...DJANGO, Dockerfile: DOCKERFILE });
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["DB008", "mysite/settings.py", 4]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /DATABASES in mysite\.settings uses SQLite, while Dockerfile starts gunicorn/);
  });

  it("fires on a stated production stage alone, and on a SQLite DATABASE_URL set in compose", async () => {
    const staged = await project(DJANGO, { context: { stage: "production" } });
    assert.deepEqual(locations(staged.run(check)), [["DB008", "mysite/settings.py", 4]]);
    const compose = await project({
      "requirements.txt": "fastapi==0.115.0\nsqlalchemy==2.0.36\nuvicorn==0.32.0\n",
      "app/__init__.py": "",
      "app/main.py": py("import os", "from fastapi import FastAPI", "from sqlalchemy import create_engine", 'engine = create_engine(os.environ["DATABASE_URL"])', "app = FastAPI()"),
      "docker-compose.yml": "services:\n  api:\n    build: .\n    command: uvicorn app.main:app --host 0.0.0.0\n    environment:\n      DATABASE_URL: sqlite:////data/app.db\n",
    });
    assert.deepEqual(locations(compose.run(check)), [["DB008", "docker-compose.yml", 6]]);
  });

  it("fires on a settings field whose default is a SQLite URL when nothing deploys another database", async () => {
    const p = await project({
      "requirements.txt": "fastapi==0.115.0\nsqlalchemy==2.0.36\npydantic-settings==2.5\nuvicorn==0.32.0\n",
      Dockerfile: 'FROM python:3.12-slim\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
      "app/__init__.py": "",
      "app/config.py": py("from pydantic_settings import BaseSettings", "class Settings(BaseSettings):", '    DATABASE_URL: str = "sqlite:///./app.db"', "settings = Settings()"),
      "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()"),
    });
    assert.deepEqual(locations(p.run(check)), [["DB008", "app/config.py", 3]]);
  });

  it("stays quiet when SQLite is the development default and the deployment points at PostgreSQL", async () => {
    const env = await project({
      ...DJANGO,
      "mysite/settings.py": py("import dj_database_url", "ROOT_URLCONF = 'mysite.urls'", 'DATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3", conn_max_age=600)}'),
      Dockerfile: DOCKERFILE,
      "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n      DATABASE_URL: postgres://app@db/app\n  db:\n    image: postgres:16\n",
    });
    assert.deepEqual(locations(env.run(check)), []);
    // a base settings module with SQLite, and a production module that configures PostgreSQL
    const split = await project({
      ...DJANGO,
      "mysite/settings.py": "",
      "mysite/settings/__init__.py": "",
      "mysite/settings/base.py": SQLITE_SETTINGS,
      "mysite/settings/production.py": py("from .base import *", 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}'),
      Dockerfile: DOCKERFILE,
    });
    assert.deepEqual(locations(split.run(check)), []);
  });

  it("stays quiet with no production signal or a stated prototype, and ignores test settings", async () => {
    assert.deepEqual(locations((await project(DJANGO)).run(check)), []);
    assert.deepEqual(locations((await project({ ...DJANGO, Dockerfile: DOCKERFILE }, { context: { stage: "prototype" } })).run(check)), []);
    const testOnly = await project({ ...DJANGO, "mysite/settings.py": py("ROOT_URLCONF = 'mysite.urls'", 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}'), "mysite/settings_test.py": SQLITE_SETTINGS, Dockerfile: DOCKERFILE });
    assert.deepEqual(locations(testOnly.run(check)), []);
  });

  it("is low for a self-hosted product whose image maps the host user, and says why", async () => {
    const p = await project({ ...DJANGO, Dockerfile: 'FROM python:3.12-slim\nENV PUID=1000\nCMD ["gunicorn", "mysite.wsgi"]\n' });
    const findings = p.run(check);
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [["DB008", "low"]]);
    assert.match(findings[0]?.message ?? "", /own server, where one SQLite file may be the design/);
  });
});

describe("DB008 near-misses found on real backends", () => {
  it("is quiet when a production settings module empties DATABASES for files loaded at run time (AWX)", async () => {
    const p = await project({
      ...DJANGO,
      "mysite/settings.py": "",
      "mysite/settings/__init__.py": "",
      "mysite/settings/defaults.py": SQLITE_SETTINGS,
      "mysite/settings/production.py": py("from .defaults import *", "DATABASES = {}", "include('/etc/app/conf.d/*.py')"),
      Dockerfile: DOCKERFILE,
    });
    assert.deepEqual(locations(p.run(check)), []);
  });
});
