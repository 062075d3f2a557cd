import { fileRole } from "../../core/file-roles.js";
import type { Evidence } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { productionSettingsModules } from "../database/production-signals.js";
import { defineCheck } from "../define.js";
import { countEvidence, deploymentInstances, type Instances } from "../scalability/deployment-instances.js";
import type { Report } from "../types.js";
import { djangoCaches, locmemAlias } from "./django-cache.js";

/** Session stores that live in one process's memory: fastapi-sessions' InMemoryBackend, starsessions' InMemoryStore. */
const IN_MEMORY_STORES = /^(fastapi_sessions\.backends\.implementations(\.in_memory_backend)?\.InMemoryBackend|starsessions(\.stores(\.memory)?)?\.InMemoryStore)$/;
const FILE_BASED_CACHE = "django.core.cache.backends.filebased.FileBasedCache";

interface SessionStore {
  /** `process`: each process has its own; `host`: each machine or container has its own disk. */
  scope: "process" | "host";
  what: string;
  evidence: Evidence;
  /** A cache in front of the database: sessions survive, but a logout in one process leaves the cached copy valid in others. */
  cachedDb?: boolean;
}

/** Django's SESSION_ENGINE (and the cache it uses) as the production settings set it. */
function djangoSessionStores(index: ProjectIndex): SessionStore[] {
  const modules = productionSettingsModules(index);
  const engines = modules.flatMap((m) => m.facts.assignments.filter((a) => a.target === "SESSION_ENGINE").map((a) => ({ m, a })));
  // several modules setting it differently (base and production): the deployed one is not known
  const values = new Set(engines.map(({ a }) => a.text));
  if (engines.length === 0 || values.size > 1) return [];
  const { m, a } = engines[0] as (typeof engines)[number];
  if (typeof a.value !== "string") return [];
  const evidence = { file: m.file, line: a.line, snippet: `SESSION_ENGINE = ${a.text}` };
  // NetBox: `if SESSION_FILE_PATH is not None: SESSION_ENGINE = "...file"`, an opt-in read from configuration
  const optIn = m.facts.assignments.some((x) => x.target === "SESSION_FILE_PATH" && (x.kind !== "string" || /None/.test(x.text)));
  if (a.value === "django.contrib.sessions.backends.file" && optIn) return [];
  if (a.value === "django.contrib.sessions.backends.file") return [{ scope: "host", what: "Django file sessions (`SESSION_ENGINE = \"django.contrib.sessions.backends.file\"`): session files on the local disk", evidence }];
  if (a.value !== "django.contrib.sessions.backends.cache" && a.value !== "django.contrib.sessions.backends.cached_db") return [];
  const aliasAssignment = modules.flatMap((x) => x.facts.assignments.filter((y) => y.target === "SESSION_CACHE_ALIAS"));
  if (aliasAssignment.length > 1 || (aliasAssignment[0] && typeof aliasAssignment[0].value !== "string")) return [];
  const alias = typeof aliasAssignment[0]?.value === "string" ? aliasAssignment[0].value : "default";
  const caches = djangoCaches(index);
  if (!caches) return [];
  const cachedDb = a.value.endsWith("cached_db");
  const engine = cachedDb ? "cached_db" : "cache";
  const locmem = locmemAlias(caches, alias);
  if (locmem) return [{ scope: "process", what: `Django ${engine} sessions in the "${alias}" cache, which is LocMemCache (${locmem.how})`, evidence, cachedDb }];
  if (!caches.unknown && caches.backends.get(alias) === FILE_BASED_CACHE && !cachedDb) return [{ scope: "host", what: `Django cache sessions in the "${alias}" cache, a FileBasedCache on the local disk (${caches.evidence?.file}:${caches.evidence?.line})`, evidence }];
  return [];
}

/** Flask-Session's `SESSION_TYPE = "filesystem"` in a settings module, a config class or `app.config[...]`, where Flask-Session is used. */
function flaskSessionStores(index: ProjectIndex): SessionStore[] {
  const used = [...index.modules.values()].some((m) => m.facts.imports.some((i) => i.module === "flask_session" || i.module.startsWith("flask_session.")));
  if (!used) return [];
  const out: SessionStore[] = [];
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || fileRole(mod.file) !== "application") continue;
    const sites = [
      ...mod.facts.assignments.filter((a) => a.target === "SESSION_TYPE" && a.value === "filesystem").map((a) => a.line),
      ...mod.facts.classes.filter((c) => !/test|dev|local/i.test(c.name)).flatMap((c) => c.assignments.filter((a) => a.target === "SESSION_TYPE" && a.value === "filesystem").map((a) => a.line)),
      ...(mod.facts.literalStores ?? []).filter((s) => s.key === "SESSION_TYPE" && s.value === "filesystem").map((s) => s.line),
    ];
    for (const line of sites) out.push({ scope: "host", what: 'Flask-Session with `SESSION_TYPE = "filesystem"`: session files on the local disk', evidence: { file: mod.file, line, snippet: 'SESSION_TYPE = "filesystem"' } });
  }
  return out;
}

/** In-memory session backends constructed in application code (fastapi-sessions, starsessions). */
function inMemoryStores(index: ProjectIndex): SessionStore[] {
  const out: SessionStore[] = [];
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || fileRole(mod.file) !== "application") continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
      if (IN_MEMORY_STORES.test(resolved)) out.push({ scope: "process", what: `sessions in ${resolved.split(".").pop()} (${resolved.split(".")[0]}), a dict in process memory`, evidence: { file: mod.file, line: call.line, snippet: call.snippet } });
    }
  }
  return out;
}

function describe(store: SessionStore, instances: Instances): string {
  const copies = store.scope === "process" ? "every web process keeps its own sessions" : "every instance keeps its own session files";
  const effect = store.cachedDb
    ? "the database stays the record, but a logout or a change made through one process leaves the cached copy valid in the others until it expires"
    : "a user whose next request lands on another copy is logged out or loses what the session held, and a deploy or restart drops them all";
  return `Sessions kept ${store.scope === "process" ? "in process memory" : "on the local disk"}: ${store.what}. The deployment runs ${instances.summary}, so ${copies}: ${effect}.`;
}

export default defineCheck({
  id: "DATA002",
  area: "data",
  title: "Sessions kept in process memory or on local disk in a multi-instance deployment",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A session store that lives in one process (a local-memory cache, an in-memory backend) or on one machine's disk (file sessions) is only seen by that process or instance. With several workers or replicas behind a load balancer, each request may land on a copy that does not know the session: users are logged out at random, carts and CSRF state vanish, and every deploy clears them all.",
  recommendation: "Keep sessions where every instance sees them: Django's database or `cached_db` engine over a shared cache (django-redis), a Redis-backed Flask-Session (`SESSION_TYPE = \"redis\"`), starsessions' RedisStore, or signed cookie sessions (Starlette's SessionMiddleware, Flask's default) for small session data.",
  example: { bad: 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}', good: 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": env("REDIS_URL")}}' },
  references: ["https://docs.djangoproject.com/en/stable/topics/http/sessions/#configuring-the-session-engine", "https://flask-session.readthedocs.io/en/latest/config.html", "https://12factor.net/processes"],
  effort: "S",
  libraries: ["django-redis", "flask-session", "redis", "starsessions"],
  run({ model, index, context }) {
    const instances = deploymentInstances(model, index, context);
    if (!instances) return [];
    const reports: Report[] = [];
    for (const store of [...djangoSessionStores(index), ...flaskSessionStores(index), ...inMemoryStores(index)]) {
      // sessions on disk are shared by the processes of one instance; in memory, not even by those
      const several = store.scope === "process" ? instances.multiProcess || instances.multiReplica : instances.multiReplica;
      if (!several) continue;
      reports.push({ message: describe(store, instances), evidence: [store.evidence, ...countEvidence(instances)], ...(store.cachedDb ? { severity: "low" as const } : {}) });
    }
    return reports;
  },
});
