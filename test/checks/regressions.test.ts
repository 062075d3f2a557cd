import assert from "node:assert/strict";
import { describe, it } from "node:test";
import importCycle from "../../src/checks/architecture/import-cycle.js";
import moduleStateMutation from "../../src/checks/data/module-state-mutation.js";
import containerRoot from "../../src/checks/deployment/container-root.js";
import healthEndpoint from "../../src/checks/observability/health-endpoint.js";
import swallowedExceptions from "../../src/checks/observability/swallowed-exceptions.js";
import celeryTaskLimits from "../../src/checks/resilience/celery-task-limits.js";
import blockingCall from "../../src/checks/scalability/blocking-call-in-async.js";
import { locations, project, py } from "../helpers/project.js";

/** Cases found by reviewing the checks against real code: each once went wrong. */
describe("check regressions", () => {
  it("DEP002: a final stage inherits USER and ENTRYPOINT from the stage it is built on", async () => {
    const inherited = await project({ Dockerfile: py("FROM python:3.12-slim AS base", "RUN useradd app", "USER app", "FROM base AS final", "COPY . .", 'CMD ["python", "-m", "app"]') });
    assert.deepEqual(locations(inherited.run(containerRoot)), []);
    const entrypoint = await project({ Dockerfile: py("FROM python:3.12-slim", 'ENTRYPOINT ["gosu", "app"]', 'CMD ["gunicorn", "app.main:app"]') });
    assert.deepEqual(locations(entrypoint.run(containerRoot)), []);
    const fresh = await project({ Dockerfile: py("FROM python:3.12-slim AS base", "USER app", "FROM python:3.12-slim", 'CMD ["python"]') });
    assert.deepEqual(locations(fresh.run(containerRoot)), [["DEP002", "Dockerfile", 3]]);
  });

  it("PERF001: a blocking call inside a lambda handed to a thread is not on the event loop", async () => {
    const p = await project({
      "app/api.py": py(
        "import requests",
        "from fastapi.concurrency import run_in_threadpool",
        "async def h(url):",
        "    await run_in_threadpool(lambda: requests.get(url, timeout=3))",
        "    requests.get(url, timeout=3)", // 5
      ),
    });
    assert.deepEqual(locations(p.run(blockingCall)), [["PERF001", "app/api.py", 5]]);
  });

  it("DATA001: writes through an imported module's attribute count", async () => {
    const p = await project({
      "app/state.py": py("CACHE = {}", "HITS = []"),
      "app/main.py": py(
        "from fastapi import FastAPI",
        "import app.state as state",
        "app = FastAPI()",
        "@app.get('/x/{k}')",
        "def read(k: str):",
        "    state.CACHE[k] = 1", // 6
        "    state.HITS.append(k)", // 7
        "    return {}",
      ),
    });
    assert.deepEqual(locations(p.run(moduleStateMutation)), [
      ["DATA001", "app/main.py", 6],
      ["DATA001", "app/main.py", 7],
    ]);
  });

  it("ARCH003: an import under `if not TYPE_CHECKING:` runs, so its cycle counts", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/a.py": py("from typing import TYPE_CHECKING", "if not TYPE_CHECKING:", "    from app.b import B"),
      "app/b.py": py("from app.a import TYPE_CHECKING", "class B: ..."),
    });
    assert.deepEqual(locations(p.run(importCycle)), [["ARCH003", "app/a.py", 3]]);
  });
});

describe("import cycles through package re-exports", () => {
  it("ARCH003: importing a name from a package that star-re-exports it is an edge to the defining module", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/tables/__init__.py": py("from .columns import *", "from .tenants import *"),
      "shop/tables/columns.py": py("class ContactsColumnMixin: ..."),
      "shop/tables/tenants.py": py("from shop.tables import ContactsColumnMixin", "class TenantTable(ContactsColumnMixin): ..."),
    });
    assert.deepEqual(locations(p.run(importCycle)), []);
    const real = await project({
      "shop/__init__.py": "",
      "shop/a.py": py("from shop.b import x", "y = 1"),
      "shop/b.py": py("from shop import a", "x = 2"),
    });
    assert.deepEqual(locations(real.run(importCycle)), [["ARCH003", "shop/a.py", 1]]);
  });
});

describe("ARCH003 and the package-init idiom", () => {
  it("groups cycles between a package and its own submodules into one low finding", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/api/__init__.py": py("from flask import Blueprint", "bp = Blueprint('api', __name__)", "from app.api import users"),
      "app/api/users.py": py("from app.api import bp", "@bp.route('/users')", "def users(): ..."),
      // modules of a realistic size: two small modules in a cycle are a low note of their own
      "app/a.py": py("from app.b import x", "y = 1", ...Array.from({ length: 130 }, (_, i) => `def a${i}(): return ${i}`)),
      "app/b.py": py("from app.a import y", "x = 2", ...Array.from({ length: 130 }, (_, i) => `def b${i}(): return ${i}`)),
    });
    const findings = p.run(importCycle);
    assert.deepEqual(
      findings.map((f) => [f.id, f.severity, f.evidence[0]?.file, f.evidence[0]?.line]),
      [
        ["ARCH003", "medium", "app/a.py", 1],
        ["ARCH003", "low", "app/api/__init__.py", 3],
      ],
    );
  });
});

describe("PERF001 severity follows where the async code runs, and one shared blocking call is one finding", () => {
  it("is high on a request path, low in other async code and in a CLI; five callers of one blocking helper are one finding", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/client.py": py("import httpx", "def start_server():", "    httpx.get('http://localhost:4200/health', timeout=5)", "def get_client():", "    start_server()", "    return object()"),
      "app/api.py": py("from fastapi import FastAPI", "import time", "app = FastAPI()", "@app.get('/x')", "async def x():", "    time.sleep(1)"), // 6
      "app/worker.py": py("import time", "async def poll():", "    time.sleep(5)"), // 3
      "app/cli/deploy.py": py("import time", "async def deploy():", "    time.sleep(1)"), // 3
      "app/engine.py": py(
        "from app.client import get_client",
        ...["a", "b", "c", "d", "e"].flatMap((n) => [`async def run_${n}():`, "    get_client()"]),
      ),
    });
    const findings = p.run(blockingCall);
    const at = (file: string) => findings.find((f) => f.evidence[0]?.file === file);
    assert.equal(at("app/api.py")?.severity, "high");
    assert.equal(at("app/worker.py")?.severity, "low");
    assert.equal(at("app/cli/deploy.py")?.severity, "low");
    const grouped = at("app/client.py");
    assert.equal(grouped?.evidence[0]?.line, 3);
    assert.equal(grouped?.evidence.length, 6);
    assert.match(grouped?.message ?? "", /^5 async functions reach the same blocking httpx/);
    assert.equal(findings.length, 4);
  });
});

describe("issue 6 regressions: roles, copies and project-defined names", () => {
  it("DEP002: copies of one Dockerfile are one finding; an s6-overlay /init entrypoint is a low note; an image under .github/ is tooling", async () => {
    const docker = py("FROM python:3.12-slim", "RUN pip install app", 'CMD ["gunicorn", "app.main:app"]');
    const p = await project({ Dockerfile: docker, "docker/Dockerfile": docker, ".github/docker/ci.Dockerfile": py("FROM python:3.11-slim", 'CMD ["pytest"]'), "s6/Dockerfile": py("FROM python:3.12-slim", "RUN pip install app", 'ENTRYPOINT ["/init"]') });
    const findings = p.run(containerRoot);
    const main = findings.find((f) => f.evidence[0]?.file === "Dockerfile");
    assert.deepEqual(main?.evidence.map((e) => e.file), ["Dockerfile", "docker/Dockerfile"]);
    assert.equal(findings.find((f) => f.evidence[0]?.file === "s6/Dockerfile")?.severity, "low");
    assert.equal(findings.find((f) => f.evidence[0]?.file === ".github/docker/ci.Dockerfile")?.severity, "low");
  });

  it("RES005: a project's own function named task is not Celery's", async () => {
    const p = await project({ "flows/tasks.py": py("def task(fn):", "    return fn"), "flows/etl.py": py("from flows.tasks import task", "@task", "def extract(): ...") });
    assert.deepEqual(locations(p.run(celeryTaskLimits)), []);
  });

  it("OBS007: a script run by hand (a __main__ guard) is not the service", async () => {
    const p = await project({ "populate.py": py("def main():", "    try:", "        seed()", "    except Exception:", "        pass", "if __name__ == '__main__':", "    main()") });
    assert.deepEqual(locations(p.run(swallowedExceptions)), []);
  });

  it("OBS006: with a container HEALTHCHECK but no health route, the finding is low", async () => {
    const p = await project({
      "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", "@app.get('/about')", "def about(): ..."),
      Dockerfile: py("FROM python:3.12-slim", "HEALTHCHECK CMD python healthcheck.py || exit 1", 'CMD ["uvicorn", "app.main:app"]'),
    });
    const findings = p.run(healthEndpoint);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /declares a HEALTHCHECK/);
  });
});

describe("PERF001 at start-up", () => {
  it("a blocking call in a lifespan function only delays start-up: low", async () => {
    const p = await project({
      "app/main.py": py(
        "import time",
        "from contextlib import asynccontextmanager",
        "from fastapi import FastAPI",
        "@asynccontextmanager",
        "async def lifespan(app):",
        "    time.sleep(1)", // 6
        "    yield",
        "app = FastAPI(lifespan=lifespan)",
      ),
    });
    const findings = p.run(blockingCall);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[6, "low"]]);
    assert.match(findings[0]?.message ?? "", /start-up/);
  });
});
