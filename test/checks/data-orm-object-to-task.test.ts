import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ormObjectToTask from "../../src/checks/data/orm-object-to-task.js";
import { locations, project, py } from "../helpers/project.js";

const MODELS = py("from django.db import models", "", "class Order(models.Model):", "    total = models.IntegerField()");

describe("DATA004 ORM objects passed to background tasks", () => {
  it("fires on a model instance for a task typed with a model, and on request.user", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/models.py": MODELS,
      "shop/tasks.py": py(
        "from celery import shared_task", // 1
        "from shop.models import Order",
        "",
        "@shared_task",
        "def charge(order: Order):", // 5
        "    return order.total",
        "",
        "@shared_task",
        "def welcome(user, lang):",
        "    return user",
      ),
      "shop/views.py": py(
        "from django.http import HttpResponse", // 1
        "from shop.models import Order",
        "from shop.tasks import charge, welcome",
        "",
        "def checkout(request):",
        "    order = Order.objects.get(pk=1)",
        "    charge.delay(order)", // 7
        '    welcome.apply_async(args=[request.user, "en"])', // 8
        "    return HttpResponse('ok')",
      ),
    });
    const findings = p.run(ormObjectToTask);
    assert.deepEqual(locations(findings), [
      ["DATA004", "shop/views.py", 7],
      ["DATA004", "shop/views.py", 8],
    ]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /hands an instance of the Order model \(`order: Order` in the task's signature\) to the background task tasks\.charge/);
    assert.match(findings[1]?.message ?? "", /request's user object \(`request\.user`\)/);
  });

  it("stays quiet for ids, non-task functions, untyped parameters and tests", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/models.py": MODELS,
      "shop/tasks.py": py("from celery import shared_task", "", "@shared_task", "def charge(order_id: int):", "    return order_id", "", "def helper(order):", "    return order"),
      "shop/views.py": py(
        "from shop.tasks import charge, helper",
        "",
        "def checkout(request):",
        "    charge.delay(request.user.pk)",
        "    charge.delay(order_id=3)",
        "    helper(request.user)",
      ),
      "tests/test_tasks.py": py("from shop.tasks import charge", "def test_x(request):", "    charge.delay(request.user)"),
    });
    assert.deepEqual(p.run(ormObjectToTask), []);
  });
});
