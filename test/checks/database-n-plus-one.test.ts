import assert from "node:assert/strict";
import { describe, it } from "node:test";
import nPlusOne from "../../src/checks/database/n-plus-one.js";
import { locations, project, py } from "../helpers/project.js";

const djangoModels = py(
  "from django.db import models", // 1
  "class Customer(models.Model):", // 2
  "    name = models.CharField(max_length=80)", // 3
  "class Order(models.Model):", // 4
  "    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)", // 5
  "    status = models.CharField(max_length=10)", // 6
  "class Item(models.Model):", // 7
  "    order = models.ForeignKey(Order, related_name=\"items\", on_delete=models.CASCADE)", // 8
  "    sku = models.CharField(max_length=20)", // 9
);

const sqlalchemyModels = py(
  "from sqlalchemy import ForeignKey", // 1
  "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship", // 2
  "class Base(DeclarativeBase):", // 3
  "    pass", // 4
  "class Author(Base):", // 5
  "    __tablename__ = \"authors\"", // 6
  "    id: Mapped[int] = mapped_column(primary_key=True)", // 7
  "    books: Mapped[list[\"Book\"]] = relationship(back_populates=\"author\")", // 8
  "    awards: Mapped[list[\"Award\"]] = relationship(lazy=\"selectin\")", // 9
  "class Book(Base):", // 10
  "    __tablename__ = \"books\"", // 11
  "    id: Mapped[int] = mapped_column(primary_key=True)", // 12
  "    author_id: Mapped[int] = mapped_column(ForeignKey(\"authors.id\"))", // 13
  "    author: Mapped[\"Author\"] = relationship(back_populates=\"books\")", // 14
  "class Award(Base):", // 15
  "    __tablename__ = \"awards\"", // 16
  "    id: Mapped[int] = mapped_column(primary_key=True)", // 17
  "    author_id: Mapped[int] = mapped_column(ForeignKey(\"authors.id\"))", // 18
);

describe("DB002 N+1 query", () => {
  it("fires on Django loops reading a foreign key or a reverse relation of each row", async () => {
    const p = await project({
      "shop/models.py": djangoModels,
      "shop/views.py": py(
        "from django.http import JsonResponse", // 1
        "from .models import Order", // 2
        "def report(request):", // 3
        "    lines = []", // 4
        "    for order in Order.objects.filter(status=\"open\"):", // 5
        "        lines.append(f\"{order.id} {order.customer.name}\")", // 6
        "    return JsonResponse({\"lines\": lines})", // 7
        "def counts(request):", // 8
        "    orders = Order.objects.all()", // 9
        "    out = {}", // 10
        "    for order in orders:", // 11
        "        out[order.id] = order.items.count()", // 12
        "    return JsonResponse(out)", // 13
      ),
    });
    const found = p.run(nPlusOne);
    assert.deepEqual(locations(found), [
      ["DB002", "shop/views.py", 5],
      ["DB002", "shop/views.py", 11],
    ]);
    assert.equal(found[0]?.severity, "medium");
    assert.match(found[0]?.message ?? "", /reads `order\.customer`/);
    assert.deepEqual(found[1]?.evidence.map((e) => e.line), [11, 9, 12]);
    assert.equal(found[1]?.confidence, "medium");
  });

  it("stays quiet with select_related/prefetch_related, values(), a column read, or the _id attribute", async () => {
    const p = await project({
      "shop/models.py": djangoModels,
      "shop/views.py": py(
        "from .models import Order", // 1
        "def a(request):", // 2
        "    for order in Order.objects.filter(status=\"open\").select_related(\"customer\"):", // 3
        "        print(order.customer.name)", // 4
        "def b(request):", // 5
        "    orders = Order.objects.prefetch_related(\"items\")", // 6
        "    for order in orders:", // 7
        "        print(order.items.count())", // 8
        "def c(request):", // 9
        "    for order in Order.objects.all():", // 10
        "        print(order.status, order.customer_id)", // 11
        "def d(request):", // 12
        "    for row in Order.objects.values(\"id\", \"customer__name\"):", // 13
        "        print(row[\"customer__name\"])", // 14
        "def e(request, order):", // 15
        "    for item in order.items.all():", // 16
        "        print(item.sku)", // 17
      ),
    });
    assert.deepEqual(locations(p.run(nPlusOne)), []);
  });

  it("fires on SQLAlchemy 2.0 sync and async queries without a loader option, quiet with selectinload or lazy=selectin", async () => {
    const p = await project({
      "app/models.py": sqlalchemyModels,
      "app/api.py": py(
        "from fastapi import APIRouter, Depends", // 1
        "from sqlalchemy import select", // 2
        "from sqlalchemy.orm import Session, selectinload", // 3
        "from sqlalchemy.ext.asyncio import AsyncSession", // 4
        "from .models import Author, Book", // 5
        "router = APIRouter()", // 6
        "@router.get(\"/authors\")", // 7
        "def authors(db: Session):", // 8
        "    rows = db.scalars(select(Author)).all()", // 9
        "    return [{\"id\": a.id, \"books\": len(a.books)} for a in rows]", // 10
        "async def books(db: AsyncSession):", // 11
        "    result = await db.scalars(select(Book).where(Book.id > 0))", // 12
        "    for book in result.all():", // 13
        "        print(book.author.id)", // 14
        "def eager(db: Session):", // 15
        "    for a in db.scalars(select(Author).options(selectinload(Author.books))):", // 16
        "        print(len(a.books))", // 17
        "def declared(db: Session):", // 18
        "    for a in db.scalars(select(Author)):", // 19
        "        print(len(a.awards))", // 20
      ),
    });
    assert.deepEqual(locations(p.run(nPlusOne)), [
      ["DB002", "app/api.py", 10],
      ["DB002", "app/api.py", 13],
    ]);
  });

  it("fires on Flask-SQLAlchemy Model.query loops and a dynamic relationship", async () => {
    const p = await project({
      "app/models.py": py(
        "from flask_sqlalchemy import SQLAlchemy", // 1
        "db = SQLAlchemy()", // 2
        "class User(db.Model):", // 3
        "    id = db.Column(db.Integer, primary_key=True)", // 4
        "    posts = db.relationship(\"Post\", backref=\"author\", lazy=\"dynamic\")", // 5
        "class Post(db.Model):", // 6
        "    id = db.Column(db.Integer, primary_key=True)", // 7
        "    user_id = db.Column(db.Integer, db.ForeignKey(\"user.id\"))", // 8
      ),
      "app/views.py": py(
        "from flask import Flask, jsonify", // 1
        "from .models import User, Post", // 2
        "app = Flask(__name__)", // 3
        "@app.route(\"/users\")", // 4
        "def users():", // 5
        "    out = []", // 6
        "    for u in User.query.all():", // 7
        "        out.append({\"id\": u.id, \"posts\": u.posts.count()})", // 8
        "    return jsonify(out)", // 9
        "@app.route(\"/posts\")", // 10
        "def posts():", // 11
        "    return jsonify([p.author.id for p in Post.query.all()])", // 12
      ),
    });
    assert.deepEqual(locations(p.run(nPlusOne)), [
      ["DB002", "app/views.py", 7],
      ["DB002", "app/views.py", 12],
    ]);
  });

  it("reports a query read in several loops once (netbox's comprehensions), and is low in a management command", async () => {
    const p = await project({
      "shop/models.py": djangoModels,
      "shop/paths.py": py(
        "from .models import Order", // 1
        "def trace(q):", // 2
        "    orders = Order.objects.filter(q)", // 3
        "    if all([o.customer for o in orders]):", // 4
        "        return [str(o.customer) for o in orders]", // 5
        "    return [str(o.customer.name) for o in orders]", // 6
      ),
      "shop/management/commands/notify.py": py(
        "from shop.models import Order", // 1
        "def handle():", // 2
        "    for order in Order.objects.all():", // 3
        "        print(order.customer.name)", // 4
      ),
    });
    const found = p.run(nPlusOne);
    assert.deepEqual(found.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [
      ["shop/paths.py", 4, "medium"],
      ["shop/management/commands/notify.py", 3, "low"],
    ]);
  });

  it("fires on a DRF list view whose serializer nests a relation the queryset does not select, quiet when it does", async () => {
    const p = await project({
      "shop/models.py": djangoModels,
      "shop/serializers.py": py(
        "from rest_framework import serializers", // 1
        "from .models import Customer, Order", // 2
        "class CustomerSerializer(serializers.ModelSerializer):", // 3
        "    class Meta:", // 4
        "        model = Customer", // 5
        "        fields = [\"id\", \"name\"]", // 6
        "class OrderSerializer(serializers.ModelSerializer):", // 7
        "    customer = CustomerSerializer(read_only=True)", // 8
        "    class Meta:", // 9
        "        model = Order", // 10
        "        fields = [\"id\", \"customer\"]", // 11
        "class OrderNameSerializer(serializers.ModelSerializer):", // 12
        "    customer_name = serializers.CharField(source=\"customer.name\")", // 13
        "    class Meta:", // 14
        "        model = Order", // 15
        "        fields = [\"id\", \"customer_name\"]", // 16
      ),
      "shop/views.py": py(
        "from rest_framework import viewsets, generics", // 1
        "from .models import Order", // 2
        "from .serializers import OrderSerializer, OrderNameSerializer", // 3
        "class OrderViewSet(viewsets.ModelViewSet):", // 4
        "    queryset = Order.objects.all()", // 5
        "    serializer_class = OrderSerializer", // 6
        "class OrderNames(generics.ListAPIView):", // 7
        "    queryset = Order.objects.select_related(\"customer\")", // 8
        "    serializer_class = OrderNameSerializer", // 9
      ),
      "shop/urls.py": py(
        "from django.urls import path, include", // 1
        "from rest_framework.routers import DefaultRouter", // 2
        "from .views import OrderViewSet, OrderNames", // 3
        "router = DefaultRouter()", // 4
        "router.register(\"orders\", OrderViewSet)", // 5
        "urlpatterns = [path(\"\", include(router.urls)), path(\"names/\", OrderNames.as_view())]", // 6
      ),
      "config/settings.py": py("ROOT_URLCONF = \"shop.urls\"", "INSTALLED_APPS = [\"rest_framework\", \"shop\"]"),
    });
    const found = p.run(nPlusOne);
    assert.deepEqual(locations(found), [["DB002", "shop/views.py", 5]]);
    assert.deepEqual(found[0]?.evidence.map((e) => [e.file, e.line]), [["shop/views.py", 5], ["shop/serializers.py", 8]]);
    assert.match(found[0]?.message ?? "", /nested `CustomerSerializer`/);
  });
});
