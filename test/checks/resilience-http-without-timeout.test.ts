import assert from "node:assert/strict";
import { describe, it } from "node:test";
import httpWithoutTimeout from "../../src/checks/resilience/http-without-timeout.js";
import { locations, project, py } from "../helpers/project.js";

describe("RES001 outbound HTTP call without a timeout", () => {
  it("fires high on a call reachable from a FastAPI handler and medium elsewhere", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/payments.py": py(
        "import requests", // 1
        "",
        "def charge(payload: dict):",
        '    return requests.post("https://pay.example/charges", json=payload)', // 4
      ),
      "app/api.py": py(
        "from fastapi import FastAPI", // 1
        "from app.payments import charge",
        "app = FastAPI()",
        '@app.post("/orders")',
        "def create_order(order: dict):",
        "    return charge(order)",
      ),
      "app/jobs/sync_catalog.py": py(
        "import requests as r", // 1
        "",
        "def main():",
        '    return r.get("https://catalog.example/items").json()', // 4
      ),
    });
    const findings = p.run(httpWithoutTimeout);
    assert.deepEqual(locations(findings), [
      ["RES001", "app/payments.py", 4],
      ["RES001", "app/jobs/sync_catalog.py", 4],
    ]);
    assert.deepEqual(findings.map((f) => f.severity), ["high", "medium"]);
    assert.match(findings[0]?.message ?? "", /requests\.post\(\) in payments\.charge has no timeout and runs while serving a request/);
    assert.doesNotMatch(findings[1]?.message ?? "", /serving a request/);
  });

  it("is medium, not high, on the request path when the calling function memoises its result", async () => {
    const files = (decorator: string) => ({
      "app/__init__.py": "",
      "app/release.py": py("from functools import lru_cache", "import requests", decorator, "def latest_release():", '    return requests.get("https://api.github.com/repos/x/y/releases/latest").json()'),
      "app/api.py": py("from fastapi import FastAPI", "from app.release import latest_release", "app = FastAPI()", '@app.get("/about")', "def about():", "    return latest_release()"),
    });
    const memoised = (await project(files("@lru_cache(maxsize=1)"))).run(httpWithoutTimeout);
    assert.deepEqual(locations(memoised), [["RES001", "app/release.py", 5]]);
    assert.equal(memoised[0]?.severity, "medium");
    assert.match(memoised[0]?.message ?? "", /memoised \(@lru_cache\)/);
    // another decorator is no cache
    const plain = (await project(files("@staticmethod"))).run(httpWithoutTimeout);
    assert.deepEqual(plain.map((f) => f.severity), ["high"]);
  });

  it("is low in an RQ job, which RQ's job timeout stops: a function enqueued, or the run method of a job class", async () => {
    const files = {
      "requirements.txt": "rq==2.10.0\n",
      "app/__init__.py": "",
      "app/queue.py": py(
        "import django_rq",
        "class Job:",
        "    @classmethod",
        "    def enqueue(cls, func, *args):",
        "        django_rq.get_queue('default').enqueue(func, *args)",
        "class JobRunner:",
        "    @classmethod",
        "    def handle(cls, job):",
        "        cls(job).run()",
        "    @classmethod",
        "    def enqueue(cls, *args):",
        "        return Job.enqueue(cls.handle, *args)",
      ),
      "app/jobs.py": py(
        "import requests",
        "from app.queue import JobRunner",
        "class Housekeeping(JobRunner):",
        "    def run(self):",
        "        self.check_release()",
        "    def check_release(self):",
        "        return requests.get('https://api.github.com/repos/x/y/releases')", // 7
        "def sync_feed():",
        "    return requests.get('https://feed.example/items')", // 9
        "def notify():",
        "    return requests.post('https://hooks.example/x')", // 11
      ),
      "app/schedule.py": py("import django_rq", "from app.jobs import sync_feed", "def plan():", "    django_rq.get_queue('default').enqueue(sync_feed)"),
    };
    const findings = (await project(files)).run(httpWithoutTimeout);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]).sort(), [[11, "medium"], [7, "low"], [9, "low"]]);
    assert.match(findings.find((f) => f.evidence[0]?.line === 7)?.message ?? "", /runs in an RQ job/);
    // without rq declared, the same code is ordinary background work
    const { "requirements.txt": _, ...withoutRq } = files;
    assert.deepEqual((await project(withoutRq)).run(httpWithoutTimeout).map((f) => f.severity), ["medium", "medium", "medium"]);
  });

  it("is medium on the request path of a WSGI app that gunicorn runs with sync workers, whose timeout bounds the hang", async () => {
    const files = {
      "app/__init__.py": "",
      "app/views.py": py("import requests", "from django.http import JsonResponse", "def profile(request):", "    return JsonResponse(requests.get('https://accounts.example/me').json())"),
      "app/urls.py": py("from django.urls import path", "from app.views import profile", "urlpatterns = [path('me/', profile)]"),
    };
    const sync = (await project({ ...files, Procfile: "web: gunicorn app.wsgi:application\n" })).run(httpWithoutTimeout);
    assert.deepEqual(sync.map((f) => [f.evidence[0]?.line, f.severity]), [[4, "medium"]]);
    assert.match(sync[0]?.message ?? "", /gunicorn's worker timeout/);
    // a threaded worker answers the heartbeat while a thread hangs: no bound
    const threaded = (await project({ ...files, Procfile: "web: gunicorn app.wsgi:application -k gthread --threads 8\n" })).run(httpWithoutTimeout);
    assert.deepEqual(threaded.map((f) => f.severity), ["high"]);
  });

  it("fires on requests.Session calls, urlopen and imported verbs without a timeout", async () => {
    const p = await project({
      "app/client.py": py(
        "import requests", // 1
        "from requests import get",
        "from urllib.request import urlopen",
        "",
        "def fetch(url: str):",
        "    session = requests.Session()",
        "    a = session.get(url)", // 7
        "    b = requests.Session().get(url)", // 8
        "    with requests.Session() as s:",
        "        c = s.post(url, data=b'x')", // 10
        "    d = get(url)", // 11
        "    e = urlopen(url).read()", // 12
        "    return a, b, c, d, e",
      ),
    });
    // five calls without a timeout outside any request handler: one finding that lists them all
    const findings = p.run(httpWithoutTimeout);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]?.evidence.map((e) => e.line), [7, 8, 10, 11, 12]);
    assert.match(findings[0]?.message ?? "", /^5 outbound HTTP calls outside request handlers have no timeout/);
  });

  it("fires at medium on calls made at import time, in a module or class body", async () => {
    const p = await project({
      "app/auth.py": py(
        "import requests", // 1
        "",
        'JWKS = requests.get("https://issuer.example/.well-known/jwks.json").json()', // 3
        "",
        "class Catalog:",
        '    items = requests.get("https://catalog.example/items").json()', // 6
      ),
      "app/main.py": py("from app.auth import JWKS, Catalog"),
      // a probe script run by a Dockerfile HEALTHCHECK: imported by nothing, it hangs only itself
      "docker/fetchstatus.py": py("import requests", "requests.get('http://localhost:8000/api/status/')"),
    });
    const findings = p.run(httpWithoutTimeout);
    assert.deepEqual(locations(findings), [
      ["RES001", "app/auth.py", 3],
      ["RES001", "app/auth.py", 6],
      ["RES001", "docker/fetchstatus.py", 2],
    ]);
    assert.deepEqual(findings.map((f) => f.severity), ["medium", "medium", "low"]);
    assert.match(findings[0]?.message ?? "", /in module app\.auth \(at import time\) has no timeout/);
  });

  it("fires on httpx only when the timeout is disabled with timeout=None", async () => {
    const p = await project({
      "app/client.py": py(
        "import httpx", // 1
        "",
        "async def fetch(url: str):",
        "    a = httpx.get(url, timeout=None)", // 4
        "    async with httpx.AsyncClient(timeout=None) as client:", // 5
        "        b = await client.get(url)",
        "    with httpx.Client() as client:",
        "        c = client.get(url, timeout=None)", // 8
        "    return a, b, c",
      ),
    });
    const findings = p.run(httpWithoutTimeout);
    assert.deepEqual(locations(findings), [
      ["RES001", "app/client.py", 4],
      ["RES001", "app/client.py", 5],
      ["RES001", "app/client.py", 8],
    ]);
    assert.match(findings[0]?.message ?? "", /has timeout=None/);
  });

  it("stays quiet with a timeout, with **kwargs, and on httpx's default timeout", async () => {
    const p = await project({
      "app/client.py": py(
        "import httpx",
        "import requests",
        "from urllib.request import urlopen",
        "",
        "def fetch(url: str, **kwargs):",
        "    a = requests.get(url, timeout=5)",
        "    b = requests.post(url, json={}, timeout=(3.05, 10))",
        "    c = requests.get(url, **kwargs)",
        "    d = requests.Session().get(url, timeout=5)",
        "    e = httpx.get(url)",
        "    with httpx.Client() as client:",
        "        f = client.post(url)",
        "    g = urlopen(url, timeout=5).read()",
        "    h = urlopen(url, None, 5).read()",
        "    return a, b, c, d, e, f, g, h",
      ),
    });
    assert.deepEqual(locations(p.run(httpWithoutTimeout)), []);
  });

  it("is low in a command run by hand (a __main__ guard, a CLI module)", async () => {
    const p = await project({ "app/cli.py": py("import requests", "def main():", "    requests.get('https://x.example')"), "docker/probe.py": py("import requests", "def main():", "    requests.get('http://localhost/health')", "if __name__ == '__main__':", "    main()") });
    assert.deepEqual(p.run(httpWithoutTimeout).map((f) => f.severity), ["low", "low"]);
  });

  it("stays quiet on session calls when a project adapter or session class sets a default timeout", async () => {
    const p = await project({
      "app/http.py": py(
        "import requests",
        "from requests.adapters import HTTPAdapter",
        "class TimeoutAdapter(HTTPAdapter):",
        "    def send(self, request, **kwargs):",
        "        kwargs.setdefault('timeout', 10)",
        "        return super().send(request, **kwargs)",
        "session = requests.Session()",
        "session.mount('https://', TimeoutAdapter())",
        "def fetch(url):",
        "    return session.get(url)",
      ),
    });
    assert.deepEqual(locations(p.run(httpWithoutTimeout)), []);
  });
});
