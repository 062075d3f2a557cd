import { isProductionArtefact, ROADMAP_STAGES } from "../../model/capacity-numbers.js";
import type { Evidence } from "../../model/types.js";
import type { ReviewContext } from "../context.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { deploymentInstances } from "./deployment-instances.js";

/** Stated load from which a fixed replica count is a capacity plan someone must keep re-doing by hand (rules of thumb). */
const AUTOSCALE_RPS = 100;
const AUTOSCALE_USERS = 10_000;
/** Workloads that are not the web tier (data stores, proxies, workers), by name. */
const NOT_WEB = /postgres|pgbouncer|mysql|mariadb|redis|valkey|memcache|rabbit|kafka|zookeeper|mongo|elastic|opensearch|minio|nginx|traefik|haproxy|envoy|celery|worker|beat|flower|scheduler|cron|dramatiq|huey|clickhouse|etcd|vault|prometheus|grafana|loki|jaeger|otel|sentry/i;

function stated(context: ReviewContext, field: "peak_rps" | "users"): Evidence[] {
  const from = context.fromDocuments?.[field];
  return from ? [{ file: from.file, line: from.line, snippet: from.text }] : [];
}

export default defineCheck({
  id: "PERF009",
  area: "scalability",
  title: "No autoscaling at the stated scale",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "A Kubernetes Deployment with a fixed replica count serves the load it was sized for and no more: a peak above it queues requests until they time out, and outside the peak the replicas sit idle. At the load the team states, traffic varies enough that a fixed count is either too small at peak or wasteful the rest of the day.",
  recommendation: "Add a HorizontalPodAutoscaler for the web Deployment (CPU or requests-per-second target, `minReplicas` ≥ 2), or KEDA for queue- or metric-driven scaling; set resource requests so the autoscaler has something to measure, and load-test the scale-up time.",
  example: {
    bad: "kind: Deployment\nspec:\n  replicas: 3",
    good: "kind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef: {kind: Deployment, name: api}\n  minReplicas: 2\n  maxReplicas: 20\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]",
  },
  references: ["https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/", "https://keda.sh/docs/latest/concepts/scaling-deployments/"],
  effort: "S",
  libraries: [],
  dependsOn: [],
  run({ model, index, context }) {
    // active only when the team (or a design document) states the load
    const rps = context.peak_rps !== undefined && context.peak_rps >= AUTOSCALE_RPS;
    const users = context.users !== undefined && context.users >= AUTOSCALE_USERS;
    if (!rps && !users) return [];
    const deployments = model.kubernetes.filter((w) => w.kind === "Deployment" && isProductionArtefact(w.file, model) && !NOT_WEB.test(w.name));
    if (!deployments.length || deployments.some((w) => w.autoscaled)) return [];
    const instances = deploymentInstances(model, index, context);
    if (!instances || instances.autoscaled) return [];
    const load = [rps ? `a peak of ${context.peak_rps} req/s` : "", users ? `${context.users} users` : ""].filter(Boolean).join(" and ");
    const names = deployments.map((w) => `${w.name} (${w.replicas ?? "unset"} replica${w.replicas === 1 ? "" : "s"})`).join(", ");
    return [
      {
        message: `At the stated ${load}, the Kubernetes Deployment${deployments.length > 1 ? "s" : ""} ${names} ${deployments.length > 1 ? "have" : "has"} a fixed replica count and no HorizontalPodAutoscaler or KEDA ScaledObject targets ${deployments.length > 1 ? "them" : "it"}. The roadmap puts autoscaling in its stage "${ROADMAP_STAGES.next}". Thresholds are rules of thumb (about ${AUTOSCALE_RPS} req/s or ${AUTOSCALE_USERS.toLocaleString("en-US")} users).`,
        evidence: [...deployments.map((w) => ({ file: w.file, line: w.line, snippet: `kind: Deployment (${w.name})` })), ...stated(context, rps ? "peak_rps" : "users")],
      },
    ] satisfies Report[];
  },
});
