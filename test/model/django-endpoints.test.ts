import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { djangoEndpoints } from "../../src/model/endpoints/django.js";
import type { Endpoint } from "../../src/model/types.js";
import { project, py } from "../helpers/project.js";

/** A Django project whose settings name `proj.urls` as the root URLconf; `settings` lines are appended. */
function django(files: Record<string, string>, ...settings: string[]): Record<string, string> {
  return {
    "manage.py": "",
    "proj/__init__.py": "",
    "proj/settings.py": py('ROOT_URLCONF = "proj.urls"', 'INSTALLED_APPS = ["django.contrib.admin", "shop"]', ...settings),
    "shop/__init__.py": "",
    ...files,
  };
}

async function endpoints(files: Record<string, string>): Promise<Endpoint[]> {
  const p = await project(files);
  return djangoEndpoints(p.index).endpoints;
}

/** `[method, path, handler, line, auth]` of each endpoint, in the extractor's (path, method) order. */
function rows(list: Endpoint[]): Array<[string, string, string, number, boolean | null]> {
  return list.map((e) => [e.method, e.path, e.handler, e.line, e.auth]);
}

function find(list: Endpoint[], key: string): Endpoint {
  const found = list.find((e) => `${e.method} ${e.path}` === key);
  assert.ok(found, `no endpoint ${key} among ${list.map((e) => `${e.method} ${e.path}`).join(", ")}`);
  return found;
}

const ROOT = py(
  "from django.urls import include, path", // 1
  "urlpatterns = [",
  '    path("shop/", include("shop.urls")),', // 3
  "]",
);

describe("Django URLconfs", () => {
  it("walks ROOT_URLCONF into included modules, with prefixes, converters, regexes and method restrictions", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": ROOT,
        "shop/urls.py": py(
          "from django.urls import path, re_path", // 1
          "from django.conf.urls import url",
          "from . import views",
          "urlpatterns = [",
          '    path("", views.index),', // 5
          '    path("items/<int:pk>/", views.detail, name="detail"),',
          '    re_path(r"^items/(?P<pk>\\d+)/edit/$", views.edit),',
          '    url(r"^legacy/([0-9]{4})/$", views.legacy),',
          "]",
        ),
        "shop/views.py": py(
          "from django.views.decorators.http import require_http_methods, require_POST, require_GET", // 1
          "def index(request): ...", // 2
          "@require_GET",
          "def detail(request, pk): ...", // 4
          '@require_http_methods(["GET", "POST"])',
          "async def edit(request, pk): ...", // 6
          "@require_POST",
          "def legacy(request, year): ...", // 8
        ),
      }),
    );
    assert.deepEqual(rows(list), [
      ["ANY", "/shop", "shop.views.index", 2, false],
      ["GET", "/shop/items/{pk}", "shop.views.detail", 4, false],
      ["GET", "/shop/items/{pk}/edit", "shop.views.edit", 6, false],
      ["POST", "/shop/items/{pk}/edit", "shop.views.edit", 6, false],
      ["POST", "/shop/legacy/{arg1}", "shop.views.legacy", 8, false],
    ]);
    assert.equal(find(list, "GET /shop/items/{pk}/edit").isAsync, true);
    assert.equal(find(list, "ANY /shop").framework, "django");
    assert.equal(find(list, "ANY /shop").file, "shop/views.py");
  });

  it("follows include() of pattern lists: a variable, an inline list, a (patterns, namespace) tuple; keeps `if` conditions", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": py(
          "from django.conf import settings", // 1
          "from django.urls import include, path",
          "from shop import views",
          'extra = [path("reports/", views.reports)]',
          "urlpatterns = [",
          '    path("credit/", include(extra)),',
          '    path("inline/", include([path("a/", views.a), path("b/", views.b)])),',
          '    path("ns/", include(([path("c/", views.c)], "shop"))),',
          "]",
          "if settings.DEBUG:",
          '    urlpatterns += [path("debug/", views.debug)]',
        ),
        "shop/views.py": py("def reports(request): ...", "def a(request): ...", "def b(request): ...", "def c(request): ...", "def debug(request): ..."),
      }),
    );
    assert.deepEqual(
      list.map((e) => e.path),
      ["/credit/reports", "/debug", "/inline/a", "/inline/b", "/ns/c"],
    );
    assert.equal(find(list, "ANY /debug").condition, "settings.DEBUG");
    assert.equal(find(list, "ANY /inline/a").condition, undefined);
  });

  it("tells nested patterns from siblings in multi-line and one-line lists, and unwraps `view = login_required(f)`", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": py(
          "from django.urls import include, path",
          "from shop import views",
          "urlpatterns = [",
          "    path(",
          '        "api/",',
          "        include(",
          "            [",
          '                path("a/", views.a),',
          '                path("edit/", views.edit),',
          "            ]",
          "        ),",
          "    ),",
          '    path("one/", include([path("x/", views.a)])), path("two/", views.b),',
          "]",
          'extra = [path("e/", views.a)]',
          'urlpatterns += [path("extra/", include(extra))]',
        ),
        "shop/views.py": py(
          "from django.contrib.auth.decorators import login_required",
          "def a(request): ...",
          "def b(request): ...",
          "def _edit(request): ...", // 4
          "edit = login_required(_edit)",
        ),
      }),
    );
    assert.deepEqual(rows(list), [
      ["ANY", "/api/a", "shop.views.a", 2, false],
      ["ANY", "/api/edit", "shop.views._edit", 4, true],
      ["ANY", "/extra/e", "shop.views.a", 2, false],
      ["ANY", "/one/x", "shop.views.a", 2, false],
      ["ANY", "/two", "shop.views.b", 3, false],
    ]);
  });

  it("serves only what the root URLconf reaches when ROOT_URLCONF is set", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": ROOT,
        "shop/urls.py": py("from django.urls import path", "from . import views", 'urlpatterns = [path("a/", views.a)]'),
        "shop/old_urls.py": py("from django.urls import path", "from . import views", 'urlpatterns = [path("old/", views.old)]'),
        "shop/views.py": py("def a(request): ...", "def old(request): ..."),
      }),
    );
    assert.deepEqual(rows(list), [["ANY", "/shop/a", "shop.views.a", 1, false]]);
  });

  it("without ROOT_URLCONF, takes every URLconf nothing includes as a root, and skips test modules", async () => {
    const p = await project({
      "site/__init__.py": "",
      "site/urls.py": ROOT,
      "shop/__init__.py": "",
      "shop/urls.py": py("from django.urls import path", "from . import views", 'urlpatterns = [path("a/", views.a)]'),
      "shop/views.py": py("def a(request): ..."),
      "shop/tests.py": py("from django.urls import path", "from . import views", 'urlpatterns = [path("test-only/", views.a)]'),
    });
    assert.deepEqual(
      djangoEndpoints(p.index).endpoints.map((e) => `${e.method} ${e.path}`),
      ["ANY /shop/a"],
    );
  });

  it("ignores a `path` that is not Django's, and classes that no URLconf routes to (a DRF serializer)", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": py(
          "from django.urls import include", // 1
          "from mylib.routing import path",
          "from shop import views",
          "def re_path(route, view): ...",
          'urlpatterns = [path("a/", views.a), re_path("b/", views.a)]',
        ),
        "shop/views.py": py("def a(request): ..."),
        "shop/serializers.py": py(
          "from rest_framework import serializers",
          "class ItemSerializer(serializers.ModelSerializer):",
          "    def create(self, validated_data): ...",
          "    def update(self, instance, validated_data): ...",
        ),
      }),
    );
    assert.deepEqual(list, []);
  });

  it("mounts the admin site as one ANY endpoint at the path() line, requiring a login", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": py(
          "from django.contrib import admin", // 1
          "from django.urls import path",
          "urlpatterns = [",
          '    path("admin/", admin.site.urls),', // 4
          "]",
        ),
      }),
    );
    assert.deepEqual(rows(list), [["ANY", "/admin", "django.contrib.admin.site", 4, true]]);
    assert.equal(list[0]?.file, "proj/urls.py");
  });

  it("reports the wsgi/asgi module as the application file", async () => {
    const p = await project(
      django({
        "proj/urls.py": py("from django.urls import path", "from shop import views", 'urlpatterns = [path("", views.a)]'),
        "proj/wsgi.py": py("from django.core.wsgi import get_wsgi_application", "application = get_wsgi_application()"),
        "shop/views.py": py("def a(request): ..."),
      }),
    );
    assert.deepEqual(djangoEndpoints(p.index).appFiles, ["proj/wsgi.py"]);
  });

  it("finds nothing in a project without URLconfs", async () => {
    const p = await project({ "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/')", "def root(): ...") });
    assert.deepEqual(djangoEndpoints(p.index), { endpoints: [], appFiles: [] });
  });
});

describe("Django class-based views", () => {
  it("gives one endpoint per handler method, inherited ones too, and maps generic views to their methods", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": py(
          "from django.urls import path", // 1
          "from django.views.generic import TemplateView",
          "from shop import views",
          "urlpatterns = [",
          '    path("items/", views.ItemView.as_view()),',
          '    path("list/", views.Items.as_view()),',
          '    path("new/", views.NewItem.as_view()),',
          '    path("about/", TemplateView.as_view(template_name="about.html")),', // 8
          "]",
        ),
        "shop/views.py": py(
          "from django.views import View", // 1
          "from django.views.generic import CreateView, ListView",
          "class Base(View):",
          "    def get(self, request): ...", // 4
          "class ItemView(Base):", // 5
          "    async def post(self, request): ...", // 6
          "class Items(ListView): ...", // 7
          "class NewItem(CreateView): ...", // 8
        ),
      }),
    );
    assert.deepEqual(rows(list), [
      ["GET", "/about", "django.views.generic.TemplateView.get", 8, false],
      ["GET", "/items", "shop.views.Base.get", 4, false],
      ["POST", "/items", "shop.views.ItemView.post", 6, false],
      ["GET", "/list", "shop.views.Items.get", 7, false],
      ["GET", "/new", "shop.views.NewItem.get", 8, false],
      ["POST", "/new", "shop.views.NewItem.post", 8, false],
    ]);
    assert.equal(find(list, "GET /about").file, "proj/urls.py");
    assert.equal(find(list, "POST /items").isAsync, true);
  });

  it("knows login views are public and password-change views need a login", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": py(
          "from django.contrib.auth import views as auth_views",
          "from django.urls import path",
          "urlpatterns = [",
          '    path("login/", auth_views.LoginView.as_view()),',
          '    path("password/", auth_views.PasswordChangeView.as_view()),',
          "]",
        ),
      }),
    );
    assert.equal(find(list, "POST /login").auth, false);
    assert.equal(find(list, "POST /password").auth, true);
  });
});

describe("Django auth", () => {
  const views = (...lines: string[]) =>
    django({
      "proj/urls.py": py(
        "from django.contrib.auth.decorators import login_required",
        "from django.urls import path",
        "from shop import views",
        "urlpatterns = [",
        '    path("a/", views.a),',
        '    path("b/", views.b),',
        '    path("c/", views.C.as_view()),',
        '    path("d/", views.D.as_view()),',
        '    path("e/", login_required(views.E.as_view())),',
        '    path("f/", views.f),',
        "]",
      ),
      "shop/views.py": py(
        "from django.contrib.auth.decorators import login_required, permission_required",
        "from django.contrib.auth.mixins import LoginRequiredMixin",
        "from django.utils.decorators import method_decorator",
        "from django.views import View",
        ...lines,
      ),
    });

  it("takes login_required, permission_required, auth mixins, method_decorator and URLconf wrappers as auth", async () => {
    const list = await endpoints(
      views(
        "@login_required",
        "def a(request): ...",
        '@permission_required("shop.change_item")',
        "def b(request): ...",
        "class C(LoginRequiredMixin, View):",
        "    def post(self, request): ...",
        '@method_decorator(login_required, name="dispatch")',
        "class D(View):",
        "    def delete(self, request): ...",
        "class E(View):",
        "    def put(self, request): ...",
        "def f(request): ...",
      ),
    );
    assert.deepEqual(
      list.map((e) => [e.method, e.path, e.auth]),
      [
        ["ANY", "/a", true],
        ["ANY", "/b", true],
        ["POST", "/c", true],
        ["DELETE", "/d", true],
        ["PUT", "/e", true],
        ["ANY", "/f", false],
      ],
    );
    assert.match(find(list, "ANY /a").authReason, /login_required/);
    assert.match(find(list, "POST /c").authReason, /LoginRequiredMixin/);
    assert.match(find(list, "PUT /e").authReason, /wrapped in login_required/);
  });

  it("leaves auth undecided (null) when the view checks the user itself", async () => {
    const list = await endpoints(
      views(
        "def a(request):",
        "    if not request.user.is_authenticated:",
        '        return redirect("login")',
        "def b(request):",
        '    if not request.user.has_perm("shop.change_item"):',
        "        raise PermissionDenied()",
      ),
    );
    assert.equal(find(list, "ANY /a").auth, null);
    assert.equal(find(list, "ANY /b").auth, null);
  });

  it("with LoginRequiredMiddleware, every view needs a login except those marked @login_not_required", async () => {
    const files = views(
      "from django.contrib.auth.decorators import login_not_required",
      "def a(request): ...",
      "@login_not_required",
      "def b(request): ...",
    );
    const list = await endpoints({
      ...files,
      "proj/settings.py": py(
        'ROOT_URLCONF = "proj.urls"',
        "MIDDLEWARE = [",
        '    "django.contrib.sessions.middleware.SessionMiddleware",',
        '    "django.contrib.auth.middleware.AuthenticationMiddleware",',
        '    "django.contrib.auth.middleware.LoginRequiredMiddleware",', // 5
        "]",
      ),
    });
    assert.equal(find(list, "ANY /a").auth, true);
    assert.match(find(list, "ANY /a").authReason, /LoginRequiredMiddleware \(proj\/settings\.py:2\)/);
    assert.equal(find(list, "ANY /b").auth, false);
  });
});

describe("Django REST framework", () => {
  const api = (views: string, urls?: string, ...settings: string[]) =>
    django(
      {
        "proj/urls.py": ROOT,
        "shop/urls.py":
          urls ??
          py(
            "from django.urls import include, path",
            "from rest_framework.routers import DefaultRouter",
            "from . import views",
            "router = DefaultRouter()",
            'router.register(r"items", views.ItemViewSet, basename="item")',
            'urlpatterns = [path("api/", include(router.urls))]',
          ),
        "shop/views.py": views,
      },
      ...settings,
    );

  it("routes a ModelViewSet's six actions, at the class line unless the viewset defines the action", async () => {
    const list = await endpoints(
      api(
        py(
          "from rest_framework import viewsets", // 1
          "from rest_framework.permissions import IsAuthenticated",
          "class ItemViewSet(viewsets.ModelViewSet):", // 3
          "    permission_classes = [IsAuthenticated]",
          "    def destroy(self, request, pk=None): ...", // 5
        ),
      ),
    );
    assert.deepEqual(rows(list), [
      ["GET", "/shop/api/items", "shop.views.ItemViewSet.list", 3, true],
      ["POST", "/shop/api/items", "shop.views.ItemViewSet.create", 3, true],
      ["DELETE", "/shop/api/items/{pk}", "shop.views.ItemViewSet.destroy", 5, true],
      ["GET", "/shop/api/items/{pk}", "shop.views.ItemViewSet.retrieve", 3, true],
      ["PATCH", "/shop/api/items/{pk}", "shop.views.ItemViewSet.partial_update", 3, true],
      ["PUT", "/shop/api/items/{pk}", "shop.views.ItemViewSet.update", 3, true],
    ]);
    assert.ok(list.every((e) => e.framework === "drf" && e.file === "shop/views.py"));
    assert.match(list[0]?.authReason ?? "", /permission_classes \[IsAuthenticated\] \(shop\/views\.py:4\)/);
  });

  it("gives read-only viewsets, mixin viewsets and plain ViewSets only their actions, with lookup_field", async () => {
    const list = await endpoints(
      api(
        py(
          "from rest_framework import mixins, viewsets", // 1
          "class ItemViewSet(viewsets.ReadOnlyModelViewSet):",
          '    lookup_field = "slug"',
          "class TagViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet): ...",
          "class StatsViewSet(viewsets.ViewSet):",
          "    def list(self, request): ...", // 6
        ),
        py(
          "from django.urls import include, path",
          "from rest_framework.routers import SimpleRouter",
          "from . import views",
          "router = SimpleRouter()",
          'router.register(r"items", views.ItemViewSet)',
          'router.register("tags", views.TagViewSet)',
          'router.register(prefix="stats", viewset=views.StatsViewSet)',
          'urlpatterns = [path("", include(router.urls))]',
        ),
      ),
    );
    assert.deepEqual(
      list.map((e) => `${e.method} ${e.path}`),
      ["GET /shop/items", "GET /shop/items/{slug}", "GET /shop/stats", "GET /shop/tags", "POST /shop/tags"],
    );
    assert.equal(find(list, "GET /shop/stats").line, 6);
  });

  it("adds @action routes (detail and list, url_path, extra .mapping methods, own permission_classes)", async () => {
    const list = await endpoints(
      api(
        py(
          "from rest_framework import viewsets", // 1
          "from rest_framework.decorators import action",
          "from rest_framework.permissions import AllowAny, IsAdminUser",
          "class ItemViewSet(viewsets.GenericViewSet):",
          "    permission_classes = [IsAdminUser]",
          '    @action(detail=True, methods=["post"], url_path="set-price")',
          "    def set_price(self, request, pk=None): ...", // 7
          "    @set_price.mapping.delete",
          "    def clear_price(self, request, pk=None): ...", // 9
          "    @action(detail=False, permission_classes=[AllowAny])",
          "    def recent(self, request): ...", // 11
        ),
      ),
    );
    assert.deepEqual(rows(list), [
      ["GET", "/shop/api/items/recent", "shop.views.ItemViewSet.recent", 11, false],
      ["DELETE", "/shop/api/items/{pk}/set-price", "shop.views.ItemViewSet.clear_price", 9, true],
      ["POST", "/shop/api/items/{pk}/set-price", "shop.views.ItemViewSet.set_price", 7, true],
    ]);
  });

  it("reads IsAuthenticatedOrReadOnly per method, AllowAny, custom classes, get_permissions and `|`", async () => {
    const views = py(
      "from rest_framework import generics, permissions", // 1
      "from rest_framework.views import APIView",
      "from shop.perms import IsOwner",
      "class ItemList(generics.ListCreateAPIView):",
      "    permission_classes = (permissions.IsAuthenticatedOrReadOnly,)",
      "class Public(APIView):",
      "    permission_classes = [permissions.AllowAny]",
      "    def post(self, request): ...",
      "class Owned(APIView):",
      "    permission_classes = [IsOwner]",
      "    def delete(self, request): ...",
      "class Chosen(APIView):",
      "    def get_permissions(self): ...",
      "    def put(self, request): ...",
      "class Either(APIView):",
      "    permission_classes = [permissions.IsAdminUser | permissions.AllowAny]",
      "    def patch(self, request): ...",
    );
    const list = await endpoints({
      ...api(
        views,
        py(
          "from django.urls import path",
          "from . import views",
          "urlpatterns = [",
          '    path("items/", views.ItemList.as_view()),',
          '    path("public/", views.Public.as_view()),',
          '    path("owned/", views.Owned.as_view()),',
          '    path("chosen/", views.Chosen.as_view()),',
          '    path("either/", views.Either.as_view()),',
          "]",
        ),
      ),
      "shop/perms.py": py("from rest_framework.permissions import BasePermission", "class IsOwner(BasePermission): ..."),
    });
    assert.deepEqual(
      list.map((e) => [e.method, e.path, e.auth]),
      [
        ["PUT", "/shop/chosen", null],
        ["PATCH", "/shop/either", false],
        ["GET", "/shop/items", false],
        ["POST", "/shop/items", true],
        ["DELETE", "/shop/owned", null],
        ["POST", "/shop/public", false],
      ],
    );
    assert.match(find(list, "DELETE /shop/owned").authReason, /custom permission classes not analysed/);
  });

  it("applies the settings' DEFAULT_PERMISSION_CLASSES, and DRF's AllowAny when there is none", async () => {
    const views = py(
      "from rest_framework.decorators import api_view, permission_classes", // 1
      "from rest_framework.permissions import AllowAny",
      '@api_view(["GET", "POST"])',
      "def items(request): ...", // 4
      "@api_view()",
      "@permission_classes([AllowAny])",
      "def ping(request): ...", // 7
    );
    const urls = py("from django.urls import path", "from . import views", 'urlpatterns = [path("items/", views.items), path("ping/", views.ping)]');
    const secured = await endpoints(api(views, urls, 'REST_FRAMEWORK = {', '    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],', "}"));
    assert.deepEqual(rows(secured), [
      ["GET", "/shop/items", "shop.views.items", 4, true],
      ["POST", "/shop/items", "shop.views.items", 4, true],
      ["GET", "/shop/ping", "shop.views.ping", 7, false],
    ]);
    assert.match(secured[0]?.authReason ?? "", /DEFAULT_PERMISSION_CLASSES \[IsAuthenticated\] \(proj\/settings\.py:3\)/);
    const open = await endpoints(api(views, urls));
    assert.equal(find(open, "POST /shop/items").auth, false);
    assert.match(find(open, "POST /shop/items").authReason, /AllowAny/);
  });

  it("maps a viewset's as_view({...}) actions, also through a variable in views.py", async () => {
    const list = await endpoints(
      api(
        py(
          "from rest_framework import viewsets", // 1
          "class ItemViewSet(viewsets.ModelViewSet):", // 2
          "    def list(self, request): ...", // 3
          'item_detail = ItemViewSet.as_view({"get": "retrieve", "delete": "destroy"})',
        ),
        py(
          "from django.urls import path",
          "from . import views",
          "urlpatterns = [",
          '    path("items/", views.ItemViewSet.as_view({"get": "list", "post": "create"})),',
          '    path("items/<int:pk>/", views.item_detail),',
          "]",
        ),
      ),
    );
    assert.deepEqual(rows(list), [
      ["GET", "/shop/items", "shop.views.ItemViewSet.list", 3, false],
      ["POST", "/shop/items", "shop.views.ItemViewSet.create", 2, false],
      ["DELETE", "/shop/items/{pk}", "shop.views.ItemViewSet.destroy", 2, false],
      ["GET", "/shop/items/{pk}", "shop.views.ItemViewSet.retrieve", 2, false],
    ]);
  });

  it("serves a router added with `urlpatterns += router.urls` (not recorded by the facts) where the URLconf defines it", async () => {
    const list = await endpoints(
      api(
        py("from rest_framework import viewsets", "class ItemViewSet(viewsets.ReadOnlyModelViewSet): ..."),
        py(
          "from django.urls import path",
          "from rest_framework.routers import DefaultRouter",
          "from . import views",
          "router = DefaultRouter()",
          'router.register("items", views.ItemViewSet)',
          "urlpatterns = []",
          "urlpatterns += router.urls",
        ),
      ),
    );
    assert.deepEqual(
      list.map((e) => `${e.method} ${e.path}`),
      ["GET /shop/items", "GET /shop/items/{pk}"],
    );
  });

  it("routes nested routers under the parent lookup and honours http_method_names", async () => {
    const list = await endpoints(
      api(
        py(
          "from rest_framework import viewsets",
          "class ClientViewSet(viewsets.ModelViewSet):",
          '    http_method_names = ["get", "post"]',
          "class MailDropViewSet(viewsets.ReadOnlyModelViewSet): ...",
        ),
        py(
          "from django.urls import include, path",
          "from rest_framework.routers import DefaultRouter",
          "from rest_framework_nested import routers",
          "from . import views",
          "router = DefaultRouter()",
          'router.register("clients", views.ClientViewSet)',
          'client_router = routers.NestedSimpleRouter(router, r"clients", lookup="client")',
          'client_router.register(r"maildrops", views.MailDropViewSet, basename="maildrops")',
          'urlpatterns = [path("", include(router.urls)), path("", include(client_router.urls))]',
        ),
      ),
    );
    assert.deepEqual(
      list.map((e) => `${e.method} ${e.path}`),
      ["GET /shop/clients", "POST /shop/clients", "GET /shop/clients/{client_pk}/maildrops", "GET /shop/clients/{client_pk}/maildrops/{pk}", "GET /shop/clients/{pk}"],
    );
  });

  it("leaves auth undecided when the settings' REST_FRAMEWORK is too long to read", async () => {
    const filler = Array.from({ length: 80 }, (_, i) => `    "SETTING_${i}": "value-${i}",`);
    const list = await endpoints(
      api(
        py("from rest_framework import viewsets", "class ItemViewSet(viewsets.ModelViewSet): ..."),
        undefined,
        "REST_FRAMEWORK = {",
        ...filler,
        '    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],',
        "}",
      ),
    );
    assert.equal(find(list, "POST /shop/api/items").auth, null);
    assert.match(find(list, "POST /shop/api/items").authReason, /could not be read/);
  });

  it("does not serve a router that no reachable URLconf mounts", async () => {
    const list = await endpoints({
      ...api(py("from rest_framework import viewsets", "class ItemViewSet(viewsets.ModelViewSet): ..."), py("from django.urls import path", "urlpatterns = []")),
      "shop/routers.py": py("from rest_framework.routers import DefaultRouter", "from .views import ItemViewSet", "router = DefaultRouter()", 'router.register("items", ItemViewSet)'),
    });
    assert.deepEqual(list, []);
  });
});

describe("Django Ninja", () => {
  it("mounts NinjaAPI at its path(), adds routers by prefix, and takes auth from the operation, router or API", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": py("from django.urls import path", "from shop.api import api", "urlpatterns = [", '    path("api/", api.urls),', "]"),
        "shop/api.py": py(
          "from ninja import NinjaAPI, Router", // 1
          "from ninja.security import django_auth, HttpBearer",
          "api = NinjaAPI()",
          "orders = Router(auth=django_auth)",
          'api.add_router("/orders/", orders)',
          '@orders.get("/{int:order_id}")',
          "def get_order(request, order_id: int): ...", // 7
          '@orders.post("/quote", auth=None)',
          "async def quote(request): ...", // 9
          '@api.post("/feedback")',
          "def feedback(request): ...", // 11
          '@api.api_operation(["PUT", "PATCH"], "/profile", auth=django_auth)',
          "def profile(request): ...", // 13
        ),
      }),
    );
    assert.deepEqual(rows(list), [
      ["POST", "/api/feedback", "shop.api.feedback", 11, false],
      ["POST", "/api/orders/quote", "shop.api.quote", 9, false],
      ["GET", "/api/orders/{order_id}", "shop.api.get_order", 7, true],
      ["PATCH", "/api/profile", "shop.api.profile", 13, true],
      ["PUT", "/api/profile", "shop.api.profile", 13, true],
    ]);
    assert.ok(list.every((e) => e.framework === "ninja"));
    assert.equal(find(list, "POST /api/orders/quote").isAsync, true);
    assert.match(find(list, "GET /api/orders/{order_id}").authReason, /auth=django_auth on the Router \(shop\/api\.py:4\)/);
  });

  it("adds a router named by its dotted path, where add_router(auth=None) opens it; LoginRequiredMiddleware still applies", async () => {
    const files = django({
      "proj/urls.py": py(
        "from django.urls import path",
        "from ninja import NinjaAPI",
        "api = NinjaAPI()",
        'api.add_router("/events/", "shop.api.router", auth=None)',
        'urlpatterns = [path("api/", api.urls)]',
      ),
      "shop/api.py": py("from ninja import Router", "from ninja.security import django_auth", "router = Router(auth=django_auth)", '@router.post("/")', "def create_event(request): ..."),
    });
    const open = await endpoints(files);
    assert.deepEqual(rows(open), [["POST", "/api/events", "shop.api.create_event", 5, false]]);
    assert.match(open[0]?.authReason ?? "", /auth=None on add_router/);
    const guarded = await endpoints({
      ...files,
      "proj/settings.py": py('ROOT_URLCONF = "proj.urls"', "MIDDLEWARE = []", 'MIDDLEWARE.append("django.contrib.auth.middleware.LoginRequiredMiddleware")'),
    });
    assert.equal(guarded[0]?.auth, true);
  });

  it("takes an API-wide auth= for every operation that sets none", async () => {
    const list = await endpoints(
      django({
        "proj/urls.py": py("from django.urls import path", "from shop.api import api", 'urlpatterns = [path("api/v1/", api.urls)]'),
        "shop/api.py": py("from ninja import NinjaAPI", "from ninja.security import django_auth", "api = NinjaAPI(auth=django_auth)", '@api.delete("/items/{item_id}")', "def delete_item(request, item_id: int): ..."),
      }),
    );
    assert.deepEqual(rows(list), [["DELETE", "/api/v1/items/{item_id}", "shop.api.delete_item", 5, true]]);
  });
});

/** `[method path, pagination, requestSchema, responseSchema, rateLimit]`, absent ones as null. */
function details(list: Endpoint[]): Array<[string, string | null, string | null, string | null, string | null]> {
  return list.map((e) => [`${e.method} ${e.path}`, e.pagination ?? null, e.requestSchema ?? null, e.responseSchema ?? null, e.rateLimit ?? null]);
}

const DRF_SETTINGS = [
  "REST_FRAMEWORK = {",
  '    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",',
  '    "PAGE_SIZE": 20,',
  '    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"],',
  '    "DEFAULT_THROTTLE_RATES": {"anon": "100/day", "user": "1000/day", "items": "10/minute"},',
  "}",
];

describe("Django endpoint details: pagination, schemas, rate limits", () => {
  const urls = py(
    "from django.urls import include, path",
    "from rest_framework.routers import DefaultRouter",
    "from . import views",
    "router = DefaultRouter()",
    'router.register("items", views.ItemViewSet)',
    "urlpatterns = [",
    '    path("api/", include(router.urls)),',
    '    path("tags/", views.TagList.as_view()),',
    '    path("tags/<int:pk>/", views.TagDetail.as_view()),',
    "]",
  );
  const serializers = py("from rest_framework import serializers", "class ItemSerializer(serializers.Serializer): ...", "class TagSerializer(serializers.Serializer): ...");

  it("reads serializer_class, pagination_class (list actions only) and throttles, from the view, an @action or the REST_FRAMEWORK defaults", async () => {
    const list = await endpoints(
      django(
        {
          "proj/urls.py": ROOT,
          "shop/urls.py": urls,
          "shop/serializers.py": serializers,
          "shop/pagination.py": py("from rest_framework.pagination import PageNumberPagination", "class BigPages(PageNumberPagination):", "    page_size = 100"),
          "shop/views.py": py(
            "from rest_framework import generics, viewsets",
            "from rest_framework.decorators import action",
            "from rest_framework.throttling import ScopedRateThrottle",
            "from .pagination import BigPages",
            "from .serializers import ItemSerializer, TagSerializer",
            "class ItemViewSet(viewsets.ModelViewSet):",
            "    serializer_class = ItemSerializer",
            "    pagination_class = BigPages",
            "    throttle_classes = [ScopedRateThrottle]",
            '    throttle_scope = "items"',
            "    @action(detail=False, serializer_class=TagSerializer)",
            "    def recent(self, request):",
            "        return self.get_paginated_response(self.paginate_queryset(self.get_queryset()))",
            "class TagList(generics.ListCreateAPIView):",
            "    serializer_class = TagSerializer",
            "class TagDetail(generics.RetrieveDestroyAPIView):",
            "    def get_serializer_class(self): ...",
          ),
        },
        ...DRF_SETTINGS,
      ),
    );
    const scoped = "ScopedRateThrottle 10/minute";
    const defaults = "AnonRateThrottle 100/day, UserRateThrottle 1000/day (REST_FRAMEWORK default)";
    assert.deepEqual(details(list), [
      ["GET /shop/api/items", "BigPages, page size 100", null, "ItemSerializer", scoped],
      ["POST /shop/api/items", null, "ItemSerializer", null, scoped],
      ["GET /shop/api/items/recent", "BigPages, page size 100", null, "TagSerializer", scoped],
      ["DELETE /shop/api/items/{pk}", null, null, null, scoped],
      ["GET /shop/api/items/{pk}", null, null, "ItemSerializer", scoped],
      ["PATCH /shop/api/items/{pk}", null, "ItemSerializer", null, scoped],
      ["PUT /shop/api/items/{pk}", null, "ItemSerializer", null, scoped],
      ["GET /shop/tags", "PageNumberPagination, page size 20 (REST_FRAMEWORK default)", null, "TagSerializer", defaults],
      ["POST /shop/tags", null, "TagSerializer", null, defaults],
      ["DELETE /shop/tags/{pk}", null, null, null, defaults],
      ["GET /shop/tags/{pk}", null, null, "dynamic", defaults],
    ]);
  });

  it("gives none where the code shows none: no settings, pagination_class = None, throttle_classes = [], a list() that does not page, no PAGE_SIZE, plain Django views", async () => {
    const views = py(
      "from django.views.generic import ListView",
      "from rest_framework import generics, viewsets",
      "from rest_framework.response import Response",
      "from .serializers import ItemSerializer",
      "class ItemViewSet(viewsets.ModelViewSet):",
      "    serializer_class = ItemSerializer",
      "    def list(self, request):",
      "        return Response([])",
      "class TagList(generics.ListAPIView):",
      "    pagination_class = None",
      "    throttle_classes = []",
      "class TagDetail(ListView): ...",
    );
    const files = { "proj/urls.py": ROOT, "shop/urls.py": urls, "shop/serializers.py": serializers, "shop/views.py": views };
    const bare = await endpoints(django(files));
    assert.deepEqual(
      details(bare).filter(([, pagination, , , rate]) => pagination !== null || rate !== null),
      [],
    );
    const defaults = await endpoints(django(files, ...DRF_SETTINGS));
    assert.equal(find(defaults, "GET /shop/api/items").pagination, undefined);
    assert.equal(find(defaults, "GET /shop/tags").pagination, undefined);
    assert.equal(find(defaults, "GET /shop/tags").rateLimit, undefined);
    assert.deepEqual(details([find(defaults, "GET /shop/tags/{pk}")]), [["GET /shop/tags/{pk}", null, null, null, null]]);
    const noPageSize = await endpoints(django(files, "REST_FRAMEWORK = {", '    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",', "}"));
    assert.equal(find(noPageSize, "GET /shop/api/items/{pk}").responseSchema, "ItemSerializer");
    assert.ok(noPageSize.every((e) => e.pagination === undefined));
  });

  it("takes no REST_FRAMEWORK default that the settings modules disagree on", async () => {
    const files = django(
      {
        "proj/urls.py": ROOT,
        "shop/urls.py": urls,
        "shop/serializers.py": serializers,
        "shop/views.py": py("from rest_framework import generics, viewsets", "class ItemViewSet(viewsets.ModelViewSet): ...", "class TagList(generics.ListAPIView): ...", "class TagDetail(generics.RetrieveAPIView): ..."),
        "proj/settings_dev.py": py("REST_FRAMEWORK = {", '    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",', '    "PAGE_SIZE": 20,', "}"),
      },
      ...DRF_SETTINGS,
    );
    const list = await endpoints(files);
    assert.equal(find(list, "GET /shop/tags").pagination, undefined);
    assert.equal(find(list, "GET /shop/tags").rateLimit, undefined);
  });

  it("reads @throttle_classes and drf-spectacular on function views, and django-ratelimit per method on functions and classes", async () => {
    const list = await endpoints(
      django(
        {
          "proj/urls.py": ROOT,
          "shop/urls.py": py(
            "from django.urls import path",
            "from . import views",
            'urlpatterns = [path("a/", views.a), path("b/", views.b), path("c/", views.C.as_view()), path("d/", views.d), path("e/", views.E.as_view())]',
          ),
          "shop/views.py": py(
            "from django.utils.decorators import method_decorator",
            "from django.views import View",
            "from django.views.decorators.http import require_http_methods",
            "from django_ratelimit.decorators import ratelimit",
            "from drf_spectacular.utils import extend_schema",
            "from rest_framework.decorators import api_view, throttle_classes",
            "from rest_framework.throttling import UserRateThrottle",
            '@extend_schema(request=LoginIn, responses={200: TokenOut})',
            '@api_view(["POST"])',
            "@throttle_classes([UserRateThrottle])",
            "def a(request): ...",
            '@require_http_methods(["GET", "POST"])',
            '@ratelimit(key="ip", rate="5/m", method="POST")',
            "def b(request): ...",
            '@method_decorator(ratelimit(key="user", rate="10/h"), name="dispatch")',
            "class C(View):",
            "    def get(self, request): ...",
            "def d(request): ...",
            "from django.views.generic import ListView",
            "class E(ListView):",
            "    paginate_by = 25",
          ),
        },
        ...DRF_SETTINGS,
      ),
    );
    assert.deepEqual(details(list), [
      ["POST /shop/a", null, "LoginIn", "{200: TokenOut}", "UserRateThrottle 1000/day"],
      ["GET /shop/b", null, null, null, null],
      ["POST /shop/b", null, null, null, 'ratelimit(key="ip", rate="5/m", method="POST")'],
      ["GET /shop/c", null, null, null, 'ratelimit(key="user", rate="10/h")'],
      ["ANY /shop/d", null, null, null, null],
      ["GET /shop/e", "paginate_by 25", null, null, null],
    ]);
  });

  it("reads Ninja response=, schema-typed parameters, @paginate and throttle= from the operation, router or API", async () => {
    const list = await endpoints(
      django(
        {
          "proj/urls.py": py("from django.urls import path", "from shop.api import api", 'urlpatterns = [path("api/", api.urls)]'),
          "shop/schemas.py": py("from ninja import Schema", "class ItemIn(Schema):", "    name: str", "class ItemOut(ItemIn):", "    id: int", "class Filters(Schema):", "    q: str = ''"),
          "shop/api.py": py(
            "from typing import List",
            "from ninja import NinjaAPI, Query, Router",
            "from ninja.pagination import PageNumberPagination, paginate",
            "from ninja.throttling import AnonRateThrottle, AuthRateThrottle",
            "from .schemas import Filters, ItemIn, ItemOut",
            "class Plain: ...",
            'api = NinjaAPI(throttle=AnonRateThrottle("10/s"))',
            'items = Router(throttle=[AuthRateThrottle("100/m")])',
            'api.add_router("/items/", items)',
            '@items.get("/", response=List[ItemOut])',
            "@paginate",
            "def list_items(request, filters: Query[Filters]): ...",
            '@items.post("/", response={201: ItemOut})',
            "def create_item(request, payload: ItemIn): ...",
            '@api.get("/pages", response=List[ItemOut], throttle=[])',
            "@paginate(PageNumberPagination)",
            "def pages(request, page_hint: int, extra: Plain): ...",
            '@api.get("/ping")',
            "def ping(request): ...",
          ),
        },
        'NINJA_PAGINATION_CLASS = "ninja.pagination.LimitOffsetPagination"',
      ),
    );
    const router = 'throttle=[AuthRateThrottle("100/m")] on the Router (shop/api.py:8)';
    assert.deepEqual(details(list), [
      ["GET /api/items", "ninja paginate: LimitOffsetPagination (default)", "Query[Filters]", "List[ItemOut]", router],
      ["POST /api/items", null, "ItemIn", "{201: ItemOut}", router],
      ["GET /api/pages", "ninja paginate: PageNumberPagination", null, "List[ItemOut]", null],
      ["GET /api/ping", null, null, null, 'throttle=AnonRateThrottle("10/s") on the NinjaAPI (shop/api.py:7)'],
    ]);
  });
});
