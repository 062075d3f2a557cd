import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { flaskEndpoints } from "../../src/model/endpoints/flask.js";
import { byKey, rows } from "../helpers/endpoints.js";
import { project, py } from "../helpers/project.js";

describe("quart routes (read by the Flask extractor)", () => {
  it("reads Quart apps and blueprints, @app.route/@bp.get and quart-auth login_required, as framework quart", async () => {
    const p = await project({
      "svc/__init__.py": "",
      "svc/items.py": py(
        "from quart import Blueprint", // 1
        "from quart_auth import login_required",
        'bp = Blueprint("items", __name__, url_prefix="/items")',
        '@bp.get("/<int:item_id>")',
        "async def get_item(item_id): ...", // 5
        '@bp.post("/")',
        "@login_required",
        "async def create_item(): ...", // 8
      ),
      "svc/app.py": py(
        "from quart import Quart", // 1
        "from svc.items import bp",
        "app = Quart(__name__)",
        "app.register_blueprint(bp)",
        '@app.route("/health", methods=["GET", "HEAD"])',
        "async def health(): ...", // 6
      ),
    });
    const { endpoints, appFiles } = flaskEndpoints(p.index, p.fileSet.files);
    assert.deepEqual(rows(endpoints), [
      "GET /health svc.app.health svc/app.py:6 false",
      "HEAD /health svc.app.health svc/app.py:6 false",
      "POST /items svc.items.create_item svc/items.py:8 true",
      "GET /items/{item_id} svc.items.get_item svc/items.py:5 false",
    ]);
    assert.ok(endpoints.every((e) => e.framework === "quart" && e.isAsync));
    assert.equal(byKey(endpoints, "POST /items").authReason, "decorated with login_required");
    assert.deepEqual(appFiles, ["svc/app.py"]);
    assert.ok(p.model.endpoints.every((e) => e.framework === "quart"));
  });

  it("reads an app factory taking the app as a parameter in a Quart module, and keeps Flask routes flask", async () => {
    const p = await project({
      "q/routes.py": py("from quart import Quart", "def register(app: Quart):", '    @app.get("/q")', "    async def q(): ...", "    return app"),
      "f/app.py": py("from flask import Flask", "app = Flask(__name__)", '@app.get("/f")', "def f(): ..."),
    });
    const { endpoints } = flaskEndpoints(p.index, p.fileSet.files);
    assert.equal(byKey(endpoints, "GET /q").framework, "quart");
    assert.equal(byKey(endpoints, "GET /f").framework, "flask");
  });
});
