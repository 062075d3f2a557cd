import type { CallFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import { byRole, GROUP_FROM } from "../grouping.js";
import { shortName } from "../handlers.js";
import type { Report } from "../types.js";
import { isApplicationFile } from "./orm-queries.js";

/** Redis clients (sync and asyncio, their pipelines) as the index resolves them: `redis.Redis`, `redis.from_url(...)`, `Redis(...).pipeline()`. */
const REDIS_WRITE = /^redis(\.asyncio)?(\.client)?\.(Redis|StrictRedis)(\.pipeline\(\))?\.(set|hset|hmset|mset|setnx|msetnx)$/;
const REDIS_EXPIRE = /^redis(\.asyncio)?(\.client)?\.(Redis|StrictRedis)(\.pipeline\(\))?\.(expire|pexpire|expireat|pexpireat|setex|psetex)$/;
const EXPIRY_KEYWORDS = new Set(["ex", "px", "exat", "pxat", "keepttl"]);
const DJANGO_CACHE_SET = /^django\.core\.cache\.(cache|caches\[.*\])\.(set|set_many|add|get_or_set)$|^django\.core\.cache\.cache\.(set|set_many|add|get_or_set)$/;

interface Write {
  file: string;
  call: CallFact;
  what: string;
}

/** Whether a Redis write sets an expiry itself: `ex=`/`px=`/`exat=`/`pxat=`/`keepttl=`, or `set(name, value, ex)` by position. */
function setsExpiry(call: CallFact, method: string): boolean {
  if (call.hasStarArgs) return true;
  if (call.args.some((a) => a.name !== null && EXPIRY_KEYWORDS.has(a.name) && a.text !== "None")) return true;
  return method === "set" && call.args.filter((a) => a.name === null).length >= 3 && call.args.filter((a) => a.name === null)[2]?.text !== "None";
}

/** CACHES settings entries that set `"TIMEOUT": None` (keys never expire by default). */
function cachesWithoutTimeout(modules: Iterable<{ facts: { assignments: Array<{ target: string; text: string; line: number }> } }>): boolean {
  for (const mod of modules) for (const a of mod.facts.assignments) if (a.target === "CACHES" && /["']TIMEOUT["']\s*:\s*None\b/.test(a.text)) return true;
  return false;
}

export default defineCheck({
  id: "DB010",
  area: "database",
  title: "Cache writes without expiry",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "A cache key written with no expiry lives until it is deleted or evicted: stale values are served after the data changes, memory grows with every distinct key, and once Redis reaches maxmemory it evicts by policy (or refuses writes under `noeviction`), taking keys you meant to keep.",
  recommendation: "Give every cache write a lifetime: redis-py `set(key, value, ex=300)` (or `px=`, `exat=`), `setex`, or `expire(key, ttl)` right after `hset`/`mset`/`setnx` (in the same pipeline); in Django pass a `timeout` or leave the 300 s default rather than `timeout=None`. Keys that must persist belong in the database, or under a Redis maxmemory policy that never evicts them.",
  example: { bad: "r.set(f\"user:{uid}:profile\", payload)", good: "r.set(f\"user:{uid}:profile\", payload, ex=300)" },
  references: ["https://redis.io/docs/latest/commands/set/", "https://redis.io/docs/latest/develop/reference/eviction/", "https://docs.djangoproject.com/en/stable/topics/cache/#basic-usage"],
  effort: "S",
  libraries: ["redis", "django"],
  run({ index }) {
    const writes: Write[] = [];
    const djangoNoTimeout = cachesWithoutTimeout(index.modules.values());
    for (const mod of index.modules.values()) {
      if (!isApplicationFile(mod.file)) continue;
      const resolved = mod.facts.calls.map((call) => ({ call, name: call.qualified ? index.resolve(call.qualified, mod.name) : "" }));
      for (const { call, name } of resolved) {
        const redis = REDIS_WRITE.exec(name);
        if (redis) {
          const method = redis[5] as string;
          if (setsExpiry(call, method)) continue;
          const key = call.args.find((a) => a.name === null || a.name === "name")?.text;
          // `expire(key, ttl)` on the same key in the same function
          const expired = resolved.some((o) => o.call.enclosing === call.enclosing && REDIS_EXPIRE.test(o.name) && (method === "mset" || method === "msetnx" || o.call.args[0]?.text === key));
          if (expired) continue;
          writes.push({ file: mod.file, call, what: `Redis \`${method}\`${key ? ` of ${key.length > 50 ? `${key.slice(0, 50)}…` : key}` : ""} with no ex/px and no expire()` });
          continue;
        }
        if (!DJANGO_CACHE_SET.test(name)) continue;
        const method = name.slice(name.lastIndexOf(".") + 1);
        const timeoutPosition = method === "set_many" ? 1 : 2;
        const timeout = call.args.find((a) => a.name === "timeout") ?? call.args.filter((a) => a.name === null)[timeoutPosition];
        if (call.hasStarArgs) continue;
        if (timeout?.text === "None") writes.push({ file: mod.file, call, what: `Django \`cache.${method}\` with timeout=None (the key never expires)` });
        else if (!timeout && djangoNoTimeout) writes.push({ file: mod.file, call, what: `Django \`cache.${method}\` without a timeout where CACHES sets "TIMEOUT": None` });
      }
    }
    const reports: Report[] = [];
    for (const part of byRole(writes, (w) => w.file)) {
      if (part.length >= GROUP_FROM) {
        reports.push({
          message: `${part.length} cache writes set no expiry (for example ${part[0]?.what} in ${part[0]?.call.enclosing ? shortName(part[0].call.enclosing) : "module code"}).`,
          evidence: part.map((w) => ({ file: w.file, line: w.call.line, snippet: w.call.snippet })),
        });
        continue;
      }
      for (const w of part) {
        reports.push({ message: `${w.what}${w.call.enclosing ? ` in ${shortName(w.call.enclosing)}` : ""}: the key stays until something deletes or evicts it.`, evidence: [{ file: w.file, line: w.call.line, snippet: w.call.snippet }] });
      }
    }
    return reports;
  },
});
