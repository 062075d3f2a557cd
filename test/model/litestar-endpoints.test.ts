import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { litestarEndpoints } from "../../src/model/endpoints/litestar.js";
import type { Endpoint } from "../../src/model/types.js";
import { byKey, rows } from "../helpers/endpoints.js";
import { project, py } from "../helpers/project.js";

async function litestar(files: Record<string, string>): Promise<{ endpoints: Endpoint[]; appFiles: string[] }> {
  const p = await project(files);
  return litestarEndpoints(p.index, p.fileSet.files);
}

describe("litestar routes", () => {
  it("reads handler decorators, controllers, routers and the app, joining paths and reading guards", async () => {
    const { endpoints, appFiles } = await litestar({
      "api/__init__.py": "",
      "api/guards.py": py(
        "from litestar.exceptions import NotAuthorizedException", // 1
        "def admin_only(connection, _):",
        "    if not connection.user.is_admin:",
        "        raise NotAuthorizedException()",
        "def feature_on(connection, _):", // 5
        "    return None",
      ),
      "api/users.py": py(
        "from litestar import Controller, get, post, delete, route", // 1
        "from litestar.di import Provide",
        "from api.guards import admin_only, feature_on",
        "def provide_repo(): ...",
        "class UserController(Controller):", // 5
        '    path = "/users"',
        '    dependencies = {"repo": Provide(provide_repo)}',
        "    @get()",
        "    async def list_users(self, repo) -> list: ...", // 9
        '    @post("/{user_id:int}/ban", guards=[admin_only])',
        "    async def ban(self, user_id: int) -> None: ...", // 11
        '    @delete("/{user_id:int}", guards=[feature_on])',
        "    async def remove(self, user_id: int) -> None: ...", // 13
        '    @route("/sync", http_method=[HttpMethod.PUT, "PATCH"])',
        "    async def sync(self) -> None: ...", // 15
      ),
      "api/app.py": py(
        "from litestar import Litestar, Router, get", // 1
        "from api.users import UserController",
        '@get(["/health", "/healthz"])',
        "async def health() -> dict: ...", // 4
        "v1 = Router(path=\"/api/v1\", route_handlers=[UserController])",
        "app = Litestar(route_handlers=[health, v1])",
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "GET /api/v1/users api.users.UserController.list_users api/users.py:9 false",
      "PATCH /api/v1/users/sync api.users.UserController.sync api/users.py:15 false",
      "PUT /api/v1/users/sync api.users.UserController.sync api/users.py:15 false",
      "DELETE /api/v1/users/{user_id} api.users.UserController.remove api/users.py:13 null",
      "POST /api/v1/users/{user_id}/ban api.users.UserController.ban api/users.py:11 true",
      "GET /health api.app.health api/app.py:4 false",
      "GET /healthz api.app.health api/app.py:4 false",
    ]);
    assert.ok(endpoints.every((e) => e.framework === "litestar"));
    assert.match(byKey(endpoints, "POST /api/v1/users/{user_id}/ban").authReason, /^guard admin_only \(api\/guards\.py:2\) raises NotAuthorizedException$/);
    assert.match(byKey(endpoints, "DELETE /api/v1/users/{user_id}").authReason, /guard feature_on .* refuses no caller/);
    assert.deepEqual(byKey(endpoints, "GET /api/v1/users").dependencies, ["api.users.provide_repo"]);
    assert.deepEqual(appFiles, ["api/app.py"]);
  });

  it("applies a JWT backend to every route but its exclude patterns and exclude_from_auth handlers; reads inline routers", async () => {
    const { endpoints } = await litestar({
      "svc/auth.py": py(
        "from litestar.security.jwt import OAuth2PasswordBearerAuth",
        "async def retrieve_user(token, connection): ...",
        'auth = OAuth2PasswordBearerAuth[User](retrieve_user_handler=retrieve_user, token_secret="x", token_url="/login", exclude=["/login", "^/schema", "/public/"])',
      ),
      "svc/app.py": py(
        "from litestar import Litestar, Router, get, post", // 1
        "from svc.auth import auth",
        '@post("/login")',
        "async def login() -> None: ...", // 4
        '@get("/me")',
        "async def me() -> None: ...", // 6
        '@get("/status", exclude_from_auth=True)',
        "async def status() -> None: ...", // 8
        '@get("/docs")',
        "async def docs() -> None: ...", // 10
        'app = Litestar(route_handlers=[Router(path="/api", route_handlers=[me, status]), login, Router("/public", route_handlers=[docs])], on_app_init=[auth.on_app_init])',
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "GET /api/me svc.app.me svc/app.py:6 true",
      "GET /api/status svc.app.status svc/app.py:8 false",
      "POST /login svc.app.login svc/app.py:4 false",
      "GET /public/docs svc.app.docs svc/app.py:10 false",
    ]);
    assert.match(byKey(endpoints, "GET /api/me").authReason, /^OAuth2PasswordBearerAuth \(svc\/auth\.py:3\) authenticates every request/);
    assert.equal(byKey(endpoints, "POST /login").declaredPublic, 'OAuth2PasswordBearerAuth exclude "/login" (svc/auth.py:3)');
    assert.equal(byKey(endpoints, "GET /api/status").declaredPublic, "exclude_from_auth=True (svc/app.py:7)");
  });

  it("applies an AbstractAuthenticationMiddleware subclass given to DefineMiddleware, and stays quiet without Litestar", async () => {
    const withMiddleware = await litestar({
      "m/app.py": py(
        "from litestar import Litestar, get",
        "from litestar.middleware import AbstractAuthenticationMiddleware, DefineMiddleware",
        "class TokenAuth(AbstractAuthenticationMiddleware):",
        "    async def authenticate_request(self, connection): ...",
        '@get("/items")',
        "async def items() -> list: ...",
        '@get("/schema/openapi.json")',
        "async def schema() -> dict: ...",
        'app = Litestar(route_handlers=[items, schema], middleware=[DefineMiddleware(TokenAuth, exclude="schema")])',
      ),
    });
    assert.deepEqual(rows(withMiddleware.endpoints), ["GET /items m.app.items m/app.py:6 true", "GET /schema/openapi.json m.app.schema m/app.py:8 false"]);
    const layered = await litestar({
      "g/app.py": py(
        "from litestar import Controller, Litestar, Router, get",
        "from litestar.exceptions import PermissionDeniedException",
        "def staff(connection, _):",
        "    if not connection.user.is_staff:",
        "        raise PermissionDeniedException()",
        "def owner(connection, _):",
        "    raise PermissionDeniedException()",
        "class Reports(Controller):",
        '    path = "/reports"',
        "    guards = [owner]",
        "    @get()",
        "    async def index(self) -> list: ...", // 12
        '@get("/stats")',
        "async def stats() -> dict: ...", // 14
        '@get("/open")',
        "async def open_() -> dict: ...", // 16
        'admin = Router("/admin", route_handlers=[Reports, stats], guards=[staff])',
        "app = Litestar(route_handlers=[admin, open_])",
      ),
    });
    assert.deepEqual(rows(layered.endpoints), ["GET /admin/reports g.app.Reports.index g/app.py:12 true", "GET /admin/stats g.app.stats g/app.py:14 true", "GET /open g.app.open_ g/app.py:16 false"]);
    assert.match(byKey(layered.endpoints, "GET /admin/stats").authReason, /^guard staff /);
    const other = await litestar({ "x/app.py": py("from fastapi import FastAPI", "from mylib import get", "app = FastAPI()", '@get("/x")', "def x(): ...") });
    assert.deepEqual(other.endpoints, []);
  });
});
