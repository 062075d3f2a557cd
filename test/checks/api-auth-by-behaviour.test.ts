import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unauthenticatedWrite from "../../src/checks/api/unauthenticated-write.js";
import { type Analysed, locations, project, py } from "../helpers/project.js";

function endpoint(p: Analysed, key: string) {
  const e = p.model.endpoints.find((x) => `${x.method} ${x.path}` === key);
  assert.ok(e, `no endpoint ${key} among ${p.model.endpoints.map((x) => `${x.method} ${x.path}`).join(", ")}`);
  return e;
}

/** Authentication decided by what the code does, never by names alone (issue 6). */
describe("API002: authentication by behaviour", () => {
  const deps = py(
    "from fastapi import Depends, HTTPException, Request, status",
    "def get_db(): ...",
    "def load_principal(request: Request):", // a neutral name: only its code says it authenticates
    "    token = request.cookies.get('session')",
    "    if not token:",
    "        raise HTTPException(status.HTTP_401_UNAUTHORIZED)",
    "    return token",
    "def get_admin(principal=Depends(load_principal)):",
    "    return principal",
    "def get_current_user(request: Request):", // named like auth, checks nothing visible
    "    return request.state.user",
  );

  it("a controller base class that declares the user dependency covers every route of its subclasses", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/deps.py": deps,
      "app/controller.py": py("def controller(router):", "    def wrap(cls):", "        return cls", "    return wrap"),
      "app/base.py": py("from fastapi import Depends", "from app.deps import get_admin, get_db", "class BaseController:", "    session = Depends(get_db)", "class BaseAdminController(BaseController):", "    user: dict = Depends(get_admin)"),
      "app/backups.py": py(
        "from fastapi import APIRouter",
        "from app.base import BaseAdminController, BaseController",
        "from app.controller import controller",
        "router = APIRouter(prefix='/backups')",
        "@controller(router)",
        "class AdminBackups(BaseAdminController):",
        "    @router.post('')",
        "    def create_one(self): ...", // 8
        "@controller(router)",
        "class Public(BaseController):",
        "    @router.delete('/{name}')",
        "    def delete_one(self, name: str): ...", // 12
      ),
      "app/main.py": py("from fastapi import FastAPI", "from app.backups import router", "app = FastAPI()", "app.include_router(router, prefix='/api')"),
    });
    assert.equal(endpoint(p, "POST /api/backups").auth, true);
    assert.match(endpoint(p, "POST /api/backups").authReason ?? "", /BaseAdminController\.user.*load_principal.*401/);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), [["API002", "app/backups.py", 12]]);
  });

  it("a project router class whose __init__ passes dependencies up covers its routes, with its prefix", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/deps.py": deps,
      "app/routers.py": py(
        "from fastapi import APIRouter, Depends",
        "from app.deps import get_admin",
        "class AdminAPIRouter(APIRouter):",
        "    def __init__(self, prefix: str = '', **kwargs):",
        "        super().__init__(prefix=prefix, dependencies=[Depends(get_admin)], **kwargs)",
      ),
      "app/admin.py": py("from app.routers import AdminAPIRouter", "router = AdminAPIRouter(prefix='/admin')", "@router.post('/users')", "def create_user(): ..."),
      "app/main.py": py("from fastapi import FastAPI", "from app.admin import router", "app = FastAPI()", "app.include_router(router, prefix='/api')"),
    });
    assert.equal(endpoint(p, "POST /api/admin/users").auth, true);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });

  it("a mounted FastAPI sub-application's dependencies cover its routes, under the mount's prefix", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/deps.py": deps,
      "app/admin.py": py("from fastapi import Depends, FastAPI", "from app.deps import get_admin", "admin_app = FastAPI(dependencies=[Depends(get_admin)])", "@admin_app.post('/orders')", "def refund(): ..."),
      "app/public.py": py("from fastapi import FastAPI", "public_app = FastAPI()", "@public_app.post('/orders')", "def place(): ..."), // 4
      "app/main.py": py("from fastapi import FastAPI", "from app.admin import admin_app", "from app.public import public_app", "app = FastAPI()", "app.mount('/admin', admin_app)", "app.mount('/shop', public_app)"),
    });
    assert.equal(endpoint(p, "POST /admin/orders").auth, true);
    assert.equal(endpoint(p, "POST /shop/orders").auth, false);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), [["API002", "app/public.py", 4]]);
  });

  it("a dependency named like authentication whose code shows no check is undecided, not authenticated and not reported", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/deps.py": deps,
      "app/main.py": py(
        "from fastapi import Depends, FastAPI",
        "from app.deps import get_current_user, get_db",
        "app = FastAPI()",
        "@app.post('/notes')",
        "def add_note(user=Depends(get_current_user)): ...",
        "@app.post('/tags')",
        "def add_tag(db=Depends(get_db)): ...", // 7
      ),
    });
    assert.equal(endpoint(p, "POST /notes").auth, null);
    assert.match(endpoint(p, "POST /notes").authReason ?? "", /named like authentication/);
    assert.equal(endpoint(p, "POST /tags").auth, false);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), [["API002", "app/main.py", 7]]);
  });

  it("a callable class dependency, a security-scheme subclass and a module-level 401 exception count as authentication", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/security.py": py(
        "from fastapi import HTTPException, Request",
        "from fastapi.security import HTTPBearer",
        "credentials_exception = HTTPException(status_code=401, detail='bad token')",
        "class JWTBearer(HTTPBearer):",
        "    pass",
        "class RoleChecker:",
        "    def __init__(self, roles):",
        "        self.roles = roles",
        "    def __call__(self, request: Request):",
        "        if 'admin' not in request.headers.get('x-roles', ''):",
        "            raise credentials_exception",
        "require_admin = RoleChecker(['admin'])",
      ),
      "app/main.py": py(
        "from fastapi import Depends, FastAPI",
        "from app.security import JWTBearer, require_admin",
        "app = FastAPI()",
        "@app.post('/a', dependencies=[Depends(JWTBearer())])",
        "def a(): ...",
        "@app.post('/b')",
        "def b(_=Depends(require_admin)): ...",
      ),
    });
    assert.equal(endpoint(p, "POST /a").auth, true);
    assert.equal(endpoint(p, "POST /b").auth, true);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });

  it("an HTTP middleware on an app built in a factory that checks the Authorization header leaves routes undecided", async () => {
    const p = await project({
      "app/server.py": py(
        "from fastapi import FastAPI, Request",
        "from fastapi.responses import JSONResponse",
        "def create_app():",
        "    api = FastAPI()",
        "    @api.middleware('http')",
        "    async def check(request: Request, call_next):",
        "        if request.headers.get('Authorization') != 'Basic x':",
        "            return JSONResponse(status_code=401, content={})",
        "        return await call_next(request)",
        "    @api.post('/runs')",
        "    def create_run(): ...",
        "    return api",
      ),
    });
    assert.equal(endpoint(p, "POST /runs").auth, null);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });

  it("Django: a project decorator whose wrapper checks request.user.is_authenticated and redirects is a login requirement", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/settings.py": py("ROOT_URLCONF = 'shop.urls'", "INSTALLED_APPS = ['shop']"),
      "shop/decorators.py": py(
        "from functools import wraps",
        "from django.shortcuts import redirect",
        "def members_only(view):",
        "    @wraps(view)",
        "    def wrapper(request, *args, **kwargs):",
        "        if request.user.is_authenticated:",
        "            return view(request, *args, **kwargs)",
        "        return redirect('/login/')",
        "    return wrapper",
        "def timed(view):",
        "    @wraps(view)",
        "    def wrapper(request, *args, **kwargs):",
        "        return view(request, *args, **kwargs)",
        "    return wrapper",
      ),
      "shop/views.py": py(
        "from django.http import HttpResponse",
        "from django.views.decorators.http import require_POST",
        "from shop.decorators import members_only, timed",
        "@require_POST",
        "@members_only",
        "def close_account(request):",
        "    return HttpResponse()",
        "@require_POST",
        "@timed",
        "def add_item(request):", // 10
        "    request.user.items.create(name=request.POST['name'])",
        "    return HttpResponse()",
      ),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('close/', views.close_account), path('add/', views.add_item)]"),
    });
    assert.equal(endpoint(p, "POST /close").auth, true);
    assert.match(endpoint(p, "POST /close").authReason ?? "", /members_only/);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), [["API002", "shop/views.py", 10]]);
  });

  it("DRF: a subscripted generic base (ModelViewSet[Tag]) is still DRF, and its permission_classes count", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/settings.py": py("ROOT_URLCONF = 'shop.urls'", "INSTALLED_APPS = ['rest_framework', 'shop']"),
      "shop/views.py": py(
        "from typing import Any",
        "from rest_framework.generics import GenericAPIView",
        "from rest_framework.permissions import AllowAny, IsAuthenticated",
        "from rest_framework.viewsets import ModelViewSet",
        "class PassUserMixin(GenericAPIView[Any]):",
        "    permission_classes = (IsAuthenticated,)",
        "class BulkEdit(PassUserMixin):",
        "    def post(self, request): ...",
        "class TagViewSet(ModelViewSet[Any]):",
        "    permission_classes = (IsAuthenticated,)",
        "class Ping(GenericAPIView[Any]):",
        "    authentication_classes = ()",
        "    permission_classes = (AllowAny,)",
        "    def post(self, request): ...", // 14
      ),
      "shop/urls.py": py(
        "from django.urls import include, path",
        "from rest_framework.routers import DefaultRouter",
        "from shop import views",
        "router = DefaultRouter()",
        "router.register('tags', views.TagViewSet)",
        "urlpatterns = [path('bulk_edit/', views.BulkEdit.as_view()), path('ping/', views.Ping.as_view()), path('', include(router.urls))]",
      ),
    });
    assert.equal(endpoint(p, "POST /bulk_edit").auth, true);
    assert.equal(endpoint(p, "POST /tags").auth, true);
    assert.equal(endpoint(p, "DELETE /tags/{pk}").auth, true);
    const findings = p.run(unauthenticatedWrite);
    // an explicit AllowAny is a choice to confirm, not an omission: low
    assert.deepEqual(locations(findings), [["API002", "shop/views.py", 14]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /declared public by permission_classes \(AllowAny,\)/);
  });

  it("a webhook that verifies its sender's signature is authenticated by it, whatever its path", async () => {
    const p = await project({
      "app/main.py": py(
        "import hmac",
        "from fastapi import FastAPI, Request",
        "app = FastAPI()",
        "SECRET = b'x'",
        "@app.post('/integrations/gitlab-hook')",
        "async def receive(request: Request):",
        "    if not hmac.compare_digest(request.headers.get('X-Gitlab-Token', ''), 'x'):",
        "        return None",
        "@app.post('/integrations/ping')",
        "async def ping(request: Request): ...", // 10
      ),
    });
    assert.equal(endpoint(p, "POST /integrations/gitlab-hook").auth, null);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), [["API002", "app/main.py", 10]]);
  });

  it("Django: a POST view that only renders writes nothing, and a @csrf_exempt view for machine callers is a low note", async () => {
    const p = await project({
      "hc/__init__.py": "",
      "hc/settings.py": py("ROOT_URLCONF = 'hc.urls'", "INSTALLED_APPS = ['hc']"),
      "hc/views.py": py(
        "from django.shortcuts import render",
        "from django.views.decorators.csrf import csrf_exempt",
        "from django.views.decorators.http import require_POST",
        "from hc.models import Notification",
        "@require_POST",
        "def cron_preview(request):",
        "    return render(request, 'preview.html', {'expr': request.POST.get('expr')})",
        "@csrf_exempt",
        "@require_POST",
        "def notification_status(request, code):", // 10
        "    Notification.objects.filter(code=code).update(error=request.POST.get('error'))",
        "    return render(request, 'ok.html')",
      ),
      "hc/urls.py": py("from django.urls import path", "from hc import views", "urlpatterns = [path('preview/', views.cron_preview), path('notifications/<uuid:code>/status', views.notification_status)]"),
    });
    const findings = p.run(unauthenticatedWrite);
    assert.deepEqual(locations(findings), [["API002", "hc/views.py", 10]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /@csrf_exempt/);
  });

  it("follows dependency factories: a router class from a factory, an Authenticator() returning a checking instance, a closure factory, an inline instance", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/routing.py": py(
        "from fastapi import APIRouter as _APIRouter",
        "def get_router_class(route_class):",
        "    class _Custom(_APIRouter):",
        "        pass",
        "    return _Custom",
        "APIRouter = get_router_class(None)",
      ),
      "app/auth.py": py(
        "from typing import Annotated",
        "from fastapi import Depends, HTTPException",
        "class Unauthorized(Exception):",
        "    status_code = 401",
        "class _Authenticator:",
        "    def __init__(self, scopes):",
        "        self.scopes = scopes",
        "    async def __call__(self, subject=None):",
        "        if subject is None:",
        "            raise Unauthorized()",
        "        return subject",
        "def Authenticator(scopes) -> _Authenticator:",
        "    class _Signed(_Authenticator):",
        "        pass",
        "    return _Signed(scopes)",
        "def Fresh(scopes):",
        "    async def dependency(subject=Depends(Authenticator(scopes))):",
        "        return subject",
        "    return dependency",
        "class RoleCheck:",
        "    def __init__(self, roles):",
        "        self.roles = roles",
        "    def __call__(self, subject=None):",
        "        if subject not in self.roles:",
        "            raise HTTPException(status_code=403)",
        "Write = Annotated[dict, Depends(Authenticator({'write'}))]",
        "_WriteFresh = Fresh({'write'})",
        "WriteFresh = Annotated[dict, Depends(_WriteFresh)]",
        "Billing = Annotated[dict, Depends(RoleCheck(roles={'billing'}))]",
        "class Anonymous: ...",
        "_Open = Authenticator(scopes={'write'}, allowed_subjects={dict, Anonymous})",
        "OpenWrite = Annotated[dict, Depends(_Open)]",
      ),
      "app/endpoints.py": py(
        "from app.auth import Billing, OpenWrite, Write, WriteFresh",
        "from app.routing import APIRouter",
        "router = APIRouter(prefix='/v1')",
        "@router.post('/a')",
        "async def a(subject: Write): ...",
        "@router.post('/b')",
        "async def b(subject: WriteFresh): ...",
        "@router.post('/c')",
        "async def c(subject: Billing): ...",
        "@router.post('/d')",
        "async def d(subject: OpenWrite): ...",
      ),
      "app/main.py": py("from fastapi import FastAPI", "from app.endpoints import router", "app = FastAPI()", "app.include_router(router)"),
    });
    for (const key of ["POST /v1/a", "POST /v1/b", "POST /v1/c"]) assert.equal(endpoint(p, key).auth, true, key);
    // the same authenticator configured to let anonymous callers through is optional: undecided, never "authenticated"
    assert.equal(endpoint(p, "POST /v1/d").auth, null);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });

  it("public by design: a secret in the URL or in the body, or a signature header, is a low note or no finding", async () => {
    const p = await project({
      "app/main.py": py(
        "from typing import Annotated",
        "from fastapi import FastAPI, Header",
        "from pydantic import BaseModel",
        "class SeatClaim(BaseModel):",
        "    invitation_token: str",
        "class Note(BaseModel):",
        "    text: str",
        "app = FastAPI()",
        "@app.patch('/checkouts/client/{client_secret}')", // 9
        "def update_checkout(client_secret: str): ...",
        "@app.post('/seats/claim')",
        "def claim(body: SeatClaim): ...",
        "@app.post('/slack/events')",
        "def events(x_slack_signature: Annotated[str | None, Header()] = None): ...",
        "@app.post('/notes')",
        "def add_note(body: Note): ...", // 16
      ),
    });
    const findings = p.run(unauthenticatedWrite);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[16, "high"], [10, "low"], [12, "low"]]);
  });

  it("Django: a project middleware that redirects anonymous users leaves views undecided; one that only logs does not", async () => {
    const files = (middleware: string) => ({
      "shop/__init__.py": "",
      "shop/settings.py": py("ROOT_URLCONF = 'shop.urls'", "INSTALLED_APPS = ['shop']", `MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware', 'shop.middleware.${middleware}']`),
      "shop/middleware.py": py(
        "from django.shortcuts import redirect",
        "class MembersOnly:",
        "    def __init__(self, get_response):",
        "        self.get_response = get_response",
        "    def __call__(self, request):",
        "        if not request.user.is_authenticated and not request.path.startswith('/login'):",
        "            return redirect('/login/')",
        "        return self.get_response(request)",
        "class Timing:",
        "    def __init__(self, get_response):",
        "        self.get_response = get_response",
        "    def __call__(self, request):",
        "        return self.get_response(request)",
      ),
      "shop/views.py": py("from django.views.decorators.http import require_POST", "@require_POST", "def add(request):", "    request.user.items.create(name='x')"),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('add/', views.add)]"),
    });
    const enforced = await project(files("MembersOnly"));
    assert.equal(endpoint(enforced, "POST /add").auth, null);
    assert.match(endpoint(enforced, "POST /add").authReason ?? "", /middleware MembersOnly/);
    const timing = await project(files("Timing"));
    assert.deepEqual(locations(timing.run(unauthenticatedWrite)), [["API002", "shop/views.py", 3]]);
  });

  it("DRF: get_permissions() returning constant classes per action decides each action", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/settings.py": py("ROOT_URLCONF = 'shop.urls'", "INSTALLED_APPS = ['rest_framework', 'shop']"),
      "shop/views.py": py(
        "from rest_framework import permissions, viewsets",
        "class ItemViewSet(viewsets.ModelViewSet):",
        "    def get_permissions(self):",
        "        if self.action in ('list', 'retrieve'):",
        "            return [permissions.AllowAny()]",
        "        return [permissions.IsAuthenticated()]",
        "class OpenViewSet(viewsets.ModelViewSet):",
        "    def get_permissions(self):",
        "        if self.action == 'create':",
        "            return [permissions.AllowAny()]",
        "        return [permissions.IsAdminUser()]",
      ),
      "shop/urls.py": py(
        "from django.urls import include, path",
        "from rest_framework.routers import DefaultRouter",
        "from shop import views",
        "router = DefaultRouter()",
        "router.register('items', views.ItemViewSet)",
        "router.register('open', views.OpenViewSet)",
        "urlpatterns = [path('', include(router.urls))]",
      ),
    });
    assert.equal(endpoint(p, "GET /items").auth, false);
    assert.equal(endpoint(p, "POST /items").auth, true);
    assert.equal(endpoint(p, "DELETE /items/{pk}").auth, true);
    assert.equal(endpoint(p, "POST /open").auth, false);
    assert.equal(endpoint(p, "PUT /open/{pk}").auth, true);
    const findings = p.run(unauthenticatedWrite);
    assert.deepEqual(findings.map((f) => [f.message.split(" changes")[0], f.severity]), [["POST /open", "low"]]);
  });

  it("Django: a decorator applied to a whole URLconf (decorator_include, a helper wrapping a pattern list) covers every pattern in it", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/settings.py": py("ROOT_URLCONF = 'shop.urls'", "INSTALLED_APPS = ['shop']"),
      "shop/views.py": py(
        "def add(request):",
        "    request.user.items.create(name='x')",
        "def remove(request):",
        "    request.user.items.all().delete()",
        "def share(request):", // 5
        "    request.user.items.update(shared=True)",
      ),
      "shop/utils.py": py("def decorate_urlpatterns(urlpatterns, decorator):", "    for p in urlpatterns:", "        p.callback = decorator(p.callback)", "    return urlpatterns"),
      "shop/urls.py": py(
        "from django.contrib.auth.decorators import login_required",
        "from django.urls import include, path",
        "from decorator_include import decorator_include",
        "from shop import views",
        "from shop.utils import decorate_urlpatterns",
        "private = decorate_urlpatterns([path('add/', views.add)], login_required)",
        "public = [path('share/', views.share)]",
        "urlpatterns = [path('p/', include(private)), path('d/', decorator_include(login_required, [path('rm/', views.remove)])), path('s/', include(public))]",
      ),
    });
    assert.equal(endpoint(p, "ANY /p/add").auth, true);
    assert.equal(endpoint(p, "ANY /d/rm").auth, true);
    assert.equal(endpoint(p, "ANY /s/share").auth, false);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });
});
