import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unpaginated from "../../src/checks/api/unpaginated-collection.js";
import unbounded from "../../src/checks/database/unbounded-query.js";
import { locations, project, py } from "../helpers/project.js";

const flaskModels = py(
  "from flask_sqlalchemy import SQLAlchemy", // 1
  "db = SQLAlchemy()", // 2
  "class User(db.Model):", // 3
  "    id = db.Column(db.Integer, primary_key=True)", // 4
  "    active = db.Column(db.Boolean)", // 5
);

describe("DB007 unbounded query returned to a client", () => {
  it("fires on the query line of a Flask list endpoint API003 cannot see (no declared list schema), low when filtered", async () => {
    const p = await project({
      "app/models.py": flaskModels,
      "app/views.py": py(
        "from flask import Flask, jsonify", // 1
        "from .models import db, User", // 2
        "app = Flask(__name__)", // 3
        "@app.route(\"/users\")", // 4
        "def users():", // 5
        "    rows = User.query.all()", // 6
        "    return jsonify([u.id for u in rows])", // 7
        "@app.route(\"/active\")", // 8
        "def active():", // 9
        "    return jsonify([u.id for u in db.session.execute(db.select(User).where(User.active)).scalars().all()])", // 10
        "@app.route(\"/page\")", // 11
        "def page():", // 12
        "    return jsonify([u.id for u in User.query.limit(50).all()])", // 13
        "@app.route(\"/one\")", // 14
        "def one():", // 15
        "    return jsonify(User.query.first().id)", // 16
      ),
    });
    const found = p.run(unbounded);
    assert.deepEqual(found.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [
      ["app/views.py", 6, "medium"],
      ["app/views.py", 10, "low"],
    ]);
  });

  it("leaves a FastAPI list[...] endpoint to API003, and fires when the page parameters are declared but never applied", async () => {
    const p = await project({
      "app/models.py": py(
        "from sqlmodel import SQLModel, Field", // 1
        "class Hero(SQLModel, table=True):", // 2
        "    id: int | None = Field(default=None, primary_key=True)", // 3
      ),
      "app/main.py": py(
        "from fastapi import FastAPI, Depends", // 1
        "from sqlmodel import Session, select", // 2
        "from .models import Hero", // 3
        "app = FastAPI()", // 4
        "def get_session():", // 5
        "    yield None", // 6
        "@app.get(\"/heroes\", response_model=list[Hero])", // 7
        "def heroes(session: Session = Depends(get_session)):", // 8
        "    return session.exec(select(Hero)).all()", // 9
        "@app.get(\"/heroes2\", response_model=list[Hero])", // 10
        "def heroes2(offset: int = 0, limit: int = 100, session: Session = Depends(get_session)):", // 11
        "    return session.exec(select(Hero)).all()", // 12
        "@app.get(\"/heroes3\", response_model=list[Hero])", // 13
        "def heroes3(offset: int = 0, limit: int = 100, session: Session = Depends(get_session)):", // 14
        "    return session.exec(select(Hero).offset(offset).limit(limit)).all()", // 15
      ),
    });
    assert.deepEqual(locations(p.run(unbounded)), [["DB007", "app/main.py", 12]]);
    assert.match(p.run(unbounded)[0]?.message ?? "", /takes offset\/limit but never applies them/);
    // API003 has the first endpoint; the two checks never name the same endpoint
    assert.deepEqual(locations(p.run(unpaginated)), [["API003", "app/main.py", 8]]);
  });

  it("fires on a DRF list view with no paginator at all, quiet when REST_FRAMEWORK pages by default", async () => {
    const files = (settings: string) => ({
      "shop/models.py": py("from django.db import models", "class Order(models.Model):", "    status = models.CharField(max_length=10)"),
      "shop/views.py": py(
        "from rest_framework import viewsets", // 1
        "from .models import Order", // 2
        "class OrderViewSet(viewsets.ReadOnlyModelViewSet):", // 3
        "    queryset = Order.objects.all()", // 4
        "    serializer_class = None", // 5
      ),
      "shop/urls.py": py(
        "from django.urls import path, include",
        "from rest_framework.routers import DefaultRouter",
        "from .views import OrderViewSet",
        "router = DefaultRouter()",
        "router.register(\"orders\", OrderViewSet)",
        "urlpatterns = [path(\"\", include(router.urls))]",
      ),
      "config/settings.py": settings,
    });
    const bare = await project(files(py("ROOT_URLCONF = \"shop.urls\"", "INSTALLED_APPS = [\"rest_framework\", \"shop\"]")));
    assert.deepEqual(locations(bare.run(unbounded)), [["DB007", "shop/views.py", 4]]);
    const paged = await project(files(py("ROOT_URLCONF = \"shop.urls\"", "INSTALLED_APPS = [\"rest_framework\", \"shop\"]", "REST_FRAMEWORK = {\"DEFAULT_PAGINATION_CLASS\": \"rest_framework.pagination.PageNumberPagination\", \"PAGE_SIZE\": 50}")));
    assert.deepEqual(locations(paged.run(unbounded)), []);
  });
});
