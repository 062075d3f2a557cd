import assert from "node:assert/strict";
import { describe, it } from "node:test";
import wildcardImports from "../../src/checks/code/wildcard-imports.js";
import { locations, project, py } from "../helpers/project.js";

describe("CODE008 wildcard imports", () => {
  it("reports wildcard imports in application modules as one finding", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/utils.py": py("def money(x):", "    return x"),
      "app/views.py": py("import os", "from app.utils import *", "from flask import *"),
    });
    const findings = p.run(wildcardImports);
    assert.deepEqual(locations(findings), [["CODE008", "app/views.py", 2]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /^2 wildcard imports in 1 application module/);
  });

  it("stays quiet on Django settings layering, package re-exports, tests and migrations", async () => {
    const p = await project({
      "proj/settings/__init__.py": "",
      "proj/settings/base.py": py("DEBUG = False"),
      "proj/settings/production.py": py("from .base import *", "DEBUG = False"),
      "app/models/__init__.py": py("from .order import *", "from .user import *"),
      "app/models/order.py": py("class Order: ..."),
      "app/models/user.py": py("class User: ..."),
      "app/views.py": py("from app.models import Order"),
      "app/forms/__init__.py": py("from app.forms.base import *"),
      "app/forms/base.py": py("class Form: ..."),
      "app/db/all_models.py": py("from app.models.order import *", "from app.models.user import *"),
      "proj/configured_settings.py": py("from .prod_settings import *"),
      "tests/test_views.py": py("from app.views import *"),
      "app/migrations/0001_initial.py": py("from django.db.models import *"),
    });
    assert.deepEqual(locations(p.run(wildcardImports)), []);
  });
});
