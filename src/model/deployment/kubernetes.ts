import { parse as parseYaml } from "yaml";
import { compareCodeUnits, type Diagnostic, readGuarded } from "../../core/diagnostics.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Container, KubernetesWorkload, WorkloadScaler } from "../types.js";
import { type ChartContext, renderTemplate, UNKNOWN } from "./helm.js";
import { asArray, asRecord, readYamlDocuments, type YamlPath, yamlFailure } from "./yaml-documents.js";

/** Where each workload kind keeps its pod spec. */
const POD_SPEC: Record<string, YamlPath> = {
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  // Argo Rollouts: a Deployment with a rollout strategy, and an HPA target like one
  Rollout: ["spec", "template", "spec"],
};
/** Kinds whose `spec.replicas` is a replica count. */
const REPLICATED = new Set(["Deployment", "StatefulSet", "ReplicaSet", "Rollout"]);

interface ScaleTarget {
  kind: string;
  name: string;
  namespace: string | null;
  scaler: WorkloadScaler;
}

/**
 * Kubernetes workloads from plain manifests and Helm chart templates: containers with their image,
 * resources, probes and security context, and whether an HPA or a KEDA ScaledObject scales them.
 */
export function readKubernetes(files: WorkspaceFile[], diagnostics: Diagnostic[]): KubernetesWorkload[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const charts = new Map<string, ChartContext>();
  const workloads: Array<KubernetesWorkload & { namespace: string | null }> = [];
  const targets: ScaleTarget[] = [];

  for (const file of files) {
    if ((file.kind !== "k8s" && file.kind !== "helm") || file.text === undefined) continue;
    const read = readGuarded(file.path, "Kubernetes", diagnostics, null, () => readManifest(file, file.text ?? "", byPath, charts, diagnostics));
    if (!read) continue;
    workloads.push(...read.workloads);
    targets.push(...read.targets);
  }

  return workloads
    .map(({ namespace, ...workload }) => {
      const target = targets.find((t) => t.kind === workload.kind && t.name === workload.name && (t.namespace === null || namespace === null || t.namespace === namespace));
      return { ...workload, autoscaled: target !== undefined, ...(target ? { scaler: target.scaler } : {}) };
    })
    .sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line);
}

/** The workloads and scalers of one manifest or chart template; null for files that hold none (values.yaml, helpers). */
function readManifest(
  file: WorkspaceFile,
  fileText: string,
  byPath: Map<string, WorkspaceFile>,
  charts: Map<string, ChartContext>,
  diagnostics: Diagnostic[],
): { workloads: Array<KubernetesWorkload & { namespace: string | null }>; targets: ScaleTarget[] } | null {
  const workloads: Array<KubernetesWorkload & { namespace: string | null }> = [];
  const targets: ScaleTarget[] = [];
  const chartRoot = templateChartRoot(file.path);
  if (file.kind === "helm" && chartRoot === null) return null; // values.yaml, Chart.yaml
  const base = file.path.slice(file.path.lastIndexOf("/") + 1);
  if (base.startsWith("_") || base.endsWith(".tpl")) return null; // helpers: `define` blocks only
  const templated = file.kind === "helm" || /\{\{/.test(fileText);

  let source = fileText;
  let originalLine = (line: number) => line;
  let resolve: (value: unknown) => unknown = (value) => value;
  if (templated) {
    const root = chartRoot ?? parentDir(file.path);
    let context = charts.get(root);
    if (!context) {
      context = chartContext(root, byPath, diagnostics);
      charts.set(root, context);
    }
    const rendered = renderTemplate(fileText, context);
    ({ text: source, originalLine, resolve } = rendered);
  }
  const note = templated ? "after replacing template expressions" : undefined;
  const documents = relevantDocuments(source, templated).flatMap(({ text: chunk, offset }) =>
    readYamlDocuments(chunk, file.path, diagnostics, { originalLine: (line) => originalLine(line + offset), ...(note ? { note } : {}) }),
  );

  for (const doc of documents) {
    const root = asRecord(resolve(doc.data));
    if (!root) continue;
    const objects: Array<[Record<string, unknown>, YamlPath]> =
      root.kind === "List" ? asArray(root.items).flatMap((item, i) => (asRecord(item) ? [[asRecord(item)!, ["items", i]] as [Record<string, unknown>, YamlPath]] : [])) : [[root, []]];
    for (const [object, at] of objects) {
      const kind = typeof object.kind === "string" ? object.kind : "";
      const target = scaleTarget(object, file.path, (path) => doc.line([...at, ...path]));
      if (target) targets.push(target);
      const podSpecPath = POD_SPEC[kind];
      if (!podSpecPath || typeof object.apiVersion !== "string") continue;
      const metadata = asRecord(object.metadata) ?? {};
      const podSpec = asRecord(getIn(object, podSpecPath)) ?? {};
      const spec = asRecord(object.spec) ?? {};
      workloads.push({
        file: file.path,
        line: doc.line([...at, "kind"]) ?? doc.line([...at, "apiVersion"]) ?? 1,
        kind,
        name: text(metadata.name) ?? text(metadata.generateName) ?? "",
        namespace: text(metadata.namespace) ?? null,
        replicas: REPLICATED.has(kind) && typeof spec.replicas === "number" ? spec.replicas : null,
        containers: readContainers(podSpec),
        initContainers: asArray(podSpec.initContainers).flatMap((c) => text(asRecord(c)?.name) ?? []),
        autoscaled: false,
        helm: templated,
      });
    }
  }
  return { workloads, targets };
}

/** Kinds worth parsing a document for; anything else (CRDs, ConfigMaps, RBAC) is skipped unparsed. */
const RELEVANT_KIND = /^[ \t]*(-[ \t]+)?kind:[ \t]*["']?(Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Rollout|HorizontalPodAutoscaler|ScaledObject|List)\b|^[ \t]*kind:[^\n]*\{\{/m;

/**
 * The documents of a multi-document stream that may hold a workload or a scaler, each with the
 * number of lines before it. A `---` line at column 0 always starts a new document, even in a block
 * scalar, so splitting there is what a YAML parser would do; it spares parsing large CRDs. Helm
 * splits rendered manifests at any line starting with `---` (`---apiVersion: v1` after whitespace
 * trimming), and so does this for templates.
 */
function relevantDocuments(text: string, templated: boolean): Array<{ text: string; offset: number }> {
  const lines = text.split("\n");
  const separator = templated ? /^---/ : /^---(\s|$)/;
  const out: Array<{ text: string; offset: number }> = [];
  let start = 0;
  const flush = (end: number) => {
    const chunk = lines.slice(start, end);
    // `---apiVersion: v1`: the marker goes, the content stays on its line
    if (chunk[0] !== undefined && /^---\S/.test(chunk[0])) chunk[0] = chunk[0].slice(3);
    const document = chunk.join("\n");
    if (RELEVANT_KIND.test(document)) out.push({ text: document, offset: start });
    start = end;
  };
  lines.forEach((line, index) => {
    if (index > start && separator.test(line)) flush(index);
  });
  flush(lines.length);
  return out;
}

/** The target of a HorizontalPodAutoscaler (any autoscaling/ version) or a KEDA ScaledObject, with its replica bounds. */
function scaleTarget(object: Record<string, unknown>, file: string, lineOf: (path: YamlPath) => number | undefined): ScaleTarget | null {
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const isHpa = object.kind === "HorizontalPodAutoscaler" && apiVersion.startsWith("autoscaling/");
  const isKeda = object.kind === "ScaledObject" && apiVersion.startsWith("keda.sh/");
  if (!isHpa && !isKeda) return null;
  const ref = asRecord(asRecord(object.spec)?.scaleTargetRef);
  const name = text(ref?.name);
  if (!ref || !name) return null;
  // KEDA defaults the target kind to Deployment; an HPA must name it
  const kind = text(ref.kind) ?? (isKeda ? "Deployment" : null);
  if (!kind) return null;
  const spec = asRecord(object.spec) ?? {};
  const [minKey, maxKey] = isHpa ? ["minReplicas", "maxReplicas"] : ["minReplicaCount", "maxReplicaCount"];
  const count = (value: unknown) => (typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null);
  const minReplicas = count(spec[minKey]);
  const scaler: WorkloadScaler = {
    kind: isHpa ? "HorizontalPodAutoscaler" : "ScaledObject",
    name: text(asRecord(object.metadata)?.name) ?? "",
    file,
    line: (minReplicas !== null ? lineOf(["spec", minKey]) : undefined) ?? lineOf(["kind"]) ?? 1,
    minReplicas,
    maxReplicas: count(spec[maxKey]),
  };
  return { kind, name, namespace: text(asRecord(object.metadata)?.namespace) ?? null, scaler };
}

/**
 * The pod's containers. Containers a template hides (an `include` for the list, an item, or the
 * whole pod spec) become one container whose unknown settings are not reported missing.
 */
function readContainers(podSpec: Record<string, unknown>): Container[] {
  const podSecurity = asRecord(podSpec.securityContext) ?? {};
  const list = podSpec.containers;
  if (Array.isArray(list)) {
    return list.flatMap((item) => {
      const record = asRecord(item);
      if (record) return [readContainer(record, podSecurity)];
      return typeof item === "string" && isTemplated(item) ? [hiddenContainer(item)] : [];
    });
  }
  const hidden = typeof list === "string" ? list : Object.keys(asRecord(list) ?? (list === undefined ? podSpec : {})).find(isTemplated);
  return hidden && isTemplated(hidden) ? [hiddenContainer(hidden)] : [];
}

function hiddenContainer(template: string): Container {
  return { name: template, image: null, resources: { requests: true, limits: true }, livenessProbe: true, readinessProbe: true, privileged: false, runsAsNonRoot: null };
}

function readContainer(container: Record<string, unknown>, podSecurity: Record<string, unknown>): Container {
  const security = asRecord(container.securityContext) ?? {};
  const resources = container.resources;
  const image = text(container.image);
  return {
    name: text(container.name) ?? "",
    image: image && !isTemplated(image) ? image : null,
    resources: { requests: declares(resources, "requests"), limits: declares(resources, "limits") },
    livenessProbe: container.livenessProbe !== undefined && container.livenessProbe !== null,
    readinessProbe: container.readinessProbe !== undefined && container.readinessProbe !== null,
    privileged: security.privileged === true,
    runsAsNonRoot: runsAsNonRoot(security, podSecurity),
  };
}

/**
 * Whether `resources.requests` (or `.limits`) has entries. Content a template hides (an `include`,
 * values the renderer could not read) counts as declared: unknown is not reported as missing.
 */
function declares(resources: unknown, key: "requests" | "limits"): boolean {
  if (typeof resources === "string") return isTemplated(resources);
  const record = asRecord(resources);
  if (!record) return false;
  if (Object.keys(record).some(isTemplated)) return true;
  const entries = record[key];
  if (typeof entries === "string") return isTemplated(entries);
  const map = asRecord(entries);
  return map !== undefined && Object.keys(map).length > 0;
}

/** Container settings override the pod's; a non-zero `runAsUser` or `runAsNonRoot: true` means non-root. */
function runsAsNonRoot(container: Record<string, unknown>, pod: Record<string, unknown>): boolean | null {
  const user = typeof container.runAsUser === "number" ? container.runAsUser : typeof pod.runAsUser === "number" ? pod.runAsUser : undefined;
  if (user !== undefined) return user !== 0;
  const nonRoot = typeof container.runAsNonRoot === "boolean" ? container.runAsNonRoot : typeof pod.runAsNonRoot === "boolean" ? pod.runAsNonRoot : undefined;
  return nonRoot ?? null;
}

function getIn(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const key of path) current = asRecord(current)?.[String(key)];
  return current;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function isTemplated(value: string): boolean {
  return value.includes("{{");
}

/** The chart folder of a file under a chart's `templates/` folder, "" for a chart at the root; null otherwise. */
function templateChartRoot(path: string): string | null {
  const segments = path.split("/");
  const at = segments.lastIndexOf("templates");
  if (at < 0 || at === segments.length - 1) return null;
  return segments.slice(0, at).join("/");
}

function parentDir(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** The chart's `values.yaml` and `Chart.yaml`, each UNKNOWN when absent or unreadable. */
function chartContext(root: string, byPath: Map<string, WorkspaceFile>, diagnostics: Diagnostic[]): ChartContext {
  const read = (names: string[]): unknown => {
    for (const name of names) {
      const file = byPath.get(root ? `${root}/${name}` : name);
      if (file?.text === undefined) continue;
      try {
        const value: unknown = parseYaml(file.text, { merge: true, uniqueKeys: false, logLevel: "error" });
        return value ?? {};
      } catch (error) {
        diagnostics.push({ level: "warning", code: "invalid-yaml", message: `invalid YAML: ${yamlFailure(error)}`, file: file.path, ...yamlErrorLine(error) });
        return UNKNOWN;
      }
    }
    return UNKNOWN;
  };
  return { values: read(["values.yaml", "values.yml"]), chart: read(["Chart.yaml", "Chart.yml"]) };
}

function yamlErrorLine(error: unknown): { line?: number } {
  const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
  return line ? { line } : {};
}
