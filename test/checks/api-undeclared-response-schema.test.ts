import assert from "node:assert/strict";
import { describe, it } from "node:test";
import undeclaredResponseSchema from "../../src/checks/api/undeclared-response-schema.js";
import { locations, project, py } from "../helpers/project.js";

function routes(...lines: string[]): Record<string, string> {
  return {
    "app/__init__.py": "",
    "app/main.py": py(
      "from fastapi import FastAPI", // 1
      "from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse",
      "from pydantic import BaseModel",
      "app = FastAPI()",
      "class Item(BaseModel):", // 5
      "    name: str",
      ...lines, // from line 7
    ),
  };
}

describe("API013 responses without declared schemas", () => {
  it("fires once when a meaningful share of JSON endpoints declare no response model, listing them", async () => {
    const p = await project(
      routes(
        '@app.get("/items")',
        "def list_items():", // 8
        "    return db.all()",
        '@app.get("/items/{item_id}")',
        "def read_item(item_id: int) -> dict:", // 11
        "    return db.get(item_id)",
        '@app.get("/users")',
        "def list_users():", // 14
        "    return []",
        '@app.post("/items", response_model=Item)',
        "def create_item(item: Item):",
        "    return item",
        '@app.get("/me")',
        "def me() -> Item:",
        "    return current()",
      ),
    );
    const findings = p.run(undeclaredResponseSchema);
    assert.deepEqual(locations(findings), [["API013", "app/main.py", 8]]);
    assert.deepEqual(findings[0]?.evidence.map((e) => e.line), [8, 11, 14]);
    assert.match(findings[0]?.message ?? "", /^3 of 5 JSON endpoints declare no `response_model` and no return annotation/);
  });

  it("is quiet on files, pages, redirects, 204s and when most endpoints declare their response", async () => {
    const p = await project(
      routes(
        '@app.get("/export")',
        "def export():",
        '    return FileResponse("out.csv")',
        '@app.get("/", response_class=HTMLResponse)',
        "def home():",
        '    return "<h1>hi</h1>"',
        '@app.get("/old")',
        "def old():",
        '    return RedirectResponse("/new")',
        '@app.delete("/items/{item_id}", status_code=204)',
        "def delete_item(item_id: int):",
        "    db.delete(item_id)",
        '@app.get("/items")',
        "def list_items():",
        "    return db.all()",
        '@app.get("/items/{item_id}", response_model=Item)',
        "def read_item(item_id: int):",
        "    return db.get(item_id)",
        '@app.get("/me")',
        "def me() -> Item:",
        "    return current()",
        '@app.post("/items", response_model=Item)',
        "def create_item(item: Item):",
        "    return item",
      ),
    );
    assert.deepEqual(locations(p.run(undeclaredResponseSchema)), []);
  });

  it("fires on DRF API views that declare and call no serializer", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/settings.py": py("INSTALLED_APPS = ['rest_framework', 'shop']", "ROOT_URLCONF = 'shop.urls'"),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('api/stats/', views.Stats.as_view()), path('api/totals/', views.Totals.as_view()), path('api/counts/', views.Counts.as_view()), path('api/orders/', views.Orders.as_view())]"),
      "shop/views.py": py(
        "from rest_framework.response import Response", // 1
        "from rest_framework.views import APIView",
        "from rest_framework.generics import ListAPIView",
        "class Stats(APIView):",
        "    def get(self, request):", // 5
        "        return Response({'n': 1})",
        "class Totals(APIView):",
        "    def get(self, request):", // 8
        "        return Response({'t': 2})",
        "class Counts(APIView):",
        "    def get(self, request):", // 11
        "        return Response({'c': 3})",
        "class Orders(ListAPIView):",
        "    serializer_class = OrderSerializer",
      ),
    });
    const findings = p.run(undeclaredResponseSchema);
    assert.deepEqual(findings.map((f) => f.evidence.map((e) => e.line)), [[5, 8, 11]]);
    assert.match(findings[0]?.message ?? "", /^3 of 4 JSON endpoints declare no serializer/);
  });

  it("is quiet on DRF views that answer with no body or through their framework parent (a logout, a JWT login)", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/settings.py": py("INSTALLED_APPS = ['rest_framework', 'shop']", "ROOT_URLCONF = 'shop.urls'"),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('api/logout/', views.Logout.as_view()), path('api/jwt/', views.JwtLogin.as_view()), path('api/bye/', views.Bye.as_view()), path('api/orders/', views.Orders.as_view())]"),
      "shop/views.py": py(
        "from rest_framework.response import Response",
        "from rest_framework.views import APIView",
        "from rest_framework.generics import ListAPIView",
        "from rest_framework_jwt.views import ObtainJSONWebTokenView",
        "class Logout(APIView):",
        "    def post(self, request):",
        "        logout(request)",
        "        return Response()",
        "class Bye(APIView):",
        "    def post(self, request):",
        "        return Response(status=204)",
        "class JwtLogin(ObtainJSONWebTokenView):",
        "    def post(self, request, *args, **kwargs):",
        "        response = super().post(request, *args, **kwargs)",
        "        return response",
        "class Orders(ListAPIView):",
        "    serializer_class = OrderSerializer",
      ),
    });
    assert.deepEqual(locations(p.run(undeclaredResponseSchema)), []);
  });
});
