import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layerOf } from "../../src/model/import-graph.js";
import { project, py } from "../helpers/project.js";

describe("import graph", () => {
  it("infers layers from package names, deepest first", () => {
    assert.equal(layerOf("app.api.routes.items"), "api");
    assert.equal(layerOf("app.services.orders"), "services");
    assert.equal(layerOf("app.crud"), "repositories");
    assert.equal(layerOf("shop.models"), "models");
    assert.equal(layerOf("app.schemas.user"), "schemas");
    assert.equal(layerOf("app.core.config"), "core");
    assert.equal(layerOf("app.worker.tasks"), "tasks");
    assert.equal(layerOf("app.payments"), null);
  });

  it("counts fan-in and fan-out between packages, not modules", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/api/__init__.py": "",
      "app/api/items.py": py("from app.services import items", "from app.models import Item"),
      "app/api/users.py": py("from app.services.users import get"),
      "app/services/__init__.py": "",
      "app/services/items.py": py("from app.models import Item"),
      "app/services/users.py": py("from app.services.items import x"),
      "app/models/__init__.py": py("class Item: ..."),
    });
    const byName = new Map(p.model.importGraph.packages.map((n) => [n.name, n]));
    assert.deepEqual(byName.get("app.api"), { name: "app.api", file: "app/api/__init__.py", modules: 3, layer: "api", fanIn: 0, fanOut: 2 });
    assert.deepEqual(byName.get("app.services"), { name: "app.services", file: "app/services/__init__.py", modules: 3, layer: "services", fanIn: 1, fanOut: 1 });
    assert.deepEqual(byName.get("app.models"), { name: "app.models", file: "app/models/__init__.py", modules: 1, layer: "models", fanIn: 2, fanOut: 0 });
  });
});
