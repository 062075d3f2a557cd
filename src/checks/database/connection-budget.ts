import { plural } from "../../core/prose.js";
import { DEFAULT_MAX_CONNECTIONS, isProductionArtefact, RESERVED_CONNECTIONS, ROADMAP_STAGES, servicePool, sqlDatabase, taskWorkerProcesses, webReplicas, webServer } from "../../model/capacity-numbers.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { DATABASE_URL_KEY, productionSettingsModules } from "./production-signals.js";

const at = (e: Evidence) => `${e.file}${e.line !== null ? `:${e.line}` : ""}`;

/** Connections each process may hold: the service's own pool, or Django's one connection per process; null when unknown. */
function perProcess(model: SystemModel, index: ProjectIndex, workerModel: string): { count: number; source: string; evidence: Evidence | null; assumptions: string[] } | null {
  const sized = servicePool(model);
  if (sized) {
    const { pool } = sized;
    const parts = pool.library === "sqlalchemy" ? `pool_size ${pool.poolSize ?? 5} + max_overflow ${pool.maxOverflow ?? 10}` : `max_size ${sized.perProcess}`;
    return { count: sized.perProcess, source: `${parts} (${pool.file}:${pool.line})`, evidence: { file: pool.file, line: pool.line, snippet: pool.snippet }, assumptions: sized.assumptions };
  }
  const django = productionSettingsModules(index)
    .map((m) => ({ m, a: m.facts.assignments.find((a) => a.target === "DATABASES") }))
    .find((x) => x.a && !/sqlite/.test(x.a.text));
  // one connection per thread: sync workers hold one; async and green-thread workers one per concurrent request (unbounded here)
  if (!django?.a || (workerModel !== "sync" && workerModel !== "threads")) return null;
  return {
    count: 1,
    source: `Django's one connection per ${workerModel === "threads" ? "thread" : "process"} (${django.m.file}:${django.a.line})`,
    evidence: { file: django.m.file, line: django.a.line, snippet: "DATABASES = ..." },
    assumptions: workerModel === "threads" ? ["one thread per process: the thread count is not read, so this is a lower bound"] : [],
  };
}

export default defineCheck({
  id: "DB013",
  area: "database",
  title: "Connection budget exceeded",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Every web and task process keeps its own pool, so the connections the service may open are replicas × processes × (pool size + overflow). When that is more than the database accepts, the next connection is refused (`FATAL: sorry, too many clients already`) exactly at peak, when a deploy doubles the processes, or when the autoscaler adds replicas; and each idle PostgreSQL connection costs memory on the server.",
  recommendation: "Put a connection pooler in front of the database (PgBouncer in transaction mode, RDS Proxy, Cloud SQL's managed pooling, Supavisor) and point the service at it; size each process's pool from the budget (`pool_size` + `max_overflow` ≤ usable connections ÷ all processes), count task workers and migrations in it, or raise `max_connections` where the server has memory for it.",
  example: { bad: "# 6 replicas × 4 gunicorn workers × (5 + 10) = 360 connections; PostgreSQL accepts 97\nengine = create_engine(DATABASE_URL)", good: "# PgBouncer (transaction pooling) in front; each process keeps a small pool\nengine = create_engine(PGBOUNCER_URL, pool_size=2, max_overflow=2, pool_pre_ping=True)" },
  references: ["https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-MAX-CONNECTIONS", "https://www.pgbouncer.org/features.html", "https://docs.sqlalchemy.org/en/20/core/pooling.html#pooling-multiprocessing"],
  effort: "M",
  libraries: ["sqlalchemy", "psycopg_pool"],
  run({ model, index, context }) {
    const database = sqlDatabase(model);
    const web = webServer(model);
    if (!database || !web) return [];
    // a pooler in front of the database (or a service URL pointing at PgBouncer's port) decides the budget, not the processes
    const ops = model.operations;
    if (ops?.poolers.length) return [];
    if (model.configValues.some((v) => DATABASE_URL_KEY.test(v.key) && /:6432\//.test(v.value) && isProductionArtefact(v.file, model))) return [];
    const replicas = webReplicas(model, context.documentedInstances);
    // at least one of the counts must be read from an artefact: a budget made only of assumptions is not evidence
    if (web.processes === null && !replicas.stated) return [];
    const per = perProcess(model, index, web.model);
    if (!per) return [];
    const assumptions = [...per.assumptions];
    const processes = web.processes ?? 1;
    if (web.processes === null) assumptions.push(`one worker process per instance (${web.server.server}'s default; a configuration file may start more, so this is a lower bound)`);
    if (!replicas.stated) assumptions.push("one instance: no replica count in the repository");
    const tasks = taskWorkerProcesses(model);
    const configured = ops?.maxConnections[0];
    const limit = configured?.value ?? (DEFAULT_MAX_CONNECTIONS[database] as number);
    const reserved = RESERVED_CONNECTIONS[database] ?? 0;
    const usable = limit - reserved;
    if (!configured) assumptions.push(`${database}'s default max_connections ${limit}: the repository does not configure it`);
    const webProcesses = processes * replicas.count;
    const total = per.count * (webProcesses + tasks.count);
    if (total <= usable) return [];
    const processesFrom = web.processesFrom ? ` (${at(web.processesFrom)})` : "";
    const replicasFrom = replicas.evidence[0] ? ` (${at(replicas.evidence[0])})` : "";
    const tasksPart = tasks.count ? ` + ${plural(tasks.count, "task worker process")} (${tasks.evidence.map(at).join(", ")})` : "";
    const limitFrom = configured ? `max_connections ${limit} (${at(configured)})` : `max_connections ${limit}`;
    const autoscaled = replicas.autoscaled ? " An autoscaler adds replicas, each with its own pools, so the gap grows with traffic." : "";
    const stage = context.peak_rps !== undefined || context.users !== undefined ? ` On the roadmap this is a current limit, fixed in the stage "${ROADMAP_STAGES.next}".` : "";
    const evidence: Evidence[] = [
      ...(per.evidence ? [per.evidence] : []),
      { file: web.file, line: web.line, snippet: `${web.server.server}${web.processes !== null ? `, ${plural(web.processes, "worker")}` : ""}` },
      ...(web.processesFrom && web.processesFrom.file !== web.file ? [web.processesFrom] : []),
      ...replicas.evidence,
      ...tasks.evidence,
      ...(configured ? [configured] : []),
    ];
    return [
      {
        message: `Up to ${total} database connections against the ${usable} ${database} accepts (${limitFrom}${reserved ? ` less ${reserved} reserved for superusers` : ""}): ${per.count} per process from ${per.source} × (${plural(processes, "web process")}${processesFrom} × ${plural(replicas.count, "instance")}${replicasFrom}${tasksPart}), and no connection pooler (PgBouncer, Pgpool-II, RDS Proxy) in front.${autoscaled}${stage}${assumptions.length ? ` Assumed: ${assumptions.join("; ")}.` : ""}`,
        evidence,
      },
    ] satisfies Report[];
  },
});
