import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unauthenticatedWrite from "../../src/checks/api/unauthenticated-write.js";
import { locations, project, py } from "../helpers/project.js";

/** Security scheme, auth dependencies and an `Annotated` alias, shared by the cases below. */
const AUTH = {
  "app/__init__.py": "",
  "app/core/__init__.py": "",
  "app/core/security.py": py(
    "from fastapi.security import OAuth2PasswordBearer",
    'oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")',
  ),
  "app/api/__init__.py": "",
  "app/api/deps.py": py(
    "from typing import Annotated",
    "from fastapi import Depends",
    "from app.core.security import oauth2_scheme",
    "from app.models import User",
    "",
    "def get_db():",
    "    yield None",
    "",
    "def get_current_user(token: str = Depends(oauth2_scheme)) -> User:",
    "    return decode(token)",
    "",
    "def get_current_active_user(user: User = Depends(get_current_user)) -> User:",
    "    return user",
    "",
    "CurrentUser = Annotated[User, Depends(get_current_user)]",
  ),
  "app/main.py": py(
    "from fastapi import FastAPI",
    "from app.api.routes import items",
    "",
    "app = FastAPI()",
    'app.include_router(items.router, prefix="/api/v1")',
  ),
};

function routes(...lines: string[]): Record<string, string> {
  return {
    ...AUTH,
    "app/api/routes/__init__.py": "",
    "app/api/routes/items.py": py(
      "from typing import Annotated", // 1
      "from fastapi import APIRouter, Depends",
      "from sqlalchemy.orm import Session",
      "from app.api.deps import CurrentUser, get_current_active_user, get_current_user, get_db",
      "",
      'router = APIRouter(prefix="/items")', // 6
      "",
      ...lines, // from line 8
    ),
  };
}

describe("API002 state-changing endpoint without authentication", () => {
  it("fires on a POST and a DELETE with no auth, at the handler's def line, with the full mounted path", async () => {
    const p = await project(
      routes(
        '@router.post("/")', // 8
        "def create_item(item: dict, db: Session = Depends(get_db)):", // 9
        "    return item",
        "",
        '@router.delete("/{item_id}")', // 12
        "async def delete_item(item_id: int, db: Session = Depends(get_db)):", // 13
        "    return None",
      ),
    );
    // nothing in this API requires authentication: one cause, one finding that lists every open route
    const findings = p.run(unauthenticatedWrite);
    assert.deepEqual(findings.map((f) => f.evidence.map((e) => [e.file, e.line])), [[["app/api/routes/items.py", 9], ["app/api/routes/items.py", 13]]]);
    assert.match(findings[0]?.message ?? "", /^No endpoint of this API requires authentication: 2 endpoints that change state are open to anyone \(POST \/api\/v1\/items, DELETE \/api\/v1\/items\/\{item_id\}\)/);
    // once another route is protected, each open one is its own finding
    const mixed = await project(routes('@router.post("/")', "def create_item(item: dict, db: Session = Depends(get_db)):", "    return item", '@router.delete("/{item_id}")', "async def delete_item(item_id: int, db: Session = Depends(get_db)):", "    return None", '@router.put("/{item_id}")', "def update_item(item_id: int, user: CurrentUser):", "    return None"));
    assert.deepEqual(locations(mixed.run(unauthenticatedWrite)), [["API002", "app/api/routes/items.py", 9], ["API002", "app/api/routes/items.py", 12]]);
  });

  it("is low on a sign-up form that takes a password in its body (a DRF view's nested serializer)", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/apis.py": py(
        "from rest_framework import serializers",
        "from rest_framework.views import APIView",
        "class UserCreateApi(APIView):",
        "    class InputSerializer(serializers.Serializer):",
        "        email = serializers.EmailField()",
        "        password = serializers.CharField()",
        "    def post(self, request):",
        "        serializer = self.InputSerializer(data=request.data)",
        "        serializer.is_valid(raise_exception=True)",
        "        return Response(user_create(**serializer.validated_data))",
        "def user_create(email, password):",
        "    return User.objects.create_user(email=email, password=password)",
      ),
      "app/urls.py": py("from django.urls import path", "from app.apis import UserCreateApi", "urlpatterns = [path('users/create/', UserCreateApi.as_view())]"),
      "app/settings.py": py("INSTALLED_APPS = ['rest_framework', 'app']", "ROOT_URLCONF = 'app.urls'", "REST_FRAMEWORK = {'DEFAULT_AUTHENTICATION_CLASSES': []}"),
    });
    const findings = p.run(unauthenticatedWrite);
    assert.equal(p.model.endpoints[0]?.auth, false);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[7, "low"]]);
    assert.match(findings[0]?.message ?? "", /takes a password in its body \(InputSerializer\.password\)/);
  });

  it("accepts the usual ways of requiring a user", async () => {
    const p = await project(
      routes(
        '@router.post("/param")',
        "def by_param(item: dict, user = Depends(get_current_user)):",
        "    return item",
        "",
        '@router.put("/alias/{item_id}")',
        "def by_imported_alias(item_id: int, user: CurrentUser):",
        "    return item_id",
        "",
        '@router.patch("/chain/{item_id}")',
        "def by_chain(item_id: int, user: Annotated[object, Depends(get_current_active_user)]):",
        "    return item_id",
        "",
        '@router.delete("/decorator/{item_id}", dependencies=[Depends(get_current_user)])',
        "def by_decorator(item_id: int):",
        "    return item_id",
      ),
    );
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
    assert.equal(p.model.endpoints.filter((e) => e.auth === true).length, 4);
  });

  it("accepts a router-level dependency and an include_router dependency", async () => {
    const files = routes('@router.post("/")', "def create_item(item: dict):", "    return item");
    const routerLevel = await project({
      ...files,
      "app/api/routes/items.py": (files["app/api/routes/items.py"] ?? "").replace(
        'APIRouter(prefix="/items")',
        'APIRouter(prefix="/items", dependencies=[Depends(get_current_user)])',
      ),
    });
    assert.deepEqual(locations(routerLevel.run(unauthenticatedWrite)), []);
    const includeLevel = await project({
      ...files,
      "app/main.py": py(
        "from fastapi import Depends, FastAPI",
        "from app.api.deps import get_current_active_user",
        "from app.api.routes import items",
        "app = FastAPI()",
        'app.include_router(items.router, prefix="/api/v1", dependencies=[Depends(get_current_active_user)])',
      ),
    });
    assert.deepEqual(locations(includeLevel.run(unauthenticatedWrite)), []);
  });

  it("follows a dependency chain to a security scheme when no name gives it away", async () => {
    const p = await project({
      "svc/__init__.py": "",
      "svc/guards.py": py(
        "from fastapi import Depends",
        "from fastapi.security import HTTPBearer",
        "bearer = HTTPBearer()",
        "def decode_bearer(credentials = Depends(bearer)):",
        "    return credentials",
        "def load_member(claims = Depends(decode_bearer)):",
        "    return claims",
      ),
      "svc/app.py": py(
        "from fastapi import Depends, FastAPI", // 1
        "from svc.guards import load_member",
        "app = FastAPI()",
        '@app.post("/orders")',
        "def create_order(member = Depends(load_member)):",
        "    return member",
        '@app.post("/carts")',
        "def create_cart(cart: dict):", // 8
        "    return cart",
      ),
    });
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), [["API002", "svc/app.py", 8]]);
    assert.match(p.model.endpoints.find((e) => e.path === "/orders")?.authReason ?? "", /load_member → decode_bearer → bearer/);
  });

  it("stays quiet on login, token, register and webhook routes, and on reads", async () => {
    const p = await project({
      ...AUTH,
      "app/api/routes/__init__.py": "",
      "app/api/routes/items.py": py(
        "from fastapi import APIRouter",
        "router = APIRouter()",
        '@router.post("/login")',
        "def login(form: dict):",
        "    return form",
        '@router.post("/auth/token")',
        "def token(form: dict):",
        "    return form",
        '@router.post("/register")',
        "def register(body: dict):",
        "    return body",
        '@router.post("/webhooks/stripe")',
        "async def stripe_webhook(payload: dict):",
        "    return payload",
        '@router.get("/items")',
        "def list_items():",
        "    return []",
      ),
    });
    assert.equal(p.model.endpoints.length, 5);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });
});

describe("API002 with authentication middleware", () => {
  it("leaves auth undecided (null) and stays quiet when a middleware may authenticate every request", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI",
        "from starlette.middleware.authentication import AuthenticationMiddleware",
        "from app.auth import JWTBackend",
        "app = FastAPI()",
        "app.add_middleware(AuthenticationMiddleware, backend=JWTBackend())",
        "@app.post('/orders')",
        "def create(): ...",
      ),
      "app/auth.py": py("class JWTBackend: ..."),
    });
    assert.equal(p.model.endpoints[0]?.auth, null);
    assert.match(p.model.endpoints[0]?.authReason ?? "", /AuthenticationMiddleware/);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });

  it("still fires when the only middleware is unrelated to authentication", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI",
        "from fastapi.middleware.cors import CORSMiddleware",
        "app = FastAPI()",
        "app.add_middleware(CORSMiddleware, allow_origins=['https://shop.example'])",
        "@app.post('/orders')",
        "def create(): ...", // 6
      ),
    });
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), [["API002", "app/main.py", 6]]);
  });
});

describe("API002 on real-world shapes", () => {
  it("finds routes of an app built in a factory function, treats optional auth as undecided and registration as public", async () => {
    const p = await project({
      "app/deps.py": py(
        "from fastapi import Depends, HTTPException",
        "from fastapi.security import APIKeyHeader",
        "header = APIKeyHeader(name='Authorization', auto_error=False)",
        "def get_current_user_authorizer(*, required: bool = True):",
        "    def inner(token=Depends(header)):",
        "        if required and not token:",
        "            raise HTTPException(status_code=403, detail='Not authenticated')",
        "        return token",
        "    return inner",
      ),
      "app/routes.py": py(
        "from fastapi import APIRouter, Depends",
        "from app.deps import get_current_user_authorizer",
        "router = APIRouter()",
        "@router.get('/articles')",
        "def list_articles(user=Depends(get_current_user_authorizer(required=False))): ...",
        "@router.post('/articles')",
        "def create_article(user=Depends(get_current_user_authorizer())): ...",
        "@router.post('/users')",
        "def register(): ...",
        "@router.post('/tags')",
        "def add_tag(): ...", // 11
      ),
      "app/main.py": py(
        "from fastapi import FastAPI",
        "from app.routes import router",
        "def get_application() -> FastAPI:",
        "    application = FastAPI()",
        "    application.include_router(router, prefix='/api')",
        "    return application",
        "app = get_application()",
      ),
    });
    const byKey = new Map(p.model.endpoints.map((e) => [`${e.method} ${e.path}`, e]));
    assert.equal(byKey.get("GET /api/articles")?.auth, null);
    assert.match(byKey.get("GET /api/articles")?.authReason ?? "", /optional/);
    assert.equal(byKey.get("POST /api/articles")?.auth, true);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), [["API002", "app/routes.py", 11]]);
  });
});
