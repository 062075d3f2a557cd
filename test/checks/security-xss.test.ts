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
