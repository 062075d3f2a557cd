import assert from "node:assert/strict";
import { describe, it } from "node:test";
import dependencyDrift from "../../src/checks/code/dependency-drift.js";
import { distributionsForImport, importNamesForDistribution } from "../../src/model/catalog/import-names.js";
import { isStdlibModule } from "../../src/model/catalog/stdlib.js";
import { locations, project, py } from "../helpers/project.js";

const pyproject = (deps: string[], dev: string[] = []) =>
  ["[project]", 'name = "shop"', `dependencies = [${deps.map((d) => `"${d}"`).join(", ")}]`, "", "[dependency-groups]", `dev = [${dev.map((d) => `"${d}"`).join(", ")}]`, ""].join("\n");

describe("CODE009 dependency declaration drift", () => {
  it("fires on a third-party import no manifest declares, naming the distribution", async () => {
    const p = await project({
      "pyproject.toml": pyproject(["fastapi", "sqlalchemy", "pydantic-settings"]),
      "app/__init__.py": "",
      "app/config.py": py("import os", "import yaml", "from sqlalchemy import create_engine", "from app import db", "SETTINGS = yaml.safe_load(open('x'))"), // 2
      "app/db.py": py("import sqlalchemy", "from fastapi import FastAPI", "from pydantic_settings import BaseSettings"),
    });
    const findings = p.run(dependencyDrift);
    assert.deepEqual(locations(findings), [["CODE009", "app/config.py", 2]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /1 third-party package imported by application code at module level but not declared: `yaml` \(pyyaml\) in 1 file; none of pyproject\.toml declares it/);
  });

  it("maps import names to distributions, and knows the standard library, local packages and what frameworks bring", async () => {
    const p = await project({
      "requirements.txt": "PyYAML==6.0\nPillow>=10\npython-dateutil\nfastapi\nbeautifulsoup4\npsycopg2-binary\ngoogle-cloud-storage\nnewspaper3k\n",
      "app/__init__.py": "",
      "app/main.py": py(
        "import yaml, tomllib, zoneinfo, asyncio",
        "from PIL import Image",
        "from dateutil import parser",
        "from bs4 import BeautifulSoup",
        "import psycopg2",
        "from google.cloud import storage",
        "from starlette.requests import Request", // brought by fastapi
        "from newspaper import Article", // newspaper3k, by a loose name match
        "import fastapi",
        "from app import helpers",
        "import helpers_local", // a module of the project, imported from its own folder
      ),
      "app/helpers.py": py("def f(): ..."),
      "app/helpers_local.py": py("def g(): ..."),
    });
    assert.deepEqual(p.run(dependencyDrift), []);
    assert.deepEqual(distributionsForImport("yaml").slice(0, 1), ["pyyaml"]);
    assert.ok(distributionsForImport("google.cloud.storage").includes("google-cloud-storage"));
    assert.ok(importNamesForDistribution("python-dateutil").includes("dateutil"));
    assert.ok(isStdlibModule("os.path") && isStdlibModule("tomllib") && !isStdlibModule("yaml"));
  });

  it("stays quiet on optional, lazy and type-only imports, tests, scripts and management commands", async () => {
    const files = {
      "pyproject.toml": pyproject(["django", "celery", "redis"]),
      "app/__init__.py": "",
      "app/optional.py": py("try:", "    import ujson as json", "except ImportError:", "    import json"),
      "app/rbac_wrapper.py": py("from django.conf import settings", "if settings.IS_RBAC_INSTALLED:", "    from rbac.permissions import get_roles", "else:", "    def get_roles(): return []"),
      "app/lazy.py": py("def export():", "    import openpyxl", "    return openpyxl.Workbook()"),
      "app/typed.py": py("from typing import TYPE_CHECKING", "if TYPE_CHECKING:", "    from mypy_boto3_s3 import S3Client"),
      "app/conditional.py": py("from django.conf import settings", "urlpatterns = []", "if settings.DEBUG:", "    import debug_toolbar", "    urlpatterns.append(debug_toolbar)"),
      "tests/test_app.py": py("import pytest", "import factory"),
      "populate.py": py("from faker import Faker", "def main(): ...", 'if __name__ == "__main__":', "    main()"),
      "app/management/commands/prune.py": py("from minio import Minio"),
      "docs/conf.py": py("import sphinx_rtd_theme"),
      "app/apps.py": py("import django", "import celery", "import redis"),
    };
    assert.deepEqual((await project(files)).run(dependencyDrift), []);
    // the same packages imported plainly at module level are reported, but for one the code treats as optional elsewhere
    const plain = await project({ ...files, "app/export.py": py("import openpyxl", "import ujson", "from minio import Minio") });
    assert.match(plain.run(dependencyDrift)[0]?.message ?? "", /^2 third-party packages .*: `minio` in 1 file, `openpyxl` in 1 file;/);
  });

  it("reports an import of a package that usually arrives through others, or under a lock file, as low", async () => {
    const files = {
      "pyproject.toml": pyproject(["flask", "sqlalchemy", "gunicorn"]),
      "app/__init__.py": py("import flask", "import sqlalchemy"),
      "app/util.py": py("import six", "import arrow"),
    };
    const plain = (await project(files)).run(dependencyDrift);
    assert.deepEqual(plain.map((f) => [f.severity, f.evidence[0]?.line]), [["medium", 2], ["low", 1]]);
    assert.match(plain[0]?.message ?? "", /`arrow` in 1 file/);
    assert.match(plain[1]?.message ?? "", /installed only as another package's dependency or extra: `six`/);
    const locked = (await project({ ...files, "uv.lock": "version = 1\n" })).run(dependencyDrift);
    assert.deepEqual(locked.map((f) => f.severity), ["low"]);
    assert.match(locked[0]?.message ?? "", /\(a lock file pins it for now\): `arrow` in 1 file, `six` in 1 file/);
  });

  it("fires on a development-only package imported by application code", async () => {
    const p = await project({
      "pyproject.toml": pyproject(["fastapi", "sqlalchemy", "uvicorn"], ["pytest", "structlog"]),
      "app/__init__.py": "",
      "app/logging_setup.py": py("import logging", "import structlog"), // 2
      "app/main.py": py("from fastapi import FastAPI", "from sqlalchemy import select"),
    });
    const findings = p.run(dependencyDrift);
    assert.deepEqual(locations(findings), [["CODE009", "app/logging_setup.py", 2]]);
    assert.match(findings[0]?.message ?? "", /Development-only package imported by application code at module level: structlog \(declared in pyproject\.toml \[dev\]/);
    assert.deepEqual(findings[0]?.evidence[1], { file: "pyproject.toml", line: 6, snippet: "structlog (dev)" });
  });

  it("lists declared packages nothing imports as low, but not servers, drivers, stubs, plugins named in settings or compiled requirements", async () => {
    const p = await project({
      "requirements.in": "django\narrow\ngunicorn\npsycopg2-binary\ntypes-requests\ndjango-filter\nwhitenoise\ncelery\n",
      "requirements.txt": "django==5.0 \\\n    --hash=sha256:abc\nsqlparse==0.5 \\\n    --hash=sha256:def\nasgiref==3.8 \\\n    --hash=sha256:ghi\n",
      "app/__init__.py": "",
      "app/settings.py": py('INSTALLED_APPS = ["django.contrib.admin", "django_filters"]', 'MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]'),
      "app/views.py": py("from django.http import HttpResponse"),
    });
    const findings = p.run(dependencyDrift);
    assert.deepEqual(locations(findings), [["CODE009", "requirements.in", 2]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /^1 declared package never imported .*: arrow \(requirements\.in\)\./);
  });

  it("says when no manifest covers the importing file, and checks every manifest of a monorepo", async () => {
    const p = await project({
      "services/api/pyproject.toml": pyproject(["fastapi", "httpx", "pydantic"]),
      "services/api/app/__init__.py": "",
      "services/api/app/main.py": py("import fastapi", "import orjson"),
      "services/worker/pyproject.toml": pyproject(["celery", "orjson", "redis"]),
      "tools/report/run.py": py("import xlsxwriter"),
      "lib/shared/report.py": py("import xlsxwriter"),
    });
    const findings = p.run(dependencyDrift);
    assert.deepEqual(locations(findings), [["CODE009", "lib/shared/report.py", 1]]);
    assert.match(findings[0]?.message ?? "", /`xlsxwriter` in 1 file; no manifest covers lib\/shared, and none of the 2 manifests in the repository declares it/);
  });

  it("stays quiet when the manifests list almost nothing (dependencies installed elsewhere)", async () => {
    const p = await project({
      "pyproject.toml": '[tool.ruff]\nline-length = 100\n[project]\nname = "x"\ndependencies = ["django"]\n',
      "app/__init__.py": "",
      "app/views.py": py("import requests", "import yaml", "import stripe"),
    });
    assert.deepEqual(p.run(dependencyDrift), []);
  });

  it("takes a package declared only through a URL's #egg= as declared for the service, not as dev-only", async () => {
    const p = await project({
      "requirements.txt": "django==4.2.7\ncelery==5.3.0\nredis==5.0.0\ngit+https://github.com/ansible/ansible-runner.git@devel#egg=ansible-runner\n",
      "app/__init__.py": "",
      "app/jobs.py": py("import django", "import celery", "import redis", "import ansible_runner", "", "def run():", "    return ansible_runner.run()"),
      "app/urls.py": py("from django.urls import path", "from app import jobs", "urlpatterns = [path('x', jobs.run)]"),
    });
    assert.deepEqual(p.run(dependencyDrift), []);
  });
});
