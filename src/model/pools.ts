import { fileRole, runsInProduction } from "../core/file-roles.js";
import type { ArgumentFact } from "../python/facts.js";
import type { ProjectIndex } from "../python/project-index.js";
import type { DatabasePool, Evidence } from "./types.js";

/** Engine factories whose keyword arguments size a connection pool. */
const ENGINES: Record<string, DatabasePool["library"]> = {
  "sqlalchemy.create_engine": "sqlalchemy",
  "sqlalchemy.engine.create_engine": "sqlalchemy",
  "sqlalchemy.ext.asyncio.create_async_engine": "sqlalchemy",
  "sqlmodel.create_engine": "sqlalchemy",
  "asyncpg.create_pool": "asyncpg",
  "psycopg_pool.ConnectionPool": "psycopg_pool",
  "psycopg_pool.AsyncConnectionPool": "psycopg_pool",
};

/** Where each keyword of a factory sizes the pool: [steady size, extra connections on demand, maximum]. */
const SIZE_ARGS: Record<DatabasePool["library"], { size: string[]; overflow: string[]; max: string[] }> = {
  sqlalchemy: { size: ["pool_size"], overflow: ["max_overflow"], max: [] },
  asyncpg: { size: ["min_size"], overflow: [], max: ["max_size"] },
  psycopg_pool: { size: ["min_size"], overflow: [], max: ["max_size"] },
};

function literalInt(args: ArgumentFact[], names: string[]): number | null {
  const arg = args.find((a) => a.name !== null && names.includes(a.name));
  return arg && typeof arg.value === "number" && Number.isInteger(arg.value) ? arg.value : null;
}

/**
 * Database connection pools the application creates (`create_engine(..., pool_size=5, max_overflow=10)`,
 * asyncpg and psycopg pools), with their sizes where literal: the numbers a connection budget is made of.
 * Tests, scripts and migrations do not count: they do not hold connections while the service runs.
 */
export function databasePools(index: ProjectIndex): DatabasePool[] {
  const pools: DatabasePool[] = [];
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
      const library = resolved ? ENGINES[resolved] : undefined;
      if (!library) continue;
      const keys = SIZE_ARGS[library];
      const poolClass = call.args.find((a) => a.name === "poolclass");
      pools.push({
        file: mod.file,
        line: call.line,
        library,
        factory: resolved as string,
        poolSize: literalInt(call.args, keys.size),
        maxOverflow: literalInt(call.args, keys.overflow),
        maxSize: literalInt(call.args, keys.max),
        nullPool: poolClass !== undefined && /NullPool$/.test(poolClass.qualified ?? poolClass.text),
        unknownArgs: call.hasStarArgs,
        snippet: call.snippet,
      });
    }
  }
  return pools.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

/**
 * Where work is deferred until the database transaction commits (Django's `transaction.on_commit`): the
 * half of a transactional outbox that stops a job from running on data not yet committed. Application code only.
 */
export function afterCommitHooks(index: ProjectIndex): Evidence[] {
  const hooks: Evidence[] = [];
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : call.callee;
      if (/^django\.db\.transaction\.on_commit$/.test(resolved) || /(^|\.)transaction\.on_commit$/.test(call.callee)) hooks.push({ file: mod.file, line: call.line, snippet: call.snippet });
    }
  }
  return hooks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
}
