import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/architecture/sync-service-calls.js";
import { project } from "../helpers/project.js";

const compose = "services:\n  orders:\n    build: ./orders\n    environment:\n      INVENTORY_URL: http://inventory:8000\n  inventory:\n    build: ./inventory\n  db:\n    image: postgres:16\n";
const handler = (call: string, extra = "") => `import requests\nimport httpx\nfrom fastapi import FastAPI\n${extra}app = FastAPI()\n\n@app.post("/orders")\ndef create():\n    ${call}\n    return {}\n`;

describe("ARCH006 synchronous calls to another internal service", () => {
  it("fires on a handler calling another compose service by host, with no timeout", async () => {
    const p = await project({ "docker-compose.yml": compose, "orders/main.py": handler('requests.post("http://inventory:8000/reserve", json={})') });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "ARCH006");
    assert.equal(findings[0]?.severity, "medium");
    assert.deepEqual([findings[0]?.evidence[0]?.file, findings[0]?.evidence[0]?.line], ["orders/main.py", 8]);
    assert.match(findings[0]?.message ?? "", /calls inventory/);
  });

  it("fires through a variable compose points at the service, and through a *_SERVICE_URL setting", async () => {
    const viaVariable = await project({ "docker-compose.yml": compose, "orders/main.py": handler('requests.get(os.environ["INVENTORY_URL"] + "/stock")', "import os\n") });
    assert.match(viaVariable.run(check)[0]?.message ?? "", /calls inventory \(through INVENTORY_URL\)/);
    const viaSetting = await project({ "app/main.py": handler('httpx.get(f"{settings.PAYMENTS_SERVICE_URL}/charge", timeout=None)', "from app.config import settings\n"), "app/config.py": "settings = object()\n" });
    assert.match(viaSetting.run(check)[0]?.message ?? "", /the service at PAYMENTS_SERVICE_URL .*timeout=None/);
  });

  it("stays quiet with a timeout, with httpx's default timeout, behind a circuit breaker, for external hosts, and outside handlers", async () => {
    const quiet = [
      handler('requests.post("http://inventory:8000/reserve", json={}, timeout=3)'),
      handler('httpx.post("http://inventory:8000/reserve", json={})'),
      handler('requests.post("https://api.stripe.com/v1/charges", json={})'),
      handler('requests.post("http://db:5432/x")'),
      "import requests\n\ndef nightly():\n    requests.post('http://inventory:8000/reserve')\n",
      "import pybreaker\nimport requests\nfrom fastapi import FastAPI\nbreaker = pybreaker.CircuitBreaker()\napp = FastAPI()\n\n@app.post('/orders')\n@breaker\ndef create():\n    requests.post('http://inventory:8000/reserve')\n",
    ];
    for (const code of quiet) {
      const p = await project({ "docker-compose.yml": compose, "orders/main.py": code });
      assert.deepEqual(p.run(check), [], code);
    }
  });
});
