import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Kinds that run a long-lived process (probes matter); Jobs and CronJobs run to completion. */
const LONG_RUNNING = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout", "DeploymentConfig"]);
/** Kinds whose pods are interchangeable, where one replica is one point of failure. */
const STATELESS = new Set(["Deployment", "Rollout"]);
/** Images of stateful or singleton infrastructure, for which one replica is the usual (and often required) shape. */
const STATEFUL_IMAGE = /(^|\/)(postgres|postgresql|postgis|mysql|mariadb|mongo|mongodb|redis|valkey|memcached|rabbitmq|elasticsearch|opensearch|minio|clickhouse|kafka|zookeeper|etcd|cassandra)([:@]|$)/i;
/** Paths of manifests for a local cluster or a demo, not production. */
const LOCAL = /(^|[/_.-])(dev|devel|development|local|minikube|kind|k3d|test|tests|testing|e2e|ci|example|examples|demo|sample|samples)([/_.-]|$)/i;

export default defineCheck({
  id: "DEP008",
  area: "deployment",
  title: "Kubernetes workload without resources, probes or safe defaults",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "A pod without resource requests is scheduled blindly and is the first evicted under pressure; without probes a hung or still-starting pod receives traffic; a privileged or root container widens any compromise to the node; `:latest` images change under a restart; and a single replica of a stateless service is down during every deploy and node drain.",
  recommendation: "For each container set `resources.requests` (and a memory limit), liveness and readiness probes against a health endpoint, `securityContext.runAsNonRoot: true` without `privileged`, a pinned image tag or digest, and at least two replicas (or an HPA) with a PodDisruptionBudget for stateless services.",
  example: {
    bad: "containers:\n  - name: api\n    image: org/api:latest",
    good: "containers:\n  - name: api\n    image: org/api:1.4.2\n    resources:\n      requests: {cpu: 250m, memory: 256Mi}\n      limits: {memory: 512Mi}\n    readinessProbe:\n      httpGet: {path: /healthz, port: 8000}\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8000}\n    securityContext:\n      runAsNonRoot: true",
  },
  references: ["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/", "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/", "https://kubernetes.io/docs/concepts/security/pod-security-standards/"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const reports: Report[] = [];
    for (const w of model.kubernetes) {
      // sample manifests that tests read (a Kubernetes client's fixtures) deploy nothing
      const role = fileRole(w.file);
      if (role === "test" || role === "fixture") continue;
      const problems: string[] = [];
      // a Helm template's resources, probes, image and replicas usually come from values that differ per install:
      // only what the template itself fixes (a privileged container) is read from it
      const rendered = !w.helm;
      for (const c of w.containers) {
        const name = c.name ? `\`${c.name}\`` : "a container";
        if (c.privileged) problems.push(`${name} runs privileged`);
        if (!rendered) continue;
        if (c.runsAsNonRoot === false) problems.push(`${name} runs as root (runAsUser 0 or runAsNonRoot: false)`);
        if (!c.resources.requests && !c.resources.limits) problems.push(`${name} sets no resource requests or limits`);
        if (LONG_RUNNING.has(w.kind) && !c.livenessProbe && !c.readinessProbe) problems.push(`${name} has no liveness or readiness probe`);
        if (c.image && !/[${]/.test(c.image) && !c.image.includes("@sha256:") && (/:latest$/.test(c.image) || !/:[^/]+$/.test(c.image))) problems.push(`${name} runs \`${c.image}\`, which follows the latest release`);
      }
      const stateless = w.containers.length > 0 && w.containers.every((c) => c.image === null || !STATEFUL_IMAGE.test(c.image));
      if (rendered && STATELESS.has(w.kind) && (w.replicas === null || w.replicas === 1) && !w.autoscaled && stateless) problems.push(`it runs a single replica${w.replicas === null ? " (replicas not set)" : ""} with no autoscaler`);
      if (problems.length === 0) continue;
      const local = !runsInProduction(role) || LOCAL.test(w.file);
      const note = local ? " The manifest looks like one for a local cluster, a test or an example, so this is low." : "";
      reports.push({
        message: `${w.kind} \`${w.name || "(unnamed)"}\`: ${problems.join("; ")}.${note}`,
        evidence: [{ file: w.file, line: w.line, snippet: `kind: ${w.kind}` }],
        ...(local ? { severity: "low" as const } : {}),
      });
    }
    return reports;
  },
});
