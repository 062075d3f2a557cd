import assert from "node:assert/strict";
import { describe, it } from "node:test";
import moduleState from "../../src/checks/data/module-state-mutation.js";
import { locations, project, py } from "../helpers/project.js";

describe("DATA001 module-level mutable state changed by handlers or tasks", () => {
  it("fires at each write from a FastAPI handler, citing the definition as second evidence", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI", // 1
        "app = FastAPI()",
        "_cache: dict[int, dict] = {}", // 3
        "_events = []", // 4
        "_settings = dict(debug=False)", // 5
        "_sessions = {}", // 6
        "",
        "@app.get(\"/items/{item_id}\")",
        "def read_item(item_id: int):",
        "    _cache[item_id] = {\"id\": item_id}", // 10
        "    return _cache[item_id]",
        "",
        "@app.post(\"/events\")",
        "async def add_event(name: str):",
        "    _events.append(name)", // 15
        "",
        "@app.put(\"/settings\")",
        "def put_settings(values: dict):",
        "    _settings.update(values)", // 19
        "",
        "@app.delete(\"/sessions\")",
        "def reset_sessions():",
        "    global _sessions",
        "    _sessions = {}", // 24
      ),
    });
    const findings = p.run(moduleState);
    assert.deepEqual(locations(findings), [
      ["DATA001", "app/main.py", 10],
      ["DATA001", "app/main.py", 15],
      ["DATA001", "app/main.py", 19],
      ["DATA001", "app/main.py", 24],
    ]);
    assert.deepEqual(findings.map((f) => [f.evidence[1]?.file, f.evidence[1]?.line]), [
      ["app/main.py", 3],
      ["app/main.py", 4],
      ["app/main.py", 5],
      ["app/main.py", 6],
    ]);
    assert.equal(findings[0]?.message, "Request path main.read_item writes module-level _cache (defined in app/main.py:3): state per process, lost on restart and not shared between workers.");
    assert.equal(findings[0]?.evidence[0]?.snippet, "_cache[item_id] = {\"id\": item_id}");
  });

  it("fires when a helper reached from a handler writes a dict imported from another module", async () => {
    const p = await project({
      "app/state.py": py("from collections import defaultdict", "", "CARTS = {}", "VISITS = defaultdict(int)"), // 3, 4
      "app/services.py": py(
        "from app.state import CARTS",
        "from .state import VISITS",
        "",
        "def add_to_cart(user_id: int, sku: str):",
        "    CARTS.setdefault(user_id, []).append(sku)", // 5
        "    VISITS[user_id] += 1", // 6
      ),
      "app/main.py": py(
        "from fastapi import FastAPI",
        "from app.services import add_to_cart",
        "app = FastAPI()",
        "@app.post(\"/cart/{user_id}\")",
        "def add(user_id: int, sku: str):",
        "    add_to_cart(user_id, sku)",
      ),
    });
    const findings = p.run(moduleState);
    assert.deepEqual(locations(findings), [
      ["DATA001", "app/services.py", 5],
      ["DATA001", "app/services.py", 6],
    ]);
    assert.deepEqual(findings.map((f) => [f.evidence[1]?.file, f.evidence[1]?.line]), [
      ["app/state.py", 3],
      ["app/state.py", 4],
    ]);
  });

  it("fires when a FastAPI dependency writes module state on every request", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import Depends, FastAPI, Request",
        "app = FastAPI()",
        "_hits: dict[str, list] = {}", // 3
        "def rate_limit(request: Request):",
        "    _hits.setdefault(request.client.host, []).append(1)", // 5
        "@app.get(\"/search\", dependencies=[Depends(rate_limit)])",
        "def search(q: str): return []",
      ),
    });
    assert.deepEqual(locations(p.run(moduleState)), [["DATA001", "app/main.py", 5]]);
  });

  it("fires in Celery tasks declared with @shared_task and @app.task, and in helpers they call", async () => {
    const p = await project({
      "app/tasks.py": py(
        "from celery import Celery, shared_task", // 1
        "celery_app = Celery(\"shop\")",
        "_processed = set()", // 3
        "_totals = {}", // 4
        "_errors = []", // 5
        "",
        "@shared_task",
        "def mark_processed(order_id: int):",
        "    _processed.add(order_id)", // 9
        "",
        "@celery_app.task(bind=True)",
        "def add_total(self, key: str, amount: int):",
        "    _totals[key] = _totals.get(key, 0) + amount", // 13
        "",
        "def remember_error(message: str):",
        "    _errors.append(message)", // 16
        "",
        "@shared_task",
        "def sync_orders():",
        "    remember_error(\"timeout\")",
      ),
    });
    const findings = p.run(moduleState);
    assert.deepEqual(locations(findings), [
      ["DATA001", "app/tasks.py", 9],
      ["DATA001", "app/tasks.py", 13],
      ["DATA001", "app/tasks.py", 16],
    ]);
    assert.match(findings[0]?.message ?? "", /^tasks\.mark_processed \(run by background tasks\) writes module-level _processed/);
    assert.match(findings[2]?.message ?? "", /^tasks\.remember_error \(run by background tasks\) writes module-level _errors/);
  });

  it("a buffer the code drains itself (read, then cleared) is a low note", async () => {
    const p = await project({
      "app/store.py": py(
        "from celery import shared_task",
        "_errors_log = {}", // 2
        "def add_errors(section, errors):",
        "    _errors_log.setdefault(section, []).append(errors)", // 4
        "def get_errors(clear=True):",
        "    errors = _errors_log.copy()",
        "    if clear:",
        "        _errors_log.clear()", // 8
        "    return errors",
        "@shared_task",
        "def import_project(data):",
        "    add_errors('project', validate(data))",
        "    return get_errors()",
      ),
    });
    const findings = p.run(moduleState);
    assert.ok(findings.length > 0 && findings.every((f) => f.severity === "low"), JSON.stringify(findings.map((f) => f.message)));
    assert.match(findings[0]?.message ?? "", /a buffer the code drains \(get_errors clears it at app\/store\.py:8\)/);
  });

  it("stays quiet on local and parameter containers, import-time filling, unreached writes, constants and lazy singletons", async () => {
    const p = await project({
      "app/main.py": py(
        "import httpx",
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "_cache = {}",
        "ROUTES = {}",
        "for name in (\"a\", \"b\"):",
        "    ROUTES[name] = len(name)",
        "def register(name: str):",
        "    ROUTES[name] = 0",
        "register(\"c\")",
        "ALLOWED = (\"red\", \"green\")",
        "_client = None",
        "",
        "def get_client() -> httpx.Client:",
        "    global _client",
        "    if _client is None:",
        "        _client = httpx.Client()",
        "    return _client",
        "",
        "def admin_reset():",
        "    _cache.clear()",
        "",
        "@app.get(\"/colours\")",
        "def colours(extra: list[str], tags: list):",
        "    _cache = {}",
        "    _cache[\"hit\"] = True",
        "    found = []",
        "    found.append(ALLOWED[0])",
        "    colours = list(ALLOWED)",
        "    colours.extend(extra)",
        "    tags.append(\"seen\")",
        "    get_client()",
        "    return [c for c in colours if c in ALLOWED]",
      ),
    });
    assert.deepEqual(locations(p.run(moduleState)), []);
  });

  it("stays quiet when no handler or task exists", async () => {
    const p = await project({ "app/cli.py": py("STATE = {}", "def main():", "    STATE[\"ran\"] = True") });
    assert.deepEqual(locations(p.run(moduleState)), []);
  });
});

describe("DATA001 memos and registries", () => {
  it("a cache filled on a miss is a low memo note; several writes to one registry from one function are one finding", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "_schemas = {}",
        "providers = {}",
        "def schema_for(kind):",
        "    if kind not in _schemas:",
        "        _schemas[kind] = build(kind)", // 7
        "    return _schemas[kind]",
        "def provider(name):",
        "    providers[name] = make(name)", // 10
        "    providers[name + '-backup'] = make(name)", // 11
        "    return providers[name]",
        "@app.get('/x')",
        "def x(kind: str):",
        "    return schema_for(kind), provider(kind)",
      ),
    });
    const findings = p.run(moduleState);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity, f.evidence.length]), [[10, "medium", 3], [7, "low", 2]]);
  });
});

describe("DATA001 reads what is stored", () => {
  it("a lock created per key is medium when several workers run (it excludes nothing across them); a registry of task handles is low; a lookup-then-fill cache is low", async () => {
    const p = await project({
      Procfile: "web: gunicorn app.main:app -w 4 -k uvicorn.workers.UvicornWorker\n",
      "app/main.py": py(
        "import asyncio",
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "locks: dict[str, asyncio.Lock] = {}",
        "tasks: list[asyncio.Task] = []",
        "_schemas = {}",
        "async def pay(wallet):",
        "    if wallet not in locks:",
        "        locks[wallet] = asyncio.Lock()", // 9
        "    task = asyncio.create_task(asyncio.sleep(1))",
        "    tasks.append(task)", // 11
        "    cached = _schemas.get(wallet)",
        "    if cached is not None:",
        "        return cached",
        "    _schemas[wallet] = object()", // 15
        "@app.post('/pay')",
        "async def pay_route(wallet: str):",
        "    await pay(wallet)",
      ),
    });
    const findings = p.run(moduleState);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[9, "medium"], [11, "low"], [15, "low"]]);
    assert.match(findings[0]?.message ?? "", /lock in process memory.*gunicorn runs 4 workers/);
  });

  it("a per-process lock is low while the deployment shows a single process", async () => {
    const p = await project({
      "app/main.py": py("import asyncio", "from fastapi import FastAPI", "app = FastAPI()", "locks = {}", "@app.post('/pay')", "async def pay(wallet: str):", "    locks[wallet] = asyncio.Lock()"),
    });
    const findings = p.run(moduleState);
    assert.deepEqual(findings.map((f) => f.severity), ["low"]);
    assert.match(findings[0]?.message ?? "", /shows one process today/);
  });
});
