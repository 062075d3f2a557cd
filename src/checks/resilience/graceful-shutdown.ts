import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence } from "../../model/types.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";

/** Long-lived async clients and pools that hold connections until closed. */
const POOLED_CLIENT = /^(httpx\.AsyncClient|aiohttp\.ClientSession|aiohttp\.client\.ClientSession|asyncpg\.create_pool|sqlalchemy\.ext\.asyncio\.create_async_engine|redis\.asyncio\.(Redis|from_url|Redis\.from_url|ConnectionPool|ConnectionPool\.from_url)|motor\.motor_asyncio\.AsyncIOMotorClient|aio_pika\.connect_robust)$/;
const ASYNC_FRAMEWORKS = new Set(["fastapi", "starlette", "aiohttp", "litestar", "quart", "sanic"]);
const APP = /^(fastapi\.FastAPI|starlette\.applications\.Starlette|litestar\.Litestar)$/;
const HOOK_CALL = /(^|\.)(on_event|add_event_handler|on_shutdown|on_cleanup|after_serving|cleanup_ctx|shutdown|register)$/;
const CLOSE = /\.(aclose|close|dispose|wait_closed|terminate)$/;

export default defineCheck({
  id: "RES008",
  area: "resilience",
  title: "No graceful shutdown of pools and clients",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "On a deploy or scale-in the server receives SIGTERM. Clients and pools created at import time and never closed are dropped mid-flight: in-flight requests to other services are cut, database connections are left for the server to time out, and buffered work (metrics, messages) is lost.",
  recommendation: "Create long-lived clients in a lifespan handler (FastAPI/Starlette `lifespan=`, aiohttp `cleanup_ctx`) and close them there (`await client.aclose()`, `await engine.dispose()`, `await pool.close()`); give the platform time to drain (gunicorn `graceful_timeout`, Kubernetes `terminationGracePeriodSeconds` and a `preStop` hook).",
  example: {
    bad: "http = httpx.AsyncClient(timeout=5)\napp = FastAPI()",
    good: "@asynccontextmanager\nasync def lifespan(app):\n    app.state.http = httpx.AsyncClient(timeout=5)\n    yield\n    await app.state.http.aclose()\n\napp = FastAPI(lifespan=lifespan)",
  },
  references: ["https://fastapi.tiangolo.com/advanced/events/", "https://www.python-httpx.org/async/#opening-and-closing-clients", "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/"],
  effort: "S",
  libraries: ["fastapi", "starlette", "httpx", "aiohttp"],
  run({ model, index }) {
    if (!model.endpoints.some((e) => ASYNC_FRAMEWORKS.has(e.framework))) return [];
    const clients: Array<{ target: string; callee: string; evidence: Evidence }> = [];
    for (const mod of index.modules.values()) {
      const production = isServiceCode(mod.file) && runsInProduction(fileRole(mod.file));
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
        if (!resolved) continue;
        // any shutdown hook or lifespan anywhere: the project closes things on shutdown
        if (APP.test(resolved) && call.args.some((a) => a.name === "lifespan" || a.name === "on_shutdown")) return [];
        if (HOOK_CALL.test(call.callee) && call.args.some((a) => /shutdown|cleanup|close/i.test(a.text))) return [];
        if (/^atexit\.register$/.test(resolved) || /^contextlib\.asynccontextmanager$/.test(resolved)) return [];
      }
      for (const fn of mod.facts.functions) {
        if (fn.decorators.some((d) => /on_event$/.test(d.name) && d.args.some((a) => a.value === "shutdown"))) return [];
        if (fn.decorators.some((d) => /(^|\.)(after_serving|on_shutdown|after_server_stop|asynccontextmanager)$/.test(d.name))) return [];
        if (/^(lifespan|shutdown|on_shutdown|close_\w+|\w*_shutdown)$/.test(fn.name)) return [];
      }
      if (!production) continue;
      for (const a of mod.facts.assignments) {
        if (a.kind !== "call" || !a.callee) continue;
        const resolved = index.resolve(a.callee, mod.name);
        if (POOLED_CLIENT.test(resolved)) clients.push({ target: a.target, callee: a.text.split("(")[0] ?? resolved, evidence: { file: mod.file, line: a.line, snippet: a.text.slice(0, 160) } });
      }
    }
    if (!clients.length) return [];
    // a client closed anywhere (`await http.aclose()`) is handled
    const closed = new Set<string>();
    for (const mod of index.modules.values()) for (const call of mod.facts.calls) if (CLOSE.test(call.callee)) closed.add(call.callee.replace(CLOSE, "").split(".").pop() ?? "");
    const open = clients.filter((c) => !closed.has(c.target.split(".").pop() ?? c.target));
    if (!open.length) return [];
    const names = open.slice(0, 3).map((c) => `\`${c.target} = ${c.callee}(...)\``).join(", ");
    return [
      {
        message: `${open.length === 1 ? "A client created" : `${open.length} clients created`} at import time (${names}) ${open.length === 1 ? "is" : "are"} never closed and the app has no lifespan or shutdown handler: on SIGTERM their connections are dropped mid-flight instead of drained.`,
        evidence: open.map((c) => c.evidence),
      },
    ];
  },
});
