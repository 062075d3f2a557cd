import assert from "node:assert/strict";
import { describe, it } from "node:test";
import massAssignment from "../../src/checks/security/mass-assignment.js";
import { project, py } from "../helpers/project.js";

type Found = ReturnType<Awaited<ReturnType<typeof project>>["run"]>;
const where = (findings: Found) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line]);

const sqlModels = py(
  "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
  "class Base(DeclarativeBase):",
  "    pass",
  "class User(Base):",
  "    __tablename__ = 'users'",
  "    id: Mapped[int] = mapped_column(primary_key=True)",
  "    email: Mapped[str]",
  "    is_admin: Mapped[bool]",
);

describe("SEC025 mass assignment", () => {
  it("fires when raw request data is unpacked into a model or an ORM write, or its keys drive setattr", async () => {
    const p = await project({
      "app/models.py": sqlModels,
      "app/views.py": py(
        "from flask import Flask, request",
        "from app.models import User",
        "from app.db import session",
        "app = Flask(__name__)",
        "@app.route('/users', methods=['POST'])",
        "def create():",
        "    user = User(**request.get_json())",
        "    session.add(user)",
        "    return ''",
        "@app.route('/users/<int:user_id>', methods=['PATCH'])",
        "def patch(user_id):",
        "    user = session.get(User, user_id)",
        "    data = request.json",
        "    for key, value in data.items():",
        "        setattr(user, key, value)",
        "    return ''",
      ),
      "app/db.py": py("session = None"),
      "shop/views.py": py("import json", "from shop.models import Order", "def create(request):", "    payload = json.loads(request.body)", "    Order.objects.create(**payload)"),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('orders/', views.create)]"),
      "shop/models.py": py("from django.db import models", "class Order(models.Model):", "    total = models.IntegerField()"),
    });
    assert.deepEqual(where(p.run(massAssignment)), [
      ["SEC025", "app/views.py", 7],
      ["SEC025", "app/views.py", 15],
      ["SEC025", "shop/views.py", 5],
    ]);
  });

  it("stays quiet on a declared schema's fields, explicit keywords and server-side dictionaries", async () => {
    const p = await project({
      "app/models.py": sqlModels,
      "app/api.py": py(
        "from fastapi import APIRouter",
        "from pydantic import BaseModel",
        "from app.models import User",
        "router = APIRouter()",
        "class UserIn(BaseModel):",
        "    email: str",
        "@router.post('/users')",
        "def create(body: UserIn):",
        "    user = User(**body.model_dump())",
        "    for key, value in body.model_dump(exclude_unset=True).items():",
        "        setattr(user, key, value)",
        "    defaults = {'is_admin': False}",
        "    return User(email=body.email, **defaults)",
      ),
    });
    assert.deepEqual(p.run(massAssignment), []);
    // NetBox's bulk rename: the client's field names are kept only where they match the view's own list
    const allowList = await project({
      "dcim/views.py": py(
        "def rename(request, obj):",
        "    fields = [f for f in request.POST.getlist('field_names') if RENAMEABLE and f in RENAMEABLE]",
        "    for name in fields:",
        "        setattr(obj, name, request.POST[name])",
      ),
      "dcim/urls.py": py("from django.urls import path", "from dcim import views", "urlpatterns = [path('rename/', views.rename)]"),
    });
    assert.deepEqual(allowList.run(massAssignment), []);
    const unfiltered = await project({
      "dcim/views.py": py("def rename(request, obj):", "    fields = [f for f in request.POST.getlist('field_names')]", "    for name in fields:", "        setattr(obj, name, request.POST[name])"),
      "dcim/urls.py": py("from django.urls import path", "from dcim import views", "urlpatterns = [path('rename/', views.rename)]"),
    });
    assert.equal(unfiltered.run(massAssignment).length, 1, "without the allow-list it fires");
  });

  it("fires on a DRF ModelSerializer with fields = '__all__' that a writable view uses, for a model with privileged fields", async () => {
    const files = {
      "accounts/models.py": py("from django.db import models", "class Account(models.Model):", "    name = models.CharField(max_length=80)", "    is_staff = models.BooleanField(default=False)"),
      "accounts/serializers.py": py("from rest_framework import serializers", "from accounts.models import Account", "class AccountSerializer(serializers.ModelSerializer):", "    class Meta:", "        model = Account", "        fields = '__all__'"),
      "accounts/views.py": py("from rest_framework import viewsets", "from accounts.serializers import AccountSerializer", "class AccountViewSet(viewsets.ModelViewSet):", "    serializer_class = AccountSerializer"),
    };
    const p = await project(files);
    assert.deepEqual(where(p.run(massAssignment)), [["SEC025", "accounts/serializers.py", 6]]);
    assert.match(p.run(massAssignment)[0]?.message ?? "", /`is_staff`; AccountViewSet writes with it/);
    const readOnly = await project({ ...files, "accounts/views.py": py("from rest_framework import generics", "from accounts.serializers import AccountSerializer", "class AccountList(generics.ListAPIView):", "    serializer_class = AccountSerializer") });
    assert.deepEqual(readOnly.run(massAssignment), [], "a read-only view cannot write through it");
  });
});
