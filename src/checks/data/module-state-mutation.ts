import type { SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { requestPath, serverCommands, shortName, taskPath } from "../handlers.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const MUTABLE_KINDS = new Set(["dict", "list", "set", "comprehension"]);
const MUTABLE_FACTORIES = /^(dict|list|set|collections\.(defaultdict|OrderedDict|deque|Counter)|defaultdict|OrderedDict|deque|Counter|weakref\.WeakValueDictionary)$/;

/** A write made when a lookup missed: the guard tests the container (or a value just read from it) for absence. */
function isMemoWrite(index: ProjectIndex, fnId: string, container: string, guard: string | undefined, line: number): boolean {
  const name = container.split(".").pop() ?? container;
  if (guard?.includes(name) && /\bnot in\b|\bis None\b|^not\b|\bnot\s/.test(guard)) return true;
  // `cached = _cache.get(key)`, returned when found, filled below otherwise; `_totals.get(key, 0) + n` is a counter, not a lookup
  return index.callsIn(fnId).some(({ call }) => (call.callee === `${container}.get` || call.callee.endsWith(`${name}.get`)) && (call.args.length === 1 || (call.args.length === 2 && call.args[1]?.kind === "none")) && call.line < line);
}

/** What a write stores, read from the write and the container's declaration: a lock, a handle of in-process work, or data. */
function storedKind(snippet: string, declaration: string, annotation: string | null): "lock" | "handle" | "data" {
  const text = `${snippet} ${declaration} ${annotation ?? ""}`;
  if (/\b(asyncio\.|threading\.|multiprocessing\.)?(Lock|RLock|Semaphore|BoundedSemaphore|Condition)\b/.test(text)) return "lock";
  if (/\b(asyncio\.Task|Task\]|create_task\(|ensure_future\(|Thread\(|Future\]|Process\()/.test(text)) return "handle";
  return "data";
}

/** Evidence that the service runs in several processes: server workers, Kubernetes replicas or an autoscaler, Procfile scale. */
function multiProcess(model: SystemModel): string | null {
  const servers = serverCommands(model);
  const workers = servers.find((s) => s.server.server !== "celery" && (s.server.workers ?? 0) > 1);
  if (workers) return `${workers.server.server} runs ${workers.server.workers} workers in ${workers.file}`;
  const gunicorn = servers.find((s) => s.server.server === "gunicorn");
  if (gunicorn) return `gunicorn runs a pool of worker processes (${gunicorn.file})`;
  const replicated = model.kubernetes.find((k) => (k.replicas ?? 0) > 1 || k.autoscaled);
  if (replicated) return `${replicated.kind} ${replicated.name} runs ${replicated.autoscaled ? "autoscaled" : `${replicated.replicas}`} replicas (${replicated.file})`;
  return null;
}

/** Where the module defining `target` empties it (`target.clear()`): the function that does, or null. */
function drainedBy(index: ProjectIndex, file: string, target: string): string | null {
  const module = index.moduleByFile.get(file);
  const facts = module ? index.modules.get(module)?.facts : undefined;
  const clear = facts?.calls.find((c) => c.callee === `${target}.clear` && c.enclosing !== null);
  return clear ? `${clear.enclosing} clears it at ${file}:${clear.line}` : null;
}

export default defineCheck({
  id: "DATA001",
  area: "data",
  title: "Module-level mutable state changed by handlers or tasks",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A dict or list at module level lives in one process. With several workers or replicas each has its own copy, so what one request writes another does not see; it grows without bound, is not thread-safe under a threaded server, and is lost on every restart or deploy.",
  recommendation: "Keep shared state in a shared store: Redis (with expiry) for caches and counters, the database for anything that matters; for a per-process cache use a bounded, explicit one (cachetools.TTLCache) and accept that it is per process.",
  example: { bad: "_cache: dict[int, dict] = {}\n\n@router.get(\"/{id}\")\ndef read(id: int):\n    _cache[id] = load(id)", good: "@router.get(\"/{id}\")\nasync def read(id: int, redis: Redis = Depends(get_redis)):\n    await redis.set(f\"product:{id}\", payload, ex=300)" },
  references: ["https://12factor.net/processes", "https://docs.python.org/3/library/functools.html#functools.lru_cache"],
  effort: "M",
  libraries: ["redis", "cachetools", "fastapi-cache2", "django-redis"],
  run(input) {
    const { index } = input;
    const onRequestPath = requestPath(input).reachable;
    const inTask = taskPath(index);
    // one finding per function and container: a registry written on three lines is one habit, not three
    const groups = new Map<string, { onRequest: boolean; fnId: string; symbol: { file: string; line: number; target: string; text: string }; writes: Array<{ file: string; line: number; snippet: string }>; memo: boolean; stored: "lock" | "handle" | "data" }>();
    for (const mod of index.modules.values()) {
      for (const m of mod.facts.mutations) {
        if (!m.qualified) continue;
        const fnId = `${mod.name}.${m.enclosing}`;
        const onRequest = onRequestPath.has(fnId);
        if (!onRequest && !inTask.has(fnId)) continue;
        const target = index.resolve(m.qualified, mod.name);
        const symbol = index.symbol(target);
        if (symbol?.kind !== "assignment") continue;
        const a = symbol.fact;
        const mutable = MUTABLE_KINDS.has(a.kind) || (a.kind === "call" && a.callee != null && MUTABLE_FACTORIES.test(index.resolve(a.callee, symbol.module)));
        if (!mutable) continue;
        const key = `${fnId}\0${target}`;
        const group = groups.get(key) ?? { onRequest, fnId, symbol: { file: symbol.file, line: a.line, target: a.target, text: a.text }, writes: [], memo: false, stored: "data" as const };
        const stored = storedKind(m.snippet, a.text, a.annotation);
        if (stored !== "data") group.stored = stored;
        group.writes.push({ file: mod.file, line: m.line, snippet: m.snippet });
        // filled on a miss (`if key not in _cache:`, a `.get()` that came back empty): a memo of derived data, not shared state
        if (isMemoWrite(index, fnId, m.name, m.guard, m.line)) group.memo = true;
        groups.set(key, group);
      }
    }
    const reports: Report[] = [];
    for (const g of groups.values()) {
      const where = g.onRequest ? `Request path ${shortName(g.fnId)}` : `${shortName(g.fnId)} (run by background tasks)`;
      const evidence = [...g.writes, { file: g.symbol.file, line: g.symbol.line, snippet: `${g.symbol.target} = ${g.symbol.text}` }];
      if (g.stored === "lock") {
        // whether more than one process runs is read off the deployment: several workers or replicas make it a medium
        const processes = multiProcess(input.model);
        reports.push({
          message: `${where} keeps locks in module-level ${g.symbol.target} (defined in ${g.symbol.file}:${g.symbol.line}): a lock in process memory excludes nothing in other workers or replicas, so what it guards can still run twice at once${processes ? ` (${processes})` : "; the deployment shows one process today, so this holds only until a second worker or replica is added"}.`,
          evidence,
          ...(processes ? {} : { severity: "low" as const }),
        });
        continue;
      }
      if (g.stored === "handle") {
        reports.push({ message: `${where} keeps handles of in-process work in module-level ${g.symbol.target} (defined in ${g.symbol.file}:${g.symbol.line}): per process by nature; make sure nothing expects another worker to see them.`, evidence, severity: "low" });
        continue;
      }
      // a buffer the code drains itself (`_errors.clear()` after reading it): one operation's scratch space, not shared state
      const drained = drainedBy(index, g.symbol.file, g.symbol.target);
      if (drained) {
        reports.push({ message: `${where} writes module-level ${g.symbol.target} (defined in ${g.symbol.file}:${g.symbol.line}), a buffer the code drains (${drained}): scratch space for one operation, fine while one process runs one operation at a time; two at once in one process would mix their entries.`, evidence, severity: "low" });
        continue;
      }
      if (g.memo) {
        reports.push({ message: `${where} fills module-level ${g.symbol.target} (defined in ${g.symbol.file}:${g.symbol.line}) on a miss: a per-process memo, fine for data derived from code, stale across workers if it holds database or remote data.`, evidence, severity: "low" });
        continue;
      }
      reports.push({ message: `${where} writes module-level ${g.symbol.target} (defined in ${g.symbol.file}:${g.symbol.line}): state per process, lost on restart and not shared between workers.`, evidence });
    }
    return reports;
  },
});
