import assert from "node:assert/strict";
import { describe, it } from "node:test";
import lowTypeCoverage from "../../src/checks/code/low-type-coverage.js";
import noLinter from "../../src/checks/code/no-linter.js";
import { locations, project, py } from "../helpers/project.js";

/** `count` modules of five functions each; `typed` of the five are fully annotated. */
function modules(count: number, typed: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let m = 0; m < count; m++) {
    const lines: string[] = [];
    for (let f = 0; f < 5; f++) lines.push(f < typed ? `def f${f}(a: int, b: str = "x") -> int: return a` : `def f${f}(a, b=1): return a`);
    files[`shop/m${m}.py`] = py(...lines);
  }
  return files;
}

describe("CODE002 low type-hint coverage and no type checker", () => {
  it("fires with the coverage figure when under half the functions are annotated and no type checker is configured", async () => {
    const p = await project({ ...modules(5, 1), "pyproject.toml": '[project]\nname = "shop"\ndependencies = []\n' });
    const findings = p.run(lowTypeCoverage);
    assert.deepEqual(locations(findings), [["CODE002", "pyproject.toml", null]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /^5 of 25 application functions \(20 %\) annotate every parameter and the return/);
    assert.match(findings[0]?.message ?? "", /No type checker \(mypy, pyright, pyre\) is configured/);
    assert.equal(findings[0]?.evidence[1]?.file, "shop/m0.py");
    assert.equal(findings[0]?.evidence[1]?.line, 2);
  });

  it("says when mypy is only installed, pointing at the dependency", async () => {
    const p = await project({ ...modules(5, 0), "requirements-dev.txt": "pytest==8.0\nmypy==1.11\n" });
    const findings = p.run(lowTypeCoverage);
    assert.deepEqual(locations(findings), [["CODE002", "shop/m0.py", null]]);
    assert.equal(findings[0]?.severity, "low");
    assert.deepEqual([findings[0]?.evidence[1]?.file, findings[0]?.evidence[1]?.line], ["requirements-dev.txt", 2]);
    assert.match(findings[0]?.message ?? "", /mypy is installed \(mypy ==1\.11 \(requirements-dev\), requirements-dev\.txt:2\) but not configured.*skips the bodies of unannotated functions/);
  });

  it("counts methods without self and __init__ without a return annotation; leaves closures out", async () => {
    const files = {
      ...modules(4, 5),
      "shop/svc.py": py(
        "class Orders:",
        "    def __init__(self, repo: Repo):",
        "        def inner(x): return x",
        "        self.repo = repo",
        "    def get(self, order_id: int) -> Order: ...",
      ),
    };
    assert.deepEqual(locations((await project(files)).run(lowTypeCoverage)), []);
  });

  const quiet: Array<[string, Record<string, string>]> = [
    ["half or more annotated", modules(5, 3)],
    ["mypy configured in pyproject", { ...modules(5, 0), "pyproject.toml": '[project]\nname = "shop"\n\n[tool.mypy]\nstrict = false\n' }],
    ["mypy in setup.cfg", { ...modules(5, 0), "setup.cfg": "[metadata]\nname = shop\n\n[mypy]\nignore_missing_imports = True\n" }],
    ["a pyright config file", { ...modules(5, 0), "pyrightconfig.json": "{}" }],
    ["a mypy pre-commit hook", { ...modules(5, 0), ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/pre-commit/mirrors-mypy\n    rev: v1.11.0\n    hooks:\n      - id: mypy\n" }],
    ["mypy run in CI", { ...modules(5, 0), ".github/workflows/ci.yml": "on: push\njobs:\n  types:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mypy shop\n" }],
    ["too few functions to judge", modules(3, 0)],
    ["parameters annotated but returns left out", Object.fromEntries(Object.entries(modules(5, 0)).map(([k, v]) => [k, v.replaceAll("(a, b=1)", "(a: int, b: int = 1)")]))],
    ["unannotated tests and migrations", { ...modules(1, 5), ...Object.fromEntries(Object.entries(modules(5, 0)).map(([k, v]) => [k.replace("shop/", "tests/test_"), v])) }],
  ];
  for (const [name, files] of quiet) {
    it(`stays quiet with ${name}`, async () => {
      assert.deepEqual(locations((await project(files)).run(lowTypeCoverage)), []);
    });
  }

  it("reads a broken pyproject.toml's table headers without failing", async () => {
    const p = await project({ ...modules(5, 0), "pyproject.toml": '[project\nname = "shop"\n\n[tool.mypy]\nstrict = true\n' });
    assert.deepEqual(locations(p.run(lowTypeCoverage)), []);
    assert.deepEqual(p.model.toolConfigs?.map((t) => [t.tool, t.source, t.line]), [["mypy", "config", 4]]);
  });
});

describe("CODE003 no linter or formatter configured", () => {
  it("fires on the pyproject when no linter or formatter is configured, installed or run in CI", async () => {
    const p = await project({ ...modules(5, 5), "pyproject.toml": '[project]\nname = "shop"\n\n[tool.mypy]\nstrict = true\n' });
    const findings = p.run(noLinter);
    assert.deepEqual(locations(findings), [["CODE003", "pyproject.toml", null]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /only the type checker mypy/);
  });

  const configured: Array<[string, Record<string, string>]> = [
    ["[tool.ruff] in pyproject", { "pyproject.toml": '[project]\nname = "shop"\n\n[tool.ruff]\nline-length = 100\n' }],
    ["[tool.black] in pyproject", { "pyproject.toml": '[project]\nname = "shop"\n\n[tool.black]\nline-length = 100\n' }],
    ["a ruff.toml", { "ruff.toml": "line-length = 100\n" }],
    ["a .flake8 file", { ".flake8": "[flake8]\nmax-line-length = 100\n" }],
    ["[flake8] in tox.ini", { "tox.ini": "[tox]\nenvlist = py312\n\n[flake8]\nmax-line-length = 100\n" }],
    ["a .pylintrc", { ".pylintrc": "[MAIN]\n" }],
    ["ruff pre-commit hooks", { ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n    hooks:\n      - id: ruff\n      - id: ruff-format\n" }],
    ["a local black hook", { ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: black\n        name: black\n        entry: black\n        language: system\n" }],
    ["ruff only installed as a dev dependency", { "requirements-dev.txt": "ruff==0.6.0\n" }],
    ["flake8 run in CI", { ".github/workflows/ci.yml": "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: flake8 shop\n" }],
  ];
  for (const [name, files] of configured) {
    it(`stays quiet with ${name}`, async () => {
      assert.deepEqual(locations((await project({ ...modules(5, 5), ...files })).run(noLinter)), []);
    });
  }

  it("records where each tool is configured, hooks with their line", async () => {
    const p = await project({
      ...modules(1, 1),
      ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/psf/black-pre-commit-mirror\n    rev: 24.8.0\n    hooks:\n      - id: black\n  - repo: https://github.com/PyCQA/isort\n    rev: 5.13.2\n    hooks:\n      - id: isort\n",
      "setup.cfg": "[metadata]\nname = shop\n\n[flake8]\nmax-line-length = 100\n",
    });
    assert.deepEqual(p.model.toolConfigs?.map((t) => [t.tool, t.kind, t.source, t.file, t.line]), [
      ["black", "formatter", "pre-commit", ".pre-commit-config.yaml", 5],
      ["isort", "formatter", "pre-commit", ".pre-commit-config.yaml", 9],
      ["flake8", "linter", "config", "setup.cfg", 4],
    ]);
  });

  it("stays quiet on a handful of modules", async () => {
    assert.deepEqual(locations((await project(modules(3, 5))).run(noLinter)), []);
  });
});
