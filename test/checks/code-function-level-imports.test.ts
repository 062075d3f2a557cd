import assert from "node:assert/strict";
import { describe, it } from "node:test";
import functionLevelImports from "../../src/checks/code/function-level-imports.js";
import { locations, project, py } from "../helpers/project.js";

describe("CODE011 function-level imports dodging cycles", () => {
  it("fires on an import inside a function whose target imports the importer back at module level", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/orders.py": py("def notify(order):", "    from app.users import send_mail", "    send_mail(order)"),
      "app/users.py": py("from app.orders import notify", "def send_mail(x):", "    return x"),
    });
    const findings = p.run(functionLevelImports);
    assert.deepEqual(locations(findings), [["CODE011", "app/orders.py", 2]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /app\.orders -> app\.users -> app\.orders/);
  });

  it("follows relative imports and longer cycles", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/a.py": py("def f():", "    from .b import g", "    return g()"),
      "app/b.py": py("from app.c import h", "def g():", "    return h()"),
      "app/c.py": py("from app import a", "def h():", "    return a"),
    });
    assert.deepEqual(locations(p.run(functionLevelImports)), [["CODE011", "app/a.py", 2]]);
  });

  it("stays quiet on lazy imports with no cycle, third-party imports, Flask factories and AppConfig.ready", async () => {
    const p = await project({
      "app/__init__.py": py("def create_app():", "    from app.views import bp", "    return bp"),
      "app/views.py": py("import app", "bp = 1"),
      "app/reports.py": py("def export():", "    import pandas", "    from app.users import send_mail", "    return pandas, send_mail"),
      "app/users.py": py("def send_mail(x):", "    return x"),
      "app/apps.py": py("from django.apps import AppConfig", "class Cfg(AppConfig):", "    def ready(self):", "        from app import signals"),
      "app/signals.py": py("from app.apps import Cfg"),
    });
    assert.deepEqual(locations(p.run(functionLevelImports)), []);
  });
});
