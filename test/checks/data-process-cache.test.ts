import assert from "node:assert/strict";
import { describe, it } from "node:test";
import processCache from "../../src/checks/data/process-cache.js";
import { project, py } from "../helpers/project.js";

type Findings = ReturnType<Awaited<ReturnType<typeof project>>["run"]>;
const where = (findings: Findings) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

const MODELS = py("from django.db import models", "class Plan(models.Model):", "    name = models.CharField(max_length=20)", "    limit = models.IntegerField()");
const WORKERS = "FROM python:3.12\nCMD gunicorn shop.wsgi --workers 4\n";

describe("DATA003 in-process cache of database or remote data", () => {
  it("reports lru_cache on a function that queries the database, directly or through a helper, with the worker count", async () => {
    const p = await project({
      "shop/models.py": MODELS,
      "shop/limits.py": py(
        "from functools import lru_cache, cache",
        "import requests",
        "from shop.models import Plan",
        "@lru_cache(maxsize=None)",
        "def plan_limit(plan_id):",
        "    return Plan.objects.get(pk=plan_id).limit",
        "def load(name):",
        "    return Plan.objects.filter(name=name).first()",
        "@cache",
        "def plan_named(name):",
        "    return load(name)",
        "@cache",
        "def exchange_rate(currency):",
        "    return requests.get(f'https://rates.example.com/{currency}', timeout=5).json()",
      ),
      Dockerfile: WORKERS,
    });
    const found = p.run(processCache);
    assert.deepEqual(where(found), [
      ["DATA003", "shop/limits.py", 4, "low"],
      ["DATA003", "shop/limits.py", 9, "low"],
      ["DATA003", "shop/limits.py", 12, "low"],
    ]);
    assert.match(found[0]?.message ?? "", /plan_limit\(\) is cached .*lru_cache.*4 gunicorn workers \(gunicorn --workers 4, Dockerfile:2\)/);
    assert.match(found[1]?.message ?? "", /through limits\.load\(\)/);
  });

  it("stays quiet for one process, a TTL cache, and cached functions that read no data", async () => {
    const code = py("from functools import lru_cache", "from shop.models import Plan", "@lru_cache", "def plan_limit(plan_id):", "    return Plan.objects.get(pk=plan_id).limit");
    const single = await project({ "shop/models.py": MODELS, "shop/limits.py": code, Dockerfile: "FROM python:3.12\nCMD gunicorn shop.wsgi\n" });
    assert.deepEqual(single.run(processCache), []);
    const bounded = await project({
      "shop/models.py": MODELS,
      "shop/limits.py": py("from cachetools import cached, TTLCache", "from shop.models import Plan", "@cached(cache=TTLCache(maxsize=1024, ttl=60))", "def plan_limit(plan_id):", "    return Plan.objects.get(pk=plan_id).limit"),
      Dockerfile: WORKERS,
    });
    assert.deepEqual(bounded.run(processCache), []);
    const pure = await project({
      "app/config.py": py("from functools import lru_cache", "from sqlalchemy import create_engine", "from pydantic_settings import BaseSettings", "class Settings(BaseSettings):", "    url: str = 'x'", "@lru_cache", "def get_settings():", "    return Settings()", "@lru_cache", "def get_engine():", "    return create_engine(get_settings().url)"),
      Dockerfile: "FROM python:3.12\nCMD uvicorn app.main:app --workers 4\n",
    });
    assert.deepEqual(pure.run(processCache), []);
    const testCode = await project({ "shop/models.py": MODELS, "tests/test_limits.py": code, Dockerfile: WORKERS });
    assert.deepEqual(testCode.run(processCache), []);
  });
});
