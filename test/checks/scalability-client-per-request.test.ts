import assert from "node:assert/strict";
import { describe, it } from "node:test";
import clientPerRequest from "../../src/checks/scalability/client-per-request.js";
import { locations, project, py } from "../helpers/project.js";

describe("PERF006 client created per request", () => {
  it("fires on an httpx.AsyncClient in a handler and a boto3 client in a helper it calls", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/storage.py": py(
        "import boto3", // 1
        "",
        "def upload(key, body):",
        '    s3 = boto3.client("s3")', // 4
        '    s3.put_object(Bucket="b", Key=key, Body=body)',
      ),
      "app/api.py": py(
        "import httpx", // 1
        "from fastapi import FastAPI",
        "from app.storage import upload",
        "app = FastAPI()",
        "",
        '@app.get("/rates")',
        "async def rates():",
        "    async with httpx.AsyncClient(timeout=5) as client:", // 8
        '        return (await client.get("https://x.example")).json()',
        "",
        '@app.post("/files")',
        "def files(key: str):",
        '    upload(key, b"x")', // 13
      ),
    });
    const findings = p.run(clientPerRequest);
    // sorted by severity: the boto3 client (a pool and credential look-up per call) before the per-request HTTP session
    assert.deepEqual(locations(findings), [
      ["PERF006", "app/api.py", 13],
      ["PERF006", "app/api.py", 8],
    ]);
    assert.equal(findings[0]?.severity, "medium");
    assert.equal(findings[1]?.severity, "low");
    assert.match(findings[1]?.message ?? "", /new httpx\.AsyncClient \(`httpx\.AsyncClient\(\)`\) is created on every call to api\.rates/);
    assert.match(findings[0]?.message ?? "", /api\.files → storage\.upload → boto3\.client\(\)/);
  });

  it("stays quiet for module-level clients, memoised factories, lazy singletons, start-up code and scripts", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/clients.py": py(
        "import functools",
        "import boto3",
        "import redis",
        "import requests",
        "session = requests.Session()",
        "_redis = None",
        "",
        "@functools.lru_cache",
        "def s3():",
        '    return boto3.client("s3")',
        "",
        "def cache():",
        "    global _redis",
        "    if _redis is None:",
        '        _redis = redis.Redis.from_url("redis://cache")',
        "    return _redis",
      ),
      "app/api.py": py(
        "from fastapi import FastAPI",
        "from app.clients import cache, s3, session",
        "app = FastAPI()",
        "",
        '@app.get("/a")',
        "def a():",
        '    s3().list_buckets()',
        '    cache().get("k")',
        '    return session.get("https://x.example", timeout=5).json()',
      ),
      "scripts/backfill.py": py("import httpx", "def main():", "    with httpx.Client() as c:", '        c.get("https://x.example")'),
    });
    assert.deepEqual(p.run(clientPerRequest), []);
  });
});
