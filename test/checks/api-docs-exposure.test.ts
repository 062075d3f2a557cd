import assert from "node:assert/strict";
import { describe, it } from "node:test";
import apiDocsExposure from "../../src/checks/api/api-docs-exposure.js";
import { locations, project, py } from "../helpers/project.js";

const PRODUCTION_PUBLIC = { stage: "production", exposure: "public" };

function fastapi(call: string): Record<string, string> {
  return {
    "app/__init__.py": "",
    "app/main.py": py("from fastapi import FastAPI", "from app.core.config import settings", "", call, '@app.get("/items")', "def items():", "    return []"),
  };
}

function drf(extra: string[] = [], apis = true): Record<string, string> {
  const names = ["orders", "users", "products", "carts", "invoices"];
  return {
    "shop/__init__.py": "",
    "shop/settings.py": py("INSTALLED_APPS = ['rest_framework', 'shop']", "ROOT_URLCONF = 'shop.urls'"),
    "shop/urls.py": py("from rest_framework.routers import DefaultRouter", "from shop import views", ...extra, "router = DefaultRouter()", ...(apis ? names.map((n) => `router.register('${n}', views.${n}ViewSet)`) : []), "urlpatterns = router.urls"),
    "shop/views.py": py("from rest_framework import viewsets", ...names.flatMap((n) => [`class ${n}ViewSet(viewsets.ModelViewSet):`, `    serializer_class = ${n}Serializer`])),
  };
}

describe("API009 interactive API docs in production, or no API documentation", () => {
  it("fires on `FastAPI()` with the default docs in a public production context, at the call", async () => {
    const p = await project(fastapi('app = FastAPI(title="Shop")'), { context: PRODUCTION_PUBLIC });
    const findings = p.run(apiDocsExposure);
    assert.deepEqual(locations(findings), [["API009", "app/main.py", 4]]);
    assert.match(findings[0]?.message ?? "", /serves `\/docs`, `\/redoc`, `\/openapi\.json` to anyone in this public production API/);
  });

  it("is quiet without that context, with `openapi_url=None`, with docs from settings", async () => {
    assert.deepEqual(locations((await project(fastapi('app = FastAPI(title="Shop")'))).run(apiDocsExposure)), []);
    assert.deepEqual(locations((await project(fastapi('app = FastAPI(title="Shop")'), { context: { stage: "production", exposure: "internal" } })).run(apiDocsExposure)), []);
    assert.deepEqual(locations((await project(fastapi("app = FastAPI(openapi_url=None)"), { context: PRODUCTION_PUBLIC })).run(apiDocsExposure)), []);
    assert.deepEqual(locations((await project(fastapi('app = FastAPI(openapi_url="")'), { context: PRODUCTION_PUBLIC })).run(apiDocsExposure)), []);
    assert.deepEqual(locations((await project(fastapi("app = FastAPI(docs_url=settings.DOCS_URL, redoc_url=None)"), { context: PRODUCTION_PUBLIC })).run(apiDocsExposure)), []);
  });

  it("fires on a drf-spectacular schema view mounted for everyone in production, quiet under DEBUG or with permissions", async () => {
    const open = await project(drf(["from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView", "schema = SpectacularSwaggerView.as_view()"]), { context: PRODUCTION_PUBLIC });
    assert.deepEqual(locations(open.run(apiDocsExposure)), [["API009", "shop/urls.py", 4]]);
    const guarded = await project(drf(["from django.conf import settings", "from drf_spectacular.views import SpectacularSwaggerView", "if settings.DEBUG:", "    schema = SpectacularSwaggerView.as_view()"]), { context: PRODUCTION_PUBLIC });
    assert.deepEqual(locations(guarded.run(apiDocsExposure)), []);
    const restricted = await project(drf(["from drf_spectacular.views import SpectacularSwaggerView", "from rest_framework.permissions import IsAdminUser", "schema = SpectacularSwaggerView.as_view(permission_classes=[IsAdminUser])"]), { context: PRODUCTION_PUBLIC });
    assert.deepEqual(locations(restricted.run(apiDocsExposure)), []);
  });

  it("says a DRF API has no documentation when nothing generates or serves one, on the app file", async () => {
    const findings = (await project(drf())).run(apiDocsExposure);
    assert.deepEqual(findings.map((f) => [f.id, f.severity, f.evidence[0]?.line]), [["API009", "low", null]]);
    assert.match(findings[0]?.message ?? "", /^No API documentation: this Django REST framework API has 30 JSON routes/);
    // drf-spectacular declared, or an API document in the repository: documented
    assert.deepEqual((await project({ ...drf(), "requirements.txt": "djangorestframework\ndrf-spectacular\n" })).run(apiDocsExposure), []);
    assert.deepEqual((await project({ ...drf(), "docs/api.md": "# API\n" })).run(apiDocsExposure), []);
  });
});
