import type { ReviewContext } from "../checks/context.js";
import { serverCommands } from "../checks/handlers.js";
import type { Finding } from "../checks/types.js";
import { isDevelopmentServer } from "../model/deployment/server-command.js";
import type { Evidence, ServerCommand, SystemModel } from "../model/types.js";
import type { CapacityNote } from "./types.js";

/** What a mean request is assumed to take when nothing says otherwise: stated with every figure built on it. */
const ASSUMED_REQUEST_MS = 100;
/** PostgreSQL's default `max_connections`; MySQL's default `max_connections` is 151. */
const DEFAULT_MAX_CONNECTIONS: Record<string, number> = { PostgreSQL: 100, MySQL: 151, MariaDB: 151 };
/** SQLAlchemy's QueuePool defaults. */
const SQLALCHEMY_POOL = { size: 5, overflow: 10 };
/** asyncpg and psycopg_pool defaults for `max_size`. */
const DRIVER_POOL_MAX = { asyncpg: 10, psycopg_pool: 4 } as const;

/** The facts the roadmap's capacity notes and stages are computed from. */
export interface CapacityFacts {
  notes: CapacityNote[];
  /** Requests per second today's web tier serves at the assumed request time; null when the worker model does not bound it. */
  estimatedRps: number | null;
  /** Web processes in all instances, and instances (replicas). */
  processes: number | null;
  replicas: number;
  replicasStated: boolean;
  /** Connections the service may open at its maximum, and the database's limit (default assumed). */
  connections: { total: number; limit: number; database: string } | null;
  singleDatabase: string | null;
  noCache: boolean;
}

interface WebServer {
  file: string;
  line: number | null;
  server: ServerCommand;
  processes: number;
  processesStated: boolean;
  model: "sync" | "threads" | "async" | "green";
}

/** The web server the deployment starts (not a task worker, not a development server), with its process count. */
function webServer(model: SystemModel): WebServer | null {
  const lines = new Map<string, number | null>();
  for (const d of model.dockerfiles) if (d.server) lines.set(d.file, (d.command ?? d.entrypoint)?.line ?? null);
  for (const p of model.procfile) if (p.server) lines.set(p.file, p.line);
  for (const c of model.composeServices) if (c.server) lines.set(c.file, c.line);
  const web = serverCommands(model).find((s) => s.server.server !== "celery" && !isDevelopmentServer(s.server));
  if (!web) return null;
  const { server } = web;
  const concurrency = model.configValues.find((v) => v.key === "WEB_CONCURRENCY" && /^\d+$/.test(v.value));
  const processes = server.workers ?? (concurrency ? Number(concurrency.value) : 1);
  const workerClass = server.workerClass ?? "";
  const asyncServer = ["uvicorn", "hypercorn", "granian", "daphne", "fastapi run"].includes(server.server);
  const kind: WebServer["model"] = asyncServer || /uvicorn|UvicornWorker|aiohttp|asgi/i.test(workerClass) ? "async" : /gevent|eventlet/.test(workerClass) ? "green" : /gthread/.test(workerClass) ? "threads" : "sync";
  return { file: web.file, line: lines.get(web.file) ?? null, server, processes, processesStated: server.workers !== null || concurrency !== undefined, model: kind };
}

/** Replicas of the web tier: the largest replica count a Kubernetes workload states, or one instance assumed. */
function replicas(model: SystemModel): { count: number; stated: boolean; autoscaled: boolean; evidence: Evidence[] } {
  const stated = model.kubernetes.filter((w) => w.replicas !== null);
  const autoscaled = model.kubernetes.some((w) => w.autoscaled);
  const top = stated.sort((a, b) => (b.replicas ?? 0) - (a.replicas ?? 0))[0];
  if (top?.replicas) return { count: top.replicas, stated: true, autoscaled, evidence: [{ file: top.file, line: top.line, snippet: `${top.kind} ${top.name}: replicas ${top.replicas}` }] };
  return { count: 1, stated: false, autoscaled, evidence: [] };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : /(s|ss|sh|ch|x)$/.test(word) ? "es" : "s"}`;
}

/**
 * Today's capacity from the deployment artefacts: web processes and their worker model, replicas, the
 * connection budget against the database's limit, one database, no cache, in-process state; and, when the
 * context states a peak, how it compares. Every number says where it came from or what was assumed.
 */
export function capacityFacts(model: SystemModel, concerns: Finding[], context: ReviewContext): CapacityFacts {
  const notes: CapacityNote[] = [];
  const web = webServer(model);
  const rep = replicas(model);
  const blocking = concerns.filter((f) => (f.id === "PERF001" || f.id === "DB006") && f.severity !== "low");
  let estimatedRps: number | null = null;
  let processes: number | null = null;

  if (web) {
    processes = web.processes * rep.count;
    const assumptions: string[] = [];
    if (!web.processesStated) assumptions.push(`${web.server.server} starts 1 worker process when no worker count is given`);
    if (!rep.stated) assumptions.push("one instance: no replica count in the repository");
    assumptions.push(`a mean request takes ${ASSUMED_REQUEST_MS} ms`);
    const evidence: Evidence[] = [{ file: web.file, line: web.line, snippet: `${web.server.server}${web.server.workerClass ? ` (${web.server.workerClass})` : ""}, ${plural(web.processes, "worker")}` }, ...rep.evidence];
    const perSlot = 1000 / ASSUMED_REQUEST_MS;
    let note: string;
    if (web.model === "sync" || (web.model === "async" && blocking.length > 0)) {
      estimatedRps = processes * perSlot;
      note =
        web.model === "sync"
          ? `${plural(web.processes, "sync worker process")} × ${plural(rep.count, "instance")} serve ${processes} request${processes === 1 ? "" : "s"} at a time: about ${estimatedRps} requests per second; a slow dependency call holds a whole process.`
          : `${plural(web.processes, "async worker process")} × ${plural(rep.count, "instance")}, but blocking calls stall the event loop in ${plural(blocking.length, "place")} (${[...new Set(blocking.map((f) => f.id))].join(", ")}): while one runs its process serves nothing else, so plan on about ${estimatedRps} requests per second until they are fixed.`;
    } else if (web.model === "threads") {
      note = `${plural(web.processes, "gthread worker process")} × ${plural(rep.count, "instance")}: concurrency is processes × threads, bounded by the GIL for CPU work.`;
    } else {
      note = `${plural(web.processes, `${web.model === "green" ? "green-thread" : "async"} worker process`)} × ${plural(rep.count, "instance")}: requests waiting on I/O do not hold a process, so the database pool and downstream services bound throughput before the process count does.`;
    }
    if (context.peak_rps !== undefined && estimatedRps !== null) {
      const ratio = context.peak_rps / estimatedRps;
      note += ratio > 1 ? ` The stated peak of ${context.peak_rps} req/s is ${ratio.toFixed(1)}× that.` : ` The stated peak of ${context.peak_rps} req/s fits, with ${Math.round((1 - ratio) * 100)}% headroom.`;
    }
    notes.push({ topic: "Web processes", note, evidence, assumptions });
  }

  // the connection budget: every process's pool at its maximum, against the database's limit
  let connections: CapacityFacts["connections"] = null;
  const sqlDb = model.technologies.find((t) => t.category === "database" && DEFAULT_MAX_CONNECTIONS[t.name] !== undefined);
  const pool = model.databasePools.find((p) => !p.nullPool);
  if (sqlDb && pool && web && processes !== null) {
    const assumptions: string[] = [];
    let perProcess: number;
    if (pool.library === "sqlalchemy") {
      const size = pool.poolSize ?? SQLALCHEMY_POOL.size;
      const overflow = pool.maxOverflow ?? SQLALCHEMY_POOL.overflow;
      if (pool.poolSize === null || pool.maxOverflow === null) assumptions.push(`SQLAlchemy's defaults where not set: pool_size ${SQLALCHEMY_POOL.size}, max_overflow ${SQLALCHEMY_POOL.overflow}`);
      perProcess = size + overflow;
    } else {
      perProcess = pool.maxSize ?? DRIVER_POOL_MAX[pool.library];
      if (pool.maxSize === null) assumptions.push(`${pool.library}'s default max_size ${DRIVER_POOL_MAX[pool.library]}`);
    }
    if (pool.unknownArgs) assumptions.push("the factory also takes **kwargs, which may resize the pool");
    const workerProcs = serverCommands(model).filter((s) => s.server.server === "celery").reduce((n, s) => n + (s.server.workers ?? 0), 0);
    const total = perProcess * (processes + workerProcs);
    const limit = DEFAULT_MAX_CONNECTIONS[sqlDb.name] as number;
    assumptions.push(`${sqlDb.name}'s default max_connections ${limit}, less a few reserved for superusers`);
    if (!rep.stated) assumptions.push("one instance: no replica count in the repository");
    const workers = workerProcs ? ` + ${plural(workerProcs, "task worker process")}` : "";
    const verdict = total > limit ? `more than ${sqlDb.name}'s ${limit}: at peak, new connections are refused` : `within ${sqlDb.name}'s ${limit}, leaving room for ${plural(Math.max(0, Math.floor((limit - total) / Math.max(1, perProcess * web.processes))), "more web instance")} like this one`;
    notes.push({
      topic: "Connection budget",
      note: `${perProcess} connections per process × (${plural(processes, "web process")}${workers}) = up to ${total} connections, ${verdict}.`,
      evidence: [{ file: pool.file, line: pool.line, snippet: pool.snippet }],
      assumptions,
    });
    connections = { total, limit, database: sqlDb.name };
  }

  // one database server for every read and write
  const databases = model.components.filter((c) => c.kind === "datastore" && model.technologies.some((t) => t.category === "database" && t.name === c.technology));
  const singleDatabase = databases.length === 1 ? (databases[0]?.technology ?? null) : null;
  if (singleDatabase && databases[0]) {
    notes.push({ topic: "Database", note: `One ${singleDatabase} server takes every read and write; nothing in the repository sets up a read replica or a standby.`, evidence: databases[0].evidence.slice(0, 1), assumptions: [] });
  }
  const noCache = !model.technologies.some((t) => t.category === "cache");
  if (noCache && model.endpoints.length > 0) {
    notes.push({ topic: "Cache", note: "No cache is declared: every read the API serves is computed from the database.", evidence: model.manifests.slice(0, 1).map((file) => ({ file, line: null })), assumptions: [] });
  }
  const state = concerns.filter((f) => f.id === "DATA001" && f.severity !== "low");
  if (state.length) {
    notes.push({ topic: "In-process state", note: `${plural(state.length, "module-level value")} changed while serving: each process holds its own copy, so adding processes or instances changes behaviour, not only capacity.`, evidence: state.map((f) => f.evidence[0]).filter((e): e is Evidence => e !== undefined).slice(0, 3), assumptions: [] });
  }
  return { notes, estimatedRps, processes, replicas: rep.count, replicasStated: rep.stated, connections, singleDatabase, noCache };
}
