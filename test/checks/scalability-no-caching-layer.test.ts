import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noCaching from "../../src/checks/scalability/no-caching-layer.js";
import { project, py } from "../helpers/project.js";

const routes = (n: number) => Array.from({ length: n }, (_, i) => [`@app.get("/items/${i}")`, `def read_${i}():`, "    return {}"]).flat();
const API = py("from fastapi import FastAPI", "app = FastAPI()", ...routes(6), '@app.post("/items")', "def create():", "    return {}");

describe("PERF007 no caching layer at the stated scale", () => {
  it("fires for a read-heavy API without any cache when the stated peak is high", async () => {
    const findings = (await project({ "requirements.txt": "fastapi\n", "app/main.py": API }, { context: { peak_rps: 800 } })).run(noCaching);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "PERF007");
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /a peak of 800 req\/s, the API is read-heavy \(6 of 7 routes, 86%, are GET\).*Next: scale out the web tier/);
  });

  it("stays quiet without a stated scale, for an internal API, or with a cache library", async () => {
    assert.deepEqual((await project({ "requirements.txt": "fastapi\n", "app/main.py": API })).run(noCaching), []);
    assert.deepEqual((await project({ "requirements.txt": "fastapi\n", "app/main.py": API }, { context: { peak_rps: 800, exposure: "internal" } })).run(noCaching), []);
    assert.deepEqual((await project({ "requirements.txt": "fastapi\nredis\n", "app/main.py": API }, { context: { peak_rps: 800 } })).run(noCaching), []);
  });
});
