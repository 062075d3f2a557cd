import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ciQualityGates from "../../src/checks/deployment/ci-quality-gates.js";
import { locations, project, py } from "../helpers/project.js";

const app = { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()"), "requirements.txt": "fastapi==0.115.0\n" };
const workflow = (...steps: string[]) => ["on: [push]", "jobs:", "  test:", "    runs-on: ubuntu-latest", "    steps:", ...steps.map((s) => `      - run: ${s}`)].join("\n");

describe("DEP007 CI without lint or security scanning", () => {
  it("fires twice on CI that only runs the tests: once for lint, once for security scanning", async () => {
    const p = await project({ ...app, "pyproject.toml": "[tool.ruff]\nline-length = 100\n", ".github/workflows/ci.yml": workflow("pip install -r requirements.txt ruff", "pytest") });
    const findings = p.run(ciQualityGates);
    assert.deepEqual(locations(findings), [["DEP007", ".github/workflows/ci.yml", null], ["DEP007", ".github/workflows/ci.yml", null]]);
    assert.equal(findings[0]?.severity, "low");
    const messages = findings.map((f) => f.message).sort();
    assert.match(messages[0] ?? "", /runs no lint or type check/);
    assert.match(messages[1] ?? "", /runs no security scanning/);
  });

  it("counts lint through tox, a matrix, a reusable workflow's inputs and pre-commit.ci", async () => {
    const tox = await project({ ...app, "tox.ini": "[testenv:style]\ncommands = flake8 app\n", ".github/workflows/ci.yml": workflow("tox -e style", "pytest", "pip-audit") });
    assert.deepEqual(tox.run(ciQualityGates), []);
    const matrix = await project({
      ...app,
      ".github/workflows/ci.yml": ["jobs:", "  check:", "    strategy:", "      matrix:", "        cmd: ['pytest', 'mypy app']", "    steps:", "      - run: ${{ matrix.cmd }}", "      - uses: github/codeql-action/analyze@v3"].join("\n"),
    });
    assert.deepEqual(matrix.run(ciQualityGates), []);
    const reusable = await project({ ...app, ".github/workflows/ci.yml": ["jobs:", "  lint:", "    uses: acme/ci/.github/workflows/python.yml@v1", "    with:", "      run: ruff check .", "  t:", "    steps:", "      - run: pytest"].join("\n"), ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n" });
    assert.deepEqual(reusable.run(ciQualityGates), []);
    const preCommitCi = await project({ ...app, ".github/workflows/ci.yml": workflow("pytest", "bandit -r app"), ".pre-commit-config.yaml": "ci:\n  autofix_prs: false\nrepos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    hooks:\n      - id: ruff\n" });
    assert.deepEqual(preCommitCi.run(ciQualityGates), []);
  });

  it("leaves a repository with no linter at all to CODE003, which says so once", async () => {
    const p = await project({ ...app, ".github/workflows/ci.yml": workflow("pytest", "pip-audit -r requirements.txt") });
    assert.deepEqual(p.run(ciQualityGates), []);
  });

  it("reads a Makefile target CI runs (`make check`), and says nothing about lint when the target's body is unknown", async () => {
    const config = { ...app, "pyproject.toml": "[tool.ruff]\n" };
    const read = await project({ ...config, Makefile: "check:\n\truff check .\n", ".github/workflows/ci.yml": workflow("make check", "pytest", "pip-audit -r requirements.txt") });
    assert.equal(read.model.ci[0]?.jobs[0]?.lint, true);
    assert.deepEqual(read.run(ciQualityGates), []);
    // nox sessions live in Python the CI reader does not run: `nox` may well lint
    const unknown = await project({ ...config, "noxfile.py": py("import nox", "@nox.session", "def lint(session):", "    session.run('ruff', 'check')"), ".github/workflows/ci.yml": workflow("nox", "pip-audit -r requirements.txt") });
    assert.ok(unknown.model.ci[0]?.jobs[0]?.unresolved?.includes("nox"));
    assert.deepEqual(unknown.run(ciQualityGates), []);
  });

  it("leaves a repository with no CI to DEP006", async () => {
    const p = await project({ ...app });
    assert.deepEqual(p.run(ciQualityGates), []);
  });
});
