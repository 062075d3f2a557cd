import assert from "node:assert/strict";
import { describe, it } from "node:test";
import queryInLoop from "../../src/checks/database/query-in-loop.js";
import { project, py } from "../helpers/project.js";

const models = py(
  "from django.db import models", // 1
  "class Customer(models.Model):", // 2
  "    name = models.CharField(max_length=80)", // 3
  "class Order(models.Model):", // 4
  "    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)", // 5
);

describe("DB003 query inside a loop", () => {
  it("fires once per function on Django, SQLAlchemy and cursor queries per item, naming the calls", async () => {
    const p = await project({
      "shop/models.py": models,
      "shop/services.py": py(
        "from django.db import connection", // 1
        "from sqlalchemy.orm import Session", // 2
        "from .models import Customer, Order", // 3
        "def totals(ids):", // 4
        "    out = []", // 5
        "    for cid in ids:", // 6
        "        customer = Customer.objects.get(pk=cid)", // 7
        "        n = Order.objects.filter(customer=customer).count()", // 8
        "        out.append((customer.name, n))", // 9
        "    return out", // 10
        "def names(db: Session, ids):", // 11
        "    return [db.get(Customer, i) for i in ids]", // 12
        "def raw(ids):", // 13
        "    with connection.cursor() as cursor:", // 14
        "        for i in ids:", // 15
        "            cursor.execute(\"UPDATE shop_order SET seen = true WHERE id = %s\", [i])", // 16
      ),
      "shop/api.py": py("from fastapi import FastAPI", "from .services import totals", "app = FastAPI()", "@app.get(\"/totals\")", "def get_totals(ids: str):", "    return totals(ids.split(\",\"))"),
    });
    const found = p.run(queryInLoop);
    // medium on a request path (totals is called by a route); low in code no route reaches
    assert.deepEqual(found.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [
      ["shop/services.py", 7, "medium"],
      ["shop/services.py", 12, "low"],
      ["shop/services.py", 16, "low"],
    ]);
    assert.match(found[0]?.message ?? "", /while serving a request/);
    assert.match(found[0]?.message ?? "", /`Customer\.objects\.get\(\)`, `Order\.objects\.filter\(\)\.count\(\)` run once per item of the loop at line 6/);
  });

  it("stays quiet on batched queries, a comprehension's iterable, retries, while loops and migrations; low in a management command", async () => {
    const p = await project({
      "shop/models.py": models,
      "shop/services.py": py(
        "from .models import Customer, Order", // 1
        "def chunks(ids):", // 2
        "    for chunk in split(ids, 500):", // 3
        "        Order.objects.filter(customer_id__in=chunk).delete()", // 4
        "def listing():", // 5
        "    return [c.name for c in Customer.objects.all()]", // 6
        "def retry():", // 7
        "    for attempt in range(3):", // 8
        "        if Order.objects.exists():", // 9
        "            return True", // 10
        "def drain():", // 11
        "    while True:", // 12
        "        batch = list(Order.objects.all()[:100])", // 13
        "        if not batch:", // 14
        "            break", // 15
        "def once():", // 16
        "    for name in names():", // 17
        "        print(name)", // 18
        "    return Customer.objects.count()", // 19
        "def compose(tags):", // 20
        "    q = Order.objects.all()", // 21
        "    for tag in tags:", // 22
        "        q = q.filter(tags__contains=tag)", // 23
        "    return list(q)", // 24
        "def multiline(user):", // 25
        "    return {", // 26
        "        o.id", // 27
        "        for o in Order.objects.filter(", // 28
        "            customer=user", // 29
        "        )", // 30
        "    }", // 31
        "def instance(pk, names):", // 32
        "    customer = Customer.objects.get(pk=pk)", // 33
        "    for name in names:", // 34
        "        customer.full_clean()", // 35
        "def batched(ids, actions):", // 36
        "    found = Customer.objects.filter(id__in=ids)", // 37
        "    for action in actions:", // 38
        "        if found.exists():", // 39
        "            print(action)", // 40
        "def prerequisites(names):", // 41
        "    from django.apps import apps", // 42
        "    for name in names:", // 43
        "        model = apps.get_model(name)", // 44
        "        if not model.objects.exists():", // 45
        "            return model", // 46
      ),
      "shop/migrations/0002_fill.py": py(
        "def forwards(apps, schema_editor):", // 1
        "    Order = apps.get_model(\"shop\", \"Order\")", // 2
        "    for o in Order.objects.all():", // 3
        "        Order.objects.filter(pk=o.pk).update(seen=True)", // 4
      ),
      "shop/management/commands/backfill.py": py(
        "from shop.models import Customer", // 1
        "def handle(ids):", // 2
        "    for i in ids:", // 3
        "        Customer.objects.filter(pk=i).update(name=\"x\")", // 4
      ),
    });
    const found = p.run(queryInLoop);
    assert.deepEqual(found.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [["shop/management/commands/backfill.py", 4, "low"]]);
  });
});

describe("DB003 retry-until-unique loops", () => {
  it("stays quiet on a while loop that retries until a generated value is unique (CTFd's token generator)", async () => {
    const p = await project({
      "app/auth.py": py(
        "import secrets",
        "from app.models import UserTokens",
        "def generate_user_token(user):",
        "    temp_token = True",
        "    while temp_token is not None:",
        "        value = secrets.token_hex(32)",
        "        temp_token = UserTokens.query.filter_by(value=value).first()",
        "    return value",
      ),
      "app/models.py": py("from flask_sqlalchemy import SQLAlchemy", "db = SQLAlchemy()", "class UserTokens(db.Model):", "    id = db.Column(db.Integer, primary_key=True)"),
    });
    assert.deepEqual(p.run(queryInLoop), []);
  });
});
