import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noIdempotency from "../../src/checks/api/no-idempotency.js";
import { locations, project, py } from "../helpers/project.js";

function routes(...lines: string[]): Record<string, string> {
  return {
    "app/__init__.py": "",
    "app/main.py": py("from fastapi import FastAPI, Header", "app = FastAPI()", ...lines),
  };
}

describe("API011 create/charge endpoints without idempotency support", () => {
  it("fires once, listing the POSTs that create orders or charges, at the first of them", async () => {
    const p = await project(
      routes(
        '@app.post("/orders")', // 3
        "def create_order(order: OrderIn):",
        "    return repo.create(order)",
        '@app.post("/payments/{payment_id}/refunds")', // ends on a parameter: the handler's name decides
        "def refund_payment(payment_id: int):",
        "    return gateway.refund(payment_id)",
        '@app.post("/orders/search")', // reads
        "def search_orders(q: str):",
        "    return []",
        '@app.post("/webhooks/stripe")', // receives
        "def stripe_webhook():",
        "    return {}",
        '@app.post("/notifications/subscriptions")', // not billing
        "def create_subscription():",
        "    return {}",
      ),
    );
    const findings = p.run(noIdempotency);
    assert.deepEqual(locations(findings), [["API011", "app/main.py", 4]]);
    assert.match(findings[0]?.message ?? "", /^2 POSTs create orders, payments or transfers .*: POST \/orders \(app\/main\.py:4\), POST \/payments\/\{payment_id\}\/refunds \(app\/main\.py:7\)\. A retried request runs twice\.$/);
  });

  it("is quiet when an endpoint takes an Idempotency-Key header", async () => {
    const p = await project(routes('@app.post("/orders")', 'def create_order(order: OrderIn, idempotency_key: str = Header(alias="Idempotency-Key")):', "    return repo.create(order)"));
    assert.deepEqual(locations(p.run(noIdempotency)), []);
  });

  it("is quiet when an idempotency library is declared", async () => {
    const p = await project({ ...routes('@app.post("/checkout")', "def checkout():", "    return {}"), "requirements.txt": "fastapi\nfastapi-idempotency\n" });
    assert.deepEqual(locations(p.run(noIdempotency)), []);
  });
});
