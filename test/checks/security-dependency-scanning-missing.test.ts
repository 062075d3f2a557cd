import assert from "node:assert/strict";
import { describe, it } from "node:test";
import dependencyScanning from "../../src/checks/security/dependency-scanning-missing.js";
import { project } from "../helpers/project.js";

const PYPROJECT = '[project]\nname = "shop"\ndependencies = ["fastapi>=0.110", "sqlalchemy>=2"]\n';
const where = (findings: ReturnType<Awaited<ReturnType<typeof project>>["run"]>) => findings.map((f) => [f.evidence[0]?.file, f.severity]);

describe("SEC019 no dependency vulnerability scanning", () => {
  it("is medium with no lock and no scanning, low when locked but not scanned", async () => {
    const open = await project({ "pyproject.toml": PYPROJECT });
    const findings = open.run(dependencyScanning);
    assert.deepEqual(where(findings), [["pyproject.toml", "medium"]]);
    assert.match(findings[0]?.message ?? "", /DEP012/);
    const locked = await project({ "pyproject.toml": PYPROJECT, "uv.lock": "version = 1\n" });
    assert.deepEqual(where(locked.run(dependencyScanning)), [["uv.lock", "low"]]);
  });

  it("counts Dependabot for Python, Renovate and scanners in CI, but not Dependabot for GitHub Actions alone", async () => {
    const dependabot = await project({ "pyproject.toml": PYPROJECT, ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n" });
    assert.deepEqual(dependabot.run(dependencyScanning), []);
    const renovate = await project({ "pyproject.toml": PYPROJECT, "renovate.json": '{"extends": ["config:recommended"]}' });
    assert.deepEqual(renovate.run(dependencyScanning), []);
    const audit = await project({ "pyproject.toml": PYPROJECT, ".github/workflows/ci.yml": "on: push\njobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install pip-audit && pip-audit\n" });
    assert.deepEqual(audit.run(dependencyScanning), []);
    const review = await project({ "pyproject.toml": PYPROJECT, ".github/workflows/pr.yml": "on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/dependency-review-action@v4\n" });
    assert.deepEqual(review.run(dependencyScanning), []);
    const actionsOnly = await project({ "pyproject.toml": PYPROJECT, ".github/dependabot.yml": 'version: 2\nupdates:\n  - package-ecosystem: "github-actions"\n    directory: /\n' });
    assert.equal(actionsOnly.run(dependencyScanning).length, 1);
    const banditOnly = await project({ "pyproject.toml": PYPROJECT, ".github/workflows/ci.yml": "on: push\njobs:\n  sec:\n    runs-on: ubuntu-latest\n    steps:\n      - run: bandit -r app\n" });
    assert.equal(banditOnly.run(dependencyScanning).length, 1, "bandit scans the code, not the dependencies");
  });

  it("stays quiet with no runtime dependencies", async () => {
    const p = await project({ "pyproject.toml": '[project]\nname = "tool"\ndependencies = []\n' });
    assert.deepEqual(p.run(dependencyScanning), []);
  });
});
