import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/security/authorization-missing.js";
import { locations, project, py } from "../helpers/project.js";

const FASTAPI = {
  "requirements.txt": "fastapi==0.115.0\nsqlmodel==0.0.22\npyjwt==2.9.0\n",
  "app/__init__.py": "",
  "app/models.py": py(
    "from sqlmodel import Field, SQLModel",
    "class Item(SQLModel, table=True):",
    "    id: int = Field(primary_key=True)",
    "    title: str",
    '    owner_id: int = Field(foreign_key="user.id")',
    "class Product(SQLModel, table=True):",
    "    id: int = Field(primary_key=True)",
    "    name: str",
  ),
  "app/deps.py": py(
    "import jwt",
    "from fastapi import Depends",
    "from fastapi.security import OAuth2PasswordBearer",
    'oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/token")',
    "def get_session():",
    "    yield None",
    "def get_current_user(token: str = Depends(oauth2_scheme)):",
    '    return jwt.decode(token, "k", algorithms=["HS256"])',
  ),
};

function routes(...lines: string[]): Record<string, string> {
  return {
    ...FASTAPI,
    "app/main.py": py(
      "from fastapi import Depends, FastAPI, HTTPException", // 1
      "from sqlmodel import Session, select",
      "from app.deps import get_current_user, get_session",
      "from app.models import Item, Product",
      "app = FastAPI()",
      "",
      ...lines, // from line 7
    ),
  };
}

const ADMIN_ROUTE = ['@app.delete("/admin/items")', "def purge(user=Depends(get_current_user)):", "    if not user.is_superuser:", "        raise HTTPException(status_code=403)", "    return None"];

describe("SEC017 authentication without authorisation", () => {
  it("fires on a handler that loads an owned object by the path id with no owner filter, at the load line", async () => {
    const p = await project(routes('@app.get("/items/{item_id}")', "def read_item(item_id: int, session: Session = Depends(get_session), user=Depends(get_current_user)):", "    item = session.get(Item, item_id)", "    return item", "", ...ADMIN_ROUTE));
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["SEC017", "app/main.py", 9]]);
    assert.match(findings[0]?.message ?? "", /GET \/items\/\{item_id\} loads Item \(owned through owner_id\) at app\/main\.py:9/);
  });

  it("stays quiet with an owner filter, an ownership check that refuses, an unowned model, or an admin-only route", async () => {
    const cases = [
      ['@app.get("/items/{item_id}")', "def read_item(item_id: int, session: Session = Depends(get_session), user=Depends(get_current_user)):", "    return session.exec(select(Item).where(Item.id == item_id, Item.owner_id == user.id)).first()"],
      ['@app.get("/items/{item_id}")', "def read_item(item_id: int, session: Session = Depends(get_session), current_user=Depends(get_current_user)):", "    item = session.get(Item, item_id)", "    if item.owner_id != current_user.id:", '        raise HTTPException(status_code=404, detail="Item not found")', "    return item"],
      ['@app.get("/products/{product_id}")', "def read_product(product_id: int, session: Session = Depends(get_session), user=Depends(get_current_user)):", "    return session.get(Product, product_id)"],
      ['@app.get("/items/{item_id}")', "def read_item(item_id: int, session: Session = Depends(get_session), admin=Depends(get_current_active_superuser)):", "    return session.get(Item, item_id)"],
    ];
    for (const lines of cases) assert.deepEqual(locations((await project(routes(...lines, "", ...ADMIN_ROUTE))).run(check)), [], lines[1]);
  });

  it("fires on a Django view loading by pk with no owner filter; quiet when the queryset is the user's", async () => {
    const django = (body: string[]) => ({
      "requirements.txt": "django==5.1\n",
      "mysite/__init__.py": "",
      "mysite/settings.py": py("ROOT_URLCONF = 'mysite.urls'", "INSTALLED_APPS = ['django.contrib.auth', 'billing']"),
      "mysite/urls.py": py("from django.urls import path", "from billing import views", "urlpatterns = [path('invoices/<int:pk>/', views.invoice), path('staff/', views.staff)]"),
      "billing/__init__.py": "",
      "billing/models.py": py("from django.db import models", "class Invoice(models.Model):", "    owner = models.ForeignKey('auth.User', on_delete=models.CASCADE)", "    total = models.DecimalField(max_digits=10, decimal_places=2)"),
      "billing/views.py": py("from django.contrib.auth.decorators import login_required, user_passes_test", "from django.http import JsonResponse", "from django.shortcuts import get_object_or_404", "from billing.models import Invoice", "", "@login_required", "def invoice(request, pk):", ...body, "", "@user_passes_test(lambda u: u.is_staff)", "def staff(request):", "    return JsonResponse({})"),
    });
    const open = await project(django(["    invoice = Invoice.objects.get(pk=pk)", "    return JsonResponse({'total': str(invoice.total)})"]));
    assert.deepEqual(locations(open.run(check)), [["SEC017", "billing/views.py", 8]]);
    const scoped = await project(django(["    invoice = get_object_or_404(request.user.invoice_set, pk=pk)", "    return JsonResponse({'total': str(invoice.total)})"]));
    assert.deepEqual(locations(scoped.run(check)), []);
    const filtered = await project(django(["    invoice = get_object_or_404(Invoice, pk=pk, owner=request.user)", "    return JsonResponse({'total': str(invoice.total)})"]));
    assert.deepEqual(locations(filtered.run(check)), []);
  });

  it("reports an API with authentication but no roles, scopes or permission checks anywhere, with low confidence", async () => {
    const p = await project(routes('@app.get("/products/{product_id}")', "def read_product(product_id: int, session: Session = Depends(get_session), user=Depends(get_current_user)):", "    return session.get(Product, product_id)"));
    const findings = p.run(check);
    assert.deepEqual(locations(findings), [["SEC017", "app/main.py", 8]]);
    assert.equal(findings[0]?.confidence, "low");
    assert.match(findings[0]?.message ?? "", /1 endpoint requires authentication, but nothing in the service decides what an authenticated caller may do/);
  });
});

describe("SEC017 near-misses found on real backends", () => {
  const flask = (view: string[]) => ({
    "requirements.txt": "flask==3.0.0\nflask-login==0.6.3\nflask-sqlalchemy==3.1.1\n",
    "app/__init__.py": "",
    "app/models.py": py(
      "from flask_sqlalchemy import SQLAlchemy",
      "db = SQLAlchemy()",
      "class Awards(db.Model):",
      "    id = db.Column(db.Integer, primary_key=True)",
      "    user_id = db.Column(db.Integer, db.ForeignKey('users.id'))",
      "class Members(db.Model):",
      "    id = db.Column(db.Integer, primary_key=True)",
      "    audience_id = db.Column(db.Integer, db.ForeignKey('audiences.id'))",
      "    user_id = db.Column(db.Integer, db.ForeignKey('users.id'))",
    ),
    "app/decorators.py": py("from functools import wraps", "from flask import abort", "from flask_login import current_user", "def admins_only(f):", "    @wraps(f)", "    def inner(*a, **k):", "        if not current_user.is_admin:", "            abort(403)", "        return f(*a, **k)", "    return inner"),
    "app/views.py": py("from flask import Flask, jsonify", "from flask_login import login_required", "from app.decorators import admins_only", "from app.models import Awards, Members", "app = Flask(__name__)", "", ...view),
  });

  it("fires on a Flask view that loads an owned row by its id; quiet under CTFd's @admins_only", async () => {
    const open = await project(flask(['@app.route("/awards/<int:award_id>")', "@login_required", "def award(award_id):", "    award = Awards.query.filter_by(id=award_id).first_or_404()", "    return jsonify(id=award.id)"]));
    assert.deepEqual(locations(open.run(check)), [["SEC017", "app/views.py", 10]]);
    const admin = await project(flask(['@app.route("/awards/<int:award_id>")', "@login_required", "@admins_only", "def award(award_id):", "    award = Awards.query.filter_by(id=award_id).first_or_404()", "    return jsonify(id=award.id)"]));
    assert.deepEqual(locations(admin.run(check)), []);
  });

  it("is quiet when the path id is a parent's key (CTFd's members of an audience), not the loaded row's own", async () => {
    const p = await project(flask(['@app.route("/audiences/<int:audience_id>/members")', "@login_required", "def members(audience_id):", "    rows = Members.query.filter_by(audience_id=audience_id).all()", "    return jsonify(n=len(rows))"]));
    assert.equal(p.run(check).filter((f) => /loads/.test(f.message)).length, 0);
  });

  const django = (views: string[], extra: Record<string, string> = {}) => ({
    "requirements.txt": "django==5.1\n",
    "mysite/__init__.py": "",
    "mysite/settings.py": py("ROOT_URLCONF = 'mysite.urls'", "INSTALLED_APPS = ['django.contrib.auth', 'hc']"),
    "mysite/urls.py": py("from django.urls import path", "from hc import views", "urlpatterns = [path('checks/<uuid:code>/pings/<int:n>/', views.ping_body), path('checks/<uuid:code>/channels/<uuid:channel_code>/', views.switch_channel)]"),
    "hc/__init__.py": "",
    "hc/models.py": py("from django.db import models", "class Check(models.Model):", "    project = models.ForeignKey('Project', on_delete=models.CASCADE)", "class Ping(models.Model):", "    owner = models.ForeignKey(Check, on_delete=models.CASCADE)", "    n = models.IntegerField()", "class Channel(models.Model):", "    project = models.ForeignKey('Project', on_delete=models.CASCADE)", "    code = models.UUIDField(unique=True)"),
    "hc/views.py": py("from django.contrib.auth.decorators import login_required", "from django.http import HttpResponse, HttpResponseBadRequest", "from django.shortcuts import get_object_or_404", "from hc.models import Channel, Check, Ping", "", ...views),
    ...extra,
  });

  it("is quiet on healthchecks' lookups: filtered by owner=, and checked against the caller's object before use", async () => {
    const p = await project(
      django([
        "@login_required",
        "def ping_body(request, code, n):",
        "    check = _get_check_for_user(request, code)",
        "    ping = get_object_or_404(Ping, owner=check, n=n)",
        "    return HttpResponse(ping.n)",
        "",
        "@login_required",
        "def switch_channel(request, code, channel_code):",
        "    check = _get_rw_check_for_user(request, code)",
        "    channel = get_object_or_404(Channel, code=channel_code)",
        "    if channel.project_id != check.project_id:",
        "        return HttpResponseBadRequest()",
        "    return HttpResponse('ok')",
        "",
        "def _get_check_for_user(request, code):",
        "    return get_object_or_404(Check, code=code, project__owner=request.user)",
        "",
        "def _get_rw_check_for_user(request, code):",
        "    return _get_check_for_user(request, code)",
      ]),
    );
    assert.equal(p.run(check).filter((f) => /loads/.test(f.message)).length, 0);
  });

  it("is quiet for class-based views whose base authorises (FAC's access mixin) and for machine-token endpoints (bugsink)", async () => {
    const mixin = await project({
      ...django([]),
      "mysite/urls.py": py("from django.urls import path", "from hc import views", "urlpatterns = [path('reports/<int:pk>/', views.ReportView.as_view())]"),
      "hc/views.py": py(
        "from django.contrib.auth.mixins import LoginRequiredMixin",
        "from django.http import HttpResponse",
        "from django.shortcuts import get_object_or_404",
        "from hc.models import Channel",
        "from hc.access import ChannelAccessRequiredMixin",
        "class ReportView(LoginRequiredMixin, ChannelAccessRequiredMixin):",
        "    def get(self, request, pk):",
        "        channel = get_object_or_404(Channel, pk=pk)",
        "        return HttpResponse(channel.pk)",
      ),
    });
    assert.equal(mixin.run(check).filter((f) => /loads/.test(f.message)).length, 0);
  });
});
