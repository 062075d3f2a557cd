import assert from "node:assert/strict";
import { describe, it } from "node:test";
import godModule from "../../src/checks/architecture/god-module.js";
import { locations, project, py } from "../helpers/project.js";

/** `count` functions of `size` lines of logic each. */
function functions(count: number, size: number, prefix = "task"): string[] {
  return Array.from({ length: count }, (_, i) => [`def ${prefix}_${i}(x):`, ...Array.from({ length: size - 1 }, (_, j) => `    x = x + ${j}`), "    return x"]).flat();
}

describe("ARCH005 god module", () => {
  it("fires once, naming the biggest modules with their lines of code, definitions and importers", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/utils.py": py(...functions(45, 15)), // 45 definitions, 720 lines: too many definitions
      "app/billing.py": py("import os", ...functions(10, 110, "step")), // 1,111 lines of code: too long
      "app/orders.py": py("from app.utils import task_0", "from app.billing import step_0"),
      "app/users.py": py("from app.utils import task_1"),
    });
    const findings = p.run(godModule);
    assert.deepEqual(locations(findings), [["ARCH005", "app/billing.py", 1]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /2 oversized modules .*: app\.billing \(1,111 lines of code, 10 top-level definitions, imported by 1 module\); app\.utils \(720 lines of code, 45 top-level definitions, imported by 2 modules\)\./);
    assert.deepEqual(findings[0]?.evidence.map((e) => e.file), ["app/billing.py", "app/utils.py"]);
  });

  it("reports a god class with hundreds of methods", async () => {
    const methods = Array.from({ length: 120 }, (_, i) => `    def handle_${i}(self): return ${i}`);
    const p = await project({ "app/__init__.py": "", "app/manager.py": py("import os", "", "class PluginsManager:", ...methods) });
    const findings = p.run(godModule);
    assert.deepEqual(locations(findings), [["ARCH005", "app/manager.py", 3]]);
    assert.match(findings[0]?.message ?? "", /God class: app\.manager\.PluginsManager with 120 methods/);
  });

  it("stays quiet on data tables, declarative catalogues, generated code, settings and tests", async () => {
    const p = await project({
      "app/__init__.py": "",
      // a table of constants
      "app/data/iata.py": py(...Array.from({ length: 1200 }, (_, i) => `CODE_${i} = "A${i}"`)),
      // fifty small exception classes
      "app/errors.py": py(...Array.from({ length: 50 }, (_, i) => `class Error${i}(Exception):\n    code = ${i}`)),
      // pydantic-style schema classes with no methods, as code generators write them
      "app/schemas/generated_models.py": py(...Array.from({ length: 120 }, (_, i) => `class Model${i}:\n    a: int\n    b: str\n    c: float\n    d: bool\n    e: int\n    f: str\n    g: str\n    h: int\n    i: int`)),
      "app/proto/events_pb2.py": py(...functions(60, 20)),
      "app/settings.py": py(...functions(60, 20)),
      "tests/test_everything.py": py(...functions(80, 20, "test")),
      // the same generated module once per API version
      "app/v1/outputs.py": py(...functions(60, 20)),
      "app/v2/outputs.py": py(...functions(60, 20)),
      // a module a generator script writes
      "app/event_schema.py": py(...functions(60, 20)),
      "app/management/fetch_schema.py": py('def main(base):', '    with open(base / "app/event_schema.py", "w") as f:', '        f.write("")'),
    });
    assert.deepEqual(p.run(godModule), []);
    // each of those modules is big enough to fire on its own
    const alone = await project({ "app/__init__.py": "", "app/v1/outputs.py": py(...functions(60, 20)), "app/event_schema.py": py(...functions(60, 20)) });
    assert.match(alone.run(godModule)[0]?.message ?? "", /2 oversized modules/);
  });

  it("fires on a package most others import and that imports most others, but not on the project's root package", async () => {
    const names = ["orders", "billing", "users", "catalog", "shipping", "reports", "search", "notify"];
    const files: Record<string, string> = { "app/__init__.py": "", "app/core/__init__.py": py(...names.map((n) => `from app.${n} import api as ${n}_api`)) };
    for (const n of names) {
      files[`app/${n}/__init__.py`] = "";
      files[`app/${n}/api.py`] = py("from app.core import helpers", "def run(): ...");
    }
    files["app/core/helpers.py"] = py("def helper(): ...");
    // the root package assembles the app and holds what all share: above the others, not a hub among them
    files["app/__init__.py"] = py(...names.map((n) => `from app.${n} import api as ${n}_api`), "VERSION = 1");
    for (const n of names) files[`app/${n}/models.py`] = py("from app import VERSION");
    const findings = (await project(files)).run(godModule);
    assert.deepEqual(locations(findings), [["ARCH005", "app/core/__init__.py", 1]]);
    assert.equal(findings[0]?.evidence.length, 1);
    assert.match(findings[0]?.message ?? "", /^Hub package most others import and that imports most others: app\.core \(imported by 8 of the 9 other packages, imports 8 of them\)/);
  });
});
