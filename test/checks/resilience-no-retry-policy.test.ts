import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/resilience/no-retry-policy.js";
import { project, py } from "../helpers/project.js";

const clients = {
  "app/__init__.py": "",
  "app/main.py": py("from fastapi import FastAPI", "from app import billing, shipping", "app = FastAPI()"),
  "app/billing.py": py("import requests", "def charge(order):", "    return requests.post('https://pay.example/charge', json=order, timeout=5)", "def refund(order):", "    return requests.post('https://pay.example/refund', json=order, timeout=5)"),
  "app/shipping.py": py("import httpx", "async def quote(parcel):", "    async with httpx.AsyncClient(timeout=5) as c:", "        return await c.post('https://ship.example/quote', json=parcel)"),
};

describe("RES002 no retry policy anywhere", () => {
  it("fires once, medium, when several modules call other services and nothing retries", async () => {
    const p = await project(clients);
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "RES002");
    assert.equal(findings[0]?.severity, "medium");
    assert.equal(findings[0]?.evidence[0]?.file, "app/main.py");
    assert.ok(findings[0]?.evidence.some((e) => e.file === "app/billing.py" && e.line === 3));
    assert.match(findings[0]?.message ?? "", /^3 outbound HTTP calls in 2 application modules \(requests\.post\(\) in billing\.charge/);
  });

  it("stays quiet with tenacity, urllib3 Retry, Celery autoretry_for, a project retry helper, few calls, scripts", async () => {
    const variants: Record<string, string>[] = [
      { ...clients, "app/retry.py": py("import tenacity", "policy = tenacity.retry()") },
      { ...clients, "app/http.py": py("import requests", "from requests.adapters import HTTPAdapter", "from urllib3.util.retry import Retry", "s = requests.Session()", "s.mount('https://', HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5)))") },
      { ...clients, "app/tasks.py": py("from celery import shared_task", "@shared_task(autoretry_for=(Exception,), retry_backoff=True)", "def sync(): ...") },
      { ...clients, "app/util.py": py("def with_retries(fn, attempts=3):", "    return fn()") },
      { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()"), "app/billing.py": clients["app/billing.py"] as string },
      { "app/main.py": clients["app/main.py"] as string, "scripts/a.py": clients["app/billing.py"] as string, "scripts/b.py": clients["app/shipping.py"] as string },
      // modules nothing imports are run by hand (a theme's build script)
      { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()"), "app/billing.py": clients["app/billing.py"] as string, "app/shipping.py": clients["app/shipping.py"] as string },
    ];
    for (const files of variants) {
      const p = await project(files);
      assert.deepEqual(p.run(check), [], Object.keys(files).join(","));
    }
  });
});
