import type { DatabasePool } from "../../model/types.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { joinAnd, STRENGTH } from "./shared.js";

/** Async pool factories: SQLAlchemy's async engine, asyncpg's and psycopg's async pools. */
const ASYNC_FACTORY = /^(sqlalchemy\.ext\.asyncio\.create_async_engine|asyncpg\.create_pool|psycopg_pool\.AsyncConnectionPool)$/;
/** Arguments that size the pool or keep its connections healthy (SQLAlchemy, asyncpg, psycopg_pool). */
const POOL_ARGS = /^(pool_size|max_overflow|pool_pre_ping|pool_recycle|pool_timeout|pool_use_lifo|min_size|max_size|max_inactive_connection_lifetime|max_idle|max_lifetime|max_waiting)$/;
/** Async drivers of server databases, by package and by the URL scheme that selects them. */
const ASYNC_DRIVERS: Array<{ package: string; scheme: RegExp; name: string }> = [
  { package: "asyncpg", scheme: /\+asyncpg\b/, name: "asyncpg" },
  { package: "psycopg", scheme: /\+psycopg(_async)?\b(?!2)/, name: "psycopg 3" },
  { package: "psycopg-binary", scheme: /(?!)/, name: "psycopg 3" },
  { package: "aiomysql", scheme: /\+aiomysql\b/, name: "aiomysql" },
  { package: "asyncmy", scheme: /\+asyncmy\b/, name: "asyncmy" },
];

export const asyncPooledEngine = defineCheck({
  id: "DB-S002",
  area: "database",
  title: "Async driver with a configured connection pool",
  ...STRENGTH,
  confidence: "high",
  why: "An async driver lets one worker serve many requests while queries are in flight, and a pool sized and health-checked on purpose keeps connections reused, bounded and fresh instead of opened per request or left stale behind a load balancer.",
  recommendation: "Keep the pool size times the number of workers and replicas under the database's connection limit (or put PgBouncer in front), and keep `pool_pre_ping` or `pool_recycle` on.",
  references: ["https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html", "https://docs.sqlalchemy.org/en/20/core/pooling.html"],
  effort: "S",
  libraries: ["sqlalchemy", "asyncpg", "psycopg"],
  run({ model, index }) {
    const configured = (pool: DatabasePool): string[] => {
      const mod = index.modules.get(index.moduleByFile.get(pool.file) ?? "");
      const call = mod?.facts.calls.find((c) => c.line === pool.line && c.snippet === pool.snippet);
      return (call?.args ?? []).filter((a) => a.name !== null && POOL_ARGS.test(a.name)).map((a) => `${a.name}=${a.text.slice(0, 40)}`);
    };
    const pools = model.databasePools.filter((p) => ASYNC_FACTORY.test(p.factory) && !p.nullPool && isServiceCode(p.file));
    for (const pool of pools) {
      const settings = configured(pool);
      // a SQLAlchemy engine left at its defaults shows no pooling decision; asyncpg and psycopg pools are one by construction
      if (pool.library === "sqlalchemy" && settings.length === 0) continue;
      const driver = pool.library === "asyncpg" ? "asyncpg" : pool.library === "psycopg_pool" ? "psycopg 3" : driverOf(model.dependencies.map((d) => d.name), model.configValues.map((v) => v.value), pool.snippet);
      if (!driver) continue;
      const how = pool.library === "sqlalchemy" ? "SQLAlchemy's async engine" : pool.library === "asyncpg" ? "an asyncpg pool" : "a psycopg async pool";
      return [{ message: `The database is reached through ${how} on the ${driver} driver${settings.length ? `, its pool configured (${joinAnd(settings.slice(0, 4))})` : ""} in ${pool.file}.`, evidence: [{ file: pool.file, line: pool.line, snippet: pool.snippet }] }];
    }
    return [];
  },
});

/** The async server-database driver the project declares or names in a connection URL; null for none (or SQLite only). */
function driverOf(dependencies: string[], values: string[], snippet: string): string | null {
  // the URL names the driver in use; a declared package only when no URL says
  const byUrl = ASYNC_DRIVERS.find((d) => d.scheme.test(snippet) || values.some((v) => d.scheme.test(v)));
  return byUrl?.name ?? ASYNC_DRIVERS.find((d) => dependencies.includes(d.package))?.name ?? null;
}

export const DATABASE_STRENGTHS = [asyncPooledEngine];
