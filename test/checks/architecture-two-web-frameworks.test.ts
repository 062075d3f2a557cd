import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/architecture/two-web-frameworks.js";
import { project } from "../helpers/project.js";

const fastapi = 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/orders")\ndef orders():\n    return []\n';
const flask = 'from flask import Flask\nlegacy = Flask(__name__)\n\n@legacy.route("/invoices")\ndef invoices():\n    return "[]"\n';

describe("ARCH007 two web frameworks in one deployable", () => {
  it("fires when FastAPI and Flask both serve routes in one package", async () => {
    const p = await project({ "api/main.py": fastapi, "api/legacy.py": flask });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "ARCH007");
    assert.equal(findings[0]?.severity, "low");
    assert.deepEqual(findings[0]?.evidence.map((e) => [e.file, e.line]), [["api/main.py", 5], ["api/legacy.py", 5]]);
    assert.match(findings[0]?.message ?? "", /FastAPI\/Starlette \(1 route, first GET \/orders at api\/main\.py:5\)/);
  });

  it("stays quiet for FastAPI with Starlette routes, which are one stack", async () => {
    const p = await project({
      "api/main.py": fastapi,
      "api/health.py": 'from starlette.applications import Starlette\nfrom starlette.routing import Route\n\nasync def health(request):\n    return None\n\nhealth_app = Starlette(routes=[Route("/health", health)])\n',
    });
    assert.deepEqual(p.run(check), []);
  });

  it("stays quiet when each framework is its own service package, or the second lives in tests or examples", async () => {
    const p = await project({ "orders/main.py": fastapi, "billing/app.py": flask, "examples/flask_app.py": flask, "tests/test_app.py": flask });
    assert.deepEqual(p.run(check), []);
  });
});
