import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dataModels } from "../../src/model/data-models.js";
import type { DataModel } from "../../src/model/types.js";
import { project, py } from "../helpers/project.js";

async function models(files: Record<string, string>): Promise<DataModel[]> {
  const p = await project(files);
  return dataModels(p.index, p.model.migrations);
}

function named(list: DataModel[], name: string): DataModel {
  const model = list.find((m) => m.name === name);
  assert.ok(model, `no model ${name} in ${list.map((m) => m.name).join(", ")}`);
  return model;
}

/** `[field, target, line, indexed]` of each foreign key. */
const fks = (m: DataModel) => m.foreignKeys.map((fk) => [fk.field, fk.target, fk.line, fk.indexed]);
/** `[name, target, line, lazy]` of each relationship. */
const rels = (m: DataModel) => m.relationships.map((r) => [r.name, r.target, r.line, r.lazy]);
const fieldNames = (m: DataModel) => m.fields.map((f) => f.name);

describe("data models: SQLAlchemy", () => {
  const classic = {
    "app/db.py": py("from sqlalchemy.orm import declarative_base", "Base = declarative_base()"),
    "app/models.py": py(
      "from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint",
      "from sqlalchemy.orm import relationship",
      "from app.db import Base",
      "class TimestampMixin:",
      "    created_at = Column(Integer)",
      "class Order(TimestampMixin, Base):", // 6
      "    __tablename__ = 'orders'",
      "    __table_args__ = (Index('ix_orders_shop_status', 'shop_id', 'status'), UniqueConstraint('number', 'shop_id'))",
      "    id = Column(Integer, primary_key=True)",
      "    user_id = Column(Integer, ForeignKey('users.id'), nullable=False)", // 10: no index
      "    shop_id = Column(Integer, ForeignKey('shops.id'))", // 11: leads ix_orders_shop_status
      "    coupon_id = Column(Integer, ForeignKey('coupons.id'), index=True)", // 12
      "    number = Column(String(20), unique=True)",
      "    status = Column('state', String(10))",
      "    user = relationship('User', back_populates='orders', lazy='selectin')", // 15
      "    items = relationship('Item')", // 16
    ),
  };

  it("reads a classic declarative model across modules: table, fields, keys, indexes, relationships", async () => {
    const list = await models({ ...classic, "alembic/versions/0001_init.py": "revision = '0001'\n" });
    assert.deepEqual(
      list.map((m) => m.name),
      ["app.models.Order"],
    );
    const order = named(list, "app.models.Order");
    assert.equal(order.orm, "sqlalchemy");
    assert.equal(order.table, "orders");
    assert.equal(order.line, 6);
    assert.deepEqual(fieldNames(order), ["created_at", "id", "user_id", "shop_id", "coupon_id", "number", "status"]);
    assert.deepEqual(order.primaryKey, ["id"]);
    assert.deepEqual(fks(order), [
      ["user_id", "users.id", 10, false],
      ["shop_id", "shops.id", 11, true],
      ["coupon_id", "coupons.id", 12, true],
    ]);
    assert.deepEqual(order.indexes, [["coupon_id"], ["shop_id", "status"]]);
    assert.deepEqual(order.uniqueConstraints, [["number"], ["number", "shop_id"]]);
    assert.deepEqual(rels(order), [
      ["user", "User", 15, "selectin"],
      ["items", "Item", 16, null],
    ]);
    assert.deepEqual(order.fields.find((f) => f.name === "user_id"), { name: "user_id", type: "Integer", line: 10, primaryKey: false, nullable: false, indexed: false, unique: false });
    assert.deepEqual(order.fields.find((f) => f.name === "id"), { name: "id", type: "Integer", line: 9, primaryKey: true, nullable: false, indexed: true, unique: false });
    assert.equal(order.migrated, true);
  });

  it("says migrated false without Alembic versions, and null when only other migrations exist", async () => {
    assert.equal(named(await models(classic), "app.models.Order").migrated, false);
    const otherTool = await models({ ...classic, "shop/migrations/0001_initial.py": "x = 1\n" });
    assert.equal(named(otherTool, "app.models.Order").migrated, null);
  });

  it("reads 2.0 typed mappings: Mapped types, abstract models, relationship targets from annotations", async () => {
    const list = await models({
      "app/models/base.py": py(
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
        "class Base(DeclarativeBase):",
        "    pass",
        "class Model(Base):",
        "    __abstract__ = True",
        "    id: Mapped[int] = mapped_column(primary_key=True)",
      ),
      "app/models/shop.py": py(
        "from typing import Optional",
        "from sqlalchemy import ForeignKey, String",
        "from sqlalchemy.orm import Mapped, mapped_column, relationship",
        "from .base import Model",
        "class User(Model):", // 5
        "    __tablename__ = 'users'",
        "    email: Mapped[str] = mapped_column(String(255), unique=True)",
        "    nickname: Mapped[Optional[str]]",
        "    orders: Mapped[list['Order']] = relationship(back_populates='user')", // 9
        "class Order(Model):", // 10
        "    __tablename__ = 'orders'",
        "    user_id: Mapped[int] = mapped_column(ForeignKey('users.id'))", // 12
        "    shop_id: Mapped[int | None] = mapped_column(ForeignKey('shops.id'), index=True)", // 13
        "    user: Mapped['User'] = relationship(back_populates='orders', lazy='joined')", // 14
      ),
    });
    assert.deepEqual(
      list.map((m) => [m.name, m.table, m.line]),
      [
        ["app.models.shop.User", "users", 5],
        ["app.models.shop.Order", "orders", 10],
      ],
    );
    const user = named(list, "app.models.shop.User");
    // `id` comes from the abstract model in another file: its evidence is the model's class line
    assert.deepEqual(
      user.fields.map((f) => [f.name, f.type, f.line, f.nullable]),
      [
        ["id", "Mapped[int]", 5, false],
        ["email", "String(255)", 7, false],
        ["nickname", "Mapped[Optional[str]]", 8, true],
      ],
    );
    assert.deepEqual(user.primaryKey, ["id"]);
    assert.deepEqual(rels(user), [["orders", "Order", 9, null]]);
    const order = named(list, "app.models.shop.Order");
    assert.deepEqual(fks(order), [
      ["user_id", "users.id", 12, false],
      ["shop_id", "shops.id", 13, true],
    ]);
    assert.deepEqual(
      order.fields.filter((f) => f.name.endsWith("_id")).map((f) => [f.name, f.type, f.nullable]),
      [
        ["user_id", "Mapped[int]", false],
        ["shop_id", "Mapped[int | None]", true],
      ],
    );
    assert.deepEqual(rels(order), [["user", "User", 14, "joined"]]);
  });

  it("finds bases made by registry().generate_base() and @as_declarative, and @registry.mapped classes", async () => {
    const list = await models({
      "app/db.py": py(
        "from sqlalchemy.orm import as_declarative, registry",
        "from sqlalchemy import Column, Integer",
        "mapper_registry = registry()",
        "Base = mapper_registry.generate_base()",
        "@as_declarative()",
        "class Declared:",
        "    id = Column(Integer, primary_key=True)",
      ),
      "app/models.py": py(
        "from sqlalchemy import Column, ForeignKey, Integer",
        "from app.db import Base, Declared, mapper_registry",
        "class Tag(Base):",
        "    __tablename__ = 'tags'",
        "    id = Column(Integer, primary_key=True)",
        "class Note(Declared):",
        "    author_id = Column(Integer, ForeignKey('users.id'))",
        "@mapper_registry.mapped",
        "class Audit:",
        "    __tablename__ = 'audit'",
        "    id = Column(Integer, primary_key=True)",
      ),
    });
    assert.deepEqual(
      list.map((m) => [m.name, m.table, m.primaryKey]),
      [
        ["app.models.Tag", "tags", ["id"]],
        ["app.models.Note", null, ["id"]],
        ["app.models.Audit", "audit", ["id"]],
      ],
    );
    assert.deepEqual(fks(named(list, "app.models.Note")), [["author_id", "users.id", 7, false]]);
  });

  it("counts a module-level Index and a composite primary key's leading column, not its second one", async () => {
    const list = await models({
      "app/models.py": py(
        "import sqlalchemy as sa",
        "from sqlalchemy.orm import declarative_base",
        "Base = declarative_base()",
        "class Membership(Base):",
        "    __tablename__ = 'memberships'",
        "    user_id = sa.Column(sa.Integer, sa.ForeignKey('users.id'), primary_key=True)", // 6
        "    group_id = sa.Column(sa.Integer, sa.ForeignKey('groups.id'), primary_key=True)", // 7
        "    role_id = sa.Column(sa.Integer, sa.ForeignKey('roles.id'))", // 8
        "sa.Index('ix_membership_role', Membership.role_id)",
      ),
    });
    const membership = named(list, "app.models.Membership");
    assert.deepEqual(membership.primaryKey, ["user_id", "group_id"]);
    assert.deepEqual(fks(membership), [
      ["user_id", "users.id", 6, true],
      ["group_id", "groups.id", 7, false],
      ["role_id", "roles.id", 8, true],
    ]);
    assert.deepEqual(membership.indexes, [["role_id"]]);
  });

  it("reads @declared_attr mixin columns, module-qualified Mapped annotations, and skips Alembic revision copies", async () => {
    const list = await models({
      "app/models.py": py(
        "import sqlalchemy as sa",
        "import sqlalchemy.orm as so",
        "from sqlalchemy.orm import declared_attr",
        "class Base(so.DeclarativeBase):",
        "    pass",
        "class ProjectMixin:",
        "    @declared_attr",
        "    def project_id(cls):", // 8
        "        return sa.Column(sa.Integer, sa.ForeignKey('project.id', ondelete='CASCADE'))",
        "    @declared_attr",
        "    def project(cls):", // 11
        "        return so.relationship('Project', lazy='joined')",
        "class Post(ProjectMixin, Base):", // 13
        "    __tablename__ = 'post'",
        "    id: so.Mapped[int] = so.mapped_column(primary_key=True)",
        "    body: so.Mapped[str]",
        "    author: so.WriteOnlyMapped['User'] = so.relationship(back_populates='posts')", // 17
      ),
      // Alembic scripts in a folder the scan does not take for migrations: still history, not models
      "app/database/revisions/versions/0001_init.py": py(
        "import sqlalchemy as sa",
        "from sqlalchemy.orm import declarative_base",
        "revision = '0001'",
        "down_revision = None",
        "Base = declarative_base()",
        "class Post(Base):",
        "    __tablename__ = 'post'",
        "    id = sa.Column(sa.Integer, primary_key=True)",
      ),
    });
    assert.deepEqual(
      list.map((m) => m.name),
      ["app.models.Post"],
    );
    const post = named(list, "app.models.Post");
    assert.deepEqual(fieldNames(post), ["project_id", "id", "body"]);
    assert.deepEqual(fks(post), [["project_id", "project.id", 8, false]]);
    assert.deepEqual(rels(post), [
      ["project", "Project", 11, "joined"],
      ["author", "User", 17, null],
    ]);
    assert.equal(post.migrated, true);
  });

  it("takes a class with __tablename__ and SQLAlchemy columns for a model when its Base comes from outside the project", async () => {
    const list = await models({
      "app/models.py": py(
        "from sqlalchemy import Column, ForeignKey, Integer",
        "from shared_platform.db import Base",
        "class Invoice(Base):",
        "    __tablename__ = 'invoices'",
        "    id = Column(Integer, primary_key=True)",
        "    customer_id = Column(Integer, ForeignKey('customers.id'))",
        "class Settings(Base):",
        "    timeout = 3",
      ),
    });
    assert.deepEqual(
      list.map((m) => [m.name, m.table]),
      [["app.models.Invoice", "invoices"]],
    );
    assert.deepEqual(fks(named(list, "app.models.Invoice")), [["customer_id", "customers.id", 6, false]]);
  });

  it("reads table-level PrimaryKeyConstraint and ForeignKeyConstraint", async () => {
    const list = await models({
      "app/models.py": py(
        "from sqlalchemy import Column, ForeignKeyConstraint, Integer, PrimaryKeyConstraint",
        "from sqlalchemy.orm import declarative_base",
        "Base = declarative_base()",
        "class Stock(Base):",
        "    __tablename__ = 'stock'",
        "    __table_args__ = (",
        "        PrimaryKeyConstraint('warehouse_id', 'sku_id'),",
        "        ForeignKeyConstraint(['sku_id', 'variant'], ['sku.id', 'sku.variant']),", // 8
        "    )",
        "    warehouse_id = Column(Integer)",
        "    sku_id = Column(Integer)",
        "    variant = Column(Integer)",
      ),
    });
    const stock = named(list, "app.models.Stock");
    assert.deepEqual(stock.primaryKey, ["warehouse_id", "sku_id"]);
    assert.deepEqual(fks(stock), [["sku_id, variant", "sku.id, sku.variant", 8, false]]);
  });

  it("reads Flask-SQLAlchemy models with their default snake_case table", async () => {
    const list = await models({
      "app/extensions.py": py("from flask_sqlalchemy import SQLAlchemy", "db = SQLAlchemy()"),
      "app/models.py": py(
        "from app.extensions import db",
        "class UserRole(db.Model):",
        "    id = db.Column(db.Integer, primary_key=True)",
        "    user_id = db.Column(db.Integer, db.ForeignKey('user.id'), nullable=False)",
        "    user = db.relationship('User', lazy='dynamic')",
      ),
    });
    const role = named(list, "app.models.UserRole");
    assert.equal(role.table, "user_role");
    assert.deepEqual(fks(role), [["user_id", "user.id", 4, false]]);
    assert.deepEqual(rels(role), [["user", "User", 5, "dynamic"]]);
  });
});

describe("data models: SQLModel", () => {
  it("keeps table models only, with Field options and Relationship loading", async () => {
    const list = await models({
      "app/models.py": py(
        "from typing import Optional",
        "from sqlmodel import Field, Relationship, SQLModel",
        "class TeamBase(SQLModel):",
        "    name: str = Field(index=True)",
        "class Team(TeamBase, table=True):", // 5
        "    id: Optional[int] = Field(default=None, primary_key=True)",
        "    heroes: list['Hero'] = Relationship(back_populates='team')", // 7
        "class HeroBase(SQLModel):",
        "    name: str",
        "    team_id: Optional[int] = Field(default=None, foreign_key='team.id')", // 10
        "class Hero(HeroBase, table=True):", // 11
        "    __tablename__ = 'heroes'",
        "    id: Optional[int] = Field(default=None, primary_key=True)",
        "    mentor_id: int = Field(foreign_key='heroes.id', index=True)", // 14
        "    team: Optional['Team'] = Relationship(back_populates='heroes', sa_relationship_kwargs={'lazy': 'selectin'})", // 15
        "class HeroCreate(HeroBase):",
        "    pass",
        "class HeroPublic(HeroBase):",
        "    id: int",
      ),
      "migrations/versions/0001_init.py": "revision = '0001'\n",
    });
    assert.deepEqual(
      list.map((m) => [m.name, m.orm, m.table, m.line]),
      [
        ["app.models.Team", "sqlmodel", "team", 5],
        ["app.models.Hero", "sqlmodel", "heroes", 11],
      ],
    );
    const team = named(list, "app.models.Team");
    assert.deepEqual(
      team.fields.map((f) => [f.name, f.type, f.primaryKey, f.nullable, f.indexed]),
      [
        ["name", "str", false, false, true],
        ["id", "Optional[int]", true, false, true],
      ],
    );
    assert.deepEqual(rels(team), [["heroes", "Hero", 7, null]]);
    const hero = named(list, "app.models.Hero");
    assert.deepEqual(hero.primaryKey, ["id"]);
    assert.deepEqual(fieldNames(hero), ["name", "team_id", "id", "mentor_id"]);
    assert.deepEqual(fks(hero), [
      ["team_id", "team.id", 10, false],
      ["mentor_id", "heroes.id", 14, true],
    ]);
    assert.deepEqual(rels(hero), [["team", "Team", 15, "selectin"]]);
    assert.equal(hero.migrated, true);
  });

  it("reads sa_column=Column(...) options", async () => {
    const list = await models({
      "app/models.py": py(
        "from sqlalchemy import Column, ForeignKey, Integer",
        "from sqlmodel import Field, SQLModel",
        "class Item(SQLModel, table=True):",
        "    id: int = Field(primary_key=True)",
        "    owner_id: int = Field(sa_column=Column(Integer, ForeignKey('user.id', ondelete='CASCADE'), index=True))",
      ),
    });
    assert.deepEqual(fks(named(list, "app.models.Item")), [["owner_id", "user.id", 5, true]]);
  });
});

describe("data models: Django", () => {
  const shop = {
    "core/models.py": py(
      "from django.db import models",
      "class TimeStamped(models.Model):",
      "    created = models.DateTimeField(auto_now_add=True)",
      "    class Meta:",
      "        abstract = True",
    ),
    "shop/models.py": py(
      "from django.conf import settings",
      "from django.db import models",
      "from core.models import TimeStamped",
      "class Product(TimeStamped):", // 4
      "    sku = models.CharField(max_length=32, unique=True)",
      "    name = models.CharField(max_length=200, db_index=True)",
      "class Order(TimeStamped):", // 7
      "    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)", // 8
      "    product = models.ForeignKey(Product, on_delete=models.PROTECT, db_index=False)", // 9: second in the unique constraint only
      "    coupon = models.ForeignKey('promo.Coupon', null=True, on_delete=models.SET_NULL, db_index=False)", // 10
      "    invoice = models.OneToOneField('billing.Invoice', on_delete=models.CASCADE, db_index=False)", // 11
      "    tags = models.ManyToManyField('Tag')", // 12
      "    class Meta:",
      "        db_table = 'orders'",
      "        indexes = [models.Index(fields=['-coupon', 'created'])]",
      "        constraints = [models.UniqueConstraint(fields=['customer', 'product'], name='uq')]",
      "class Tag(models.Model):", // 17
      "    label = models.SlugField()",
      "    class Meta:",
      "        unique_together = [('label', 'id')]",
      "class SpecialOrder(Order):", // 21
      "    note = models.TextField()",
      "class OrderProxy(Order):",
      "    class Meta:",
      "        proxy = True",
    ),
  };

  it("reads models through a project abstract model, with Django's own foreign key indexes", async () => {
    const list = await models({ ...shop, "shop/migrations/__init__.py": "", "shop/migrations/0001_initial.py": "x = 1\n" });
    assert.deepEqual(
      list.map((m) => [m.name, m.orm, m.table, m.line]),
      [
        ["shop.models.Product", "django", "shop_product", 4],
        ["shop.models.Order", "django", "orders", 7],
        ["shop.models.Tag", "django", "shop_tag", 17],
        ["shop.models.SpecialOrder", "django", "shop_specialorder", 21],
      ],
    );
    const product = named(list, "shop.models.Product");
    assert.deepEqual(
      product.fields.map((f) => [f.name, f.type, f.line, f.indexed, f.unique]),
      [
        ["created", "models.DateTimeField", 4, false, false],
        ["sku", "models.CharField", 5, true, true],
        ["name", "models.CharField", 6, true, false],
      ],
    );
    assert.deepEqual(product.primaryKey, ["id"]);
    const order = named(list, "shop.models.Order");
    assert.deepEqual(fks(order), [
      ["customer", "settings.AUTH_USER_MODEL", 8, true],
      ["product", "Product", 9, false],
      ["coupon", "promo.Coupon", 10, true],
      ["invoice", "billing.Invoice", 11, true],
    ]);
    assert.deepEqual(order.indexes, [["coupon", "created"]]);
    assert.deepEqual(order.uniqueConstraints, [["invoice"], ["customer", "product"]]);
    assert.deepEqual(
      rels(order).map(([name, target]) => [name, target]),
      [
        ["customer", "settings.AUTH_USER_MODEL"],
        ["product", "Product"],
        ["coupon", "promo.Coupon"],
        ["invoice", "billing.Invoice"],
        ["tags", "Tag"],
      ],
    );
    assert.deepEqual(named(list, "shop.models.Tag").uniqueConstraints, [["label", "id"]]);
    assert.deepEqual(named(list, "shop.models.SpecialOrder").primaryKey, ["order_ptr"]);
    assert.deepEqual(fieldNames(named(list, "shop.models.SpecialOrder")), ["note"]);
    assert.ok(list.every((m) => m.migrated === true));
  });

  it("flags an unindexed foreign key only when db_index=False and no index leads with it", async () => {
    const list = await models({
      "shop/models.py": py(
        "from django.db import models",
        "class Line(models.Model):",
        "    order = models.ForeignKey('Order', on_delete=models.CASCADE, db_index=False)",
      ),
    });
    assert.deepEqual(fks(named(list, "shop.models.Line")), [["order", "Order", 3, false]]);
  });

  it("needs a migration file other than __init__.py in the app's own migrations package", async () => {
    const onlyInit = await models({ ...shop, "shop/migrations/__init__.py": "" });
    assert.ok(onlyInit.every((m) => m.migrated === false));
    const otherApp = await models({ ...shop, "billing/migrations/0001_initial.py": "x = 1\n" });
    assert.ok(otherApp.every((m) => m.migrated === false));
  });

  it("a model in a sub-package of an app is migrated by that app's migrations; a nested app with its own apps.py is not", async () => {
    const model = (name: string) => py("from django.db import models", `class ${name}(models.Model):`, "    name = models.CharField(max_length=10)");
    const list = await models({
      "blog/__init__.py": "",
      "blog/models.py": "from blog.two_factor.models import TwoFactor  # noqa\n",
      "blog/two_factor/__init__.py": "",
      "blog/two_factor/models.py": model("TwoFactor"),
      "blog/migrations/0001_initial.py": "x = 1\n",
      "blog/plugins/__init__.py": "",
      "blog/plugins/apps.py": "from django.apps import AppConfig\nclass PluginsConfig(AppConfig):\n    name = 'blog.plugins'\n",
      "blog/plugins/models.py": model("Plugin"),
    });
    assert.deepEqual(list.map((m) => [m.name, m.migrated]), [["blog.plugins.models.Plugin", false], ["blog.two_factor.models.TwoFactor", true]]);
  });

  it("takes the app label from the package holding a models/ package, or from Meta.app_label", async () => {
    const list = await models({
      "catalog/models/__init__.py": "from .item import Item\n",
      "catalog/models/item.py": py(
        "from django.db import models",
        "class Item(models.Model):",
        "    title = models.CharField(max_length=10)",
        "class Legacy(models.Model):",
        "    class Meta:",
        "        app_label = 'old'",
      ),
      "catalog/migrations/0001_initial.py": "x = 1\n",
    });
    assert.deepEqual(
      list.map((m) => [m.name, m.table, m.migrated]),
      [
        ["catalog.models.item.Item", "catalog_item", true],
        ["catalog.models.item.Legacy", "old_legacy", true],
      ],
    );
  });
});

describe("data models: Tortoise and Peewee", () => {
  it("reads Tortoise models: pk, foreign keys not indexed unless asked, Meta.table, Aerich migrations", async () => {
    const files = {
      "app/models.py": py(
        "from tortoise import fields",
        "from tortoise.models import Model",
        "class Base(Model):",
        "    created = fields.DatetimeField(auto_now_add=True)",
        "    class Meta:",
        "        abstract = True",
        "class Tournament(Base):", // 7
        "    id = fields.IntField(pk=True)",
        "    name = fields.CharField(max_length=255)",
        "class Event(Base):", // 10
        "    tournament = fields.ForeignKeyField('models.Tournament', related_name='events')", // 11
        "    venue = fields.ForeignKeyField('models.Venue', index=True)", // 12
        "    participants = fields.ManyToManyField('models.Team', related_name='events')", // 13
        "    class Meta:",
        "        table = 'event'",
      ),
    };
    const list = await models({ ...files, "migrations/models/0_20240101_init.py": "x = 1\n" });
    assert.deepEqual(
      list.map((m) => [m.name, m.orm, m.table, m.primaryKey, m.migrated]),
      [
        ["app.models.Tournament", "tortoise", "tournament", ["id"], true],
        ["app.models.Event", "tortoise", "event", ["id"], true],
      ],
    );
    const event = named(list, "app.models.Event");
    assert.deepEqual(fks(event), [
      ["tournament", "models.Tournament", 11, false],
      ["venue", "models.Venue", 12, true],
    ]);
    assert.deepEqual(rels(event), [
      ["tournament", "models.Tournament", 11, null],
      ["venue", "models.Venue", 12, null],
      ["participants", "models.Team", 13, null],
    ]);
    assert.deepEqual(fieldNames(event), ["created", "tournament", "venue"]);
    assert.ok((await models(files)).every((m) => m.migrated === false));
  });

  it("reads Peewee models through a wildcard import, skipping the settings-only BaseModel", async () => {
    const list = await models({
      "app/models.py": py(
        "from peewee import *",
        "db = SqliteDatabase('app.db')",
        "class BaseModel(Model):",
        "    class Meta:",
        "        database = db",
        "class User(BaseModel):", // 6
        "    username = CharField(unique=True)",
        "class Tweet(BaseModel):", // 8
        "    user = ForeignKeyField(User, backref='tweets')", // 9
        "    reply_to = ForeignKeyField('self', null=True, index=False)", // 10
        "    class Meta:",
        "        table_name = 'tweets'",
        "        indexes = ((('reply_to', 'user'), True),)",
      ),
    });
    assert.deepEqual(
      list.map((m) => [m.name, m.orm, m.table, m.primaryKey]),
      [
        ["app.models.User", "peewee", "user", ["id"]],
        ["app.models.Tweet", "peewee", "tweets", ["id"]],
      ],
    );
    const tweet = named(list, "app.models.Tweet");
    assert.deepEqual(fks(tweet), [
      ["user", "User", 9, true],
      ["reply_to", "self", 10, true],
    ]);
    assert.deepEqual(tweet.uniqueConstraints, [["reply_to", "user"]]);
    assert.equal(tweet.migrated, null);
  });

  it("sees a Peewee foreign key with index=False and no covering index as unindexed", async () => {
    const list = await models({
      "app/models.py": py("import peewee as pw", "class Pet(pw.Model):", "    owner = pw.ForeignKeyField(pw.Model, index=False)", "    id = pw.AutoField()"),
    });
    const pet = named(list, "app.models.Pet");
    assert.deepEqual(fks(pet), [["owner", "pw.Model", 3, false]]);
    assert.deepEqual(pet.primaryKey, ["id"]);
  });
});

describe("data models: near-misses", () => {
  it("takes none of schemas, serializers, dataclasses, other libraries' Model, bases or abstract models for tables", async () => {
    const list = await models({
      "app/schemas.py": py(
        "from dataclasses import dataclass",
        "from pydantic import BaseModel, Field",
        "from marshmallow import Schema, fields",
        "from rest_framework import serializers",
        "from mylib.orm import Model",
        "class UserIn(BaseModel):",
        "    id: int = Field(primary_key=True)",
        "    __tablename__ = 'users'",
        "class UserSchema(Schema):",
        "    id = fields.Int()",
        "class UserSerializer(serializers.ModelSerializer):",
        "    class Meta:",
        "        model = 'User'",
        "        fields = ['id']",
        "@dataclass",
        "class Point:",
        "    x: int",
        "class Thing(Model):",
        "    name = CharField()",
      ),
      "app/db.py": py(
        "from sqlalchemy import Column, Integer",
        "from sqlalchemy.orm import DeclarativeBase, declarative_base",
        "from django.db import models",
        "from sqlmodel import SQLModel",
        "Legacy = declarative_base()",
        "class Base(DeclarativeBase):",
        "    pass",
        "class Abstract(Base):",
        "    __abstract__ = True",
        "    id = Column(Integer, primary_key=True)",
        "class Stamped(models.Model):",
        "    class Meta:",
        "        abstract = True",
        "class ItemBase(SQLModel):",
        "    name: str",
      ),
    });
    assert.deepEqual(list, []);
  });
});

describe("data models: class keywords", () => {
  it("takes SQLModel's table=True from the class keywords", async () => {
    const { dataModels } = await import("../../src/model/data-models.js");
    const { project } = await import("../helpers/project.js");
    const p = await project({
      "app/models.py": [
        "from sqlmodel import Field, SQLModel",
        "class HeroBase(SQLModel):",
        "    name: str",
        "class Hero(HeroBase, table=True):",
        "    id: int | None = Field(default=None, primary_key=True)",
        "class HeroCreate(HeroBase):",
        "    pass",
        "",
      ].join("\n"),
    });
    assert.deepEqual(dataModels(p.index, []).map((m) => m.name), ["app.models.Hero"]);
  });
});
