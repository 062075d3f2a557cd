import { requestPath, shortName } from "../handlers.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const MUTABLE_KINDS = new Set(["dict", "list", "set", "comprehension"]);
const MUTABLE_FACTORIES = /^(dict|list|set|collections\.(defaultdict|OrderedDict|deque|Counter)|defaultdict|OrderedDict|deque|Counter|weakref\.WeakValueDictionary)$/;
const TASK_DECORATOR = /(\.task|shared_task|\.actor|dramatiq\.actor|huey\.task|\.periodic_task)$/;

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
    const tasks = [...index.functions.values()].filter((fn) => fn.fact.decorators.some((d) => TASK_DECORATOR.test(d.qualified ?? d.name))).map((fn) => fn.id);
    const inTask = index.reachableFrom(tasks);
    const reports: Report[] = [];
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
        reports.push({
          message: `${onRequest ? "Request path" : "Task"} ${shortName(fnId)} writes module-level ${a.target} (defined in ${symbol.file}:${a.line}): state per process, lost on restart and not shared between workers.`,
          evidence: [
            { file: mod.file, line: m.line, snippet: m.snippet },
            { file: symbol.file, line: a.line, snippet: `${a.target} = ${a.text}` },
          ],
        });
      }
    }
    return reports;
  },
});
