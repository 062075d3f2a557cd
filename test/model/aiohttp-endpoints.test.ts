import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aiohttpEndpoints } from "../../src/model/endpoints/aiohttp.js";
import type { Endpoint } from "../../src/model/types.js";
import { byKey, rows } from "../helpers/endpoints.js";
import { project, py } from "../helpers/project.js";

async function aiohttp(files: Record<string, string>): Promise<{ endpoints: Endpoint[]; appFiles: string[] }> {
  const p = await project(files);
  return aiohttpEndpoints(p.index);
}



describe("aiohttp routes", () => {
  it("reads RouteTableDef decorators, router.add_get/add_route/add_view, add_routes([web.get(...)]) and class-based views", async () => {
    const { endpoints, appFiles } = await aiohttp({
      "svc/__init__.py": "",
      "svc/views.py": py(
        "from aiohttp import web", // 1
        "from aiohttp_security import check_authorized, check_permission",
        "routes = web.RouteTableDef()",
        '@routes.get(r"/items/{item_id:\\d+}")',
        "async def get_item(request):", // 5
        "    await check_authorized(request)",
        '@routes.route("*", "/echo")',
        "async def echo(request): ...", // 8
        '@routes.view("/orders")',
        "class Orders(web.View):",
        "    async def get(self): ...", // 11
        "    async def post(self):", // 12
        '        await check_permission(self.request, "orders:write")',
        "async def health(request): ...", // 14
        "async def not_awaited(request):", // 15
        "    check_authorized(request)",
        "class Admin(web.View):",
        "    async def delete(self): ...", // 18
      ),
      "svc/app.py": py(
        "from aiohttp import web",
        "from svc.views import Admin, health, not_awaited, routes",
        "app = web.Application()",
        "app.add_routes(routes)",
        'app.router.add_get("/health", health)',
        'app.router.add_route("POST", "/nope", not_awaited)',
        'app.router.add_view("/admin", Admin)',
        'app.add_routes([web.get("/ping", health), web.delete("/ping", health)])',
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "DELETE /admin svc.views.Admin.delete svc/views.py:18 false",
      "ANY /echo svc.views.echo svc/views.py:8 false",
      "GET /health svc.views.health svc/views.py:14 false",
      "GET /items/{item_id} svc.views.get_item svc/views.py:5 true",
      "POST /nope svc.views.not_awaited svc/views.py:15 false",
      "GET /orders svc.views.Orders.get svc/views.py:11 false",
      "POST /orders svc.views.Orders.post svc/views.py:12 true",
      "DELETE /ping svc.views.health svc/views.py:14 false",
      "GET /ping svc.views.health svc/views.py:14 false",
    ]);
    assert.ok(endpoints.every((e) => e.framework === "aiohttp" && e.isAsync));
    assert.equal(byKey(endpoints, "GET /items/{item_id}").authReason, "awaits check_authorized (svc/views.py:6)");
    assert.deepEqual(appFiles, ["svc/app.py"]);
  });

  it("follows app factories, setup_routes(app) helpers, handler methods, sub-apps built by a factory, and auth middlewares", async () => {
    const { endpoints, appFiles } = await aiohttp({
      "demo/__init__.py": "",
      "demo/handlers.py": py(
        "from aiohttp_security import check_authorized", // 1
        "async def index(request): ...", // 2
        "async def me(request): ...", // 3
        "async def require_user(request):",
        "    await check_authorized(request)",
        "class SiteHandler:",
        "    async def about(self, request): ...", // 7
        "    async def settings(self, request):", // 8
        "        await require_user(request)",
      ),
      "demo/middlewares.py": py("from aiohttp import web", "@web.middleware", "async def auth_middleware(request, handler):", "    return await handler(request)"),
      "demo/routes.py": py(
        "from aiohttp import web",
        "from demo.handlers import SiteHandler, index, me",
        "def setup_routes(app, handler: SiteHandler):",
        '    app.router.add_get("/", index)',
        '    app.router.add_get("/about", handler.about)',
        '    app.router.add_post("/settings", handler.settings)',
        "api_routes = [",
        '    web.get("/me", me),',
        "]",
      ),
      "demo/main.py": py(
        "from aiohttp import web",
        "from demo.handlers import SiteHandler",
        "from demo.middlewares import auth_middleware",
        "from demo.routes import api_routes, setup_routes",
        "def create_api():",
        "    api = web.Application(middlewares=[auth_middleware])",
        "    api.add_routes(api_routes)",
        "    return api",
        "def create_app():",
        "    app = web.Application()",
        "    setup_routes(app, SiteHandler())",
        '    app.add_subapp("/api/v1/", create_api())',
        "    return app",
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "GET / demo.handlers.index demo/handlers.py:2 false",
      "GET /about demo.handlers.SiteHandler.about demo/handlers.py:7 false",
      "GET /api/v1/me demo.handlers.me demo/handlers.py:3 null",
      "POST /settings demo.handlers.SiteHandler.settings demo/handlers.py:8 true",
    ]);
    assert.match(byKey(endpoints, "GET /api/v1/me").authReason, /middleware auth_middleware may authenticate/);
    assert.match(byKey(endpoints, "POST /settings").authReason, /require_user awaits check_authorized/);
    assert.deepEqual(appFiles, ["demo/main.py"]);
  });
});

describe("aiohttp near-misses", () => {
  it("takes nothing from other frameworks' router calls or non-RouteTableDef decorators, and no auth from an unrelated middleware", async () => {
    const { endpoints } = await aiohttp({
      "n/__init__.py": "",
      "n/star.py": py(
        "from starlette.applications import Starlette",
        "def homepage(request): ...",
        "def build(app):",
        '    app.router.add_route("/", homepage)',
        "app = Starlette()",
        'app.router.add_route("/home", homepage)',
      ),
      "n/table.py": py("class Table:", "    def get(self, path):", "        return lambda f: f", "routes = Table()", '@routes.get("/fake")', "async def fake(request): ..."),
      "n/app.py": py(
        "from aiohttp import web",
        "from n.errors import csrf_token_middleware, error_middleware",
        "async def index(request): ...",
        "app = web.Application(middlewares=[error_middleware, csrf_token_middleware])",
        'app.router.add_get("/", index)',
      ),
      "n/errors.py": py("async def error_middleware(request, handler):", "    return await handler(request)", "async def csrf_token_middleware(request, handler):", "    return await handler(request)"),
    });
    assert.deepEqual(rows(endpoints), ["GET / n.app.index n/app.py:3 false"]);
    assert.equal(endpoints[0]?.authReason, "no check_authorized/check_permission in the handler and no auth middleware");
  });

  it("returns nothing for a project without aiohttp", async () => {
    const result = await aiohttp({ "svc/main.py": py("from fastapi import FastAPI", "app = FastAPI()", '@app.get("/")', "def root(): ...") });
    assert.deepEqual(result, { endpoints: [], appFiles: [] });
  });
});

describe("aiohttp in the system model", () => {
  it("lists aiohttp endpoints among the model's endpoints", async () => {
    const p = await project({ "app.py": py("from aiohttp import web", "async def hello(request): ...", "app = web.Application()", 'app.add_routes([web.get("/", hello)])') });
    assert.deepEqual(
      p.model.endpoints.map((e) => [e.framework, e.method, e.path]),
      [["aiohttp", "GET", "/"]],
    );
    assert.ok(p.model.appFiles.includes("app.py"));
  });
});
