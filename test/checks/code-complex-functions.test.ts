import assert from "node:assert/strict";
import { describe, it } from "node:test";
import complexFunctions from "../../src/checks/code/complex-functions.js";
import { locations, project, py } from "../helpers/project.js";

/** A function with `branches` if-statements: complexity 1 + branches. */
function branchy(name: string, branches: number): string[] {
  const body = Array.from({ length: branches }, (_, i) => [`    if x == ${i}:`, `        return ${i}`]).flat();
  return [`def ${name}(x):`, ...body, "    return -1"];
}

describe("CODE005 very complex functions", () => {
  it("reports one grouped finding with the worst function first", async () => {
    const p = await project({
      "app/orders.py": py(...branchy("small", 3), ...branchy("checkout", 20), ...branchy("refund", 17)),
      "app/pricing.py": py(...branchy("price", 40)),
    });
    const findings = p.run(complexFunctions);
    assert.deepEqual(locations(findings), [["CODE005", "app/pricing.py", 1]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /^3 functions of 4 in application code/);
    assert.match(findings[0]?.message ?? "", /price \(app\/pricing\.py:1, complexity 41/);
    assert.equal(findings[0]?.evidence.length, 3);
  });

  it("fires on a single extreme function", async () => {
    const p = await project({ "app/report.py": py("import os", ...branchy("build", 35)) });
    assert.deepEqual(locations(p.run(complexFunctions)), [["CODE005", "app/report.py", 2]]);
  });

  it("stays quiet on one or two moderately complex functions, and on tests, migrations, scripts and generated code", async () => {
    const p = await project({
      "app/orders.py": py(...branchy("checkout", 18), ...branchy("refund", 16), ...branchy("ok", 14)),
      "tests/test_orders.py": py(...branchy("test_all", 50)),
      "app/migrations/0002_data.py": py(...branchy("forwards", 50)),
      "scripts/import_data.py": py(...branchy("main", 50)),
      "app/api_pb2.py": py(...branchy("build", 50)),
      // a table, not logic: 250 lines and no branch
      "app/regions.py": py("def regions():", "    return [", ...Array.from({ length: 250 }, (_, i) => `        "r${i}",`), "    ]"),
      // written by a generator in the project
      "app/event_schema.py": py(...branchy("validate", 80)),
      "app/build_schema.py": py("def build(code):", '    with open("app/event_schema.py", "w") as f:', "        f.write(code)"),
      "sdk/python/client/orders.py": py(...branchy("list_orders", 50)),
    });
    assert.deepEqual(locations(p.run(complexFunctions)), []);
  });
});
