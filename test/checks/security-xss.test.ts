import assert from "node:assert/strict";
import { describe, it } from "node:test";
import xss from "../../src/checks/security/xss.js";
import { project, py } from "../helpers/project.js";

type Found = ReturnType<Awaited<ReturnType<typeof project>>["run"]>;
const where = (findings: Found) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

describe("SEC013 cross-site scripting and template injection", () => {
  it("fires on request data marked safe, compiled as a template, or sent as HTML, and on autoescape=False; the code's own markup (`badge` formats a stored label) is not reported", async () => {
    const p = await project({
      "shop/views.py": py(
        "from django.http import HttpResponse",
        "from django.utils.safestring import mark_safe",
        "def hello(request):",
        "    name = request.GET.get('name', '')",
        "    return HttpResponse(mark_safe(f'<p>Hello {name}</p>'))",
        "def echo(request):",
        "    return HttpResponse(request.GET['q'])",
        "def badge(obj):",
        "    return mark_safe(f'<span class=\"badge\">{obj.label}</span>')",
      ),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('hello/', views.hello), path('echo/', views.echo)]"),
      "app/views.py": py(
        "import jinja2",
        "from flask import Flask, request, render_template_string",
        "app = Flask(__name__)",
        "env = jinja2.Environment(loader=jinja2.FileSystemLoader('templates'), autoescape=False)",
        "@app.route('/preview', methods=['POST'])",
        "def preview():",
        "    return render_template_string(request.form['template'])",
      ),
    });
    assert.deepEqual(where(p.run(xss)), [
      ["SEC013", "app/views.py", 7, "high"],
      ["SEC013", "shop/views.py", 5, "high"],
      ["SEC013", "shop/views.py", 7, "high"],
      ["SEC013", "app/views.py", 4, "medium"],
    ]);
  });

  it("stays quiet on escaped parts, format_html with arguments, JSON responses, constant templates and path segments", async () => {
    const p = await project({
      "shop/views.py": py(
        "import json",
        "from django.http import HttpResponse",
        "from django.utils.html import escape, format_html",
        "from django.utils.safestring import mark_safe",
        "from urllib.parse import quote",
        "def hello(request):",
        "    name = request.GET.get('name', '')",
        "    html = format_html('<p>Hello {}</p>', name)",
        "    mark_safe(f'<p>{escape(name)}</p>')",
        "    HttpResponse(json.dumps({'name': name}), content_type='application/json')",
        "    HttpResponse(name, content_type='text/plain')",
        "    link = quote(request.GET.get('return_url', '/'))",
        "    mark_safe(f'<a href=\"/edit/?return_url={link}\">Edit</a>')",
        "    return HttpResponse(html)",
        "def item(request, slug):",
        "    return HttpResponse(slug)",
      ),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('hello/', views.hello), path('item/<slug:slug>/', views.item)]"),
      "app/views.py": py("from flask import Flask, render_template_string, make_response, request", "app = Flask(__name__)", "PAGE = '<p>{{ name }}</p>'", "@app.route('/p')", "def page():", "    return render_template_string(PAGE, name='x')", "@app.route('/raw')", "def raw():", "    r = make_response(request.args['text'])", "    r.mimetype = 'text/plain'", "    return r"),
    });
    assert.deepEqual(p.run(xss), []);
  });
});

describe("SEC013 strings returned by Flask views", () => {
  it("fires on a returned string built from request data, not on JSON, templates or path segments", async () => {
    const p = await project({
      "app/views.py": py(
        "from flask import Flask, request, jsonify, render_template",
        "app = Flask(__name__)",
        "@app.route('/hello')",
        "def hello():",
        "    name = request.args.get('name', '')",
        "    return f'<h1>Hello {name}</h1>'",
        "@app.route('/api/hello')",
        "def api_hello():",
        "    return jsonify(greeting='Hello ' + request.args['name'])",
        "@app.route('/page')",
        "def page():",
        "    return render_template('page.html', name=request.args.get('name'))",
        "@app.route('/items/<item_id>')",
        "def item(item_id):",
        "    return 'Item ' + item_id",
      ),
    });
    assert.deepEqual(where(p.run(xss)), [["SEC013", "app/views.py", 6, "high"]]);
  });
});

describe("SEC013 responses of other kinds and strings formatted by .format()", () => {
  it("fires on Django's HttpResponseBadRequest, a translated message formatted with request data, and a Flask view returning a literal's .format()", async () => {
    const p = await project({
      "certs/views.py": py(
        "from django.http import HttpResponse, HttpResponseBadRequest",
        "from django.utils.translation import gettext as _",
        "def search(request):",
        "    user = request.GET.get('user', '')", // 4
        "    if not user:",
        "        return HttpResponseBadRequest('Received {}'.format(request.POST.get('message')))", // 6
        "    return HttpResponse(_('user {} does not exist').format(user))", // 7
      ),
      "app/views.py": py(
        "from flask import Flask, request",
        "app = Flask(__name__)",
        "@app.route('/hello')",
        "def hello():",
        "    name = request.args.get('name')", // 5
        "    return \"<a href='{}'>Click me!</a>\".format(name)", // 6
      ),
    });
    const findings = p.run(xss);
    assert.deepEqual(where(findings).sort(), [
      ["SEC013", "app/views.py", 6, "high"],
      ["SEC013", "certs/views.py", 6, "high"],
      ["SEC013", "certs/views.py", 7, "high"],
    ]);
    const translated = findings.find((f) => f.evidence[0]?.line === 7);
    assert.ok(translated?.evidence.some((e) => e.line === 4), "where the request data entered is evidence");
  });

  it("stays quiet on a .format() of escaped or server values, a JSON error response and a non-literal .format()", async () => {
    const p = await project({
      "certs/views.py": py(
        "from django.http import HttpResponseBadRequest, JsonResponse",
        "from django.utils.html import escape",
        "def search(request):",
        "    user = request.GET.get('user', '')",
        "    if not user:",
        "        return HttpResponseBadRequest('Received {}'.format(escape(request.POST.get('message'))))",
        "    return JsonResponse({'error': 'user {} does not exist'.format(user)})",
      ),
      "app/views.py": py(
        "from flask import Flask, request",
        "app = Flask(__name__)",
        "@app.route('/hello')",
        "def hello():",
        "    name = request.args.get('name')",
        "    return '<p>{}</p>'.format(request.user.username)",
        "@app.route('/hi')",
        "def hi():",
        "    return render_label(request.args.get('name')).format()",
      ),
    });
    assert.deepEqual(where(p.run(xss)), []);
  });
});

describe("SEC013 HTML built into a name, then returned by a Flask view", () => {
  it("fires on a returned name holding markup built from request data, citing where it was built", async () => {
    const p = await project({
      "app/views.py": py(
        "from flask import Flask, request, session",
        "app = Flask(__name__)",
        "@app.route('/hello')",
        "def hello():",
        "    name = request.args.get('name')",
        "    body = '<h1>Hello, %s</h1>' % name", // 6
        "    if 'user' in session:",
        "        body += '[signed in]'",
        "    return body", // 9
      ),
    });
    const findings = p.run(xss);
    assert.deepEqual(where(findings), [["SEC013", "app/views.py", 9, "high"]]);
    assert.ok(findings[0]?.evidence.some((e) => e.line === 6));
  });

  it("stays quiet on a returned name holding plain text, markup of server values, or escaped request data", async () => {
    const p = await project({
      "app/views.py": py(
        "from flask import Flask, request",
        "from markupsafe import escape",
        "app = Flask(__name__)",
        "@app.route('/a')",
        "def a():",
        "    text = 'Hello, %s' % request.args.get('name')",
        "    return text, 200, {'Content-Type': 'text/plain'}",
        "@app.route('/b')",
        "def b():",
        "    body = '<h1>%s</h1>' % app.name",
        "    return body",
        "@app.route('/c')",
        "def c():",
        "    body = '<h1>%s</h1>' % escape(request.args.get('name'))",
        "    return body",
      ),
    });
    assert.deepEqual(where(p.run(xss)), []);
  });
});

describe("SEC013 format_html given a string already formatted", () => {
  it("is a low review when values are formatted in before format_html can escape them, quiet on arguments, counts, constants (manage.get.gov) and escaped parts", async () => {
    const p = await project({
      "registrar/admin.py": py(
        "from django.utils.html import escape, format_html",
        "def owner_link(obj):",
        "    return format_html(f'<a href=\"/users/{obj.owner.pk}\">{obj.owner.name}</a>')", // 3
        "def label(obj):",
        "    return format_html('<b>%s</b>' % obj.title)", // 5
        "def fine(obj, member_count):",
        "    a = format_html('<b>{}</b>', obj.title)",
        "    b = format_html(f'{member_count} members')",
        "    c = format_html(f'<b>{escape(obj.title)}</b>')",
        "    d = format_html(obj.GENERIC_ERROR_MESSAGE[:-1] + ' and share this ID {}.', obj.pk)",
        "    return a, b, c, d",
      ),
    });
    assert.deepEqual(where(p.run(xss)), [
      ["SEC013", "registrar/admin.py", 3, "low"],
      ["SEC013", "registrar/admin.py", 5, "low"],
    ]);
  });
});

describe("SEC013 HTML email bodies", () => {
  it("is medium when send_mail's html_message holds request data, quiet on a rendered template or a plain-text message", async () => {
    const p = await project({
      "notify/views.py": py(
        "from django.core.mail import send_mail",
        "from django.template.loader import render_to_string",
        "def notify(request):",
        "    body_html = request.POST.get('body_html')", // 4
        "    send_mail('News', 'see html', 'no-reply@example.com', ['a@example.com'], html_message=body_html)", // 5
        "    send_mail('News', request.POST.get('body'), 'no-reply@example.com', ['a@example.com'])",
        "    html = render_to_string('mail/news.html', {'body': request.POST.get('body')})",
        "    send_mail('News', 'see html', 'no-reply@example.com', ['a@example.com'], html_message=html)",
      ),
    });
    const findings = p.run(xss);
    assert.deepEqual(where(findings), [["SEC013", "notify/views.py", 5, "medium"]]);
    assert.ok(findings[0]?.evidence.some((e) => e.line === 4));
  });
});

describe("SEC013 template escaping switched off in Django settings", () => {
  it("is high at the autoescape line of the settings production runs, quiet in development settings and when it stays on", async () => {
    const templates = (value: string) =>
      py(
        "TEMPLATES = [",
        "    {",
        '        "BACKEND": "django.template.backends.django.DjangoTemplates",',
        '        "APP_DIRS": True,',
        `        "OPTIONS": {"autoescape": ${value}},`,
        "    }",
        "]",
      );
    const p = await project({
      "shop/settings/base.py": templates("False"),
      "shop/settings/local.py": templates("False"),
      "blog/settings.py": templates("True"),
    });
    const findings = p.run(xss).filter((f) => /autoescape/.test(f.message));
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]),
      [["shop/settings/base.py", 5, "high"]],
    );
  });
});
