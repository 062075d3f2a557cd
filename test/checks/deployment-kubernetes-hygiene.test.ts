import assert from "node:assert/strict";
import { describe, it } from "node:test";
import kubernetesHygiene from "../../src/checks/deployment/kubernetes-hygiene.js";
import { locations, project } from "../helpers/project.js";

function deployment(container: string, spec = "  replicas: 3\n", kind = "Deployment"): string {
  return `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: api\nspec:\n${spec}  template:\n    spec:\n      containers:\n${container}`;
}

const GOOD = [
  "        - name: api",
  "          image: org/api:1.4.2",
  "          resources:",
  "            requests: {cpu: 250m, memory: 256Mi}",
  "          readinessProbe:",
  "            httpGet: {path: /healthz, port: 8000}",
  "",
].join("\n");

describe("DEP008 Kubernetes workload hygiene", () => {
  it("fires on a container without resources or probes, at the kind line", async () => {
    const findings = (await project({ "deploy/k8s/api.yaml": deployment("        - name: api\n          image: org/api:1.4.2\n") })).run(kubernetesHygiene);
    assert.deepEqual(locations(findings), [["DEP008", "deploy/k8s/api.yaml", 2]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /sets no resource requests or limits; `api` has no liveness or readiness probe/);
  });

  it("fires on a privileged container, a :latest image and a single replica", async () => {
    const container = GOOD.replace("org/api:1.4.2", "org/api:latest") + "          securityContext:\n            privileged: true\n";
    const findings = (await project({ "deploy/k8s/api.yaml": deployment(container, "  replicas: 1\n") })).run(kubernetesHygiene);
    assert.deepEqual(locations(findings), [["DEP008", "deploy/k8s/api.yaml", 2]]);
    const message = findings[0]?.message ?? "";
    assert.match(message, /runs privileged/);
    assert.match(message, /follows the latest release/);
    assert.match(message, /single replica with no autoscaler/);
  });

  it("is low for a manifest of a local cluster", async () => {
    const findings = (await project({ "k8s/minikube/api.yaml": deployment("        - name: api\n          image: org/api:1.4.2\n") })).run(kubernetesHygiene);
    assert.deepEqual(locations(findings), [["DEP008", "k8s/minikube/api.yaml", 2]]);
    assert.equal(findings[0]?.severity, "low");
  });

  it("stays quiet on a well-configured workload", async () => {
    assert.deepEqual((await project({ "deploy/k8s/api.yaml": deployment(GOOD) })).run(kubernetesHygiene), []);
  });

  it("stays quiet on a single-replica database and on a Job without probes", async () => {
    const db = GOOD.replace("org/api:1.4.2", "postgres:16");
    assert.deepEqual((await project({ "deploy/k8s/db.yaml": deployment(db, "  replicas: 1\n") })).run(kubernetesHygiene), []);
    const job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      containers:\n        - name: migrate\n          image: org/api:1.4.2\n          resources:\n            requests: {cpu: 100m}\n";
    assert.deepEqual((await project({ "deploy/k8s/job.yaml": job })).run(kubernetesHygiene), []);
  });

  it("stays quiet on a single replica an HPA scales", async () => {
    const hpa = "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: api\n  minReplicas: 2\n  maxReplicas: 10\n";
    assert.deepEqual((await project({ "deploy/k8s/api.yaml": deployment(GOOD, "  replicas: 1\n") + hpa })).run(kubernetesHygiene), []);
  });

  it("stays quiet on sample manifests that tests read", async () => {
    const p = await project({ "tests/fixtures/deployment.yaml": deployment("        - name: nginx\n          image: nginx\n") });
    assert.equal(p.model.kubernetes.length, 1);
    assert.deepEqual(p.run(kubernetesHygiene), []);
  });

  it("reads only what a Helm template fixes itself", async () => {
    const template = deployment("        - name: api\n          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n", "  replicas: {{ .Values.replicaCount }}\n");
    const files = { "chart/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n", "chart/values.yaml": "replicaCount: 1\nresources: {}\nimage:\n  repository: org/api\n  tag: latest\n", "chart/templates/deployment.yaml": template };
    const p = await project(files);
    assert.equal(p.model.kubernetes[0]?.helm, true);
    assert.deepEqual(p.run(kubernetesHygiene), []);
  });
});
