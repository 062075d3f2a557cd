import assert from "node:assert/strict";
import { describe, it } from "node:test";
import mutableDefaults from "../../src/checks/code/mutable-default-arguments.js";
import { locations, project, py } from "../helpers/project.js";

describe("CODE010 mutable default arguments", () => {
  it("reports list, dict, set and constructor defaults in one finding", async () => {
    const p = await project({
      "app/tags.py": py(
        "def add_tag(tag, tags=[]):", // 1
        "    tags.append(tag)",
        "    return tags",
        "class Cart:",
        "    def __init__(self, items={}, seen=set()):", // 5
        "        self.items = items",
      ),
    });
    const findings = p.run(mutableDefaults);
    assert.deepEqual(locations(findings), [["CODE010", "app/tags.py", 1]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /^3 mutable default arguments in 2 application functions/);
    assert.match(findings[0]?.message ?? "", /Cart\.__init__\(items=\{\}\)/);
  });

  it("stays quiet on None, tuples, frozensets, FastAPI Query/Body defaults, and tests", async () => {
    const p = await project({
      "app/api.py": py(
        "from fastapi import Query, Body",
        "def search(tags=None, order=(), kinds=frozenset(), q: list[str] = Query([]), body: dict = Body({})):",
        "    return tags",
      ),
      "tests/test_api.py": py("def helper(items=[]):", "    return items"),
      "sdk/python/polar/services/orders.py": py("def list_orders(sorting=['-created_at']):", "    return sorting"),
    });
    assert.deepEqual(locations(p.run(mutableDefaults)), []);
  });
});
