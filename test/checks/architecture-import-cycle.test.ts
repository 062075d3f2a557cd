import assert from "node:assert/strict";
import { describe, it } from "node:test";
import importCycle from "../../src/checks/architecture/import-cycle.js";
import type { Finding } from "../../src/checks/types.js";
import { locations, project, py } from "../helpers/project.js";

/** Module text of a realistic size: the lines given, then enough code that the module is not "small" (two small modules in a cycle are a low note). */
function big(...lines: string[]): string {
  return py(...lines, ...Array.from({ length: 130 }, (_, i) => `def _filler_${i}(): return ${i}`));
}

/** `[file, line]` of every evidence item of every unsuppressed finding. */
function evidence(findings: Finding[]): Array<[string, number | null]> {
  return findings.flatMap((f) => f.evidence.map((e): [string, number | null] => [e.file, e.line]));
}

describe("ARCH003 import cycle between project modules", () => {
  it("fires on two modules importing each other, listing the cycle and both import lines", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/orders.py": big("import logging", "from app.inventory import reserve", "class Order: ..."), // 2
      "app/inventory.py": big("", "", "from app.orders import Order", "def reserve(order: Order): ..."), // 3
    });
    const findings = p.run(importCycle);
    assert.deepEqual(locations(findings), [["ARCH003", "app/inventory.py", 3]]);
    assert.equal(findings[0]?.message, "Import cycle: app.inventory → app.orders → app.inventory.");
    assert.deepEqual(evidence(findings), [
      ["app/inventory.py", 3],
      ["app/orders.py", 2],
    ]);
    assert.equal(findings[0]?.evidence[1]?.snippet, "app.orders imports app.inventory");
  });

  it("is low for two small modules of different packages tied only to each other, medium once one of them is not small", async () => {
    const files = (definition: (...lines: string[]) => string) => ({
      "app/__init__.py": "",
      "app/definition/__init__.py": "",
      "app/definition/service.py": definition("from app.term import service as term_service", "def get(db, definition_id): ...", "def create(db, data):", "    return term_service.attach(db, data)"),
      "app/term/__init__.py": "",
      "app/term/service.py": py("from app.definition import service as definition_service", "def attach(db, data): ...", "def get(db, term_id):", "    return definition_service.get(db, term_id)"),
    });
    const small = (await project(files(py))).run(importCycle);
    assert.deepEqual(small.map((f) => f.severity), ["low"]);
    assert.match(small[0]?.message ?? "", /The two modules are small \(\d+ and \d+ lines of code\)/);
    assert.deepEqual((await project(files(big))).run(importCycle).map((f) => f.severity), ["medium"]);
  });

  it("fires once on a three-module cycle, with one import line per step", async () => {
    const p = await project({
      "shop/a.py": big("import shop.b"),
      "shop/b.py": big("\"\"\"Docs.\"\"\"", "from shop import c"),
      "shop/c.py": big("import os", "", "from shop.a import thing", "thing = 1"),
    });
    const findings = p.run(importCycle);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.message, "Import cycle: shop.a → shop.b → shop.c → shop.a.");
    assert.deepEqual(evidence(findings), [
      ["shop/a.py", 1],
      ["shop/b.py", 2],
      ["shop/c.py", 3],
    ]);
  });

  it("resolves relative imports: `from . import b` and `from .b import x`", async () => {
    const p = await project({
      "pkg/__init__.py": "",
      "pkg/a.py": big("from . import b"),
      "pkg/b.py": big("from .a import helper"),
      "pkg/sub/__init__.py": "",
      "pkg/sub/c.py": big("from ..d import x"),
      "pkg/d.py": big("from .sub.c import y", "x = 1"),
    });
    assert.deepEqual(p.run(importCycle).map((f) => f.message), [
      "Import cycle: pkg.a → pkg.b → pkg.a.",
      "Import cycle: pkg.d → pkg.sub.c → pkg.d.",
    ]);
  });

  it("resolves modules in a src/ layout", async () => {
    const p = await project({
      "pyproject.toml": big("[project]", "name = \"pkg\""),
      "src/pkg/__init__.py": "",
      "src/pkg/a.py": big("from pkg.b import B", "class A: ..."),
      "src/pkg/b.py": big("from pkg.a import A", "class B: ..."),
    });
    const findings = p.run(importCycle);
    assert.deepEqual(locations(findings), [["ARCH003", "src/pkg/a.py", 1]]);
    assert.equal(findings[0]?.message, "Import cycle: pkg.a → pkg.b → pkg.a.");
  });

  it("counts a runtime import in the else branch of `if TYPE_CHECKING:`", async () => {
    const p = await project({
      "app/a.py": big("from typing import TYPE_CHECKING", "if TYPE_CHECKING:", "    from app.b import B", "else:", "    from app.b import B"), // 5
      "app/b.py": big("from app.a import A"),
    });
    assert.deepEqual(evidence(p.run(importCycle)), [
      ["app/a.py", 5],
      ["app/b.py", 1],
    ]);
  });

  const quiet: Array<[string, Record<string, string>]> = [
    ["an import under `if TYPE_CHECKING:`", {
      "app/a.py": big("from __future__ import annotations", "from typing import TYPE_CHECKING", "if TYPE_CHECKING:", "    from app.b import B", "def f(b: B): ..."),
      "app/b.py": big("from app.a import f", "class B: ..."),
    }],
    ["an import under `if typing.TYPE_CHECKING:`", {
      "app/a.py": big("import typing", "if typing.TYPE_CHECKING:", "    import app.b"),
      "app/b.py": big("import app.a"),
    }],
    ["an import under `if TYPE_CHECKING is True:` and under `if typing_extensions.TYPE_CHECKING:`", {
      "app/a.py": big("from typing import TYPE_CHECKING", "if TYPE_CHECKING is True:", "    from app.b import B"),
      "app/b.py": big("import typing_extensions", "if typing_extensions.TYPE_CHECKING:", "    from app.a import x"),
    }],
    ["an import under `if __name__ == '__main__':`", {
      "app/a.py": big("def run(): ...", "if __name__ == '__main__':", "    from app.b import main", "    main()"),
      "app/b.py": big("from app.a import run", "def main(): run()"),
    }],
    ["an import inside a function", {
      "app/a.py": big("def load():", "    from app.b import B", "    return B"),
      "app/b.py": big("from app.a import load", "class B: ..."),
    }],
    ["a one-way chain of imports", {
      "app/a.py": big("from app.b import x"),
      "app/b.py": big("from app.c import x"),
      "app/c.py": big("import json", "x = json.dumps({})"),
    }],
    ["modules that import third-party packages of the same name", {
      "app/redis.py": big("import redis", "client = redis.Redis()"),
      "app/main.py": big("from app.redis import client", "import fastapi"),
    }],
    ["a package __init__ re-exporting from its own submodule", {
      "pkg/__init__.py": big("from .core import run"),
      "pkg/core.py": big("import logging", "def run(): ..."),
    }],
  ];
  for (const [name, files] of quiet) {
    it(`stays quiet on ${name}`, async () => {
      assert.deepEqual(locations((await project(files)).run(importCycle)), []);
    });
  }

  it("is low for two modules of one package importing each other as module objects, medium when one imports a name", async () => {
    const objects = await project({
      "sse/__init__.py": "",
      "sse/service.py": big("from sse import tasks", "def send(): tasks.queue()"),
      "sse/tasks.py": big("from sse import service", "def queue(): service.send"),
    });
    assert.deepEqual(objects.run(importCycle).map((f) => f.severity), ["low"]);
    const names = await project({
      "sse/__init__.py": "",
      "sse/service.py": big("from sse.tasks import queue", "def send(): queue()"),
      "sse/tasks.py": big("from sse import service", "def queue(): service.send"),
    });
    assert.deepEqual(names.run(importCycle).map((f) => f.severity), ["medium"]);
  });

  it("is low for a cycle inside one feature package, medium inside a layer package such as services", async () => {
    const feature = await project({
      "shop/__init__.py": "",
      "shop/product/__init__.py": "",
      "shop/product/types.py": big("from shop.product.filters import ProductFilter", "class Product: ..."),
      "shop/product/filters.py": big("from shop.product.types import Product", "class ProductFilter: ..."),
    });
    assert.deepEqual(feature.run(importCycle).map((f) => f.severity), ["low"]);
    const layer = await project({
      "app/__init__.py": "",
      "app/services/__init__.py": "",
      "app/services/orders.py": big("from app.services.inventory import reserve", "def place(): reserve()"),
      "app/services/inventory.py": big("from app.services.orders import place", "def reserve(): ..."),
    });
    assert.deepEqual(layer.run(importCycle).map((f) => f.severity), ["medium"]);
  });
});
