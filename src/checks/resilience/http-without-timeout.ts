import { isServiceCode } from "../code-paths.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { SystemModel } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isDevelopmentServer } from "../../model/deployment/server-command.js";
import { requestPath, rqJobPath, serverCommands, shortName } from "../handlers.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { byRole, GROUP_FROM } from "../grouping.js";

const VERBS = "(get|post|put|patch|delete|head|options|request)";
/** Clients with no default timeout: a call without `timeout=` can wait forever. */
const NO_DEFAULT_TIMEOUT = [new RegExp(`^requests\\.${VERBS}$`), new RegExp(`^requests\\.api\\.${VERBS}$`), new RegExp(`^requests\\.Session\\.${VERBS}$`), /^urllib\.request\.urlopen$/];
/** httpx has a 5 s default: only an explicit `timeout=None` disables it. */
const HTTPX = [new RegExp(`^httpx\\.${VERBS}$`), /^httpx\.(Client|AsyncClient)$/, new RegExp(`^httpx\\.(Client|AsyncClient)\\.${VERBS}$`)];
/** Calls whose timeout may also be passed by position (`urlopen(url, data, timeout)`): the 0-based index. */
const POSITIONAL_TIMEOUT: Array<{ pattern: RegExp; position: number }> = [{ pattern: /^urllib\.request\.urlopen$/, position: 2 }];

/** Decorators that memoise a function's result. */
const MEMOISED = /^(functools\.)?(lru_cache|cache|cached_property)$|^cachetools\.(func\.)?\w*cache\w*$|^cachetools\.cached$|(^|\.)memoi[sz]e[d]?$|^async_lru\.alru_cache$/;

interface CallSite {
  /** Function id, or null for calls made at import time (module or class body). */
  functionId: string | null;
  module: string;
  file: string;
  calls: Array<{ call: CallFact; resolved: string | null }>;
}

/** Calls in every function, then calls made at import time, which run too and can hang a worker's start-up. */
function callSites(index: ProjectIndex): CallSite[] {
  const sites: CallSite[] = index.sortedFunctions().map((fn) => ({ functionId: fn.id, module: fn.module, file: fn.file, calls: index.callsIn(fn.id) }));
  for (const mod of index.modules.values()) {
    const calls = mod.facts.calls
      .filter((c) => c.enclosing === null)
      .map((call) => ({ call, resolved: call.qualified ? index.resolve(call.qualified, mod.name) : null }));
    if (calls.length) sites.push({ functionId: null, module: mod.name, file: mod.file, calls });
  }
  return sites;
}

/**
 * A project `HTTPAdapter` or `requests.Session` subclass that sets a default timeout (`send`/`request`
 * overridden to fill `timeout`, or `__init__` storing one): sessions that mount it time out.
 */
function defaultTimeoutClass(index: ProjectIndex): string | null {
  for (const mod of index.modules.values()) {
    for (const c of mod.facts.classes) {
      const base = c.bases.map((b) => (b.qualified ? index.resolve(b.qualified, mod.name) : b.text)).find((b) => /^requests\.(adapters\.HTTPAdapter|Session|sessions\.Session)$/.test(b));
      if (!base) continue;
      for (const method of ["send", "request", "__init__"]) {
        const fn = index.functions.get(`${mod.name}.${c.qualname}.${method}`);
        if (!fn) continue;
        const mentions = fn.fact.params.some((p) => p.name === "timeout") || index.callsIn(fn.id).some(({ call }) => call.args.some((a) => a.name === "timeout" || /["']timeout["']/.test(a.text)));
        if (mentions) return `${mod.name}.${c.qualname}`;
      }
    }
  }
  return null;
}

/**
 * Where the service runs under gunicorn with sync workers (no worker class, or `sync`) and nothing else serves it:
 * gunicorn's arbiter kills a sync worker silent for longer than its timeout. Async and threaded workers (uvicorn,
 * gevent, gthread) keep answering the heartbeat while a call hangs, so they get no such bound.
 */
function gunicornSyncWorkers(model: SystemModel): string | null {
  const servers = serverCommands(model).filter((s) => s.server.server !== "celery" && !isDevelopmentServer(s.server) && runsInProduction(fileRole(s.file)));
  if (!servers.length || !servers.every((s) => s.server.server === "gunicorn" && (!s.server.workerClass || s.server.workerClass === "sync"))) return null;
  // an ASGI app needs an ASGI worker class, which a gunicorn configuration file may set: only a WSGI app is known to be sync
  const wsgi = model.endpoints.length > 0 && model.endpoints.every((e) => e.framework === "django" || e.framework === "drf" || e.framework === "flask");
  if (!wsgi) return null;
  return `sync workers in ${servers[0]?.file}`;
}

function passesTimeoutByPosition(call: CallFact, resolved: string): boolean {
  const positional = call.args.filter((a) => a.name === null).length;
  return POSITIONAL_TIMEOUT.some((p) => p.pattern.test(resolved) && positional > p.position);
}


export default defineCheck({
  id: "RES001",
  area: "resilience",
  title: "Outbound HTTP call without a timeout",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "requests and urllib wait forever by default. When the remote service hangs, every worker that calls it hangs too, the pool is exhausted, and an outage of one dependency becomes an outage of this service.",
  recommendation: "Give every outbound call a timeout that fits the request budget (`timeout=(3.05, 10)` for requests), ideally set once on a shared client or session, and pair it with retries with backoff (tenacity, urllib3 Retry).",
  example: { bad: 'requests.post(PAYMENT_URL, json=payload)', good: 'requests.post(PAYMENT_URL, json=payload, timeout=(3.05, 10))' },
  references: ["https://requests.readthedocs.io/en/latest/user/advanced/#timeouts", "https://www.python-httpx.org/advanced/timeouts/", "https://cwe.mitre.org/data/definitions/400.html"],
  effort: "S",
  libraries: ["requests", "httpx", "tenacity"],
  cwe: "CWE-400",
  run(input) {
    const { index } = input;
    const { reachable } = requestPath(input);
    const reports: Report[] = [];
    const background: Report[] = [];
    const sessionDefault = defaultTimeoutClass(index);
    const rqJobs = rqJobPath(input.model, index);
    const syncWorkers = gunicornSyncWorkers(input.model);
    const imported = new Set(index.imports.map((e) => e.to));
    for (const site of callSites(index)) {
      const onRequestPath = site.functionId !== null && reachable.has(site.functionId);
      const where = site.functionId === null ? `module ${site.module} (at import time)` : shortName(site.functionId);
      for (const { call, resolved } of site.calls) {
        if (!resolved) continue;
        const timeout = call.args.find((a) => a.name === "timeout");
        let missing = false;
        // a session whose mounted adapter (or the session class itself) sets a default timeout covers its calls
        if (sessionDefault && /^requests\.Session\./.test(resolved)) continue;
        if (NO_DEFAULT_TIMEOUT.some((p) => p.test(resolved))) missing = !timeout && !call.hasStarArgs && !passesTimeoutByPosition(call, resolved);
        else if (HTTPX.some((p) => p.test(resolved))) missing = timeout?.kind === "none";
        if (!missing) continue;
        // a script or command run by hand (`cli.py`, `management/commands/`, a `__main__` guard) hangs only itself
        // or code at the top of a file nothing imports (`docker/fetchstatus.py` run by a HEALTHCHECK)
        const byHand = !isServiceCode(site.file) || index.modules.get(site.module)?.facts.hasMainGuard === true || (site.functionId === null && !imported.has(site.module));
        const evidence = [{ file: site.file, line: call.line, endLine: call.endLine, snippet: call.snippet }];
        if (byHand) {
          reports.push({ message: `${call.callee}() in ${where} has ${timeout ? "timeout=None" : "no timeout"}: the command hangs for as long as the remote does.`, evidence, severity: "low" });
          continue;
        }
        // a memoised function (`@lru_cache`, `@cache`, cachetools) calls out only when its cache misses: rare requests wait
        const memo = site.functionId ? index.functions.get(site.functionId)?.fact.decorators.find((d) => MEMOISED.test(d.qualified ?? d.name)) : undefined;
        if (onRequestPath && memo) {
          reports.push({ message: `${call.callee}() in ${where} has ${timeout ? "timeout=None" : "no timeout"} and runs while serving a request; its result is memoised (@${memo.name}), so only requests that miss the cache call out, but each of them waits for as long as the remote hangs.`, evidence, severity: "medium" });
          continue;
        }
        if (onRequestPath && syncWorkers) {
          // gunicorn kills a sync worker that stops answering its heartbeat: the hang is bounded, the requests still fail
          reports.push({ message: `${call.callee}() in ${where} has ${timeout ? "timeout=None" : "no timeout"} and runs while serving a request: a hung remote holds the worker until gunicorn's worker timeout (30 s unless --timeout says otherwise; ${syncWorkers}) kills it, and every request reaching it meanwhile fails.`, evidence, severity: "medium" });
          continue;
        }
        if (onRequestPath) {
          reports.push({ message: `${call.callee}() in ${where} has ${timeout ? "timeout=None" : "no timeout"} and runs while serving a request: a hung remote holds this worker indefinitely.`, evidence, severity: "high" });
          continue;
        }
        // RQ stops a job after its timeout (180 s unless configured): the hang is bounded there
        if (site.functionId !== null && rqJobs.has(site.functionId)) {
          reports.push({ message: `${call.callee}() in ${where} has ${timeout ? "timeout=None" : "no timeout"} and runs in an RQ job: a hung remote holds the worker until RQ's job timeout stops the job (180 s unless the queue or job sets another).`, evidence, severity: "low" });
          continue;
        }
        background.push({ message: `${call.callee}() in ${where} has ${timeout ? "timeout=None" : "no timeout"}: a hung remote holds this worker indefinitely.`, evidence, severity: "medium" });
      }
    }
    // many calls without a timeout are one habit (no shared client with a default timeout): one finding that lists them
    for (const part of byRole(background, (r) => r.evidence[0]?.file ?? "")) {
      if (part.length >= GROUP_FROM) {
        reports.push({ message: `${part.length} outbound HTTP calls outside request handlers have no timeout (for example ${part[0]?.message.split(":")[0]}); a hung remote holds the worker that made the call indefinitely. A shared client with a default timeout fixes them at once.`, evidence: part.flatMap((r) => r.evidence), severity: "medium" });
      } else reports.push(...part);
    }
    return reports;
  },
});
