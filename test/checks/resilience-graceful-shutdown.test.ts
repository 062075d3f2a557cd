import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/resilience/graceful-shutdown.js";
import { project, py } from "../helpers/project.js";

const route = ["@app.get('/items')", "async def items():", "    return (await http.get('http://inventory/items')).json()"];

describe("RES008 no graceful shutdown", () => {
  it("fires on a FastAPI app with an import-time AsyncClient never closed and no lifespan", async () => {
    const p = await project({
      "app/main.py": py("import httpx", "from fastapi import FastAPI", "http = httpx.AsyncClient(timeout=5)", "app = FastAPI()", ...route),
    });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "RES008");
    assert.equal(findings[0]?.severity, "low");
    assert.equal(findings[0]?.evidence[0]?.file, "app/main.py");
    assert.equal(findings[0]?.evidence[0]?.line, 3);
    assert.match(findings[0]?.message ?? "", /http = httpx\.AsyncClient/);
  });

  it("stays quiet with a lifespan, a shutdown event, a close call, no pooled client, or a Flask app", async () => {
    const cases: Record<string, string>[] = [
      { "app/main.py": py("import httpx", "from fastapi import FastAPI", "http = httpx.AsyncClient(timeout=5)", "app = FastAPI(lifespan=lifespan)", ...route) },
      { "app/main.py": py("import httpx", "from fastapi import FastAPI", "http = httpx.AsyncClient(timeout=5)", "app = FastAPI()", ...route, "@app.on_event('shutdown')", "async def bye():", "    pass") },
      { "app/main.py": py("import httpx", "from fastapi import FastAPI", "http = httpx.AsyncClient(timeout=5)", "app = FastAPI()", ...route, "async def stop():", "    await http.aclose()") },
      { "app/main.py": py("import httpx", "from fastapi import FastAPI", "app = FastAPI()", ...route) },
      { "app/main.py": py("import httpx", "from flask import Flask", "http = httpx.AsyncClient()", "app = Flask(__name__)", "@app.route('/')", "def index():", "    return 'ok'") },
    ];
    for (const files of cases) {
      const p = await project(files);
      assert.deepEqual(p.run(check), [], Object.values(files)[0]);
    }
  });
});
