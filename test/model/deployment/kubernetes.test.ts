import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Diagnostic } from "../../../src/core/diagnostics.js";
import { readKubernetes } from "../../../src/model/deployment/kubernetes.js";
import { classifyPath, refineYamlKind } from "../../../src/workspace/classify.js";
import type { WorkspaceFile } from "../../../src/workspace/types.js";

/** A workspace file classified as the scanner would classify it. */
function file(path: string, ...lines: string[]): WorkspaceFile {
  const text = `${lines.join("\n")}\n`;
  return { path, kind: refineYamlKind(classifyPath(path), path, text), size: text.length, text };
}

function read(...files: WorkspaceFile[]) {
  const diagnostics: Diagnostic[] = [];
  return { workloads: readKubernetes(files, diagnostics), diagnostics };
}

const deployment = (name: string, ...extra: string[]) => [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  `  name: ${name}`,
  "spec:",
  "  replicas: 3",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: api",
  "          image: ghcr.io/acme/api:1.2.0",
  ...extra,
];

describe("readKubernetes: plain manifests", () => {
  it("reads a Deployment next to a Service, and the Service is not a workload", () => {
    const { workloads, diagnostics } = read(
      file(
        "k8s/api.yaml",
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  name: api",
        "spec:",
        "  ports: [{ port: 80 }]",
        "---",
        ...deployment(
          "api",
          "          resources:",
          "            requests: { cpu: 100m, memory: 128Mi }",
          "          livenessProbe:",
          "            httpGet: { path: /health, port: 8000 }",
        ),
      ),
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(workloads, [
      {
        file: "k8s/api.yaml",
        line: 9,
        kind: "Deployment",
        name: "api",
        replicas: 3,
        containers: [
          {
            name: "api",
            image: "ghcr.io/acme/api:1.2.0",
            resources: { requests: true, limits: false },
            livenessProbe: true,
            readinessProbe: false,
            privileged: false,
            runsAsNonRoot: null,
          },
        ],
        initContainers: [],
        autoscaled: false,
        helm: false,
      },
    ]);
  });

  it("does not take a ConfigMap with `image:` in its data for a container", () => {
    const { workloads } = read(
      file("k8s/config.yaml", "apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: settings", "data:", "  image: ghcr.io/acme/api:latest", "  containers: web"),
    );
    assert.deepEqual(workloads, []);
  });

  it("finds the pod template of a CronJob under jobTemplate, and of a Job under template", () => {
    const { workloads } = read(
      file(
        "k8s/jobs.yaml",
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata: { name: nightly }",
        "spec:",
        "  schedule: '0 3 * * *'",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        spec:",
        "          containers:",
        "            - { name: report, image: acme/report:2 }",
        "---",
        "apiVersion: batch/v1",
        "kind: Job",
        "metadata: { name: migrate }",
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        "        - { name: migrate, image: acme/api:2, command: [alembic, upgrade, head] }",
      ),
    );
    assert.deepEqual(
      workloads.map((w) => [w.kind, w.name, w.line, w.replicas, w.containers.map((c) => c.image)]),
      [
        ["CronJob", "nightly", 2, null, ["acme/report:2"]],
        ["Job", "migrate", 14, null, ["acme/api:2"]],
      ],
    );
  });

  it("reads replicas of a StatefulSet but not of a DaemonSet, and init containers by name", () => {
    const { workloads } = read(
      file(
        "k8s/db.yaml",
        "apiVersion: apps/v1",
        "kind: StatefulSet",
        "metadata: { name: db }",
        "spec:",
        "  replicas: 1",
        "  template:",
        "    spec:",
        "      initContainers:",
        "        - { name: wait-for-volume, image: busybox }",
        "      containers:",
        "        - { name: postgres, image: postgres:16 }",
        "---",
        "apiVersion: apps/v1",
        "kind: DaemonSet",
        "metadata: { name: agent }",
        "spec:",
        "  template:",
        "    spec:",
        "      containers: [{ name: agent, image: datadog/agent:7 }]",
      ),
    );
    assert.deepEqual(
      workloads.map((w) => [w.kind, w.replicas, w.initContainers]),
      [
        ["StatefulSet", 1, ["wait-for-volume"]],
        ["DaemonSet", null, []],
      ],
    );
  });

  it("combines pod- and container-level security contexts", () => {
    const { workloads } = read(
      file(
        "k8s/secure.yaml",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: { name: api }",
        "spec:",
        "  template:",
        "    spec:",
        "      securityContext: { runAsNonRoot: true }",
        "      containers:",
        "        - name: inherits",
        "          image: acme/api:1",
        "        - name: root-override",
        "          image: acme/api:1",
        "          securityContext: { runAsUser: 0 }",
        "        - name: privileged",
        "          image: acme/api:1",
        "          securityContext: { privileged: true, runAsUser: 1000 }",
      ),
      file("k8s/plain.yaml", ...deployment("worker")),
    );
    const containers = workloads.flatMap((w) => w.containers.map((c) => [w.name, c.name, c.runsAsNonRoot, c.privileged]));
    assert.deepEqual(containers, [
      ["worker", "api", null, false],
      ["api", "inherits", true, false],
      ["api", "root-override", false, false],
      ["api", "privileged", true, true],
    ]);
  });

  it("reads workloads inside a `kind: List`", () => {
    const { workloads } = read(
      file(
        "k8s/list.yaml",
        "apiVersion: v1",
        "kind: List",
        "items:",
        "  - apiVersion: apps/v1",
        "    kind: Deployment",
        "    metadata: { name: api }",
        "    spec: { template: { spec: { containers: [{ name: api, image: 'acme/api:1' }] } } }",
      ),
    );
    assert.deepEqual(workloads.map((w) => [w.kind, w.name, w.line]), [["Deployment", "api", 5]]);
  });
});

describe("readKubernetes: autoscaling", () => {
  const hpa = (apiVersion: string, kind: string, name: string) => [
    `apiVersion: ${apiVersion}`,
    "kind: HorizontalPodAutoscaler",
    "metadata: { name: hpa }",
    "spec:",
    "  scaleTargetRef:",
    "    apiVersion: apps/v1",
    `    kind: ${kind}`,
    `    name: ${name}`,
    "  minReplicas: 2",
    "  maxReplicas: 10",
  ];

  it("marks a Deployment targeted by an autoscaling/v2 HPA in another file", () => {
    const { workloads } = read(file("k8s/api.yaml", ...deployment("api")), file("k8s/hpa.yaml", ...hpa("autoscaling/v2", "Deployment", "api")));
    assert.equal(workloads[0]?.autoscaled, true);
  });

  it("marks a Deployment targeted by an autoscaling/v1 HPA", () => {
    const { workloads } = read(file("k8s/api.yaml", ...deployment("api"), "---", ...hpa("autoscaling/v1", "Deployment", "api")));
    assert.equal(workloads[0]?.autoscaled, true);
  });

  it("marks a Deployment scaled by a KEDA ScaledObject, whose target kind defaults to Deployment", () => {
    const { workloads } = read(
      file("k8s/api.yaml", ...deployment("worker")),
      file("k8s/keda.yaml", "apiVersion: keda.sh/v1alpha1", "kind: ScaledObject", "metadata: { name: worker }", "spec:", "  scaleTargetRef:", "    name: worker", "  triggers: []"),
    );
    assert.equal(workloads[0]?.autoscaled, true);
  });

  it("does not mark a Deployment when the HPA targets another Deployment", () => {
    const { workloads } = read(file("k8s/api.yaml", ...deployment("api")), file("k8s/hpa.yaml", ...hpa("autoscaling/v2", "Deployment", "worker")));
    assert.equal(workloads[0]?.autoscaled, false);
  });

  it("does not mark a Deployment when the HPA targets a StatefulSet of the same name", () => {
    const { workloads } = read(file("k8s/api.yaml", ...deployment("api")), file("k8s/hpa.yaml", ...hpa("autoscaling/v2", "StatefulSet", "api")));
    assert.equal(workloads[0]?.autoscaled, false);
  });

  it("does not mark a Deployment when the HPA sits in another namespace", () => {
    const { workloads } = read(
      file("k8s/api.yaml", ...deployment("api").map((l) => (l === "  name: api" ? "  name: api\n  namespace: shop" : l))),
      file("k8s/hpa.yaml", ...hpa("autoscaling/v2", "Deployment", "api").map((l) => (l === "metadata: { name: hpa }" ? "metadata: { name: hpa, namespace: billing }" : l))),
    );
    assert.equal(workloads[0]?.autoscaled, false);
  });
});

describe("readKubernetes: invalid input", () => {
  it("reports invalid YAML with its file and line and keeps reading the other documents and files", () => {
    const { workloads, diagnostics } = read(
      file("k8s/broken.yaml", ...deployment("first"), "---", "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: a: b", "spec: {}"),
      file("k8s/ok.yaml", ...deployment("ok")),
    );
    assert.deepEqual(workloads.map((w) => w.name), ["first", "ok"]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.file, d.line]),
      [["invalid-yaml", "k8s/broken.yaml", 16]],
    );
  });
});

describe("readKubernetes: Helm charts", () => {
  const chartDeployment = [
    "apiVersion: apps/v1", // 1
    "kind: Deployment", // 2
    "metadata:",
    '  name: {{ include "api.fullname" . }}',
    "  labels:",
    '    {{- include "api.labels" . | nindent 4 }}',
    "spec:",
    "  {{- if not .Values.autoscaling.enabled }}",
    "  replicas: {{ .Values.replicaCount }}",
    "  {{- end }}",
    "  template:",
    "    spec:",
    "      {{- with .Values.podSecurityContext }}",
    "      securityContext:",
    "        {{- toYaml . | nindent 8 }}",
    "      {{- end }}",
    "      containers:",
    "        - name: {{ .Chart.Name }}",
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
    "          {{- with .Values.readinessProbe }}",
    "          readinessProbe:",
    "            {{- toYaml . | nindent 12 }}",
    "          {{- end }}",
    "          resources:",
    "            {{- toYaml .Values.resources | nindent 12 }}",
  ];
  const chartHpa = [
    "{{- if .Values.autoscaling.enabled }}",
    "apiVersion: autoscaling/v2",
    "kind: HorizontalPodAutoscaler",
    "metadata:",
    '  name: {{ include "api.fullname" . }}',
    "spec:",
    "  scaleTargetRef:",
    "    apiVersion: apps/v1",
    "    kind: Deployment",
    '    name: {{ include "api.fullname" . }}',
    "{{- end }}",
  ];
  const chartYaml = file("charts/api/Chart.yaml", "apiVersion: v2", "name: api", "version: 0.1.0", 'appVersion: "1.4.2"');
  const helpers = file("charts/api/templates/_helpers.tpl", '{{- define "api.fullname" -}}', "{{ .Release.Name }}-api", "{{- end }}");
  const values = (...lines: string[]) => file("charts/api/values.yaml", ...lines);

  it("renders with the chart's default values: replicas, image, resources, security context", () => {
    const { workloads, diagnostics } = read(
      file("charts/api/templates/deployment.yaml", ...chartDeployment),
      chartYaml,
      helpers,
      values(
        "replicaCount: 2",
        "image:",
        "  repository: ghcr.io/acme/api",
        '  tag: ""',
        "podSecurityContext:",
        "  runAsUser: 10001",
        "readinessProbe: {}",
        "resources:",
        "  limits: { memory: 256Mi }",
        "autoscaling:",
        "  enabled: false",
      ),
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(workloads, [
      {
        file: "charts/api/templates/deployment.yaml",
        line: 2,
        kind: "Deployment",
        name: '{{ include "api.fullname" . }}',
        replicas: 2,
        containers: [
          {
            name: "api",
            image: "ghcr.io/acme/api:1.4.2",
            resources: { requests: false, limits: true },
            livenessProbe: false,
            readinessProbe: false,
            privileged: false,
            runsAsNonRoot: true,
          },
        ],
        initContainers: [],
        autoscaled: false,
        helm: true,
      },
    ]);
  });

  it("is autoscaled when the chart's HPA is enabled by default and targets the same templated name", () => {
    const { workloads } = read(
      file("charts/api/templates/deployment.yaml", ...chartDeployment),
      file("charts/api/templates/hpa.yaml", ...chartHpa),
      chartYaml,
      values("replicaCount: 2", "autoscaling:", "  enabled: true"),
    );
    assert.equal(workloads[0]?.autoscaled, true);
    assert.equal(workloads[0]?.replicas, null);
  });

  it("is not autoscaled when the chart's HPA is disabled by default", () => {
    const { workloads } = read(
      file("charts/api/templates/deployment.yaml", ...chartDeployment),
      file("charts/api/templates/hpa.yaml", ...chartHpa),
      chartYaml,
      values("replicaCount: 2", "autoscaling:", "  enabled: false"),
    );
    assert.equal(workloads[0]?.autoscaled, false);
    assert.equal(workloads[0]?.replicas, 2);
  });

  it("leaves values unknown without values.yaml: no replicas, no image, content hidden by a template not reported missing", () => {
    const { workloads, diagnostics } = read(file("charts/api/templates/deployment.yaml", ...chartDeployment));
    assert.deepEqual(diagnostics, []);
    const [workload] = workloads;
    assert.equal(workload?.replicas, null);
    assert.equal(workload?.helm, true);
    assert.deepEqual(workload?.containers.map((c) => [c.image, c.resources, c.readinessProbe, c.runsAsNonRoot]), [[null, { requests: true, limits: true }, true, null]]);
  });

  it("reads a chart at the repository root (templates/ classified as plain Kubernetes YAML)", () => {
    const { workloads } = read(file("templates/deployment.yaml", ...chartDeployment), file("values.yaml", "replicaCount: 4", "image: { repository: acme/api, tag: '9' }"));
    assert.deepEqual(workloads.map((w) => [w.name, w.replicas, w.helm, w.containers[0]?.image]), [['{{ include "api.fullname" . }}', 4, true, "acme/api:9"]]);
  });

  it("maps a YAML error back to the template's line across removed and expanded template lines", () => {
    const { workloads, diagnostics } = read(
      file(
        "charts/api/templates/broken.yaml",
        "{{- if .Values.enabled }}",
        "{{- /* a comment */}}",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  labels:",
        "    {{- toYaml .Values.labels | nindent 4 }}", // 7: three lines once rendered
        "  name: a: b", // 8
        "{{- end }}",
      ),
      values("enabled: true", "labels: { a: b, c: d, e: f }"),
    );
    assert.deepEqual(workloads, []);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.file, d.line]),
      [["invalid-yaml", "charts/api/templates/broken.yaml", 8]],
    );
  });

  it("renders nothing for a template whose whole body is switched off by default", () => {
    const { workloads, diagnostics } = read(
      file("charts/api/templates/worker.yaml", "{{- if .Values.worker.enabled }}", ...deployment("worker"), "{{- end }}"),
      values("worker:", "  enabled: false"),
    );
    assert.deepEqual(workloads, []);
    assert.deepEqual(diagnostics, []);
  });

  it("takes containers a template hides for one unknown container, not for no container", () => {
    const { workloads, diagnostics } = read(
      file(
        "charts/api/templates/deployment.yaml",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: { name: api }",
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        '        {{- include "api.containers" . | nindent 8 }}',
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: { name: worker }",
        "spec:",
        "  template:",
        "    spec:",
        '    {{- include "api.podSpec" . | nindent 6 }}',
      ),
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      workloads.map((w) => [w.name, w.containers]),
      [
        ["api", [{ name: '{{ include "api.containers" . | nindent 8 }}', image: null, resources: { requests: true, limits: true }, livenessProbe: true, readinessProbe: true, privileged: false, runsAsNonRoot: null }]],
        ["worker", [{ name: '{{ include "api.podSpec" . | nindent 6 }}', image: null, resources: { requests: true, limits: true }, livenessProbe: true, readinessProbe: true, privileged: false, runsAsNonRoot: null }]],
      ],
    );
  });

  it("splits documents at `---` glued to the next line by whitespace trimming, as Helm does", () => {
    const { workloads, diagnostics } = read(
      file(
        "charts/api/templates/jobs.yaml",
        "{{- range .Values.jobs }}",
        "---",
        "{{- $name := .name -}}",
        "apiVersion: batch/v1", // 4
        "kind: Job", // 5
        "metadata: { name: job }",
        "spec: { template: { spec: { containers: [{ name: job, image: 'acme/job:1' }] } } }",
        "{{- end }}",
      ),
      values("jobs: [{ name: a }]"),
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(workloads.map((w) => [w.kind, w.line]), [["Job", 5]]);
  });

  it("skips helpers, values.yaml and Chart.yaml as workloads", () => {
    const { workloads, diagnostics } = read(helpers, chartYaml, values("replicaCount: 1"));
    assert.deepEqual(workloads, []);
    assert.deepEqual(diagnostics, []);
  });
});
