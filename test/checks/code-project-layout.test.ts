import assert from "node:assert/strict";
import { describe, it } from "node:test";
import projectLayout from "../../src/checks/code/project-layout.js";
import { locations, project, py } from "../helpers/project.js";

describe("CODE001 project layout", () => {
  it("describes a src layout with its packages, entry point, tests and size", async () => {
    const p = await project({
      "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["fastapi"]\n',
      "src/shop/__init__.py": "",
      "src/shop/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/orders')", "def orders():", "    return []"),
      "src/shop/orders.py": py("class Order:", "    def total(self):", "        return 1"),
      "tests/test_orders.py": py("def test_total():", "    assert 1"),
    });
    const findings = p.run(projectLayout);
    assert.deepEqual(locations(findings), [["CODE001", "pyproject.toml", null]]);
    const message = findings[0]?.message ?? "";
    assert.equal(findings[0]?.severity, "info");
    assert.match(message, /^Layout: src layout/);
    assert.match(message, /1 top-level package: src\/shop \(/);
    assert.match(message, /entry points: src\/shop\/main\.py \(web application\)/);
    assert.match(message, /tests: 1 test file with 1 test function, in tests\/ \(1\)/);
    assert.match(message, /size: 3 application modules, .* 1 route/);
  });

  it("says flat layout and no tests, and stays quiet with no application code", async () => {
    const flat = await project({ "app/__init__.py": "", "app/views.py": py("def index():", "    return 1") });
    assert.match(flat.run(projectLayout)[0]?.message ?? "", /^Layout: flat layout.*tests: no test files/);
    const none = await project({ "scripts/run.py": py("def main():", "    return 1"), "tests/test_x.py": py("def test_x():", "    assert 1") });
    assert.deepEqual(locations(none.run(projectLayout)), []);
  });
});
