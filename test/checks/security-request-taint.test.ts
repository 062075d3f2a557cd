import assert from "node:assert/strict";
import { describe, it } from "node:test";
import commandInjection from "../../src/checks/security/command-injection.js";
import evalInjection from "../../src/checks/security/eval-injection.js";
import openRedirect from "../../src/checks/security/open-redirect.js";
import pathTraversal from "../../src/checks/security/path-traversal.js";
import ssrf from "../../src/checks/security/ssrf.js";
import { taintOf } from "../../src/checks/taint.js";
import { project, py } from "../helpers/project.js";

type Found = ReturnType<Awaited<ReturnType<typeof project>>["run"]>;
const where = (findings: Found) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

describe("request taint", () => {
  it("follows request data through assignments, string building, containers and one call level", async () => {
    const p = await project({
      "app/main.py": py(
        "from flask import Flask, request",
        "from app.fetch import fetch",
        "app = Flask(__name__)",
        "@app.route('/preview', methods=['POST'])",
        "def preview():",
        "    data = request.get_json()",
        "    target = data['url']",
        "    parts = []",
        "    parts.append(target)",
        "    return fetch(parts[0], int(request.args['n']))",
      ),
      "app/fetch.py": py("def fetch(url, count):", "    full = url.strip()", "    return full * count"),
    });
    const taint = taintOf(p.model, p.index);
    assert.equal(taint.name("app.main.preview", "target")?.source, "request.get_json");
    assert.equal(taint.name("app.main.preview", "parts")?.source, "request.get_json");
    const passed = taint.name("app.fetch.fetch", "url");
    assert.equal(passed?.source, "request.get_json");
    assert.deepEqual(passed?.via, ["app.fetch.fetch"]);
    assert.equal(taint.name("app.fetch.fetch", "full")?.source, "request.get_json");
    // int() makes a number of it: nothing to inject
    assert.equal(taint.name("app.fetch.fetch", "count"), undefined);
  });

  it("taints FastAPI query, path and body parameters but not dependencies, sessions or numbers", async () => {
    const p = await project({
      "app/api.py": py(
        "from fastapi import APIRouter, Depends, Request",
        "from sqlalchemy.orm import Session",
        "from app.deps import get_db, current_user",
        "router = APIRouter()",
        "@router.get('/files/{name}')",
        "def read(name: str, page: int, request: Request, db: Session = Depends(get_db), user=Depends(current_user)):",
        "    return name",
      ),
      "app/deps.py": py("def get_db():", "    yield None", "def current_user():", "    return None"),
    });
    const taint = taintOf(p.model, p.index);
    assert.match(taint.name("app.api.read", "name")?.source ?? "", /path parameter `name`/);
    for (const quiet of ["page", "request", "db", "user"]) assert.equal(taint.name("app.api.read", quiet), undefined, quiet);
  });
});

describe("SEC020 server-side request forgery", () => {
  it("fires on a client URL fetched by requests, httpx and aiohttp, directly and through a project function", async () => {
    const p = await project({
      "app/views.py": py(
        "import requests",
        "import httpx",
        "from flask import Flask, request",
        "from app.client import get_json",
        "app = Flask(__name__)",
        "@app.route('/proxy')",
        "def proxy():",
        "    r = requests.get(request.args['url'], timeout=5)",
        "    return get_json(request.args.get('feed'))",
        "@app.route('/hook', methods=['POST'])",
        "async def hook():",
        "    body = request.get_json()",
        "    async with httpx.AsyncClient() as client:",
        "        await client.post(body['callback'], json={}, timeout=5)",
        "    return ''",
      ),
      "app/client.py": py("import requests", "def get_json(url):", "    return requests.request('GET', url, timeout=5).json()"),
    });
    assert.deepEqual(where(p.run(ssrf)), [
      ["SEC020", "app/client.py", 3, "high"],
      ["SEC020", "app/views.py", 8, "high"],
      ["SEC020", "app/views.py", 14, "high"],
    ]);
    const [viaCall] = p.run(ssrf);
    assert.match(viaCall?.message ?? "", /`request\.args` \(app\/views\.py:9, passed through `client\.get_json\(\)`\)/);
  });

  it("stays quiet when the code fixes the host and the client only chooses a path, or when no request data reaches the URL", async () => {
    const p = await project({
      "app/views.py": py(
        "import requests",
        "from django.conf import settings",
        "from flask import Flask, request",
        "app = Flask(__name__)",
        "@app.route('/repo/<name>')",
        "def repo(name):",
        "    requests.get(f'https://api.github.com/repos/{name}', timeout=5)",
        "    requests.get(f'{settings.BILLING_URL}/customers/{name}', timeout=5)",
        "    url = 'https://hooks.example.com/' + request.args['id']",
        "    requests.post(url, timeout=5)",
        "    kid = request.headers['kid']",
        "    requests.get(f'https://public-keys.auth.elb.{settings.REGION}.amazonaws.com/{kid}', timeout=5)",
        "    return requests.get(settings.STATUS_URL, timeout=5).text",
      ),
    });
    assert.deepEqual(p.run(ssrf), []);
    const host = await project({ "app/views.py": py("import requests", "from flask import Flask, request", "app = Flask(__name__)", "@app.route('/x')", "def x():", "    return requests.get(f\"https://{request.args['host']}/status\", timeout=5).text") });
    assert.deepEqual(where(host.run(ssrf)), [["SEC020", "app/views.py", 6, "high"]], "a client-chosen host is forgery even inside a fixed scheme");
  });
});

describe("SEC021 path traversal", () => {
  it("fires on open, send_file and FileResponse with a client path, through os.path.join", async () => {
    const p = await project({
      "app/files.py": py(
        "import os",
        "from flask import Flask, request, send_file",
        "app = Flask(__name__)",
        "BASE = '/srv/uploads'",
        "@app.route('/download/<path:name>')",
        "def download(name):",
        "    return send_file(os.path.join(BASE, name))",
        "@app.route('/read')",
        "def read():",
        "    path = os.path.join(BASE, request.args['f'])",
        "    with open(path) as fh:",
        "        return fh.read()",
      ),
      "api/main.py": py("from fastapi import FastAPI", "from fastapi.responses import FileResponse", "app = FastAPI()", "@app.get('/static/{filename:path}')", "def static(filename: str):", "    return FileResponse(f'static/{filename}')"),
    });
    assert.deepEqual(where(p.run(pathTraversal)), [
      ["SEC021", "api/main.py", 6, "high"],
      ["SEC021", "app/files.py", 7, "high"],
      ["SEC021", "app/files.py", 11, "high"],
    ]);
  });

  it("stays quiet on a path parameter that stops at /, secure_filename, send_from_directory, a checked resolve and constant paths", async () => {
    const p = await project({
      "app/files.py": py(
        "import os",
        "from pathlib import Path",
        "from flask import Flask, request, send_file, send_from_directory",
        "from werkzeug.utils import secure_filename",
        "app = Flask(__name__)",
        "BASE = Path('/srv/uploads')",
        "@app.route('/a/<name>')",
        "def a(name):",
        "    return send_file(os.path.join(BASE, secure_filename(name)))",
        "@app.route('/b/<name>')",
        "def b(name):",
        "    return send_from_directory(BASE, name)",
        "@app.route('/c/<name>')",
        "def c(name):",
        "    target = (BASE / name).resolve()",
        "    if not target.is_relative_to(BASE):",
        "        return 'no', 404",
        "    return send_file(target)",
        "@app.route('/plugins/<plugin>')",
        "def plugin(plugin):",
        "    return open(os.path.join('plugins', plugin, 'config.html')).read()",
        "@app.route('/d')",
        "def d():",
        "    with open('templates/terms.txt') as fh:",
        "        return fh.read()",
      ),
    });
    assert.deepEqual(p.run(pathTraversal), []);
  });

  it("is medium for a path parameter opened as the path itself: one segment still names any file of the working directory", async () => {
    const p = await project({
      "app/files.py": py(
        "import os",
        "from flask import Flask",
        "app = Flask(__name__)",
        "@app.route('/raw/<name>')",
        "def raw(name):",
        "    return open(name).read()", // 6
        "@app.route('/csv/<report>')",
        "def csv(report):",
        "    with open(report + '.csv') as fh:", // 9
        "        return fh.read()",
        "@app.route('/under/<name>')",
        "def under(name):",
        "    return open(os.path.join('reports', name)).read()",
        "@app.route('/prefixed/<name>')",
        "def prefixed(name):",
        "    return open(f'reports/{name}.csv').read()",
      ),
    });
    assert.deepEqual(where(p.run(pathTraversal)), [
      ["SEC021", "app/files.py", 6, "medium"],
      ["SEC021", "app/files.py", 9, "medium"],
    ]);
  });
});

describe("SEC022 open redirect", () => {
  it("fires on Flask, Django and FastAPI redirects to a client URL", async () => {
    const p = await project({
      "app/auth.py": py("from flask import Flask, request, redirect", "app = Flask(__name__)", "@app.route('/login', methods=['POST'])", "def login():", "    return redirect(request.args.get('next', '/'))"),
      "shop/views.py": py("from django.http import HttpResponseRedirect", "def done(request):", "    return HttpResponseRedirect(request.GET['return_to'])"),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('done/', views.done)]"),
      "api/main.py": py("from fastapi import FastAPI", "from fastapi.responses import RedirectResponse", "app = FastAPI()", "@app.get('/go')", "def go(to: str):", "    return RedirectResponse(to)"),
    });
    assert.deepEqual(where(p.run(openRedirect)), [
      ["SEC022", "api/main.py", 6, "medium"],
      ["SEC022", "app/auth.py", 5, "medium"],
      ["SEC022", "shop/views.py", 3, "medium"],
    ]);
  });

  it("stays quiet on local paths built around the value and on checked targets", async () => {
    const p = await project({
      "app/auth.py": py(
        "from flask import Flask, request, redirect, url_for",
        "from django.utils.http import url_has_allowed_host_and_scheme",
        "app = Flask(__name__)",
        "@app.route('/items/<item_id>')",
        "def item(item_id):",
        "    return redirect(f'/items/{item_id}/details')",
        "@app.route('/login', methods=['POST'])",
        "def login():",
        "    target = request.args.get('next', '/')",
        "    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.host}):",
        "        target = '/'",
        "    return redirect(target)",
        "@app.route('/home')",
        "def home():",
        "    return redirect(url_for('index'))",
        "@app.route('/private')",
        "def private():",
        "    login = url_for('auth.login', next=request.full_path)",
        "    redirect(url_for('auth.login', next=request.args['next']))",
        "    return redirect(login)",
      ),
    });
    assert.deepEqual(p.run(openRedirect), []);
  });
});

describe("SEC004 command injection", () => {
  it("is high when request data reaches a shell, low (a review) for other built command lines", async () => {
    const p = await project({
      "app/tools.py": py(
        "import os",
        "import subprocess",
        "from flask import Flask, request",
        "app = Flask(__name__)",
        "@app.route('/ping')",
        "def ping():",
        "    host = request.args['host']",
        "    return subprocess.check_output(f'ping -c 1 {host}', shell=True)",
        "def backup(path):",
        "    os.system('tar czf /tmp/b.tgz ' + path)",
      ),
    });
    assert.deepEqual(where(p.run(commandInjection)), [
      ["SEC004", "app/tools.py", 8, "high"],
      ["SEC004", "app/tools.py", 10, "low"],
    ]);
  });

  it("stays quiet on constant commands, lists without a shell, and shell=False", async () => {
    const p = await project({
      "app/tools.py": py(
        "import os",
        "import subprocess",
        "import sys",
        "CMD = 'uptime'",
        "def ok(path):",
        "    os.system('uptime')",
        "    os.system(CMD)",
        "    subprocess.run(['tar', 'czf', '/tmp/b.tgz', path], check=True)",
        "    subprocess.run([sys.executable, '-m', 'pip', 'list'])",
        "    subprocess.run(f'echo {CMD}', shell=True)",
      ),
    });
    assert.deepEqual(p.run(commandInjection), []);
    const chosen = await project({ "app/tools.py": py("import os", "import subprocess", "def run(cmd, tool):", "    os.system(cmd)", "    subprocess.run([tool, '--version'])") });
    assert.deepEqual(where(chosen.run(commandInjection)), [["SEC004", "app/tools.py", 4, "low"], ["SEC004", "app/tools.py", 5, "low"]], "a command or program chosen at run time is a low review");
  });

  it("reads the command line of a shell started as a program with -c, os.popen2 and an event loop's subprocess_shell", async () => {
    const p = await project({
      "app/tools.py": py(
        "import asyncio",
        "import os",
        "import subprocess",
        "from flask import Flask, request",
        "app = Flask(__name__)",
        "@app.route('/run/<name>')",
        "def run(name):",
        "    subprocess.run(['bash', '-c', 'ls ' + name])", // 8
        "    os.execl('/bin/sh', 'sh', '-c', name)", // 9
        "    os.spawnl(os.P_WAIT, '/bin/bash', '-c', request.args['cmd'])", // 10
        "    os.popen2('grep ' + name)", // 11
        "    loop = asyncio.get_event_loop()",
        "    loop.run_until_complete(loop.subprocess_shell(asyncio.SubprocessProtocol, name))", // 13
      ),
    });
    assert.deepEqual(where(p.run(commandInjection)), [
      ["SEC004", "app/tools.py", 8, "high"],
      ["SEC004", "app/tools.py", 9, "high"],
      ["SEC004", "app/tools.py", 10, "high"],
      ["SEC004", "app/tools.py", 11, "high"],
      ["SEC004", "app/tools.py", 13, "high"],
    ]);
  });

  it("stays quiet on a shell given a constant line, a script run by a shell without -c, and a local literal command", async () => {
    const p = await project({
      "app/tools.py": py(
        "import asyncio",
        "import os",
        "import subprocess",
        "from flask import Flask, request",
        "app = Flask(__name__)",
        "@app.route('/run/<name>')",
        "def run(name):",
        "    subprocess.run(['bash', '-c', 'ls -l /srv'])",
        "    subprocess.run(['bash', '/opt/scripts/report.sh', name])",
        "    os.execl('/bin/sh', 'sh', '-c', 'uptime')",
        "    command = 'df -h'",
        "    os.system(command)",
        "    loop = asyncio.get_event_loop()",
        "    loop.run_until_complete(loop.subprocess_shell(asyncio.SubprocessProtocol, command))",
      ),
    });
    assert.deepEqual(where(p.run(commandInjection)), []);
  });
});

describe("SEC022 open redirect: werkzeug's url_parse", () => {
  it("trusts a target the view parses with url_parse to check its host, not one it never parses", async () => {
    const p = await project({
      "app/views.py": py(
        "from flask import Flask, redirect, request, url_for",
        "from werkzeug.urls import url_parse",
        "app = Flask(__name__)",
        "@app.route('/login')",
        "def login():",
        "    next_page = request.args.get('next')",
        "    if not next_page or url_parse(next_page).netloc != '':",
        "        next_page = url_for('main.index')",
        "    return redirect(next_page)",
        "@app.route('/go')",
        "def go():",
        "    target = request.args.get('to')",
        "    return redirect(target)", // 13
      ),
    });
    assert.deepEqual(where(p.run(openRedirect)), [["SEC022", "app/views.py", 13, "medium"]]);
  });
});

describe("SEC005 code evaluated from data", () => {
  it("is high for request data, low for other non-constant code, quiet for literals, ast.literal_eval and syntax trees", async () => {
    const p = await project({
      "app/calc.py": py(
        "import ast",
        "from flask import Flask, request",
        "app = Flask(__name__)",
        "@app.route('/calc')",
        "def calc():",
        "    return str(eval(request.args['expr']))",
        "def load(text):",
        "    exec(f'result = {text}')",
        "    exec(text)",
        "    eval('1 + 1')",
        "    return ast.literal_eval(text)",
      ),
    });
    assert.deepEqual(where(p.run(evalInjection)), [
      ["SEC005", "app/calc.py", 6, "high"],
      ["SEC005", "app/calc.py", 8, "low"],
      ["SEC005", "app/calc.py", 9, "low"],
    ]);
    const tree = await project({ "app/load.py": py("import ast", "def load(source):", "    tree = ast.parse(source)", "    code = compile(tree, '<entrypoint>', 'exec')", "    exec(code)", "    return compile(ast.Expression(tree.body[0].value), '<x>', 'eval')") });
    assert.deepEqual(tree.run(evalInjection), [], "code assembled as a syntax tree is not text");
    // a plain name no request reaches is a review too: whoever shapes it runs code
  });

  it("fires on exec or eval handed to an executor with request data, not on other functions handed to it", async () => {
    const p = await project({
      "app/views.py": py(
        "import asyncio",
        "from concurrent.futures import ThreadPoolExecutor",
        "pool = ThreadPoolExecutor()",
        "async def run(request):",
        "    code = request.POST['code']", // 5
        "    loop = asyncio.get_running_loop()",
        "    await loop.run_in_executor(None, exec, code)", // 7
        "    pool.submit(eval, request.GET['expr'])", // 8
        "    await loop.run_in_executor(None, print, code)",
        "    pool.submit(render, code)",
      ),
    });
    const findings = p.run(evalInjection);
    assert.deepEqual(where(findings), [
      ["SEC005", "app/views.py", 7, "high"],
      ["SEC005", "app/views.py", 8, "high"],
    ]);
    assert.match(findings[0]?.message ?? "", /run_in_executor\(…, exec, …\)/);
  });

  it("fires on a lookup in globals() by a name from the request, not by the code's own names", async () => {
    const p = await project({
      "app/views.py": py(
        "def forward(request):",
        "    name = request.GET.get('fwd')",
        "    handlers = globals()",
        "    fn = handlers.get(name)", // 4
        "    other = locals().get(request.POST['x'])", // 5
        "    own = globals().get('handle_' + ACTION)",
        "    cfg = settings_map.get(name)",
        "    return fn(request)",
      ),
    });
    assert.deepEqual(where(p.run(evalInjection)), [
      ["SEC005", "app/views.py", 4, "high"],
      ["SEC005", "app/views.py", 5, "high"],
    ]);
  });
});

describe("SEC003 with request taint", () => {
  it("says where the client's data entered when it reaches SQL text", async () => {
    const sqlInjection = (await import("../../src/checks/security/sql-injection.js")).default;
    const p = await project({
      "app/views.py": py(
        "from flask import Flask, request",
        "from app.db import cursor",
        "app = Flask(__name__)",
        "@app.route('/search')",
        "def search():",
        "    term = request.args['q']",
        "    sql = f\"SELECT * FROM items WHERE name LIKE '%{term}%'\"",
        "    return cursor.execute(sql).fetchall()",
      ),
      "app/db.py": py("import sqlite3", "cursor = sqlite3.connect('x.db').cursor()"),
    });
    const [finding, ...rest] = p.run(sqlInjection);
    assert.deepEqual(rest, []);
    assert.equal(finding?.severity, "high");
    assert.match(finding?.message ?? "", /from data the client controls, from `request\.args` \(app\/views\.py:6\)/);
  });
});

describe("request taint near-misses from real backends", () => {
  it("does not taint what a lookup by a client id returns, an element picked by a client key, or a library's result", async () => {
    const p = await project({
      "app/views.py": py(
        "import requests",
        "from flask import Flask, request, redirect",
        "from app.models import Topic",
        "RDAP_URL = 'https://rdap.example.com/rdap/v1/domain/{domain}'",
        "KNOWN_VIEWS = {'a': 'https://registry.example.com/a.json'}",
        "app = Flask(__name__)",
        "@app.route('/topic/lock', methods=['POST'])",
        "def lock():",
        "    topic = Topic.query.filter_by(id=request.form['topic_id']).first_or_404()",
        "    return redirect(topic.url)",
        "@app.route('/views/<view>')",
        "def view(view):",
        "    requests.get(KNOWN_VIEWS[view], timeout=5)",
        "    return requests.get(RDAP_URL.format(domain=request.args['domain']), timeout=5).text",
        "@app.route('/subscribe', methods=['POST'])",
        "def subscribe():",
        "    target = (",
        "        app.config['PUSHOVER_URL']",
        "        + '?'",
        "        + request.form['priority']",
        "    )",
        "    return redirect(target)",
      ),
      "app/models.py": py("class Topic:", "    query = None"),
    });
    assert.deepEqual([...p.run(ssrf), ...p.run(openRedirect)], []);
  });

  it("accepts the project's own redirect checks by name", async () => {
    const p = await project({
      "hc/views.py": py(
        "from django.shortcuts import redirect",
        "from django.http import HttpResponseRedirect",
        "from hc.lib.urls import is_safe_next_url",
        "def login(request):",
        "    redirect_url = request.GET.get('next')",
        "    if redirect_url and _allow_redirect(redirect_url):",
        "        return redirect(redirect_url)",
        "    return redirect('/')",
        "def silence(request):",
        "    next_url = request.POST.get('next', '/')",
        "    if not is_safe_next_url(next_url, request):",
        "        next_url = '/'",
        "    return HttpResponseRedirect(next_url)",
        "def _allow_redirect(url):",
        "    return url.startswith('/')",
      ),
      "hc/urls.py": py("from django.urls import path", "from hc import views", "urlpatterns = [path('login/', views.login), path('silence/', views.silence)]"),
      "hc/lib/urls.py": py("def is_safe_next_url(url, request):", "    return True"),
    });
    assert.deepEqual(p.run(openRedirect), []);
  });
});

describe("request taint through project functions", () => {
  it("returns a parameter's taint only to the calls that pass request data, and trusts checks and sanitisers by name", async () => {
    const p = await project({
      "app/util.py": py(
        "def identity(value):",
        "    return value",
        "def mark_sanitized(value):",
        "    return value",
        "def redirect_url(target):",
        "    if target and is_safe_url(target):",
        "        return target",
        "    return '/'",
        "def is_safe_url(target):",
        "    return target.startswith('/')",
      ),
      "app/views.py": py(
        "import requests",
        "from flask import Flask, request, redirect",
        "from app.util import identity, mark_sanitized, redirect_url",
        "from app.checks import validate_crawlable_url",
        "app = Flask(__name__)",
        "@app.route('/a')",
        "def a():",
        "    identity(request.args['x'])",
        "    path = mark_sanitized(request.args['p'])",
        "    open(path).read()",
        "    return open(identity('/etc/motd')).read()",
        "@app.route('/b')",
        "def b():",
        "    return redirect(redirect_url(request.args.get('next')))",
        "@app.route('/c', methods=['POST'])",
        "def c():",
        "    url = validate_crawlable_url(request.form['site'])",
        "    return requests.get(request.form['site'], timeout=5).text",
      ),
      "app/checks.py": py("def validate_crawlable_url(url):", "    return url"),
    });
    assert.deepEqual([...p.run(pathTraversal), ...p.run(openRedirect), ...p.run(ssrf)], []);
  });
});

describe("request taint: sources written through the flask module, routes that share a path, programs without a shell", () => {
  it("reads flask.request.* as request data and seeds every routed function", async () => {
    const p = await project({
      "app/views.py": py(
        "import os",
        "import subprocess",
        "import flask",
        "app = flask.Flask(__name__)",
        "@app.route('/run')",
        "def run():",
        "    param = flask.request.args.get('cmd')",
        "    return os.popen(param).read()",
        "@app.route('/run')",
        "def run_again(name=None):",
        "    subprocess.run([name, '--version'])",
        "    subprocess.run(['ls', '-l', flask.request.args['dir']])",
        "    return ''",
      ),
    });
    assert.deepEqual(where(p.run(commandInjection)), [
      ["SEC004", "app/views.py", 8, "high"],
      ["SEC004", "app/views.py", 11, "high"],
    ]);
  });

  it("keeps a redirect to the request's own path on this site", async () => {
    const p = await project({ "app/views.py": py("from flask import Flask, request, redirect", "app = Flask(__name__)", "@app.route('/x')", "def x():", "    redirect(f'{request.path}/')", "    return redirect(request.path + '?failed')") });
    assert.deepEqual(p.run(openRedirect), []);
  });
});

describe("request taint through encoders (NetBox, zulip)", () => {
  it("keeps following a value passed through escape() or quote(), but not as markup", async () => {
    const xss = (await import("../../src/checks/security/xss.js")).default;
    const p = await project({
      "app/views.py": py(
        "from urllib.parse import quote",
        "from django.utils.html import escape",
        "from django.utils.safestring import mark_safe",
        "ERROR = '<p>{username} is deactivated</p>'",
        "def page(request):",
        "    return_url = request.GET.get('return_url', '/')",
        "    appendix = f'?return_url={quote(return_url)}'",
        "    mark_safe(f'<a href=\"/edit/{appendix}\">Edit</a>')",
        "    return mark_safe(ERROR.format(username=escape(request.GET['email'])))",
        "def raw(request):",
        "    return mark_safe(f\"<p>{request.GET['q']}</p>\")",
      ),
      "app/urls.py": py("from django.urls import path", "from app import views", "urlpatterns = [path('page/', views.page), path('raw/', views.raw)]"),
    });
    assert.deepEqual(where(p.run(xss)), [["SEC013", "app/views.py", 11, "high"]]);
  });
});
