import assert from "node:assert/strict";
import { describe, it } from "node:test";
import djangoDeploySettings from "../../src/checks/security/django-deploy-settings.js";
import { locations, project, py } from "../helpers/project.js";

const MIDDLEWARE = py(
  "MIDDLEWARE = [",
  '    "django.middleware.security.SecurityMiddleware",',
  '    "django.contrib.sessions.middleware.SessionMiddleware",',
  '    "django.middleware.csrf.CsrfViewMiddleware",',
  '    "django.contrib.auth.middleware.AuthenticationMiddleware",',
  "]",
);
const BASE = py('INSTALLED_APPS = ["django.contrib.admin", "shop"]', 'ROOT_URLCONF = "shop.urls"') + MIDDLEWARE;
const DOCKERFILE = 'FROM python:3.12-slim\nENV DJANGO_SETTINGS_MODULE=config.settings.production\nCMD ["gunicorn", "config.wsgi:application", "--workers", "4"]\n';

describe("SEC014 Django deployment settings", () => {
  it("lists every gap of the deployed settings module in one finding, with the line of each explicit one", async () => {
    const p = await project({
      "config/settings/base.py": BASE + py('ALLOWED_HOSTS = ["*"]'), // ALLOWED_HOSTS at line 9
      "config/settings/production.py": py("from .base import *", "SESSION_COOKIE_SECURE = False", "CSRF_COOKIE_SECURE = True"),
      "config/settings/local.py": py("from .base import *", "DEBUG = True"),
      Dockerfile: DOCKERFILE,
    });
    const findings = p.run(djangoDeploySettings);
    assert.deepEqual(locations(findings), [["SEC014", "config/settings/base.py", 9]]);
    const f = findings[0];
    assert.equal(f?.severity, "medium");
    assert.match(f?.message ?? "", /config\.settings\.production \(DJANGO_SETTINGS_MODULE=config\.settings\.production \(Dockerfile:2\)\)/);
    assert.match(f?.message ?? "", /ALLOWED_HOSTS accepts any host/);
    assert.match(f?.message ?? "", /SESSION_COOKIE_SECURE = False/);
    assert.match(f?.message ?? "", /SECURE_SSL_REDIRECT not set/);
    assert.match(f?.message ?? "", /SECURE_HSTS_SECONDS not set/);
    assert.doesNotMatch(f?.message ?? "", /CSRF_COOKIE_SECURE|NOSNIFF|X_FRAME/, "set, or on by default since Django 3.0");
    assert.deepEqual(f?.evidence.map((e) => [e.file, e.line]), [["config/settings/base.py", 9], ["config/settings/production.py", 2], ["config/settings/production.py", null]]);
  });

  it("reports a missing SecurityMiddleware and notes a proxy that terminates TLS", async () => {
    const p = await project({
      "shop/settings.py": py('INSTALLED_APPS = ["shop"]', 'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]', 'ALLOWED_HOSTS = ["shop.example.com"]', 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")', "SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True"),
      Procfile: "web: gunicorn shop.wsgi\n",
    });
    const [f] = p.run(djangoDeploySettings);
    assert.match(f?.message ?? "", /SecurityMiddleware is not in MIDDLEWARE/);
    assert.match(f?.message ?? "", /SECURE_PROXY_SSL_HEADER is set \(shop\/settings\.py:4\)/);
  });

  it("stays quiet when settings come from the environment, and uses production settings over the wsgi default", async () => {
    const envDriven = py(
      "import environ",
      "env = environ.Env()",
      'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])',
      'SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)',
      "SESSION_COOKIE_SECURE = not DEBUG",
      'CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)',
      'SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60)',
    );
    const p = await project({
      // HackSoftware's layout: wsgi.py defaults to base, production.py builds on it
      "config/django/base.py": BASE + py('ALLOWED_HOSTS = ["*"]'),
      "config/django/production.py": py("from .base import *") + envDriven,
      "config/wsgi.py": py("import os", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")'),
      Dockerfile: 'FROM python:3.12\nCMD ["gunicorn", "config.wsgi"]\n',
    });
    assert.deepEqual(p.run(djangoDeploySettings), []);
  });

  it("stays quiet on silenced warnings, a deployment that runs check --deploy, settings the repository does not hold, and non-Django settings", async () => {
    const silenced = await project({
      "app/settings.py": BASE + py('ALLOWED_HOSTS = ["app.example.com"]', "SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True", 'SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008"]'),
      Procfile: "web: gunicorn app.wsgi\n",
    });
    assert.deepEqual(silenced.run(djangoDeploySettings), [], "HSTS and redirect done by the proxy, said so in the settings");
    const checked = await project({ "app/settings.py": BASE, Dockerfile: 'FROM python:3.12\nCMD ["sh", "-c", "python manage.py check --deploy --fail-level WARNING && gunicorn app.wsgi"]\n' });
    assert.deepEqual(checked.run(djangoDeploySettings), []);
    // bugsink: wsgi.py names a module copied from a template at install time
    const generated = await project({ "bugsink/settings/default.py": BASE + py('ALLOWED_HOSTS = ["*"]'), "bugsink/wsgi.py": py("import os", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bugsink_conf")') });
    assert.deepEqual(generated.run(djangoDeploySettings), []);
    const fastapi = await project({ "app/core/settings.py": py("from pydantic_settings import BaseSettings", "class Settings(BaseSettings):", "    debug: bool = False") });
    assert.deepEqual(fastapi.run(djangoDeploySettings), []);
    const devOnly = await project({ "config/settings/local.py": BASE + py('ALLOWED_HOSTS = ["*"]') });
    assert.deepEqual(devOnly.run(djangoDeploySettings), [], "development settings are not deployed");
  });

  it("is low for a self-hosted product (PUID/PGID) and says why", async () => {
    const p = await project({
      "paperless/settings.py": BASE + py('ALLOWED_HOSTS = ["*"]'),
      Dockerfile: 'FROM python:3.12\nENV PUID=1000 PGID=1000\nCMD ["gunicorn", "paperless.wsgi"]\n',
    });
    const [f] = p.run(djangoDeploySettings);
    assert.equal(f?.severity, "low");
    assert.match(f?.message ?? "", /own servers/);
  });

  it("leaves out cookie flags for cookies the middleware never sets (an API on bearer tokens, as Saleor)", async () => {
    const p = await project({
      "shop/settings.py": py(
        "import os",
        "SECRET_KEY = os.environ['SECRET_KEY']",
        "ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')",
        "ROOT_URLCONF = 'shop.urls'",
        "INSTALLED_APPS = ['django.contrib.contenttypes', 'shop']",
        "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', 'django.middleware.common.CommonMiddleware']",
        "SECURE_SSL_REDIRECT = True",
      ),
      "Dockerfile": "FROM python:3.12-slim\nENV DJANGO_SETTINGS_MODULE=shop.settings\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
    });
    const [finding, ...rest] = p.run(djangoDeploySettings);
    assert.deepEqual(rest, []);
    assert.doesNotMatch(finding?.message ?? "", /SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE/);
    assert.match(finding?.message ?? "", /SECURE_HSTS_SECONDS/);
  });
});
