import assert from "node:assert/strict";
import { describe, it } from "node:test";
import multiWrite from "../../src/checks/database/multi-write-without-transaction.js";
import { locations, project, py } from "../helpers/project.js";

const djangoModels = py(
  "from django.db import models", // 1
  "class Order(models.Model):", // 2
  "    status = models.CharField(max_length=10)", // 3
  "class Line(models.Model):", // 4
  "    order = models.ForeignKey(Order, on_delete=models.CASCADE)", // 5
);
const urls = py(
  "from django.urls import path", // 1
  "from . import views", // 2
  "urlpatterns = [path(\"orders/\", views.create_order), path(\"safe/\", views.safe_order), path(\"one/\", views.one_model)]", // 3
);

describe("DB011 multi-write handler without a transaction", () => {
  it("fires on a Django view writing two models outside atomic, quiet with @transaction.atomic or one model", async () => {
    const p = await project({
      "shop/models.py": djangoModels,
      "shop/urls.py": urls,
      "shop/views.py": py(
        "from django.db import transaction", // 1
        "from django.http import JsonResponse", // 2
        "from .models import Order, Line", // 3
        "def create_order(request):", // 4
        "    order = Order.objects.create(status=\"new\")", // 5
        "    Line.objects.create(order=order)", // 6
        "    return JsonResponse({\"id\": order.id})", // 7
        "@transaction.atomic", // 8
        "def safe_order(request):", // 9
        "    order = Order.objects.create(status=\"new\")", // 10
        "    Line.objects.create(order=order)", // 11
        "    return JsonResponse({})", // 12
        "def one_model(request):", // 13
        "    order = Order(status=\"new\")", // 14
        "    order.save()", // 15
        "    Order.objects.filter(status=\"old\").delete()", // 16
        "    return JsonResponse({})", // 17
      ),
      "config/settings.py": py("ROOT_URLCONF = \"shop.urls\"", "INSTALLED_APPS = [\"shop\"]"),
    });
    const found = p.run(multiWrite);
    assert.deepEqual(locations(found), [["DB011", "shop/views.py", 4]]);
    assert.deepEqual(found[0]?.evidence.map((e) => e.line), [4, 5, 6]);
    assert.match(found[0]?.message ?? "", /writes Order and Line \(lines 5, 6\) outside transaction\.atomic/);
  });

  it("stays quiet under a project decorator that opens a transaction (bugsink's atomic_for_request_method)", async () => {
    const p = await project({
      "shop/models.py": djangoModels,
      "shop/urls.py": urls,
      "shop/views.py": py(
        "from django.http import JsonResponse", // 1
        "from .decorators import atomic_for_request_method", // 2
        "from .models import Order, Line", // 3
        "@atomic_for_request_method", // 4
        "def create_order(request):", // 5
        "    order = Order.objects.create(status=\"new\")", // 6
        "    Line.objects.create(order=order)", // 7
        "    return JsonResponse({})", // 8
        "def safe_order(request):", // 9
        "    return JsonResponse({})", // 10
        "def one_model(request):", // 11
        "    return JsonResponse({})", // 12
      ),
      "shop/decorators.py": py("from django.db import transaction", "def atomic_for_request_method(f):", "    return transaction.atomic(f)"),
      "config/settings.py": py("ROOT_URLCONF = \"shop.urls\"", "INSTALLED_APPS = [\"shop\"]"),
    });
    assert.deepEqual(locations(p.run(multiWrite)), []);
  });

  it("stays quiet when DATABASES sets ATOMIC_REQUESTS", async () => {
    const p = await project({
      "shop/models.py": djangoModels,
      "shop/urls.py": urls,
      "shop/views.py": py(
        "from django.http import JsonResponse", // 1
        "from .models import Order, Line", // 2
        "def create_order(request):", // 3
        "    order = Order.objects.create(status=\"new\")", // 4
        "    Line.objects.create(order=order)", // 5
        "    return JsonResponse({})", // 6
        "def safe_order(request):", // 7
        "    return JsonResponse({})", // 8
        "def one_model(request):", // 9
        "    return JsonResponse({})", // 10
      ),
      "config/settings.py": py("ROOT_URLCONF = \"shop.urls\"", "INSTALLED_APPS = [\"shop\"]", "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"ATOMIC_REQUESTS\": True}}"),
    });
    assert.deepEqual(locations(p.run(multiWrite)), []);
  });

  it("fires on two SQLAlchemy commits across a FastAPI handler and its helper; quiet with one commit, session.begin() or an error-path commit", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI, Depends", // 1
        "from sqlalchemy.orm import Session", // 2
        "from sqlalchemy.ext.asyncio import AsyncSession", // 3
        "app = FastAPI()", // 4
        "def get_db():", // 5
        "    yield None", // 6
        "def audit(db: Session, what):", // 7
        "    db.add(what)", // 8
        "    db.commit()", // 9
        "@app.post(\"/orders\")", // 10
        "def create(payload: dict, db: Session = Depends(get_db)):", // 11
        "    db.add(payload)", // 12
        "    db.commit()", // 13
        "    audit(db, payload)", // 14
        "    return {}", // 15
        "@app.post(\"/single\")", // 16
        "def single(payload: dict, db: Session = Depends(get_db)):", // 17
        "    db.add(payload)", // 18
        "    db.add(dict(payload))", // 19
        "    db.commit()", // 20
        "    return {}", // 21
        "@app.post(\"/begin\")", // 22
        "async def begin(payload: dict, db: AsyncSession = Depends(get_db)):", // 23
        "    async with db.begin():", // 24
        "        db.add(payload)", // 25
        "    await db.commit()", // 26
        "    await db.commit()", // 27
        "    return {}", // 28
        "@app.post(\"/job\")", // 29
        "def job(payload: dict, db: Session = Depends(get_db)):", // 30
        "    try:", // 31
        "        db.add(payload)", // 32
        "        db.commit()", // 33
        "    except Exception:", // 34
        "        db.rollback()", // 35
        "        db.add(dict(status=\"failed\"))", // 36
        "        db.commit()", // 37
        "        raise", // 38
        "    return {}", // 39
      ),
    });
    const found = p.run(multiWrite);
    assert.deepEqual(locations(found), [["DB011", "app/main.py", 11]]);
    assert.deepEqual(found[0]?.evidence.map((e) => e.line), [11, 13, 9]);
    assert.match(found[0]?.message ?? "", /^POST \/orders \(main\.create\) commits 2 times \(lines 13, main\.audit:9\)/);
  });
});
