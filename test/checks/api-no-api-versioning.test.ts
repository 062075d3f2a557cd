import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noApiVersioning from "../../src/checks/api/no-api-versioning.js";
import { locations, project, py } from "../helpers/project.js";

function fastapi(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  const routes = ["users", "orders", "products", "invoices", "carts"].flatMap((r) => [`@router.get("/${r}")`, `def list_${r}():`, "    return []", `@router.post("/${r}")`, `def create_${r}():`, "    return {}"]);
  return {
    "app/__init__.py": "",
    "app/main.py": py("from fastapi import FastAPI", "from app.routes import router", "app = FastAPI()", `app.include_router(router${prefix ? `, prefix="${prefix}"` : ""})`),
    "app/routes.py": py("from fastapi import APIRouter", "router = APIRouter()", ...routes),
    ...extra,
  };
}

describe("API006 no API versioning", () => {
  it("fires once on the app file when no route carries a version, hedged when exposure is not stated", async () => {
    const p = await project(fastapi(""));
    const findings = p.run(noApiVersioning);
    assert.deepEqual(locations(findings), [["API006", "app/main.py", null]]);
    assert.match(findings[0]?.message ?? "", /^None of the 10 API routes carries a version .*: this API, if it has external clients, cannot change a response/);
    const publicApi = await project(fastapi(""), { context: { exposure: "public" } });
    assert.match(publicApi.run(noApiVersioning)[0]?.message ?? "", /: this public API cannot change/);
  });

  it("is quiet with a `/api/v1` prefix, for an internal API, and with DRF's DEFAULT_VERSIONING_CLASS", async () => {
    assert.deepEqual(locations((await project(fastapi("/api/v1"))).run(noApiVersioning)), []);
    assert.deepEqual(locations((await project(fastapi(""), { context: { exposure: "internal" } })).run(noApiVersioning)), []);
    const drf = await project({
      "shop/__init__.py": "",
      "shop/settings.py": py("INSTALLED_APPS = ['rest_framework', 'shop']", "ROOT_URLCONF = 'shop.urls'", "REST_FRAMEWORK = {'DEFAULT_VERSIONING_CLASS': 'rest_framework.versioning.AcceptHeaderVersioning'}"),
      "shop/urls.py": py("from rest_framework.routers import DefaultRouter", "from shop.views import OrderViewSet, UserViewSet", "router = DefaultRouter()", "router.register('orders', OrderViewSet)", "router.register('users', UserViewSet)", "urlpatterns = router.urls"),
      "shop/views.py": py("from rest_framework import viewsets", "class OrderViewSet(viewsets.ModelViewSet):", "    serializer_class = OrderSerializer", "class UserViewSet(viewsets.ModelViewSet):", "    serializer_class = UserSerializer"),
    });
    assert.ok(drf.model.endpoints.length >= 5);
    assert.deepEqual(locations(drf.run(noApiVersioning)), []);
  });

  it("is quiet on a server-rendered Django site whose few JSON views serve its own pages", async () => {
    const pages = ["home", "about", "pricing", "projects", "projects/new", "settings", "team", "billing", "docs", "login"];
    const p = await project({
      "site/__init__.py": "",
      "site/settings.py": py("INSTALLED_APPS = ['site']", "ROOT_URLCONF = 'site.urls'"),
      "site/urls.py": py("from django.urls import path", "from site import views", `urlpatterns = [${pages.map((x, i) => `path('${x}/', views.page${i})`).join(", ")}, path('api/checks/', views.checks), path('api/status/', views.status), path('api/badges/', views.badges), path('api/flips/', views.flips), path('api/pings/', views.pings)]`),
      "site/views.py": py(
        "from django.http import JsonResponse",
        "from django.shortcuts import render",
        ...pages.flatMap((_, i) => [`def page${i}(request):`, "    return render(request, 'page.html')"]),
        ...["checks", "status", "badges", "flips", "pings"].flatMap((n) => [`def ${n}(request):`, "    return JsonResponse({})"]),
      ),
    });
    assert.deepEqual(locations(p.run(noApiVersioning)), []);
  });
});
