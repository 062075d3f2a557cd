import assert from "node:assert/strict";
import { describe, it } from "node:test";
import debugTooling from "../../src/checks/security/debug-tooling-exposed.js";
import { locations, project, py } from "../helpers/project.js";

const DEPLOYED = { Procfile: "web: gunicorn shop.wsgi\n" };

describe("SEC027 debug or admin tooling exposed in production", () => {
  it("fires on debug-toolbar and silk installed unconditionally in the deployed settings", async () => {
    const p = await project({
      "shop/settings.py": py(
        "INSTALLED_APPS = [", // 1
        '    "django.contrib.admin",',
        '    "debug_toolbar",', // 3
        '    "silk",',
        "]",
        'MIDDLEWARE = ["silk.middleware.SilkyMiddleware"]', // 6
        'DEBUG_TOOLBAR_CONFIG = {"SHOW_TOOLBAR_CALLBACK": lambda request: True}', // 7
      ),
      ...DEPLOYED,
    });
    const findings = p.run(debugTooling);
    assert.deepEqual(locations(findings), [
      ["SEC027", "shop/settings.py", 1],
      ["SEC027", "shop/settings.py", 1],
    ]);
    assert.deepEqual(findings.map((f) => f.severity), ["high", "high"]);
    assert.match(findings.map((f) => f.message).join("\n"), /SHOW_TOOLBAR_CALLBACK/);
    assert.match(findings.map((f) => f.message).join("\n"), /open to anyone/);
  });

  it("is medium for debug-toolbar behind its default DEBUG/INTERNAL_IPS callback", async () => {
    const p = await project({ "shop/settings.py": py('INSTALLED_APPS = ["django.contrib.admin", "debug_toolbar"]'), ...DEPLOYED });
    const [f] = p.run(debugTooling);
    assert.equal(f?.severity, "medium");
    assert.match(f?.message ?? "", /hidden today/);
  });

  it("stays quiet when the tool is added under if DEBUG, removed outside debug, or only in development settings", async () => {
    const underIf = await project({
      "shop/settings.py": py('INSTALLED_APPS = ["django.contrib.admin"]', 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]', "if DEBUG:", '    INSTALLED_APPS.append("debug_toolbar")', '    MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware"] + MIDDLEWARE'),
      ...DEPLOYED,
    });
    assert.deepEqual(underIf.run(debugTooling), []);
    // netbox: listed, then removed when DEBUG is off
    const removed = await project({ "shop/settings.py": py('INSTALLED_APPS = ["django.contrib.admin", "debug_toolbar"]', "if not DEBUG:", '    INSTALLED_APPS.remove("debug_toolbar")'), ...DEPLOYED });
    assert.deepEqual(removed.run(debugTooling), []);
    const local = await project({ "config/settings/base.py": py('INSTALLED_APPS = ["django.contrib.admin"]'), "config/settings/local.py": py("from .base import *", 'INSTALLED_APPS = ["django.contrib.admin", "debug_toolbar"]'), ...DEPLOYED });
    assert.deepEqual(local.run(debugTooling), []);
  });

  it("fires on the Werkzeug debugger in application code, not under a debug guard", async () => {
    const p = await project({
      "app/wsgi.py": py("from werkzeug.debug import DebuggedApplication", "from app import create_app", "application = DebuggedApplication(create_app(), evalex=True)"),
      "app/dev.py": py("from werkzeug.serving import run_simple", "from app import create_app", "if app_debug:", "    run_simple('localhost', 5000, create_app(), use_debugger=True)"),
    });
    assert.deepEqual(locations(p.run(debugTooling)), [["SEC027", "app/wsgi.py", 3]]);
  });

  it("flags the admin at admin/ only for a public production API without a second factor", async () => {
    const files = { "shop/settings.py": py('INSTALLED_APPS = ["django.contrib.admin"]'), "shop/urls.py": py("from django.contrib import admin", "from django.urls import path", "urlpatterns = [", '    path("admin/", admin.site.urls),', "]"), ...DEPLOYED };
    const publicProduction = await project(files, { context: { stage: "production", exposure: "public" } });
    const findings = publicProduction.run(debugTooling);
    assert.deepEqual(locations(findings), [["SEC027", "shop/urls.py", 4]]);
    assert.equal(findings[0]?.severity, "medium");
    const internal = await project(files, { context: { stage: "production", exposure: "internal" } });
    assert.deepEqual(internal.run(debugTooling), []);
    const otp = await project({ ...files, "shop/settings.py": py('INSTALLED_APPS = ["django.contrib.admin", "django_otp", "django_otp.plugins.otp_totp"]') }, { context: { stage: "production", exposure: "public" } });
    assert.deepEqual(otp.run(debugTooling), []);
    const moved = await project({ ...files, "shop/urls.py": py("from django.contrib import admin", "from django.urls import path", 'urlpatterns = [path("staff-7f3a/", admin.site.urls)]') }, { context: { stage: "production", exposure: "public" } });
    assert.deepEqual(moved.run(debugTooling), []);
  });
});
