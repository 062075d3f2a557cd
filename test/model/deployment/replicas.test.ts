import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Diagnostic } from "../../../src/core/diagnostics.js";
import { composeWebReplicas, kubernetesReplicas, webReplicas } from "../../../src/model/capacity-numbers.js";
import { readCompose } from "../../../src/model/deployment/compose.js";
import { readKubernetes } from "../../../src/model/deployment/kubernetes.js";
import { classifyPath, refineYamlKind } from "../../../src/workspace/classify.js";
import type { WorkspaceFile } from "../../../src/workspace/types.js";
import { project } from "../../helpers/project.js";

function file(path: string, ...lines: string[]): WorkspaceFile {
  const text = `${lines.join("\n")}\n`;
  return { path, kind: refineYamlKind(classifyPath(path), path, text), size: text.length, text };
}

const deployment = (name: string, replicas: string | null) => [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  `  name: ${name}`,
  "spec:",
  ...(replicas === null ? [] : [`  replicas: ${replicas}`]),
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: api",
  "          image: ghcr.io/acme/api:1.2.0",
];
const hpa = (target: string, min: string | null) => [
  "apiVersion: autoscaling/v2",
  "kind: HorizontalPodAutoscaler",
  "metadata: { name: api-hpa }",
  "spec:",
  "  scaleTargetRef:",
  "    apiVersion: apps/v1",
  "    kind: Deployment",
  `    name: ${target}`,
  ...(min === null ? [] : [`  minReplicas: ${min}`]),
  "  maxReplicas: 12",
];

describe("readCompose: replicas", () => {
  it("reads deploy.replicas with its line, and scale: when deploy says nothing", () => {
    const services = readCompose(
      file("docker-compose.yml", "services:", "  web:", "    image: acme/web", "    deploy:", "      replicas: 3", "  worker:", "    image: acme/web", "    scale: 2", "  db:", "    image: postgres:16"),
      [],
    );
    assert.deepEqual(
      services.map((s) => [s.name, s.replicas ?? null]),
      [
        ["web", { count: 3, line: 5, source: "deploy.replicas" }],
        ["worker", { count: 2, line: 8, source: "scale" }],
        ["db", null],
      ],
    );
  });

  it("does not read a variable or a non-integer as a replica count", () => {
    const services = readCompose(file("docker-compose.yml", "services:", "  web:", "    image: acme/web", "    deploy:", "      replicas: $" + "{WEB_REPLICAS:-2}", "    scale: two"), []);
    assert.equal(services[0]?.replicas ?? null, null);
  });
});

describe("readKubernetes: the HPA's replica bounds", () => {
  it("records the HPA that targets a Deployment with its minReplicas line", () => {
    const workloads = readKubernetes([file("k8s/api.yaml", ...deployment("api", null)), file("k8s/hpa.yaml", ...hpa("api", "4"))], [] as Diagnostic[]);
    assert.deepEqual(workloads[0]?.scaler, { kind: "HorizontalPodAutoscaler", name: "api-hpa", file: "k8s/hpa.yaml", line: 9, minReplicas: 4, maxReplicas: 12 });
  });

  it("leaves minReplicas null when the HPA does not set it, and adds no scaler to a Deployment no HPA targets", () => {
    const workloads = readKubernetes([file("k8s/api.yaml", ...deployment("api", "2"), "---", ...deployment("other", "1")), file("k8s/hpa.yaml", ...hpa("api", null))], []);
    const byName = new Map(workloads.map((w) => [w.name, w]));
    assert.equal(byName.get("api")?.scaler?.minReplicas, null);
    assert.equal(byName.get("api")?.scaler?.line, 2);
    assert.equal("scaler" in (byName.get("other") ?? {}), false);
  });

  it("reads a KEDA ScaledObject's minReplicaCount", () => {
    const workloads = readKubernetes(
      [file("k8s/api.yaml", ...deployment("api", null)), file("k8s/keda.yaml", "apiVersion: keda.sh/v1alpha1", "kind: ScaledObject", "metadata: { name: api }", "spec:", "  scaleTargetRef:", "    name: api", "  minReplicaCount: 2", "  triggers: []")],
      [],
    );
    assert.deepEqual(workloads[0]?.scaler, { kind: "ScaledObject", name: "api", file: "k8s/keda.yaml", line: 7, minReplicas: 2, maxReplicas: null });
  });
});

describe("webReplicas: where the replica count comes from", () => {
  it("takes the HPA's minReplicas when it is above the Deployment's replicas, citing the HPA", async () => {
    const p = await project({ "k8s/api.yaml": `${deployment("api", "2").join("\n")}\n`, "k8s/hpa.yaml": `${hpa("api", "5").join("\n")}\n` });
    const replicas = webReplicas(p.model);
    assert.equal(replicas.count, 5);
    assert.equal(replicas.autoscaled, true);
    assert.deepEqual(replicas.evidence.map((e) => [e.file, e.line]), [["k8s/hpa.yaml", 9]]);
  });

  it("keeps the Deployment's replicas when they are above the HPA's floor", async () => {
    const p = await project({ "k8s/api.yaml": `${deployment("api", "6").join("\n")}\n`, "k8s/hpa.yaml": `${hpa("api", "2").join("\n")}\n` });
    assert.deepEqual(kubernetesReplicas(p.model).map((r) => [r.count, r.evidence.file]), [[6, "k8s/api.yaml"]]);
  });

  it("reads deploy.replicas of the compose service that starts the web server, command or Dockerfile CMD", async () => {
    const p = await project({
      "Dockerfile": 'FROM python:3.12\nCMD ["gunicorn", "app:app", "-w", "4"]\n',
      "docker-compose.yml": "services:\n  api:\n    build: .\n    deploy:\n      replicas: 3\n  worker:\n    build: .\n    command: celery -A app worker --concurrency 4\n    deploy:\n      replicas: 8\n  db:\n    image: postgres:16\n    scale: 9\n",
    });
    assert.deepEqual(composeWebReplicas(p.model).map((r) => [r.count, r.evidence.file, r.evidence.line]), [[3, "docker-compose.yml", 5]]);
    const replicas = webReplicas(p.model);
    assert.equal(replicas.count, 3);
    assert.equal(replicas.stated, true);
  });

  it("does not read replicas from a development compose file or a service running the development server", async () => {
    const p = await project({
      "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n    deploy:\n      replicas: 3\n",
    });
    assert.deepEqual(composeWebReplicas(p.model), []);
    assert.equal(webReplicas(p.model).stated, false);
  });
});
