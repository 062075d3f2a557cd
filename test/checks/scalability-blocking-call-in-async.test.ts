import assert from "node:assert/strict";
import { describe, it } from "node:test";
import syncDbInAsync from "../../src/checks/database/sync-db-in-async.js";
import blockingCallInAsync from "../../src/checks/scalability/blocking-call-in-async.js";
import { locations, project, py } from "../helpers/project.js";

describe("PERF001 blocking call inside async code", () => {
  it("fires on requests and time.sleep in an async def, however they are imported", async () => {
    const p = await project({
      "app/api.py": py(
        "import time", // 1
        "import requests",
        "import requests as r",
        "from requests import get",
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "",
        '@app.get("/rates")',
        "async def rates():", // 9
        '    a = requests.get("https://rates.example/eur", timeout=5)', // 10
        '    b = r.post("https://rates.example/usd", timeout=5)', // 11
        '    c = get("https://rates.example/gbp", timeout=5)', // 12
        "    time.sleep(0.5)", // 13
        "    return [a, b, c]",
      ),
    });
    const findings = p.run(blockingCallInAsync);
    assert.deepEqual(locations(findings), [
      ["PERF001", "app/api.py", 10],
      ["PERF001", "app/api.py", 11],
      ["PERF001", "app/api.py", 12],
      ["PERF001", "app/api.py", 13],
    ]);
    assert.match(findings[0]?.message ?? "", /async handler api\.rates makes a blocking requests call: requests\.get\(\)/);
    assert.match(findings[3]?.message ?? "", /blocking time\.sleep call/);
  });

  it("fires through two sync helpers across files, citing the whole chain", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/payments/gateway.py": py(
        "import requests", // 1
        "",
        "def post_charge(payload: dict):",
        '    return requests.post("https://pay.example/charges", json=payload, timeout=10)', // 4
      ),
      "app/payments/service.py": py(
        "from app.payments.gateway import post_charge", // 1
        "",
        "def charge_card(order):",
        "    return post_charge({'amount': order.total})", // 4
      ),
      "app/api.py": py(
        "from fastapi import FastAPI", // 1
        "from app.payments.service import charge_card",
        "app = FastAPI()",
        '@app.post("/orders")',
        "async def create_order(order: dict):",
        "    charge_card(order)", // 6
        "    return order",
      ),
    });
    const findings = p.run(blockingCallInAsync);
    assert.deepEqual(locations(findings), [["PERF001", "app/api.py", 6]]);
    assert.deepEqual(
      findings[0]?.evidence.map((e) => [e.file, e.line]),
      [
        ["app/api.py", 6],
        ["app/payments/service.py", 4],
        ["app/payments/gateway.py", 4],
      ],
    );
    assert.match(findings[0]?.message ?? "", /api\.create_order → service\.charge_card: post_charge\(\) → gateway\.post_charge: requests\.post\(\)/);
    assert.equal(findings[0]?.confidence, "medium");
  });

  it("fires in any async function, not only handlers", async () => {
    const p = await project({
      "app/worker.py": py(
        "import subprocess", // 1
        "",
        "async def rebuild_index():",
        '    subprocess.run(["reindex", "--all"], check=True)', // 4
      ),
    });
    const findings = p.run(blockingCallInAsync);
    assert.deepEqual(locations(findings), [["PERF001", "app/worker.py", 4]]);
    assert.match(findings[0]?.message ?? "", /^async function worker\.rebuild_index/);
  });

  it("stays quiet on async clients, awaited sleeps and work moved off the loop", async () => {
    const p = await project({
      "app/helpers.py": py(
        "import requests",
        "",
        "def fetch_rates():",
        '    return requests.get("https://rates.example", timeout=5).json()',
      ),
      "app/api.py": py(
        "import asyncio",
        "import httpx",
        "import requests",
        "from fastapi import FastAPI",
        "from starlette.concurrency import run_in_threadpool",
        "from app.helpers import fetch_rates",
        "app = FastAPI()",
        "",
        '@app.get("/rates")',
        "async def rates():",
        "    await asyncio.sleep(0.1)",
        "    async with httpx.AsyncClient(timeout=5) as client:",
        '        remote = await client.get("https://rates.example")',
        "    first = await run_in_threadpool(fetch_rates)",
        "    second = await asyncio.to_thread(fetch_rates)",
        '    third = await asyncio.to_thread(requests.get, "https://rates.example", timeout=5)',
        "    return [remote, first, second, third]",
        "",
        '@app.get("/sync")',
        "def sync_rates():",
        "    return fetch_rates()",
      ),
    });
    assert.deepEqual(locations(p.run(blockingCallInAsync)), []);
  });

  it("leaves sync database calls to DB006: one call never yields both findings", async () => {
    const p = await project({
      "app/repo.py": py("from sqlalchemy.orm import Session", "", "def load(db: Session):", "    return db.execute(q)"), // 4
      "app/api.py": py(
        "import time", // 1
        "from sqlalchemy.orm import Session",
        "from app.repo import load",
        "",
        "async def report(db: Session):",
        "    rows = db.query(Order).all()", // 6
        "    more = load(db)", // 7
        "    time.sleep(1)", // 8
        "    return rows, more",
      ),
    });
    assert.deepEqual(locations(p.run(syncDbInAsync, blockingCallInAsync)), [
      ["DB006", "app/api.py", 6],
      ["DB006", "app/api.py", 7],
      ["PERF001", "app/api.py", 8],
    ]);
  });
});
