import assert from "node:assert/strict";
import { describe, it } from "node:test";
import handlersQueryDatabase from "../../src/checks/architecture/handlers-query-database.js";
import { locations, project, py } from "../helpers/project.js";

const MODELS = py("from sqlalchemy.orm import DeclarativeBase, Mapped", "class Base(DeclarativeBase): ...", "class Item(Base):", "    __tablename__ = 'items'", "    id: Mapped[int]");

/** A FastAPI router with `direct` handlers querying the session and `plain` handlers that do not. */
function fastapiRoutes(direct: number, plain: number, body: (i: number) => string[] = (i) => [`    return db.query(Item).filter(Item.id == ${i}).all()`]): string {
  const lines = ["from fastapi import APIRouter, Depends", "from sqlalchemy.orm import Session", "from app.db import get_db", "from app.models import Item", "router = APIRouter()"];
  for (let i = 0; i < direct; i++) lines.push(`@router.get("/items/${i}")`, `def read_${i}(db: Session = Depends(get_db)):`, ...body(i));
  for (let i = 0; i < plain; i++) lines.push(`@router.get("/ping/${i}")`, `def ping_${i}():`, "    return {'ok': True}");
  return py(...lines);
}

describe("ARCH004 handlers query the database directly", () => {
  it("fires when most FastAPI handlers query the session in their body, with the share", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/db.py": py("def get_db():", "    yield None"),
      "app/models.py": MODELS,
      "app/routes.py": fastapiRoutes(5, 2),
    });
    const findings = p.run(handlersQueryDatabase);
    assert.deepEqual(locations(findings), [["ARCH004", "app/routes.py", 8]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /^5 of 7 route handlers \(71%\)/);
  });

  it("is low for Django views, where querying in views is the framework's own style", async () => {
    const views = ["from django.http import JsonResponse", "from shop.models import Order"];
    const urls = ["from django.urls import path", "from shop import views", "urlpatterns = ["];
    for (let i = 0; i < 6; i++) {
      views.push(`def order_${i}(request):`, `    return JsonResponse(list(Order.objects.filter(owner=request.user).values()))`);
      urls.push(`    path("orders/${i}/", views.order_${i}),`);
    }
    urls.push("]");
    const p = await project({
      "shop/__init__.py": "",
      "shop/models.py": py("from django.db import models", "class Order(models.Model):", "    owner = models.CharField(max_length=10)"),
      "shop/views.py": py(...views),
      "shop/urls.py": py(...urls),
    });
    const findings = p.run(handlersQueryDatabase);
    assert.deepEqual(locations(findings), [["ARCH004", "shop/views.py", 4]]);
    assert.equal(findings[0]?.severity, "low");
  });

  it("stays quiet when handlers also go through a CRUD or service layer, when few handlers query, or with few handlers", async () => {
    const layered = await project({
      "app/__init__.py": "",
      "app/db.py": py("def get_db():", "    yield None"),
      "app/models.py": MODELS,
      "app/crud.py": py("def get_item(db, i):", "    return db.query(i)"),
      "app/routes.py": fastapiRoutes(6, 0, (i) => ["    db.query(Item).count()", `    return get_item(db, ${i})`]).replace("from app.models import Item", "from app.models import Item\nfrom app.crud import get_item"),
    });
    assert.deepEqual(locations(layered.run(handlersQueryDatabase)), []);
    const few = await project({ "app/__init__.py": "", "app/db.py": py("def get_db():", "    yield None"), "app/models.py": MODELS, "app/routes.py": fastapiRoutes(2, 6) });
    assert.deepEqual(locations(few.run(handlersQueryDatabase)), []);
    const small = await project({ "app/__init__.py": "", "app/db.py": py("def get_db():", "    yield None"), "app/models.py": MODELS, "app/routes.py": fastapiRoutes(4, 0) });
    assert.deepEqual(locations(small.run(handlersQueryDatabase)), []);
  });
});
