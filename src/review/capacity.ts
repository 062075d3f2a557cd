import type { ReviewContext } from "../checks/context.js";
import type { Finding } from "../checks/types.js";
import { fileRole, runsInProduction } from "../core/file-roles.js";
import { DEFAULT_MAX_CONNECTIONS, isProductionArtefact, RESERVED_CONNECTIONS, type Replicas, servicePool, taskWorkerProcesses, type WebServer, webReplicas, webServer } from "../model/capacity-numbers.js";
import type { Evidence, SystemModel } from "../model/types.js";
import type { CapacityNote } from "./types.js";
import { plural } from "../core/prose.js";

/** What a mean request is assumed to take when nothing says otherwise: stated with every figure built on it. */
const ASSUMED_REQUEST_MS = 100;

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

function production(file: string, model: SystemModel): boolean {
  return isProductionArtefact(file, model);
}

function replicas(model: SystemModel, context: ReviewContext): Replicas {
  return webReplicas(model, context.documentedInstances);
}

/** ` (docs/ARCHITECTURE.md:48)` when a design document, not the team, stated the field. */
export function statedWhere(context: ReviewContext, field: keyof NonNullable<ReviewContext["fromDocuments"]>): string {
  const from = context.fromDocuments?.[field];
  return from ? ` (${from.file}:${from.line})` : "";
}

/**
 * Today's capacity from the deployment artefacts: web processes and their worker model, replicas, the
 * connection budget against the database's limit, one database, no cache, in-process state; and, when the
 * context states a peak, how it compares. Every number says where it came from or what was assumed.
 */
export function capacityFacts(model: SystemModel, concerns: Finding[], context: ReviewContext): CapacityFacts {
  const notes: CapacityNote[] = [];
  const web = webServer(model);
  const rep = replicas(model, context);
  const blocking = concerns.filter((f) => (f.id === "PERF001" || f.id === "DB006") && f.severity !== "low");
  let estimatedRps: number | null = null;
  const processes = web?.processes != null ? web.processes * rep.count : null;
  const instances = plural(rep.count, "instance");

  if (web) {
    const assumptions: string[] = [];
    if (!rep.stated) assumptions.push("one instance: no replica count in the repository");
    const evidence: Evidence[] = [{ file: web.file, line: web.line, snippet: `${web.server.server}${web.server.workerClass ? ` (${web.server.workerClass})` : ""}${web.processes !== null ? `, ${plural(web.processes, "worker")}` : ""}` }, ...rep.evidence];
    const kind = { sync: "sync", threads: "gthread", async: "async", green: "green-thread" }[web.model];
    const perSlot = 1000 / ASSUMED_REQUEST_MS;
    let note: string;
    if (web.processes === null) {
      // a configuration file, WEB_CONCURRENCY at deploy time or the platform sets the count: no figure is invented
      note = `${web.server.server} runs ${kind} workers, but the repository does not state how many on its command line (a configuration file, WEB_CONCURRENCY or the platform may set it): no throughput estimate.`;
    } else if (processes !== null && (web.model === "sync" || (web.model === "async" && blocking.length > 0))) {
      estimatedRps = processes * perSlot;
      assumptions.push(`a mean request takes ${ASSUMED_REQUEST_MS} ms`);
      note =
        web.model === "sync"
          ? `${plural(web.processes, "sync worker process")} × ${instances} serve ${processes} request${processes === 1 ? "" : "s"} at a time: about ${estimatedRps} requests per second; a slow dependency call holds a whole process.`
          : `${plural(web.processes, "async worker process")} × ${instances}, but blocking calls stall the event loop in ${plural(blocking.length, "place")} (${[...new Set(blocking.map((f) => f.id))].join(", ")}): while one runs its process serves nothing else, so plan on about ${estimatedRps} requests per second until they are fixed.`;
    } else if (web.model === "threads") {
      note = `${plural(web.processes, "gthread worker process")} × ${instances}: concurrency is processes × threads, bounded by the GIL for CPU work.`;
    } else {
      note = `${plural(web.processes, `${kind} worker process`)} × ${instances}: requests waiting on I/O do not hold a process, so the database pool and downstream services bound throughput before the process count does.`;
    }
    if (context.peak_rps !== undefined && estimatedRps !== null) {
      const ratio = context.peak_rps / estimatedRps;
      const peak = `The stated peak of ${context.peak_rps} req/s${statedWhere(context, "peak_rps")}`;
      note += ratio > 1 ? ` ${peak} is ${ratio.toFixed(1)}× that.` : ` ${peak} fits, with ${Math.round((1 - ratio) * 100)}% headroom.`;
    }
    notes.push({ topic: "Web processes", note, evidence, assumptions });
  }

  const connections = connectionBudget(model, web, processes, rep, notes);
  const singleDatabase = singleDatabaseNote(model, notes);
  const noCache = !model.technologies.some((t) => t.category === "cache");
  if (noCache && model.endpoints.length > 0) {
    const manifest = mainManifest(model);
    notes.push({ topic: "Cache", note: "No cache service (Redis, Memcached) is declared: reads the API serves are computed from the database unless an in-process or database-backed cache holds them.", evidence: manifest ? [{ file: manifest, line: null }] : [], assumptions: [] });
  }
  const state = concerns.filter((f) => f.id === "DATA001" && f.severity !== "low");
  if (state.length) {
    notes.push({ topic: "In-process state", note: `${plural(state.length, "module-level value")} changed while serving: each process holds its own copy, so adding processes or instances changes behaviour, not only capacity.`, evidence: state.map((f) => f.evidence[0]).filter((e): e is Evidence => e !== undefined).slice(0, 3), assumptions: [] });
  }
  return { notes, estimatedRps, processes, replicas: rep.count, replicasStated: rep.stated, connections, singleDatabase, noCache };
}

/**
 * The connection budget: each web and task process's pool at its maximum, against the database's limit. Only a
 * pool the service itself creates counts (in the package that creates the app, not a plugin or an integration
 * shipped beside it). With no stated process count, how many processes the limit allows.
 */
function connectionBudget(model: SystemModel, web: WebServer | null, processes: number | null, rep: Replicas, notes: CapacityNote[]): CapacityFacts["connections"] {
  const sqlDb = model.technologies.find((t) => t.category === "database" && DEFAULT_MAX_CONNECTIONS[t.name] !== undefined);
  const sized = servicePool(model);
  if (!sqlDb || !sized || !web) return null;
  const { pool, perProcess } = sized;
  const assumptions = [...sized.assumptions];
  const limit = DEFAULT_MAX_CONNECTIONS[sqlDb.name] as number;
  const reserved = RESERVED_CONNECTIONS[sqlDb.name] ?? 0;
  const usable = limit - reserved;
  assumptions.push(`${sqlDb.name}'s default max_connections ${limit}${reserved ? `, ${reserved} of them reserved for superusers` : ""}`);
  const evidence: Evidence[] = [{ file: pool.file, line: pool.line, snippet: pool.snippet }];
  if (processes === null || web.processes === null) {
    notes.push({ topic: "Connection budget", note: `Up to ${perProcess} connections per process: ${sqlDb.name}'s ${limit} allow about ${Math.floor(usable / perProcess)} such processes across all instances and task workers together.`, evidence, assumptions });
    return null;
  }
  const workerProcs = taskWorkerProcesses(model).count;
  const total = perProcess * (processes + workerProcs);
  if (!rep.stated) assumptions.push("one instance: no replica count in the repository");
  const workers = workerProcs ? ` + ${plural(workerProcs, "task worker process")}` : "";
  const room = Math.floor((usable - total) / Math.max(1, perProcess * web.processes));
  const accepts = `the ${usable} ${sqlDb.name} accepts${reserved ? ` (max_connections ${limit} less ${reserved} reserved)` : ""}`;
  const verdict = total > usable ? `more than ${accepts}: at peak, new connections are refused` : room > 0 ? `within ${accepts}, leaving room for ${plural(room, "more web instance")} like this one` : `within ${accepts}, with no room for another web instance like this one`;
  notes.push({ topic: "Connection budget", note: `${perProcess} connections per process × (${plural(processes, "web process")}${workers}) = up to ${total} connections, ${verdict}.`, evidence, assumptions });
  return { total, limit: usable, database: sqlDb.name };
}

/** One database server (not an embedded SQLite file) that the service's own processes use, with no replica. */
function singleDatabaseNote(model: SystemModel, notes: CapacityNote[]): string | null {
  const ours = (name: string) => {
    const service = model.composeServices.find((s) => s.name === name);
    return service ? service.build || service.server !== null : true;
  };
  const databases = model.components.filter(
    (c) => c.kind === "datastore" && c.technology !== "SQLite" && model.technologies.some((t) => t.category === "database" && t.name === c.technology) && (c.usedBy ?? []).some(ours),
  );
  const only = databases.length === 1 ? databases[0] : undefined;
  if (!only?.technology) return null;
  // the service's own deployment files first: a devcontainer's compose file is not where the database is run
  const evidence = [...only.evidence].sort((a, b) => Number(!production(a.file, model)) - Number(!production(b.file, model)));
  notes.push({ topic: "Database", note: `One ${only.technology} server takes every read and write; nothing in the repository sets up a read replica or a standby.`, evidence: evidence.slice(0, 1), assumptions: [] });
  return only.technology;
}

/** The manifest a reader opens first: pyproject.toml or requirements.txt at the shallowest path, never a lock or dev file. */
function mainManifest(model: SystemModel): string | null {
  const rank = (f: string) => (/(^|\/)pyproject\.toml$/.test(f) ? 0 : /(^|\/)requirements\.txt$/.test(f) ? 1 : /(^|\/)(setup\.py|setup\.cfg|Pipfile)$/.test(f) ? 2 : 9);
  const candidates = model.manifests.filter((f) => rank(f) < 9 && runsInProduction(fileRole(f)));
  return candidates.sort((a, b) => a.split("/").length - b.split("/").length || rank(a) - rank(b))[0] ?? null;
}
