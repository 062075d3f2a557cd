import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hardcodedEnvironmentValues from "../../src/checks/code/hardcoded-environment-values.js";
import { locations, project, py } from "../helpers/project.js";

describe("CODE007 hard-coded environment-specific values", () => {
  it("fires once per file, listing IP addresses, internal service names and machine paths, worst first", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/pricing.py": py(
        "import httpx", // 1
        "import redis", // 2
        "from pathlib import Path", // 3
        "REPORTS = Path(\"/home/alice/reports\")", // 4
        "cache = redis.Redis(host=\"cache.internal\", port=6379)", // 5
        "def prices(sku: str):", // 6
        "    return httpx.get(\"http://10.0.3.17:8080/prices\", params={\"sku\": sku}, timeout=2)", // 7
      ),
    });
    const findings = p.run(hardcodedEnvironmentValues);
    assert.deepEqual(locations(findings), [["CODE007", "app/pricing.py", 7]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /hard-codes 3 environment-specific values: `http:\/\/10\.0\.3\.17:8080\/prices` \(line 7, an IP address\), `cache\.internal` \(line 5, an internal host name\), `\/home\/alice\/reports` \(line 4, a path on one machine\)/);
  });

  it("fires on a compose service name in a connection URL, and hides the password", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/db.py": py("from sqlalchemy import create_engine", "engine = create_engine(\"postgresql://app:s3cret@db:5432/app\")"),
      "app/tasks.py": py("from celery import Celery", "celery = Celery(\"tasks\", broker=\"redis://localhost:6379/0\")"),
    });
    const findings = p.run(hardcodedEnvironmentValues);
    assert.deepEqual(locations(findings), [["CODE007", "app/db.py", 2], ["CODE007", "app/tasks.py", 2]]);
    assert.match(findings[0]?.message ?? "", /postgresql:\/\/app:\*\*\*@db:5432\/app/);
    assert.doesNotMatch(findings[0]?.message ?? "", /s3cret/);
    assert.doesNotMatch(findings[0]?.evidence[0]?.snippet ?? "", /s3cret/);
  });

  const quiet: Array<[string, Record<string, string>]> = [
    ["public third-party API URLs", { "app/stripe.py": py("import httpx", "STRIPE_API = \"https://api.stripe.com/v1\"", "def charge(): return httpx.post(\"https://api.github.com/repos\", timeout=5)") }],
    ["defaults read through os.getenv and a settings object", {
      "app/clients.py": py("import os", "import redis", "from app.config import settings", "PRICING = os.getenv(\"PRICING_URL\", \"http://pricing:8000\")", "cache = redis.Redis(host=os.environ.get(\"REDIS_HOST\", \"10.0.0.5\"))", "URL = settings.get(\"ORDERS_URL\", \"http://orders:8000\")"),
    }],
    ["values in the settings module and a pydantic settings class", {
      "app/settings.py": py("DATABASE_URL = \"postgresql://app@db:5432/app\"", "MEDIA_ROOT = \"/var/www/media\""),
      "app/core.py": py("from pydantic_settings import BaseSettings", "class AppSettings(BaseSettings):", "    redis_url: str = \"redis://redis:6379/0\""),
    }],
    ["localhost outside a database URL, a bind address, a development server and a debug branch", {
      "app/main.py": py(
        "import uvicorn",
        "from fastapi import FastAPI",
        "from fastapi.middleware.cors import CORSMiddleware",
        "from app.config import settings",
        "app = FastAPI()",
        "SIDECAR = \"http://127.0.0.1:8765\"",
        "if settings.DEBUG:",
        "    app.add_middleware(CORSMiddleware, allow_origins=[\"http://10.0.0.8:3000\"])",
        "if __name__ == \"__main__\":",
        "    uvicorn.run(app, host=\"0.0.0.0\", port=8000)",
      ),
    }],
    ["route paths and names that look like paths or hosts", {
      "app/views.py": py("from flask import Flask, redirect", "app = Flask(__name__)", "@app.get(\"/home/dashboard\")", "def home(): return redirect(\"/home/\")", "def describe(): return {\"good_host\": \"DisallowedHost\"}", "TITLE = \"api\""),
    }],
    ["tests, scripts and load tests", {
      "tests/test_api.py": py("import httpx", "def test_x(): httpx.get(\"http://10.0.0.1:8000/\")"),
      "scripts/seed.py": py("import httpx", "httpx.get(\"http://10.0.0.1:8000/\")"),
      "load_testing/run.py": py("import asyncpg", "asyncpg.connect(\"postgresql://postgres@localhost:5432/app\")"),
    }],
    ["an image's own install layout and a settings template", {
      "app/wsgi.py": py("import logging", "logging.basicConfig(filename=\"/var/log/app/errors.log\")", "VERSION = open(\"/var/lib/app/.version\").read()"),
      "app/prod_settings_template.py": py("LOCAL_UPLOADS_DIR = \"/home/app/uploads\""),
    }],
    ["documentation arguments", { "app/schemas.py": py("from pydantic import Field", "def f(): return Field(description=\"http://10.0.0.1\", examples=[\"http://orders:8000\"])") }],
  ];
  for (const [name, files] of quiet) {
    it(`stays quiet on ${name}`, async () => {
      assert.deepEqual(locations((await project(files)).run(hardcodedEnvironmentValues)), []);
    });
  }
});
