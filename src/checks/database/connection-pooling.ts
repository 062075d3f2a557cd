import { plural } from "../../core/prose.js";
import { DEFAULT_MAX_CONNECTIONS, isProductionArtefact, RESERVED_CONNECTIONS, SQLALCHEMY_POOL, topPackage, webReplicas, webServer } from "../../model/capacity-numbers.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import type { ReviewContext } from "../context.js";
import { defineCheck } from "../define.js";
import { requestPath } from "../handlers.js";
import type { CheckInput, Report } from "../types.js";
import { productionSettingsModules, productionSignal } from "./production-signals.js";

/** Factories that open a connection, or build an engine or pool, to a database server (SQLite files are cheap to open and left out). */
const CONNECTS = /^(sqlalchemy\.create_engine|sqlalchemy\.engine\.create_engine|sqlalchemy\.ext\.asyncio\.create_async_engine|sqlmodel\.create_engine|psycopg2\.connect|psycopg\.connect|psycopg\.AsyncConnection\.connect|psycopg\.Connection\.connect|asyncpg\.connect|asyncpg\.create_pool|psycopg_pool\.(Async)?ConnectionPool|pymysql\.connect|MySQLdb\.connect|aiomysql\.connect|aiomysql\.create_pool|mysql\.connector\.connect|aiopg\.connect|aiopg\.create_pool)$/;
const ENGINE_FACTORY = /create_(async_)?engine$/;
/** The engine or connection is kept once made: `if _engine is None:`, `if url not in _engines:`; not when kept on the request (`g`). */
const CACHED_GUARD = /\bis None\b|\bnot\s+(_|self\.|cls\.)?\w*(engine|pool|conn)|\bnot in\b/i;
const CACHED_DECORATOR = /(^|\.)(lru_cache|cache|cached|cached_property|memoize|singleton)$/;
/** Django settings that keep connections open or pool them. */
const PERSISTENT = /CONN_MAX_AGE|conn_max_age|["']pool["']\s*:/;

/** `lifespan=` functions and `@app.on_event("startup")` handlers: they run once, before the first request. */
function startupFunctions(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      const arg = call.args.find((a) => a.name === "lifespan");
      if (arg?.qualified) out.add(index.resolve(arg.qualified, mod.name));
    }
  }
  for (const fn of index.functions.values()) {
    if (fn.fact.decorators.some((d) => /(^|\.)(on_event|before_serving|before_first_request|on_startup)$/.test(d.name) || /asynccontextmanager$/.test(d.qualified ?? d.name))) out.add(fn.id);
  }
  return index.reachableFrom(out);
}

/** How many web processes the deployment runs, when an artefact states the process or the replica count. */
function processCount(model: SystemModel, context: ReviewContext): { count: number; evidence: Evidence[] } | null {
  const web = webServer(model);
  const replicas = webReplicas(model, context.documentedInstances);
  if (!web || (web.processes === null && !replicas.stated)) return null;
  const count = (web.processes ?? 1) * replicas.count;
  return { count, evidence: [...(web.processesFrom ? [web.processesFrom] : []), ...replicas.evidence] };
}

function perRequest(input: CheckInput): Report[] {
  const { index } = input;
  const { handlers, reachable } = requestPath(input);
  const startup = startupFunctions(index);
  const reports: Report[] = [];
  for (const id of [...reachable].sort()) {
    const fn = index.functions.get(id);
    if (!fn || startup.has(id) || !isServiceCode(fn.file) || fn.fact.decorators.some((d) => CACHED_DECORATOR.test(d.qualified ?? d.name))) continue;
    for (const { call, resolved } of index.callsIn(id)) {
      if (!resolved || !CONNECTS.test(resolved)) continue;
      if (call.args.some((a) => typeof a.value === "string" && /^sqlite/i.test(a.value))) continue;
      if (call.guard && CACHED_GUARD.test(call.guard) && !/\bg\b|request/.test(call.guard)) continue;
      const what = ENGINE_FACTORY.test(resolved) ? "a new engine (and connection pool)" : /pool/i.test(resolved) ? "a new connection pool" : "a new database connection";
      const where = handlers.has(id) ? `in the handler ${fn.fact.qualname}` : `in ${fn.fact.qualname}, which runs for every request`;
      reports.push({
        message: `${call.callee}() ${where} opens ${what} per request: each request pays the connection handshake (and, on PostgreSQL, a new server process), and under load the database's connection limit is reached long before the service's capacity.`,
        evidence: [{ file: fn.file, line: call.line, snippet: call.snippet }],
        confidence: handlers.has(id) ? "high" : "medium",
      });
    }
  }
  return reports;
}

function engineDefaults(model: SystemModel, index: ProjectIndex, context: ReviewContext, production: string): Report[] {
  const appPackages = new Set(model.appFiles.map(topPackage));
  const processes = processCount(model, context);
  const reports: Report[] = [];
  for (const pool of model.databasePools) {
    if (pool.library !== "sqlalchemy" || pool.nullPool || pool.unknownArgs || !appPackages.has(topPackage(pool.file)) || !isServiceCode(pool.file)) continue;
    const mod = index.modules.get(index.moduleByFile.get(pool.file) ?? "");
    const call: CallFact | undefined = mod?.facts.calls.find((c) => c.line === pool.line && ENGINE_FACTORY.test(c.callee));
    if (!call || call.enclosing !== null) continue; // engines made in functions: per request (above) or in a factory the caller sizes
    if (call.args.some((a) => a.name === "pool_pre_ping" || a.name === "pool_size" || a.name === "poolclass" || a.name === "pool")) continue;
    if (call.args.some((a) => /sqlite/i.test(a.text))) continue;
    const several = processes && processes.count > 1 ? processes : null;
    const scale = several ? `${plural(several.count, "web process")} (${several.evidence.map((e) => `${e.file}:${e.line}`).join(", ")}) each hold` : "each process holds";
    // the defaults matter most when they add up past what PostgreSQL accepts; below that, a stale connection is the cost
    const perProcess = SQLALCHEMY_POOL.size + SQLALCHEMY_POOL.overflow;
    const budget = (DEFAULT_MAX_CONNECTIONS.PostgreSQL ?? 100) - (RESERVED_CONNECTIONS.PostgreSQL ?? 0);
    const total = several ? several.count * perProcess : null;
    const fits = total !== null && total <= budget ? ` (${total} in all, within the ${budget} PostgreSQL accepts by default)` : "";
    reports.push({
      message: `${call.callee}() leaves the pool at SQLAlchemy's defaults (pool_size 5, max_overflow 10, no pool_pre_ping) while ${production}: ${scale} up to ${perProcess} connections${fits}, and a connection the database or a proxy closed while idle is handed to a request, which fails.`,
      evidence: [{ file: pool.file, line: pool.line, snippet: pool.snippet }, ...(several?.evidence ?? [])],
      severity: total !== null && total > budget ? "medium" : "low",
      confidence: "medium",
    });
  }
  return reports;
}

function djangoDefaults(model: SystemModel, index: ProjectIndex, context: ReviewContext, production: string): Report[] {
  const settings = productionSettingsModules(index);
  const persistent = settings.some((m) => m.facts.assignments.some((a) => PERSISTENT.test(a.text) || PERSISTENT.test(a.target)) || m.facts.calls.some((c) => c.args.some((a) => a.name === "conn_max_age" || PERSISTENT.test(a.text)) || /^DATABASES\[/.test(c.callee)));
  if (persistent) return [];
  // connections are cheap behind a pooler, and an ASGI Django closes them per request whatever the setting
  if (model.operations?.poolers.length) return [];
  const web = webServer(model);
  if (web?.model === "async") return [];
  const processes = processCount(model, context);
  for (const mod of settings) {
    // the last assignment: settings modules override a development default further down (`if ENV == "production":`)
    const databases = mod.facts.assignments.filter((a) => a.target === "DATABASES").at(-1);
    if (!databases) continue;
    // django-environ's `env.db()` reads CONN_MAX_AGE from the URL's query string: it may be set there
    if (/\benv\.(db|db_url)\(|sqlite3|sqlite:\/\//.test(databases.text) || !/postgres|mysql|oracle|postgis|dj_database_url|ENGINE/.test(databases.text)) continue;
    const several = processes && processes.count > 1 ? processes : null;
    return [
      {
        message: `DATABASES in ${mod.name} sets no CONN_MAX_AGE (nor \`conn_max_age=\` or Django 5.1's \`"pool"\` option) while ${production}: Django opens and closes a database connection for every request${several ? `, in each of ${several.count} web processes` : ""}, paying the handshake and, on PostgreSQL, a new server process each time.`,
        evidence: [{ file: mod.file, line: databases.line, snippet: `DATABASES = ${databases.text}`.slice(0, 160) }, ...(several?.evidence ?? [])],
        severity: several ? "medium" : "low",
        confidence: "medium",
      },
    ];
  }
  return [];
}

export default defineCheck({
  id: "DB005",
  area: "database",
  title: "Connection pooling left at defaults or absent",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Opening a database connection costs a network round trip, authentication and, on PostgreSQL, a new server process. A service that opens one per request spends that on every call and runs into the database's connection limit under load; one that keeps a pool at the library defaults holds up to 15 connections per process and hands out connections the server has already dropped.",
  recommendation: "Create the engine or pool once per process (at module level or in the lifespan/startup hook) and hand out sessions per request; size it (`pool_size`, `max_overflow`) against the database's `max_connections` divided by the number of processes, and set `pool_pre_ping=True` (or `pool_recycle`). In Django set `CONN_MAX_AGE` (with `CONN_HEALTH_CHECKS = True`) or, from Django 5.1 with psycopg 3, `OPTIONS = {\"pool\": True}`; put PgBouncer in front when processes multiply.",
  example: {
    bad: '@app.get("/items")\ndef items():\n    engine = create_engine(DATABASE_URL)\n    with Session(engine) as session: ...',
    good: 'engine = create_engine(DATABASE_URL, pool_size=5, max_overflow=5, pool_pre_ping=True)\n\n@app.get("/items")\ndef items(session: Session = Depends(get_session)): ...',
  },
  references: ["https://docs.sqlalchemy.org/en/20/core/pooling.html", "https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections", "https://www.psycopg.org/psycopg3/docs/advanced/pool.html"],
  effort: "S",
  libraries: ["sqlalchemy", "psycopg_pool", "asyncpg", "dj-database-url"],
  run(input) {
    const { model, index, context } = input;
    const reports = perRequest(input);
    const production = productionSignal(model, context);
    if (!production) return reports;
    // the engines and settings of deployed code: sample deployments and development tooling do not count
    if (production.evidence && !isProductionArtefact(production.evidence.file, model)) return reports;
    return [...reports, ...engineDefaults(model, index, context, production.reason), ...djangoDefaults(model, index, context, production.reason)];
  },
});
