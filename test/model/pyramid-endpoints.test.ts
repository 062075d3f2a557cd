import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pyramidEndpoints } from "../../src/model/endpoints/pyramid.js";
import type { Endpoint } from "../../src/model/types.js";
import { byKey, rows } from "../helpers/endpoints.js";
import { project, py } from "../helpers/project.js";

async function pyramid(files: Record<string, string>): Promise<{ endpoints: Endpoint[]; appFiles: string[] }> {
  const p = await project(files);
  return pyramidEndpoints(p.index, p.fileSet.files);
}

const APP = py(
  "from pyramid.config import Configurator", // 1
  "from shop.security import ShopSecurityPolicy",
  "def main(global_config, **settings):",
  "    with Configurator(settings=settings) as config:",
  "        config.set_security_policy(ShopSecurityPolicy())", // 5
  '        config.include(".routes")',
  '        config.include("shop.admin", route_prefix="/admin")',
  "        config.scan()",
  "        return config.make_wsgi_app()",
);

describe("pyramid routes", () => {
  it("reads add_route patterns, @view_config views, @view_defaults classes, add_view and include route_prefix", async () => {
    const { endpoints, appFiles } = await pyramid({
      "shop/__init__.py": APP,
      "shop/security.py": py("class ShopSecurityPolicy:", "    def identity(self, request): ..."),
      "shop/routes.py": py(
        "def includeme(config):",
        '    config.add_route("home", "/")',
        '    config.add_route("item", "/items/{id:\\d+}")',
        '    config.add_route("items", "/items")',
        '    config.add_route("static", "/files/*subpath")',
        '    config.add_route("ping", "/ping", request_method="GET")',
      ),
      "shop/views.py": py(
        "from pyramid.view import view_config, view_defaults", // 1
        "from pyramid.security import NO_PERMISSION_REQUIRED",
        '@view_config(route_name="home", renderer="json")',
        "def home(request): ...", // 4
        '@view_config(route_name="item", request_method="POST", permission="edit", renderer="json")',
        "def edit_item(request): ...", // 6
        '@view_config(route_name="items", request_method=("GET", "HEAD"), permission=NO_PERMISSION_REQUIRED)',
        "def list_items(request): ...", // 8
        '@view_defaults(route_name="item", permission="view")',
        "class ItemViews:", // 10
        "    def __init__(self, request):",
        "        self.request = request",
        '    @view_config(request_method="GET")',
        "    def show(self): ...", // 14
        '    @view_config(request_method="DELETE", permission="delete")',
        "    def remove(self): ...", // 16
        "    def helper(self): ...",
        "def ping(request): ...", // 18
        "def files(request): ...", // 19
      ),
      "shop/admin/__init__.py": py(
        "from shop.views import ping",
        "def includeme(config):",
        '    config.add_route("stats", "/stats")',
        '    config.add_view("shop.admin.views.stats", route_name="stats", permission="admin")',
      ),
      "shop/admin/views.py": py("def stats(request): ..."),
      "shop/more.py": py("from shop.views import ping, files", "def includeme(config):", '    config.add_view(ping, route_name="ping")', '    config.add_view(files, route_name="static")'),
    });
    assert.deepEqual(rows(endpoints), [
      "ANY / shop.views.home shop/views.py:4 false",
      "ANY /admin/stats shop.admin.views.stats shop/admin/views.py:1 true",
      "ANY /files/{subpath} shop.views.files shop/views.py:19 false",
      "GET /items shop.views.list_items shop/views.py:8 false",
      "HEAD /items shop.views.list_items shop/views.py:8 false",
      "DELETE /items/{id} shop.views.ItemViews.remove shop/views.py:16 true",
      "GET /items/{id} shop.views.ItemViews.show shop/views.py:14 true",
      "POST /items/{id} shop.views.edit_item shop/views.py:6 true",
      "GET /ping shop.views.ping shop/views.py:18 false",
    ]);
    assert.ok(endpoints.every((e) => e.framework === "pyramid"));
    assert.match(byKey(endpoints, "POST /items/{id}").authReason, /^permission="edit", checked by set_security_policy\(ShopSecurityPolicy\) \(shop\/__init__\.py:5\)$/);
    assert.match(byKey(endpoints, "GET /items/{id}").authReason, /permission="view"/);
    assert.equal(byKey(endpoints, "GET /items").declaredPublic, "permission=NO_PERMISSION_REQUIRED (shop/views.py:8)");
    assert.match(byKey(endpoints, "ANY /").authReason, /^no permission= on the view and no default permission; set_security_policy\(ShopSecurityPolicy\) .* identifies callers/);
    assert.deepEqual(appFiles, ["shop/__init__.py"]);
  });

  it("applies set_default_permission, leaves permissions undecided without a policy or when Everyone holds them, and reads a view checking the caller", async () => {
    const withDefault = await pyramid({
      "app/__init__.py": py(
        "from pyramid.config import Configurator",
        "from pyramid.authorization import ACLAuthorizationPolicy",
        "def main(global_config, **settings):",
        "    config = Configurator(settings=settings, authorization_policy=ACLAuthorizationPolicy())",
        '    config.set_default_permission("view")',
        '    config.add_route("a", "/a")',
        '    config.add_route("b", "/b")',
        "    config.scan()",
      ),
      "app/views.py": py("from pyramid.view import view_config", '@view_config(route_name="a")', "def a(request): ...", '@view_config(route_name="b", permission="__no_permission_required__")', "def b(request): ..."),
    });
    assert.deepEqual(rows(withDefault.endpoints), ["ANY /a app.views.a app/views.py:3 true", "ANY /b app.views.b app/views.py:5 false"]);
    assert.match(byKey(withDefault.endpoints, "ANY /a").authReason, /^default permission "view" \(app\/__init__\.py:5\), checked by authorization_policy=ACLAuthorizationPolicy\(\)/);

    const noPolicy = await pyramid({
      "app/__init__.py": py("from pyramid.config import Configurator", "config = Configurator()", 'config.add_route("a", "/a")', 'config.add_route("b", "/b")', 'config.add_route("c", "/c")'),
      "app/resources.py": py("from pyramid.security import Allow, Everyone", "class Root:", '    __acl__ = [(Allow, Everyone, "read"), (Allow, "group:admin", "edit")]'),
      "app/views.py": py(
        "from pyramid.view import view_config",
        "from pyramid.httpexceptions import HTTPForbidden",
        '@view_config(route_name="a", permission="edit")',
        "def a(request): ...",
        '@view_config(route_name="b")',
        "def b(request):",
        "    if request.authenticated_userid is None:",
        "        raise HTTPForbidden()",
        '@view_config(route_name="c", permission="read")',
        "def c(request): ...",
      ),
    });
    assert.deepEqual(rows(noPolicy.endpoints), ["ANY /a app.views.a app/views.py:4 null", "ANY /b app.views.b app/views.py:6 null", "ANY /c app.views.c app/views.py:10 null"]);
    assert.match(byKey(noPolicy.endpoints, "ANY /a").authReason, /no security or authorization policy was found/);
    assert.match(byKey(noPolicy.endpoints, "ANY /b").authReason, /checks the caller itself/);
    assert.match(byKey(noPolicy.endpoints, "ANY /c").authReason, /grants to Everyone \(app\/resources\.py:3\)/);
  });

  it("reads routes a custom directive adds (add_directive), its predicate telling same-pattern routes apart", async () => {
    const { endpoints } = await pyramid({
      "pkg/__init__.py": py("from pyramid.config import Configurator", "config = Configurator()", 'config.include(".actions")', 'config.add_action_route("upload", "file_upload")', 'config.add_action_route("submit", "submit")'),
      "pkg/actions.py": py("def add_action_route(config, name, action, **kwargs):", '    config.add_route(name, "/legacy/", pypi_action=action, **kwargs)', "def includeme(config):", '    config.add_directive("add_action_route", add_action_route)'),
      "pkg/views.py": py("from pyramid.view import view_config", '@view_config(route_name="upload", request_method="POST")', "def upload(request): ...", '@view_config(route_name="submit")', "def submit(request): ..."),
    });
    assert.deepEqual(rows(endpoints), ["POST /legacy?pypi_action=file_upload pkg.views.upload pkg/views.py:3 false", "ANY /legacy?pypi_action=submit pkg.views.submit pkg/views.py:5 false"]);
  });

  it("stays quiet without Pyramid: an aiohttp router.add_route, and a view_config-named decorator from elsewhere", async () => {
    const { endpoints } = await pyramid({
      "svc/app.py": py("from aiohttp import web", "async def h(request): ...", "app = web.Application()", 'app.router.add_route("GET", "/x", h)'),
      "svc/views.py": py("from mylib import view_config", '@view_config(route_name="x")', "def x(request): ..."),
    });
    assert.deepEqual(endpoints, []);
  });
});
