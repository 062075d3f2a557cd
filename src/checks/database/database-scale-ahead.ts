import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { ROADMAP_STAGES, webReplicas, webServer } from "../../model/capacity-numbers.js";
import type { Evidence } from "../../model/types.js";
import type { ReviewContext } from "../context.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { productionSettingsModules, serviceDatabase } from "./production-signals.js";

/** Stated load at which one primary commonly stops being enough for reads (requests/s at peak, users). */
const REPLICA_RPS = 1000;
const REPLICA_USERS = 500_000;
/** Stated data volume at which the largest tables want partitioning or archiving. */
const PARTITION_GB = 500;
/** What a mean request is assumed to take when the web tier's throughput is estimated (as in the roadmap). */
const ASSUMED_REQUEST_MS = 100;

const REPLICA_NAME = /replica|read(er|only|_only)?\b|\bro\b|_ro\b|slave|follower|standby|secondary/i;
const REPLICA_KEY = /(DATABASE|DB|POSTGRES|PG|MYSQL)\w*(REPLICA|READ|READER|READONLY|RO|SLAVE|FOLLOWER)|(REPLICA|READ|READER|READONLY|SLAVE|FOLLOWER)\w*(DATABASE|DB)_?(URL|HOST|DSN)/;
const PARTITIONING = /^(django-postgres-extra|psqlextra|architect|django-partition|pg-partman|sqlalchemy-partition)$/;

/** Where the code or the deployment sets up a read replica or routes reads: the first piece of evidence, or null. */
function replicaEvidence(model: Parameters<typeof webServer>[0], index: Parameters<typeof productionSettingsModules>[0]): Evidence | null {
  for (const mod of productionSettingsModules(index)) {
    for (const a of mod.facts.assignments) {
      if (a.target === "DATABASE_ROUTERS" && a.text.replace(/\s/g, "") !== "[]" && a.text.replace(/\s/g, "") !== "()") return { file: mod.file, line: a.line, snippet: `DATABASE_ROUTERS = ${a.text}`.slice(0, 160) };
      if (a.target === "DATABASES" && /["'](\w*(replica|read|reader|readonly|slave|follower|standby|secondary)\w*)["']\s*:/i.test(a.text)) return { file: mod.file, line: a.line, snippet: "DATABASES with a replica alias" };
      if (a.target === "SQLALCHEMY_BINDS") return { file: mod.file, line: a.line, snippet: `SQLALCHEMY_BINDS = ${a.text}`.slice(0, 160) };
    }
  }
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    for (const a of [...mod.facts.assignments, ...mod.facts.classes.flatMap((c) => c.assignments)]) {
      if (REPLICA_NAME.test(a.target) && (/create_(async_)?engine|connect|pool/i.test(a.callee ?? "") || /^(SQLALCHEMY_BINDS|\w*(REPLICA|READ)\w*(URL|URI|DSN|HOST))$/i.test(a.target))) return { file: mod.file, line: a.line, snippet: `${a.target} = ${a.text}`.slice(0, 160) };
    }
    for (const call of mod.facts.calls) {
      if (call.args.some((a) => a.name === "binds") && /sessionmaker|Session/.test(call.callee)) return { file: mod.file, line: call.line, snippet: call.snippet };
    }
  }
  const key = model.configValues.find((v) => REPLICA_KEY.test(v.key.toUpperCase()) && runsInProduction(fileRole(v.file)));
  if (key) return { file: key.file, line: key.line, snippet: key.key };
  const tf = model.terraform.find((r) => r.attributes.replicate_source_db !== undefined || r.attributes.master_instance_name !== undefined || r.attributes.source_server_id !== undefined || (r.type === "aws_rds_cluster_instance" && Number(r.attributes.count ?? 1) > 1));
  if (tf) return { file: tf.file, line: tf.line, snippet: `${tf.type}.${tf.name}` };
  return null;
}

function statedEvidence(context: ReviewContext, field: "peak_rps" | "users" | "data_volume_gb"): Evidence[] {
  const from = context.fromDocuments?.[field];
  return from ? [{ file: from.file, line: from.line, snippet: from.text }] : [];
}

export default defineCheck({
  id: "DB012",
  area: "database",
  title: "Database load ahead of scale",
  severity: "info",
  kind: "concern",
  confidence: "low",
  why: "One database primary takes every read and write. At the load the team states, reads alone can saturate it (CPU, connections, buffer cache), and a table that grows without bound makes every index rebuild, vacuum and backup slower. Read replicas and partitioning take weeks to introduce safely (replication lag, routing, migrations), so they are planned before the load arrives.",
  recommendation: "Route read-only queries to a read replica (Django database routers with a `replica` alias, SQLAlchemy binds or a read-only engine, the managed service's reader endpoint) and decide per query whether replication lag is acceptable; partition or archive the largest tables by time (PostgreSQL declarative partitioning, django-postgres-extra, pg_partman); cache hot reads first where they repeat.",
  example: { bad: 'DATABASES = {"default": env.db("DATABASE_URL")}', good: 'DATABASES = {"default": env.db("DATABASE_URL"), "replica": env.db("DATABASE_REPLICA_URL")}\nDATABASE_ROUTERS = ["app.db_routers.PrimaryReplicaRouter"]' },
  references: ["https://docs.djangoproject.com/en/stable/topics/db/multi-db/", "https://docs.sqlalchemy.org/en/20/orm/persistence_techniques.html#session-partitioning", "https://www.postgresql.org/docs/current/ddl-partitioning.html"],
  effort: "L",
  libraries: ["django-postgres-extra", "sqlalchemy"],
  run({ model, index, context }) {
    // active only when the team (or a design document) states the load
    if (context.peak_rps === undefined && context.users === undefined) return [];
    const database = serviceDatabase(model);
    if (!database) return [];
    const needs: string[] = [];
    const evidence: Evidence[] = [];
    const rps = context.peak_rps !== undefined && context.peak_rps >= REPLICA_RPS;
    const users = context.users !== undefined && context.users >= REPLICA_USERS;
    if ((rps || users) && !replicaEvidence(model, index)) {
      const stated = [rps ? `a peak of ${context.peak_rps} req/s` : "", users ? `${context.users} users` : ""].filter(Boolean).join(" and ");
      needs.push(`at ${stated}, read replicas (none is configured: no replica database alias or DATABASE_ROUTERS, no read-only engine or binds, no replica in IaC)`);
      evidence.push(...statedEvidence(context, rps ? "peak_rps" : "users"));
    }
    if (context.data_volume_gb !== undefined && context.data_volume_gb >= PARTITION_GB && !model.dependencies.some((d) => PARTITIONING.test(d.name))) {
      needs.push(`at ${context.data_volume_gb} GB, partitioning or archiving of the largest tables (no partitioning library is declared)`);
      evidence.push(...statedEvidence(context, "data_volume_gb"));
    }
    if (!needs.length) return [];
    // where the roadmap places the system: is the web tier's estimated throughput already below the stated peak?
    const web = webServer(model);
    const replicas = webReplicas(model, context.documentedInstances);
    const estimated = web?.processes != null && web.model === "sync" ? web.processes * replicas.count * (1000 / ASSUMED_REQUEST_MS) : null;
    const stage =
      estimated !== null && context.peak_rps !== undefined && context.peak_rps > estimated
        ? `The stated peak is above the about ${estimated} req/s today's web tier serves (${ASSUMED_REQUEST_MS} ms a request assumed), so the roadmap puts the system in "${ROADMAP_STAGES.next}" now, with "${ROADMAP_STAGES.later}" right after it.`
        : `The roadmap puts this in its stage "${ROADMAP_STAGES.later}".`;
    const declared = database.evidence;
    return [
      {
        message: `The stated scale needs more than one ${database.name} primary: ${needs.join("; ")}. ${stage} Thresholds are rules of thumb (about ${REPLICA_RPS} req/s or ${REPLICA_USERS.toLocaleString("en-US")} users for read replicas, ${PARTITION_GB} GB for partitioning); measure the database at peak before acting.`,
        evidence: [declared, ...evidence],
      },
    ] satisfies Report[];
  },
});
