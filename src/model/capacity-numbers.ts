import { fileRole, runsInProduction } from "../core/file-roles.js";
import { isDevelopmentServer } from "./deployment/server-command.js";
import type { DatabasePool, Evidence, ServerCommand, SystemModel } from "./types.js";

/**
 * The numbers a capacity estimate is made of, read from the deployment artefacts: web processes and their
 * worker model, replicas, each process's connection pool, task worker processes, the database's connection
 * limit. Shared by the scalability roadmap and the database checks (DB005, DB012, DB013) so both state the
 * same figures.
 */

/** PostgreSQL's default `max_connections`; MySQL's default `max_connections` is 151. */
export const DEFAULT_MAX_CONNECTIONS: Record<string, number> = { PostgreSQL: 100, MySQL: 151, MariaDB: 151 };
/** Connections the server keeps for superusers (PostgreSQL's superuser_reserved_connections defaults to 3). */
export const RESERVED_CONNECTIONS: Record<string, number> = { PostgreSQL: 3 };
/** SQLAlchemy's QueuePool defaults. */
export const SQLALCHEMY_POOL = { size: 5, overflow: 10 };
/** asyncpg and psycopg_pool defaults for `max_size`. */
export const DRIVER_POOL_MAX = { asyncpg: 10, psycopg_pool: 4 } as const;

/** The roadmap's stages, by name: findings that place the system on the roadmap name the same stage. */
export const ROADMAP_STAGES = {
  now: "Now: remove what fails under concurrent load",
  next: "Next: scale out the web tier",
  later: "Later: scale the data tier",
} as const;

export interface WebServer {
  file: string;
  line: number | null;
  server: ServerCommand;
  /** Worker processes per instance, null when the repository does not state them. */
  processes: number | null;
  /** Where the process count was read (`--workers 4` on the command line, `WEB_CONCURRENCY=4` in compose). */
  processesFrom: Evidence | null;
  model: "sync" | "threads" | "async" | "green";
}

export interface Replicas {
  count: number;
  stated: boolean;
  autoscaled: boolean;
  evidence: Evidence[];
}

/** Instances a design document states ("two API containers"), when the deployment files do not. */
export interface DocumentedInstances {
  count: number;
  file: string;
  line: number;
  text: string;
}

/** Every server command the deployment starts (Dockerfile CMD/ENTRYPOINT, Procfile, compose `command:`), with its file and line. */
export function deployedServerCommands(model: SystemModel): Array<{ file: string; line: number | null; server: ServerCommand }> {
  const all = [
    ...model.dockerfiles.map((d) => ({ file: d.file, line: (d.command ?? d.entrypoint)?.line ?? null, server: d.server })),
    ...model.procfile.map((p) => ({ file: p.file, line: p.line, server: p.server })),
    ...model.composeServices.map((c) => ({ file: c.file, line: c.line, server: c.server })),
  ];
  return all.filter((s): s is { file: string; line: number | null; server: ServerCommand } => s.server !== null);
}

/** Whether a deployment file is the service's own (not a test fixture, a developer tool or a sample for others). */
export function isProductionArtefact(file: string, model: SystemModel): boolean {
  return runsInProduction(fileRole(file)) && !model.sampleDeployments.some((e) => e.file === file);
}

/**
 * The web server the deployment starts (not a task worker, not a development server), with its process count
 * when the repository states one: on the command line or as a literal WEB_CONCURRENCY. Without one, a
 * configuration file (gunicorn.conf.py, uwsgi.ini) or the platform may set it, so no count is assumed.
 */
export function webServer(model: SystemModel): WebServer | null {
  const web = deployedServerCommands(model).find((s) => s.server.server !== "celery" && !isDevelopmentServer(s.server) && isProductionArtefact(s.file, model));
  if (!web) return null;
  const { server } = web;
  const concurrency = model.configValues.find((v) => v.key === "WEB_CONCURRENCY" && /^\d+$/.test(v.value) && isProductionArtefact(v.file, model));
  const processes = server.workers ?? (concurrency ? Number(concurrency.value) : null);
  const processesFrom: Evidence | null =
    server.workers !== null ? { file: web.file, line: web.line, snippet: `${server.server} --workers ${server.workers}` } : concurrency ? { file: concurrency.file, line: concurrency.line, snippet: `WEB_CONCURRENCY=${concurrency.value}` } : null;
  const workerClass = server.workerClass ?? "";
  const asyncServer = ["uvicorn", "hypercorn", "granian", "daphne", "fastapi run"].includes(server.server);
  const kind: WebServer["model"] = asyncServer || /uvicorn|UvicornWorker|aiohttp|asgi/i.test(workerClass) ? "async" : /gevent|eventlet/.test(workerClass) ? "green" : /gthread/.test(workerClass) ? "threads" : "sync";
  return { file: web.file, line: web.line, server, processes, processesFrom, model: kind };
}

/**
 * Replicas of the web tier: the largest replica count a Kubernetes workload states (its `spec.replicas`, or the
 * `minReplicas` floor of the HPA that targets it when that is higher), else the `deploy.replicas` (or `scale:`)
 * of the compose service that runs the web server, else the instance count a design document states ("two API
 * containers"), else one instance, assumed.
 */
export function webReplicas(model: SystemModel, documented?: DocumentedInstances): Replicas {
  const autoscaled = model.kubernetes.some((w) => w.autoscaled);
  const k8s = kubernetesReplicas(model)[0];
  if (k8s) return { count: k8s.count, stated: true, autoscaled, evidence: [k8s.evidence] };
  const compose = composeWebReplicas(model)[0];
  if (compose) return { count: compose.count, stated: true, autoscaled, evidence: [compose.evidence] };
  if (documented) return { count: documented.count, stated: true, autoscaled, evidence: [{ file: documented.file, line: documented.line, snippet: documented.text }] };
  return { count: 1, stated: false, autoscaled, evidence: [] };
}

/**
 * Replica counts the production Kubernetes manifests state, largest first: a workload's `spec.replicas`, or the
 * `minReplicas` of the HPA (`minReplicaCount` of the KEDA ScaledObject) that targets it when that floor is higher,
 * each with the line it was read from.
 */
export function kubernetesReplicas(model: SystemModel): Array<{ count: number; evidence: Evidence }> {
  const out: Array<{ count: number; evidence: Evidence }> = [];
  for (const w of model.kubernetes) {
    if (!isProductionArtefact(w.file, model)) continue;
    const floor = w.scaler?.minReplicas ?? null;
    if (w.scaler && floor !== null && floor > (w.replicas ?? 0) && isProductionArtefact(w.scaler.file, model)) {
      out.push({ count: floor, evidence: { file: w.scaler.file, line: w.scaler.line, snippet: `${w.scaler.kind} ${w.scaler.name}: minReplicas ${floor} for ${w.kind} ${w.name}` } });
    } else if (w.replicas) {
      out.push({ count: w.replicas, evidence: { file: w.file, line: w.line, snippet: `${w.kind} ${w.name}: replicas ${w.replicas}` } });
    }
  }
  return out.filter((r) => r.count > 0).sort((a, b) => b.count - a.count);
}

/**
 * Replicas the production compose files give the service that starts the web server (its `command:`, or the CMD of
 * the Dockerfile it builds), from `deploy.replicas: 3` or the older `scale: 3`, largest first, each with its line.
 * Services that run no web server (databases, task workers, a proxy) are not the web tier, so their counts are not read.
 */
export function composeWebReplicas(model: SystemModel): Array<{ count: number; evidence: Evidence }> {
  // a service with no `command:` runs its image's: the CMD of the Dockerfile it builds
  const serverOf = (c: SystemModel["composeServices"][number]) => c.server ?? (c.command === null && c.dockerfile ? (model.dockerfiles.find((d) => d.file === c.dockerfile)?.server ?? null) : null);
  return model.composeServices
    .filter((c) => {
      const server = serverOf(c);
      return c.replicas && c.replicas.count > 0 && server !== null && server.server !== "celery" && !isDevelopmentServer(server) && isProductionArtefact(c.file, model);
    })
    .map((c) => ({ count: c.replicas!.count, evidence: { file: c.file, line: c.replicas!.line, snippet: `compose service ${c.name}: ${c.replicas!.source} ${c.replicas!.count}` } }))
    .sort((a, b) => b.count - a.count);
}

/** The top directory of a path, under `src/` when there is one: where a project's package starts. */
export function topPackage(file: string): string {
  const parts = file.split("/");
  return parts[0] === "src" && parts.length > 2 ? `src/${parts[1]}` : (parts[0] ?? "");
}

/** The SQL database server the service uses (PostgreSQL, MySQL, MariaDB), when the model names one with a known connection limit. */
export function sqlDatabase(model: SystemModel): string | null {
  return model.technologies.find((t) => t.category === "database" && DEFAULT_MAX_CONNECTIONS[t.name] !== undefined)?.name ?? null;
}

/**
 * The pool the service itself creates (in the package that creates the app, not a plugin or an integration
 * shipped beside it), with the connections each process may open at its maximum and what was assumed.
 */
export function servicePool(model: SystemModel): { pool: DatabasePool; perProcess: number; assumptions: string[] } | null {
  const appPackages = new Set(model.appFiles.map(topPackage));
  const pool = model.databasePools.find((p) => !p.nullPool && appPackages.has(topPackage(p.file)));
  if (!pool) return null;
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
  return { pool, perProcess, assumptions };
}

/** Celery worker processes the production deployment states (`--concurrency N`), with where each was read. */
export function taskWorkerProcesses(model: SystemModel): { count: number; evidence: Evidence[] } {
  const workers = deployedServerCommands(model).filter((s) => s.server.server === "celery" && isProductionArtefact(s.file, model) && s.server.workers !== null);
  return {
    count: workers.reduce((n, s) => n + (s.server.workers ?? 0), 0),
    evidence: workers.map((s) => ({ file: s.file, line: s.line, snippet: `celery --concurrency ${s.server.workers}` })),
  };
}
