import assert from "node:assert/strict";
import { describe, it } from "node:test";
import csrfDisabled from "../../src/checks/security/csrf-disabled.js";
import { locations, project, py } from "../helpers/project.js";

const SETTINGS = py(
  'INSTALLED_APPS = ["django.contrib.auth", "shop"]',
  "MIDDLEWARE = [",
  '    "django.middleware.security.SecurityMiddleware",',
  '    "django.contrib.sessions.middleware.SessionMiddleware",',
  '    "django.middleware.csrf.CsrfViewMiddleware",',
  '    "django.contrib.auth.middleware.AuthenticationMiddleware",',
  "]",
);

describe("SEC012 CSRF protection off", () => {
  it("fires on @csrf_exempt on a logged-in, state-changing Django view (function and class)", async () => {
    const p = await project({
      "shop/settings.py": SETTINGS,
      "shop/views.py": py(
        "from django.contrib.auth.decorators import login_required", // 1
        "from django.contrib.auth.mixins import LoginRequiredMixin",
        "from django.utils.decorators import method_decorator",
        "from django.views import View",
        "from django.views.decorators.csrf import csrf_exempt", // 5
        "from django.views.decorators.http import require_POST",
        "",
        "@csrf_exempt", // 8
        "@login_required",
        "@require_POST",
        "def update_email(request):",
        '    request.user.email = request.POST["email"]',
        "    request.user.save()",
        "",
        '@method_decorator(csrf_exempt, name="dispatch")', // 15
        "class UploadView(LoginRequiredMixin, View):",
        "    def post(self, request):",
        '        request.user.avatar = request.FILES["f"]',
        "        request.user.save()",
      ),
    });
    const findings = p.run(csrfDisabled);
    assert.deepEqual(locations(findings), [
      ["SEC012", "shop/views.py", 8],
      ["SEC012", "shop/views.py", 15],
    ]);
    assert.match(findings[0]?.message ?? "", /@csrf_exempt on update_email/);
    assert.match(findings[1]?.message ?? "", /UploadView.*LoginRequiredMixin.*POST/);
    assert.equal(findings[0]?.severity, "medium");
  });

  it("stays quiet on webhooks, signed callbacks, token-authenticated views, DRF views and anonymous read views", async () => {
    const p = await project({
      "shop/settings.py": SETTINGS,
      "shop/views.py": py(
        "import hmac",
        "from django.contrib.auth.decorators import login_required",
        "from django.views.decorators.csrf import csrf_exempt",
        "from django.views.decorators.http import require_POST",
        "from rest_framework.decorators import api_view",
        "from rest_framework.views import APIView",
        "from .auth import requires_auth_token",
        "",
        "@csrf_exempt",
        "@require_POST",
        "def stripe_webhook(request):",
        "    event = stripe.Webhook.construct_event(request.body, request.headers['Stripe-Signature'], SECRET)",
        "",
        "@csrf_exempt",
        "@login_required",
        "@require_POST",
        "def provider_event(request):",
        "    if not hmac.compare_digest(sign(request.body), request.headers['X-Sig']):",
        "        return HttpResponseForbidden()",
        "",
        "@csrf_exempt",
        "@requires_auth_token",
        "@require_POST",
        "def chunk_upload(request):",
        "    Chunk.objects.create(data=request.body)",
        "",
        "@csrf_exempt",
        "@api_view(['POST'])",
        "def api_create(request):",
        "    Order.objects.create(**request.data)",
        "",
        "@csrf_exempt",
        "def ping(request):",
        "    return HttpResponse('ok')",
      ),
      "shop/auth.py": py(
        "from django.http import JsonResponse",
        "def requires_auth_token(view):",
        "    def wrapper(request, *args, **kwargs):",
        "        if not request.META.get('HTTP_AUTHORIZATION', '').startswith('Bearer '):",
        "            return JsonResponse({'error': 'unauthorized'}, status=401)",
        "        return view(request, *args, **kwargs)",
        "    return wrapper",
      ),
    });
    assert.deepEqual(p.run(csrfDisabled), []);
  });

  it("fires when CsrfViewMiddleware is missing while sessions are used, unless a project middleware replaces it", async () => {
    const missing = await project({
      "shop/settings.py": py('INSTALLED_APPS = ["shop"]', "MIDDLEWARE = [", '    "django.contrib.sessions.middleware.SessionMiddleware",', '    "django.contrib.auth.middleware.AuthenticationMiddleware",', "]"),
    });
    const findings = missing.run(csrfDisabled);
    assert.deepEqual(locations(findings), [["SEC012", "shop/settings.py", 2]]);
    assert.match(findings[0]?.message ?? "", /CsrfViewMiddleware is missing from MIDDLEWARE in shop\.settings/);
    const own = await project({ "shop/settings.py": py('INSTALLED_APPS = ["shop"]', 'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "shop.middleware.CsrfViewMiddleware"]') });
    assert.deepEqual(own.run(csrfDisabled), []);
    const apiOnly = await project({ "shop/settings.py": py('INSTALLED_APPS = ["shop"]', 'MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]') });
    assert.deepEqual(apiOnly.run(csrfDisabled), [], "no session middleware: nothing logs users in with a cookie");
  });

  it("fires on Flask-Login without CSRFProtect and on WTF_CSRF_ENABLED = False outside tests", async () => {
    const p = await project({
      "app/__init__.py": py(
        "from flask import Flask", // 1
        "from flask_login import LoginManager",
        "app = Flask(__name__)",
        "login_manager = LoginManager(app)", // 4
        "",
        "@app.route('/profile', methods=['POST'])",
        "def update_profile():",
        "    return 'ok'",
      ),
      "app/config.py": py("class ProductionConfig:", "    WTF_CSRF_ENABLED = False", "class TestingConfig:", "    WTF_CSRF_ENABLED = False"),
    });
    const findings = p.run(csrfDisabled);
    assert.deepEqual(locations(findings), [
      ["SEC012", "app/__init__.py", 4],
      ["SEC012", "app/config.py", 2],
    ]);
    assert.match(findings[0]?.message ?? "", /Flask-Login .* POST \/profile/);
  });

  it("reads WTF_CSRF_ENABLED switched off item by item or as an attribute, and leaves test configuration alone", async () => {
    const p = await project({
      "app/factory.py": py(
        "from flask import Flask", // 1
        "app = Flask(__name__)",
        "app.config['WTF_CSRF_ENABLED'] = False", // 3
        "app.config.WTF_CSRF_ENABLED = True",
        "app.config.update(SECRET_KEY='x', WTF_CSRF_ENABLED=False, TESTING=True)",
        "app.config.from_mapping(WTF_CSRF_ENABLED=False)", // 6
        "def make_test_app():",
        "    t = Flask(__name__)",
        "    t.config['TESTING'] = True",
        "    t.config['WTF_CSRF_ENABLED'] = False",
      ),
    });
    assert.deepEqual(locations(p.run(csrfDisabled)), [
      ["SEC012", "app/factory.py", 3],
      ["SEC012", "app/factory.py", 6],
    ]);
  });

  it("stays quiet on Flask apps with CSRFProtect, a CSRF check of their own, or no login", async () => {
    const base = py("from flask import Flask", "from flask_login import LoginManager", "app = Flask(__name__)", "login_manager = LoginManager(app)", "@app.route('/profile', methods=['POST'])", "def update_profile():", "    return 'ok'");
    const protectedApp = await project({ "app/__init__.py": base + py("from flask_wtf.csrf import CSRFProtect", "csrf = CSRFProtect(app)") });
    assert.deepEqual(protectedApp.run(csrfDisabled), []);
    // CTFd: a before_request hook comparing a session nonce
    const own = await project({ "app/__init__.py": base + py("@app.before_request", "def csrf():", "    if session['nonce'] != request.form.get('nonce'):", "        abort(403)") });
    assert.deepEqual(own.run(csrfDisabled), []);
    const noLogin = await project({ "app/__init__.py": py("from flask import Flask", "app = Flask(__name__)", "@app.route('/items', methods=['POST'])", "def create():", "    return 'ok'") });
    assert.deepEqual(noLogin.run(csrfDisabled), []);
  });
});
