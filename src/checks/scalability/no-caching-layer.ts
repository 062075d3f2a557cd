import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { ROADMAP_STAGES } from "../../model/capacity-numbers.js";
import type { Evidence } from "../../model/types.js";
import type { ReviewContext } from "../context.js";
import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";
import type { Report } from "../types.js";

/** Stated load from which repeated reads are worth caching (rules of thumb). */
const CACHE_RPS = 100;
const CACHE_USERS = 10_000;
/** Share of GET routes from which an API is read-heavy, and the fewest GET routes that make it an API worth caching. */
const READ_SHARE = 0.6;
const MIN_READS = 5;
/** Libraries that provide (or can back) a shared cache: any of them and the team has a place to cache. */
const CACHE_LIBRARIES = /^(fastapi-cache2?|flask-caching|flask-cache|django-redis|django-cacheops|django-cachalot|django-redis-cache|aiocache|cashews|dogpile\.cache|redis|valkey|aioredis|pymemcache|python-memcached|pylibmc|django-pymemcache|requests-cache|hishel)$/i;
/** Calls and decorators that cache responses or values. */
const CACHE_CALL = /^(django\.views\.decorators\.cache\.|django\.core\.cache\.|django\.utils\.cache\.|fastapi_cache\.|flask_caching\.|aiocache\.|cashews\.)/;

function stated(context: ReviewContext, field: "peak_rps" | "users"): Evidence[] {
  const from = context.fromDocuments?.[field];
  return from ? [{ file: from.file, line: from.line, snippet: from.text }] : [];
}

export default defineCheck({
  id: "PERF007",
  area: "scalability",
  title: "No caching layer for a read-heavy API at the stated scale",
  severity: "low",
  kind: "concern",
  confidence: "low",
  why: "Most requests to a read-heavy API ask for the same data again. Without a shared cache every one of them reaches the database, so the database (not the web tier) sets the ceiling, and adding web replicas only adds load on it. At the load the team states, a cache in front of the hottest reads is usually the cheapest capacity there is.",
  recommendation: "Cache hot, rarely changing reads in Redis or Memcached with explicit TTLs and invalidation on write (fastapi-cache2, cashews, Flask-Caching, Django's cache framework with django-redis, `cache_page` for public pages), and send `Cache-Control`/`ETag` so a CDN or the client can serve repeats.",
  example: {
    bad: '@router.get("/products/{id}")\nasync def product(id: int, db=Depends(get_db)):\n    return await db.get(Product, id)  # every request hits the database',
    good: '@router.get("/products/{id}")\n@cache(expire=60)  # fastapi-cache2 backed by Redis\nasync def product(id: int, db=Depends(get_db)):\n    return await db.get(Product, id)',
  },
  references: ["https://docs.djangoproject.com/en/stable/topics/cache/", "https://github.com/long2ice/fastapi-cache", "https://flask-caching.readthedocs.io/"],
  effort: "M",
  libraries: ["redis", "fastapi-cache2", "cashews", "flask-caching", "django-redis"],
  dependsOn: [],
  run({ model, index, context }) {
    // active only when the team (or a design document) states the load, and not for an API declared internal
    const rps = context.peak_rps !== undefined && context.peak_rps >= CACHE_RPS;
    const users = context.users !== undefined && context.users >= CACHE_USERS;
    if ((!rps && !users) || context.exposure === "internal") return [];
    const endpoints = model.endpoints.filter((e) => runsInProduction(fileRole(e.file)));
    const reads = endpoints.filter((e) => e.method.toUpperCase() === "GET");
    if (reads.length < MIN_READS || reads.length / endpoints.length < READ_SHARE) return [];
    if (model.dependencies.some((d) => CACHE_LIBRARIES.test(d.name))) return [];
    for (const mod of index.modules.values()) {
      if (mod.facts.calls.some((c) => c.qualified && CACHE_CALL.test(index.resolve(c.qualified, mod.name)))) return [];
      if (mod.facts.functions.some((f) => f.decorators.some((d) => d.qualified && CACHE_CALL.test(index.resolve(d.qualified, mod.name))))) return [];
    }
    const load = [rps ? `a peak of ${context.peak_rps} req/s` : "", users ? `${context.users} users` : ""].filter(Boolean).join(" and ");
    const share = Math.round((reads.length / endpoints.length) * 100);
    const file = appFile(model);
    return [
      {
        message: `At the stated ${load}, the API is read-heavy (${reads.length} of ${endpoints.length} routes, ${share}%, are GET) and has no caching layer: no Redis or Memcached client, no cache library, no response caching. Every repeated read reaches the database. The roadmap puts a cache in its stage "${ROADMAP_STAGES.next}". Thresholds are rules of thumb (about ${CACHE_RPS} req/s or ${CACHE_USERS.toLocaleString("en-US")} users); which reads repeat is not visible in the code.`,
        evidence: [...(file ? [{ file, line: null, snippet: "no caching layer" }] : []), ...reads.slice(0, 3).map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path}` })), ...stated(context, rps ? "peak_rps" : "users")],
      },
    ] satisfies Report[];
  },
});
