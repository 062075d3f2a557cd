import assert from "node:assert/strict";
import { describe, it } from "node:test";
import layerInversion from "../../src/checks/architecture/layer-inversion.js";
import { locations, project, py } from "../helpers/project.js";

/** A Django project with two apps whose models import their own web layer. */
const djangoShop = {
  "manage.py": py("import django"),
  "shop/__init__.py": "",
  "shop/orders/__init__.py": "",
  "shop/orders/models.py": py("from django.db import models", "from shop.orders.serializers import OrderSerializer", "class Order(models.Model): ..."), // 2
  "shop/orders/serializers.py": py("from rest_framework import serializers", "class OrderSerializer(serializers.Serializer): ..."),
  "shop/orders/views.py": py("from rest_framework.views import APIView", "from shop.orders.models import Order", "class OrderView(APIView): ..."),
  "shop/billing/__init__.py": "",
  "shop/billing/models.py": py("from django.db import models", "", "from shop.billing.views import render_invoice", "class Invoice(models.Model): ..."), // 3
  "shop/billing/services.py": py("from shop.billing.models import Invoice", "def issue(order): return Invoice()"),
  "shop/billing/views.py": py("from django.http import HttpResponse", "def render_invoice(request): return HttpResponse()"),
  "shop/catalog/__init__.py": "",
  "shop/catalog/models.py": py("from django.db import models", "class Product(models.Model): ..."),
};

describe("ARCH010 layer inversion without declared contracts", () => {
  it("fires once on Django models importing views and serializers, with the worst examples and their import lines", async () => {
    const findings = (await project(djangoShop)).run(layerInversion);
    assert.deepEqual(locations(findings), [["ARCH010", "shop/billing/models.py", 3]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /2 inner-layer modules .* import the web layer at module level \(2 imports\)/);
    assert.match(findings[0]?.message ?? "", /shop\.billing\.models → shop\.billing\.views; shop\.orders\.models → shop\.orders\.serializers/);
    assert.deepEqual(findings[0]?.evidence.map((e) => [e.file, e.line, e.snippet]), [
      ["shop/billing/models.py", 3, "from shop.billing.views import render_invoice"],
      ["shop/orders/models.py", 2, "from shop.orders.serializers import OrderSerializer"],
    ]);
  });

  it("counts imports inside functions as weaker (low) and leaves TYPE_CHECKING-only imports out", async () => {
    const p = await project({
      ...djangoShop,
      "shop/orders/models.py": py("from typing import TYPE_CHECKING", "from django.db import models", "if TYPE_CHECKING:", "    from shop.orders.serializers import OrderSerializer", "class Order(models.Model): ..."),
      "shop/billing/models.py": py("from django.db import models", "class Invoice(models.Model):", "    def render(self, request):", "        from shop.billing.views import render_invoice", "        return render_invoice(request)"), // 4
    });
    const findings = p.run(layerInversion);
    assert.deepEqual(locations(findings), [["ARCH010", "shop/billing/models.py", 4]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /only inside functions/);
    assert.match(findings[0]?.message ?? "", /1 import under TYPE_CHECKING only is not counted/);
    assert.match(findings[0]?.evidence[0]?.snippet ?? "", /# inside a function$/);
  });

  it("fires on a FastAPI service importing a router module", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/api/__init__.py": "",
      "app/api/routes.py": py("from fastapi import APIRouter", "router = APIRouter()", "def current_user(): ..."),
      "app/api/deps.py": py("from fastapi import Depends", "def get_db(): ..."),
      "app/services/__init__.py": "",
      "app/services/users.py": py("from app.api.routes import current_user", "def rename(): return current_user()"), // 1
      "app/services/items.py": py("from app.api.deps import get_db", "def list_items(): return get_db()"), // 1
      "app/models/__init__.py": "",
      "app/models/user.py": py("class User: ..."),
    });
    const findings = p.run(layerInversion);
    assert.deepEqual(locations(findings), [["ARCH010", "app/services/items.py", 1]]);
    assert.match(findings[0]?.message ?? "", /app\.services\.items → app\.api\.deps; app\.services\.users → app\.api\.routes/);
  });

  it("stays quiet where the web package is only imported for data schemas, by the app's composition root, or not at all", async () => {
    const files = {
      "app/__init__.py": "",
      "app/main.py": py("from fastapi import FastAPI", "from app.api.routes import router", "app = FastAPI()"),
      "app/api/__init__.py": "",
      "app/api/routes.py": py("from fastapi import APIRouter", "from app.services.items import list_items", "router = APIRouter()"),
      "app/api/deps.py": py("from fastapi import Depends", "def get_db(): ..."),
      "app/api/schemas.py": py("from pydantic import BaseModel", "class ItemOut(BaseModel): ..."),
      "app/services/__init__.py": "",
      "app/services/items.py": py("from app.api.schemas import ItemOut", "from app.models.item import Item", "def list_items(): return [ItemOut()]"),
      "app/models/__init__.py": "",
      "app/models/item.py": py("class Item: ..."),
      "app/crud.py": py("from app.models.item import Item", "def get(): return Item()"),
    };
    assert.deepEqual((await project(files)).run(layerInversion), []);
    // the same schemas module once it uses the web framework's request API is part of the web layer
    const webSchemas = await project({ ...files, "app/api/schemas.py": py("from fastapi import Query", "from pydantic import BaseModel", "class ItemOut(BaseModel): ...") });
    assert.deepEqual(locations(webSchemas.run(layerInversion)), [["ARCH010", "app/services/items.py", 1]]);
  });

  it("does not take URL helpers, shared toolkits or a Django app named `api` for the web layer", async () => {
    const files = {
      "manage.py": py("import django"),
      "hc/__init__.py": "",
      "hc/lib/__init__.py": "",
      "hc/lib/urls.py": py("from django.urls import reverse", "def absolute_reverse(name): return reverse(name)"),
      "hc/utils/__init__.py": "",
      "hc/utils/views.py": py("from django.http import HttpResponse", "def get_viewname(model): return model"),
      "hc/api/__init__.py": "",
      "hc/api/models.py": py("from django.db import models", "from hc.lib.urls import absolute_reverse", "from hc.utils.views import get_viewname", "from hc.api import transports", ...Array.from({ length: 60 }, (_, i) => `FIELD_${i} = ${i}`), "class Check(models.Model): ..."),
      "hc/api/transports.py": py("from django.template.loader import render_to_string", "def notify(): return render_to_string('x')"),
      "hc/api/views.py": py("from django.http import JsonResponse", "from hc.api.models import Check", "def ping(request): return JsonResponse({})"),
      "hc/api/urls.py": py("from django.urls import path", "from hc.api import views", "urlpatterns = [path('ping', views.ping)]"),
      "hc/accounts/__init__.py": "",
      "hc/accounts/models.py": py("from django.db import models", "from hc.front.urls import absolute_reverse", "class Profile(models.Model): ..."),
      "hc/front/urls.py": py("from django.urls import reverse", "def absolute_reverse(name): return reverse(name)"),
      "hc/front/__init__.py": "",
      "hc/front/views.py": py("from django.shortcuts import render", "from hc.api.models import Check", "def index(request): return render(request, 'x')"),
      "hc/front/models.py": py("from django.db import models", "class Note(models.Model): ..."),
    };
    assert.deepEqual((await project(files)).run(layerInversion), []);
    // a `urls` module that is a URLconf is the web layer
    const urlconf = await project({ ...files, "hc/front/urls.py": py("from django.urls import path", "def absolute_reverse(name): return name", "urlpatterns = [path('x', absolute_reverse)]") });
    assert.deepEqual(locations(urlconf.run(layerInversion)), [["ARCH010", "hc/accounts/models.py", 2]]);
  });

  it("stays quiet in a project without recognisable layers", async () => {
    const p = await project({
      "tool/__init__.py": "",
      "tool/cli.py": py("from tool.views import show", "def main(): show()"),
      "tool/views.py": py("from flask import render_template", "def show(): return render_template('x')"),
      "tool/parse.py": py("from tool.views import show", "def run(): show()"),
    });
    assert.deepEqual(p.run(layerInversion), []);
  });
});
