import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/architecture/architecture-style.js";
import { project } from "../helpers/project.js";

const fastapiApp = (name: string) => `from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/${name}")\ndef read():\n    return {}\n`;

describe("ARCH001 architecture style", () => {
  it("states a monolith with workers, citing the web app and the worker process", async () => {
    const p = await project({
      "app/main.py": fastapiApp("items"),
      "app/tasks.py": "from celery import Celery\ncelery = Celery('app')\n",
      "docker-compose.yml": "services:\n  api:\n    build: .\n    command: uvicorn app.main:app\n  worker:\n    build: .\n    command: celery -A app.tasks worker\n",
    });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "ARCH001");
    assert.equal(findings[0]?.severity, "info");
    assert.match(findings[0]?.message ?? "", /monolith with background workers/);
    assert.match(findings[0]?.message ?? "", /task workers: worker \(docker-compose\.yml:5\)/);
    assert.equal(findings[0]?.evidence[0]?.file, "app/main.py");
  });

  it("states several deployable services when two packages each create an app and build their own image", async () => {
    const p = await project({
      "orders/main.py": fastapiApp("orders"),
      "orders/Dockerfile": 'FROM python:3.12\nCMD ["uvicorn", "orders.main:app"]\n',
      "billing/main.py": fastapiApp("invoices"),
      "billing/Dockerfile": 'FROM python:3.12\nCMD ["uvicorn", "billing.main:app"]\n',
    });
    const findings = p.run(check);
    assert.match(findings[0]?.message ?? "", /several deployable services/);
    assert.match(findings[0]?.message ?? "", /billing \(billing\/main\.py\), orders \(orders\/main\.py\)/);
  });

  it("states a plain monolith when there is no worker, and does not call a test app a second service", async () => {
    const p = await project({
      "app/main.py": fastapiApp("items"),
      "Dockerfile": 'FROM python:3.12\nCMD ["uvicorn", "app.main:app"]\n',
      "tests/test_api.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    });
    const findings = p.run(check);
    assert.match(findings[0]?.message ?? "", /^Architecture style: monolith\. /);
  });

  it("states serverless when a Mangum adapter wraps the app and no server image is built", async () => {
    const p = await project({
      "app/main.py": `${fastapiApp("items")}\nfrom mangum import Mangum\nhandler = Mangum(app)\n`,
      "requirements.txt": "fastapi\nmangum\n",
    });
    const findings = p.run(check);
    assert.match(findings[0]?.message ?? "", /^Architecture style: serverless/);
    assert.ok(findings[0]?.evidence.some((e) => e.file === "app/main.py" && e.line === 9));
  });

  it("says nothing for a library with no web application", async () => {
    const p = await project({ "lib/util.py": "def add(a, b):\n    return a + b\n" });
    assert.deepEqual(p.run(check), []);
  });
});
