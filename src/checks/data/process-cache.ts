import { fileRole } from "../../core/file-roles.js";
import type { Evidence } from "../../model/types.js";
import { effectOf } from "../../python/effects.js";
import type { DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { type ModelIndex, modelIndex, ormCall } from "../database/orm-queries.js";
import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";
import { countEvidence, deploymentInstances } from "../scalability/deployment-instances.js";
import type { Report } from "../types.js";

/** Per-process memoising decorators: the standard library's, cachetools', async-lru's. */
const PROCESS_CACHE = /^(functools\.(lru_cache|cache)|cachetools\.(cached|func\.(lru_cache|lfu_cache|rr_cache|fifo_cache|mru_cache))|async_lru\.alru_cache|aiocache\.cached)$/;
/** A time-to-live bounds how stale a copy gets: a deliberate trade, not a bug. */
const BOUNDED_BY_TIME = /TTLCache|TLRUCache|ttl_cache|\bttl\s*=/;
/** aiocache's `@cached` with a Redis or Memcached backend is shared, not per process. */
const SHARED_BACKEND = /Redis|Memcached/;
/** Names of functions that return clients or protocol metadata rather than data. */
const METADATA = /client|session|jwks|discovery|openid|well_known|metadata|schema|certs?$|keys?$|account_id|config|settings/i;
const REMOTE_EFFECTS = new Set(["http", "sync-db", "sync-sdk", "sync-cache"]);

interface Read {
  what: string;
  database: boolean;
  evidence: Evidence;
}

/** The first database query or remote call a function makes, itself or through project functions up to three calls deep. */
function firstRead(index: ProjectIndex, models: ModelIndex, fn: FunctionInfo, depth: number, seen: Set<string>): Read | null {
  if (seen.has(fn.id)) return null;
  seen.add(fn.id);
  const calls = index.callsIn(fn.id);
  for (const { call, resolved } of calls) {
    const orm = ormCall(index, fn.module, call, models);
    if (orm) return { database: true, what: `a database query (\`${call.snippet.slice(0, 80)}\`)`, evidence: { file: fn.file, line: call.line, snippet: call.snippet } };
    const effect = effectOf(resolved);
    if (effect && REMOTE_EFFECTS.has(effect.kind)) return { database: effect.kind === "sync-db", what: `${effect.kind === "http" ? "a remote HTTP call" : effect.kind === "sync-cache" ? "a Redis read" : effect.kind === "sync-sdk" ? `a ${effect.library} call` : "a database query"} (\`${call.snippet.slice(0, 80)}\`)`, evidence: { file: fn.file, line: call.line, snippet: call.snippet } };
  }
  if (depth >= 3) return null;
  for (const { call, resolved } of calls) {
    const target = resolved ? index.functions.get(resolved) : undefined;
    if (!target) continue;
    const inner = firstRead(index, models, target, depth + 1, seen);
    if (inner) return { database: inner.database, what: `${inner.what} through ${shortName(target.id)}() at ${fn.file}:${call.line}`, evidence: inner.evidence };
  }
  return null;
}

function cacheDecorator(index: ProjectIndex, fn: FunctionInfo): { decorator: DecoratorFact; name: string } | null {
  for (const d of fn.fact.decorators) {
    const name = d.qualified ? index.resolve(d.qualified, fn.module) : d.name;
    if (!PROCESS_CACHE.test(name)) continue;
    const args = d.args.map((a) => a.text).join(", ");
    if (BOUNDED_BY_TIME.test(args) || (name === "aiocache.cached" && SHARED_BACKEND.test(args))) return null;
    return { decorator: d, name };
  }
  return null;
}

export default defineCheck({
  id: "DATA003",
  area: "data",
  title: "In-process cache of database or remote data in a multi-instance deployment",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "`functools.lru_cache` and friends keep their results in one process, forever (until evicted by size). When the cached function reads the database or another service, every worker and replica holds its own copy from whenever it first ran: an update made through one process is never seen by the others, and nothing can invalidate them all.",
  recommendation: "Cache database and remote data in a shared store with expiry (Redis through django-redis, cashews, aiocache's RedisCache, fastapi-cache2) and delete the key when the data changes; or, where per-process caching is acceptable, bound the staleness with a time-to-live (`cachetools.TTLCache`, `cachetools.func.ttl_cache`).",
  example: { bad: "@lru_cache(maxsize=None)\ndef plan_limits(plan_id: int) -> Limits:\n    return Plan.objects.get(pk=plan_id).limits", good: "@cached(cache=TTLCache(maxsize=1024, ttl=60))\ndef plan_limits(plan_id: int) -> Limits:\n    return Plan.objects.get(pk=plan_id).limits" },
  references: ["https://docs.python.org/3/library/functools.html#functools.lru_cache", "https://cachetools.readthedocs.io/en/latest/#cachetools.TTLCache", "https://12factor.net/processes"],
  effort: "S",
  libraries: ["cachetools", "django-redis", "cashews", "aiocache", "fastapi-cache2"],
  run({ model, index, context }) {
    const instances = deploymentInstances(model, index, context);
    if (!instances || (!instances.multiProcess && !instances.multiReplica)) return [];
    const models = modelIndex(index, model.dataModels);
    const reports: Report[] = [];
    for (const fn of index.sortedFunctions()) {
      if (!isServiceCode(fn.file) || fileRole(fn.file) !== "application") continue;
      // a cached function defined inside another function lives as long as that call: not process-wide
      if (fn.fact.qualname.includes(".") && fn.fact.className === null) continue;
      const cache = cacheDecorator(index, fn);
      if (!cache) continue;
      const read = firstRead(index, models, fn, 0, new Set());
      if (!read) continue;
      // a remote read with no arguments, or one that builds a client or fetches metadata (an account id, a JWKS client,
      // a discovery document), is meant to be fetched once: nothing the application writes goes stale in it
      const params = fn.fact.params.filter((p) => p.name !== "self" && p.name !== "cls");
      if (!read.database && (!params.length || METADATA.test(fn.fact.name))) continue;
      reports.push({
        message: `${shortName(fn.id)}() is cached in process memory by @${cache.name.replace(/^.*\.(?=\w+\.\w+$)/, "")} and reads ${read.what}: ${instances.summary} each keep their own copy with no expiry, ${read.database ? "so a change made through one process is never seen by the others" : "each fetched at a different moment, so instances answer differently until they restart"}.`,
        evidence: [{ file: fn.file, line: cache.decorator.line, snippet: `@${cache.decorator.name}` }, read.evidence, ...countEvidence(instances)],
      });
    }
    return reports;
  },
});
