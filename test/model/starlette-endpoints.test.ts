import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { project, py } from "../helpers/project.js";

describe("Starlette endpoints", () => {
  it("reads Route and nested Mount tables, function and class endpoints, and requires()", async () => {
    const p = await project({
      "app/main.py": py(
        "from starlette.applications import Starlette",
        "from starlette.authentication import requires",
        "from starlette.endpoints import HTTPEndpoint",
        "from starlette.routing import Mount, Route",
        "async def homepage(request): ...", // 5
        "@requires('authenticated')",
        "async def create_user(request): ...", // 7
        "class UserItem(HTTPEndpoint):",
        "    async def get(self, request): ...", // 9
        "    async def delete(self, request): ...", // 10
        "routes = [",
        "    Route('/', homepage),",
        "    Mount('/api', routes=[",
        "        Mount('/users', routes=[",
        "            Route('/', create_user, methods=['POST']),",
        "            Route('/{user_id:int}', UserItem),",
        "        ]),",
        "    ]),",
        "]",
        "app = Starlette(routes=routes)",
      ),
    });
    const got = p.model.endpoints.map((e) => [e.method, e.path, e.line, e.framework, e.auth]);
    assert.deepEqual(got, [
      ["GET", "/", 5, "starlette", false],
      ["POST", "/api/users", 7, "starlette", true],
      ["DELETE", "/api/users/{user_id}", 10, "starlette", false],
      ["GET", "/api/users/{user_id}", 9, "starlette", false],
    ]);
  });

  it("ignores a Route class that is not Starlette's", async () => {
    const p = await project({ "app/geo.py": py("class Route: ...", "def f(): ...", "r = Route('/x', f)") });
    assert.deepEqual(p.model.endpoints, []);
  });
});
