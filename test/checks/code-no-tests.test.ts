import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noTests from "../../src/checks/code/no-tests.js";
import { locations, project, py } from "../helpers/project.js";

/** A module of exactly `codeLines` lines of code (two per function), with blank and comment lines that do not count. */
function module(codeLines: number): string {
  const lines = ["# application code"];
  for (let i = 0; i < codeLines / 2; i++) lines.push("", `def handler_${i}(x):`, `    return x + ${i}`);
  return py(...lines);
}

function tests(count: number): string {
  const lines = ["from app.main import handler_0", ""];
  for (let i = 0; i < count; i++) lines.push(`def test_handler_${i}():`, `    assert handler_0(${i}) == ${i}`);
  return py(...lines);
}

const pyproject = py("[project]", "name = \"shop\"", "version = \"0.1.0\"");

describe("CODE004 no automated tests, or very few", () => {
  it("fires high with no line on the project manifest when there are no tests", async () => {
    const findings = (await project({ "pyproject.toml": pyproject, "app/main.py": module(40) })).run(noTests);
    assert.deepEqual(locations(findings), [["CODE004", "pyproject.toml", null]]);
    assert.equal(findings[0]?.severity, "high");
    assert.equal(findings[0]?.message, "No test files for 40 lines of application code.");
  });

  it("fires high when the test files hold no test functions", async () => {
    const findings = (await project({
      "pyproject.toml": pyproject,
      "app/main.py": module(40),
      "tests/conftest.py": py("import pytest", "@pytest.fixture", "def client():", "    return None"),
    })).run(noTests);
    assert.deepEqual(locations(findings), [["CODE004", "pyproject.toml", null]]);
    assert.equal(findings[0]?.severity, "high");
    assert.equal(findings[0]?.message, "1 test file(s) but no test functions for 40 lines of application code.");
  });

  it("fires on an application file when the project has no manifest", async () => {
    const findings = (await project({ "app/main.py": module(10), "app/util.py": module(4) })).run(noTests);
    assert.deepEqual(locations(findings), [["CODE004", "app/main.py", null]]);
  });

  it("fires medium when 500 or more lines of code have fewer than 2 test functions per 1,000 lines", async () => {
    const findings = (await project({
      "requirements.txt": "fastapi==0.115.0\n",
      "app/main.py": module(600),
      "tests/test_main.py": tests(1),
    })).run(noTests);
    assert.deepEqual(locations(findings), [["CODE004", "requirements.txt", null]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /^1 test function\(s\) for 600 lines of application code \(1\.7 per 1,000 lines\)/);
  });

  const quiet: Array<[string, Record<string, string>]> = [
    ["a tests/ folder with test functions", { "pyproject.toml": pyproject, "app/main.py": module(40), "tests/test_x.py": tests(2) }],
    ["test methods in a class and async tests", {
      "app/main.py": module(40),
      "tests/test_api.py": py("class TestApi:", "    def test_get(self):", "        assert True", "async def test_post():", "    assert True"),
    }],
    ["exactly 2 test functions per 1,000 lines", { "app/main.py": module(1000), "tests/test_main.py": tests(2) }],
    ["a low ratio under 500 lines of code", { "app/main.py": module(498), "tests/test_main.py": tests(1) }],
    ["a project without application Python code", { "pyproject.toml": pyproject, "README.md": "# docs\n", Dockerfile: "FROM python:3.12-slim\n" }],
    ["a project whose only Python files are tests", { "tests/test_smoke.py": tests(0) }],
  ];
  for (const [name, files] of quiet) {
    it(`stays quiet on ${name}`, async () => {
      assert.deepEqual(locations((await project(files)).run(noTests)), []);
    });
  }
});
