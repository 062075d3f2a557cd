import type { ReviewContext } from "../checks/context.js";
import type { Finding } from "../checks/types.js";
import { ROADMAP_STAGES } from "../model/capacity-numbers.js";
import type { SystemModel } from "../model/types.js";
import { capacityFacts, statedWhere } from "./capacity.js";
import type { Review, RoadmapStage, ScaleLimit } from "./types.js";

/** Findings that limit how far the system scales: blocking and sync I/O, unpaged lists, in-process state, pools, hangs. */
const SCALING = /^(PERF\d{3}|DB006|DB002|DB004|DB013|API003|DATA00[1-3]|RES001|DEP011)$/;

/** The first sentence of a recommendation: what to do, without the library list. */
function firstSentence(text: string): string {
  const cut = text.search(/\.(\s|$)/);
  return cut > 0 ? text.slice(0, cut + 1) : text;
}

function fixes(findings: Finding[]): string[] {
  const byId = new Map<string, Finding[]>();
  for (const f of findings) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  return [...byId.values()].map((list) => {
    const f = list[0] as Finding;
    const count = list.length > 1 ? `, ${list.length} places` : "";
    return `${f.title} (${f.id}${count}): ${firstSentence(f.recommendation)}`;
  });
}

/**
 * The scalability roadmap: today's limits with evidence, capacity notes with their assumptions, then stages
 * with triggers tied to the stated scale (or to an observable signal when none is stated) and the migration
 * each change takes. Scalability items only: a naive datetime is a concern, not a limit on scale.
 */
export function scalabilityRoadmap(model: SystemModel, concerns: Finding[], context: ReviewContext): Review["roadmap"] {
  const scaling = concerns.filter((f) => SCALING.test(f.id) && f.severity !== "low");
  const facts = capacityFacts(model, concerns, context);
  const currentLimits: ScaleLimit[] = [];
  const { connections, estimatedRps } = facts;
  if (connections && connections.total > connections.limit) {
    const note = facts.notes.find((n) => n.topic === "Connection budget");
    currentLimits.push({ limit: `Connection budget exceeded: up to ${connections.total} connections against the ${connections.limit} ${connections.database} accepts.`, evidence: note?.evidence ?? [] });
  }
  if (context.peak_rps !== undefined && estimatedRps !== null && context.peak_rps > estimatedRps) {
    const note = facts.notes.find((n) => n.topic === "Web processes");
    const from = context.fromDocuments?.peak_rps;
    currentLimits.push({ limit: `The stated peak of ${context.peak_rps} req/s${statedWhere(context, "peak_rps")} is above the estimated ${estimatedRps} req/s the web tier serves.`, evidence: [...(from ? [{ file: from.file, line: from.line, snippet: from.text }] : []), ...(note?.evidence ?? [])] });
  }
  const seen = new Set<string>();
  for (const f of scaling) {
    if (seen.has(f.message)) continue;
    seen.add(f.message);
    currentLimits.push({ limit: f.message, evidence: f.evidence.slice(0, 1) });
  }

  const stages: RoadmapStage[] = [];
  const now = scaling.filter((f) => f.severity === "high");
  if (now.length) stages.push({ name: ROADMAP_STAGES.now, trigger: "before the next increase in traffic", actions: fixes(now) });

  // scale out the web tier
  const out = fixes(scaling.filter((f) => f.severity !== "high"));
  // only where the deployment is known: a document reviewed alone, or a repository with no server command, says too little
  if ((!facts.replicasStated || facts.replicas < 2) && facts.notes.some((n) => n.topic === "Web processes")) {
    out.push("Run at least two instances behind the load balancer: it removes the single point of failure and proves each process is stateless before traffic depends on it.");
  }
  if (connections && facts.processes) {
    const perInstance = connections.total / facts.replicas;
    const most = Math.floor(connections.limit / perInstance);
    out.push(
      most < 2
        ? `Put PgBouncer (transaction pooling) in front of ${connections.database}, or shrink each process's pool: one instance already asks for up to ${Math.round(perInstance)} of the ${connections.limit} connections it accepts.`
        : `Plan a connection pooler (PgBouncer in transaction mode) before running more than ${most} instances: each asks for up to ${Math.round(perInstance)} of the ${connections.limit} connections ${connections.database} accepts.`,
    );
  }
  const target = context.latency_p99_ms !== undefined ? ` or p99 latency nears the ${context.latency_p99_ms} ms target${statedWhere(context, "latency_p99_ms")}` : " or p99 latency climbs";
  const outTrigger =
    context.peak_rps !== undefined && estimatedRps !== null
      ? context.peak_rps > estimatedRps
        ? `now: the stated peak of ${context.peak_rps} req/s${statedWhere(context, "peak_rps")} is above the estimated ${estimatedRps} req/s (see the capacity notes)`
        : `when traffic passes about ${Math.round(estimatedRps * 0.7)} req/s, 70% of the estimated ${estimatedRps} req/s (stated peak: ${context.peak_rps}${statedWhere(context, "peak_rps")})`
      : estimatedRps !== null
        ? `when traffic passes about ${Math.round(estimatedRps * 0.7)} req/s, 70% of the estimated ${estimatedRps} req/s${target}`
        : `when one instance runs above about 70% CPU at peak${target}`;
  if (out.length) stages.push({ name: ROADMAP_STAGES.next, trigger: outTrigger, actions: out });

  // scale the data tier
  const data: string[] = [];
  if (facts.noCache && model.endpoints.length) data.push("Cache hot reads (cache-aside in Redis with a TTL per key family and invalidation on write: redis-py's asyncio client, the Django cache framework or Flask-Caching) before adding database capacity.");
  if (facts.singleDatabase) data.push(`Add a ${facts.singleDatabase} read replica and route read-only queries to it (SQLAlchemy binds or a session per role, Django database routers); decide per query whether replication lag is acceptable.`);
  if (context.data_volume_gb !== undefined && context.data_volume_gb >= 100) data.push(`Partition or archive the largest tables by time (PostgreSQL declarative partitioning, or moving cold rows to object storage): at the stated ${context.data_volume_gb} GB, index maintenance and backups grow with every month kept online.`);
  const queue = model.technologies.some((t) => t.category === "task-runner" || t.category === "queue");
  const outbound = concerns.some((f) => f.id === "PERF001" || f.id === "RES001");
  if (!queue && outbound && model.endpoints.length) data.push("Move slow outbound work off the request path into a task queue (Celery, Dramatiq or arq), so a slow dependency delays a job rather than a response.");
  const dataTrigger = `when the database is the bottleneck: CPU above about 70% at peak, connections near the limit, or reads far outnumbering writes${context.data_volume_gb !== undefined ? `; stated data volume ${context.data_volume_gb} GB${statedWhere(context, "data_volume_gb")}` : ""}`;
  if (data.length) stages.push({ name: ROADMAP_STAGES.later, trigger: dataTrigger, actions: data });

  return { currentLimits: currentLimits.slice(0, 10), capacity: facts.notes, stages };
}
