import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/resilience/no-circuit-breaker.js";
import { project, py } from "../helpers/project.js";

const compose = py("services:", "  api:", "    build: .", "    command: uvicorn app.main:app", "    environment:", "      PRICING_URL: http://pricing:8000", "  pricing:", "    build: ./pricing", "    command: uvicorn pricing.main:app");
const devTools = py("services:", "  api:", "    build: .", "    command: uvicorn app.main:app", "  pgadmin:", "    image: dpage/pgadmin4", "  mailpit:", "    image: axllent/mailpit");
const code = {
  "app/__init__.py": "",
  "app/main.py": py("from fastapi import FastAPI", "from app import orders, pricing", "app = FastAPI()"),
  "app/pricing.py": py("import requests", "def price(sku):", "    return requests.get(f'http://pricing/{sku}', timeout=2).json()", "def stock(sku):", "    return requests.get(f'http://pricing/stock/{sku}', timeout=2).json()"),
  "app/orders.py": py("import httpx", "def submit(o):", "    return httpx.post('http://orders/submit', json=o)"),
};

describe("RES003 no circuit breaker", () => {
  it("fires low in a multi-service system that calls out over HTTP without a breaker", async () => {
    const p = await project({ ...code, "docker-compose.yml": compose });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "RES003");
    assert.equal(findings[0]?.severity, "low");
    assert.equal(findings[0]?.evidence[0]?.file, "docker-compose.yml");
    assert.equal(findings[0]?.evidence[0]?.line, 6);
    assert.match(findings[0]?.message ?? "", /^The service is configured to call pricing \(PRICING_URL\) and makes 3 outbound HTTP calls/);
  });

  it("stays quiet for a single service, dev tools beside it in compose, with pybreaker, or with a project breaker", async () => {
    const variants: Record<string, string>[] = [
      { ...code },
      { ...code, "docker-compose.yml": devTools },
      { ...code, "docker-compose.yml": compose, "app/breaker.py": py("import pybreaker", "b = pybreaker.CircuitBreaker()") },
      { ...code, "docker-compose.yml": compose, "app/breaker.py": py("class CircuitBreaker:", "    pass") },
    ];
    for (const files of variants) {
      const p = await project(files);
      assert.deepEqual(p.run(check), [], Object.keys(files).join(","));
    }
  });
});
