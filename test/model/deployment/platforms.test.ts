import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noMetrics } from "../../../src/checks/absent-capabilities.js";
import { project, py } from "../../helpers/project.js";

const app = { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/x')", "def x(): ...") };

describe("hosting platforms", () => {
  it("reads Heroku from a CI job that pushes to its registry, Fly.io from fly.toml, and not from an unrelated app.json", async () => {
    const workflow = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push registry.heroku.com/app/web\n";
    const heroku = await project({ ...app, ".github/workflows/main.yml": workflow });
    assert.deepEqual(heroku.model.platforms, [{ name: "Heroku", evidence: { file: ".github/workflows/main.yml", line: 6 } }]);
    const fly = await project({ ...app, "fly.toml": 'app = "shop"\n' });
    assert.deepEqual(fly.model.platforms.map((p) => p.name), ["Fly.io"]);
    const frontend = await project({ ...app, "app.json": '{"name": "widget", "version": "1.0.0"}\n' });
    assert.deepEqual(frontend.model.platforms, []);
  });

  it("makes OBS004 low: the platform's router records request rate, latency and status codes", async () => {
    const findings = (await project({ ...app, "fly.toml": 'app = "shop"\n' })).run(noMetrics);
    assert.deepEqual(findings.map((f) => [f.severity, f.evidence[1]?.file]), [["low", "fly.toml"]]);
    assert.match(findings[0]?.message ?? "", /Fly\.io runs it/);
    assert.deepEqual((await project(app)).run(noMetrics).map((f) => f.severity), ["medium"]);
  });
});
