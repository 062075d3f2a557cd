import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { composeWebReplicas, isProductionArtefact, kubernetesReplicas, webServer } from "../../model/capacity-numbers.js";
import type { Evidence, KubernetesWorkload, SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import type { ReviewContext } from "../context.js";

/*
 * How many copies of the web process the deployment runs, read from its artefacts with the place each number
 * came from: PERF005, DATA002, DATA003, DATA005 and DEP011 judge in-process state against the same figures.
 */

/** Workloads that are not the web tier: data stores, proxies, task workers. Their replica counts say nothing about the app's. */
const NOT_WEB = /postgres|pgbouncer|mysql|mariadb|redis|valkey|memcache|rabbit|kafka|zookeeper|mongo|elastic|opensearch|minio|nginx|traefik|haproxy|envoy|celery|worker|beat|flower|scheduler|cron|rq-|dramatiq|huey|clickhouse|etcd|vault|prometheus|grafana|loki|jaeger|otel|sentry/i;
/** Platforms that start more instances on their own (Cloud Run and App Engine autoscale by default). */
const AUTOSCALING_PLATFORMS = new Set(["Google Cloud Run", "Google App Engine"]);
/** Platforms whose instances keep no files across restarts and deploys unless a volume is attached. */
export const EPHEMERAL_DISK_PLATFORMS = new Set(["Heroku", "Google Cloud Run", "Google App Engine", "Render", "Railway", "Fly.io", "DigitalOcean App Platform"]);
/** gunicorn configuration files, read as Python (`workers = 4`). */
const GUNICORN_CONFIG = /(^|\/)gunicorn([._-]?(conf|config|cfg|settings))?\.py$/i;

export interface Instances {
  /** Web processes per instance, null when the repository does not say (one is assumed). */
  processes: number | null;
  /** The count is a formula of the host's cores (`multiprocessing.cpu_count() * 2 + 1`): more than one on any multi-core host. */
  processesPerCore: boolean;
  /** `4 gunicorn workers (Dockerfile:12)`. */
  processesText: string;
  replicas: number;
  replicasStated: boolean;
  autoscaled: boolean;
  /** `3 replicas (k8s/web.yaml:1, Deployment web)`. */
  replicasText: string;
  /** More than one web process in one instance. */
  multiProcess: boolean;
  /** More than one instance (replicas, an autoscaler or an autoscaling platform): separate hosts and disks. */
  multiReplica: boolean;
  /** `4 gunicorn workers (Dockerfile:12) × 3 replicas (k8s/web.yaml:1, Deployment web)`. */
  summary: string;
  evidence: Evidence[];
}

const at = (e: Evidence) => `${e.file}${e.line !== null ? `:${e.line}` : ""}`;

/** The command line a server entry was read from (Dockerfile CMD/ENTRYPOINT, Procfile, compose `command:`). */
function commandText(model: SystemModel, file: string, line: number | null): string {
  const docker = model.dockerfiles.find((d) => d.file === file);
  if (docker) return `${docker.entrypoint?.text ?? ""} ${docker.command?.text ?? ""}`;
  const proc = model.procfile.find((p) => p.file === file && p.line === line);
  if (proc) return proc.command;
  return model.composeServices.find((c) => c.file === file && c.line === line)?.command ?? "";
}

/** `-w ${GUNICORN_WORKERS:-3}`: the shell default of the worker flag, when the variable is not set in any deployment file. */
function shellDefaultWorkers(model: SystemModel, text: string): number | null {
  // the last flag wins, as in gunicorn's argument parser
  const m = [...text.matchAll(/(?:^|[\s"',[])(?:-w|--workers|--processes|--concurrency)(?:=|[\s"',]+)\$\{(\w+):?-(\d+)\}/g)].pop();
  if (!m?.[1] || !m[2]) return null;
  const set = model.configValues.find((v) => v.key === m[1] && /^\d+$/.test(v.value) && isProductionArtefact(v.file, model));
  return set ? Number(set.value) : Number(m[2]);
}

/** The workers a gunicorn configuration file sets (`workers = 4`, `workers = multiprocessing.cpu_count() * 2 + 1`, an env lookup with a default). */
function gunicornConfigWorkers(index: ProjectIndex, command: string): { count: number | null; perCore: boolean; evidence: Evidence } | null {
  // the file the command names (`-c bugsink/gunicorn.docker.conf.py`), else one named like a gunicorn configuration
  const named = /(?:^|[\s"',[])(?:-c|--config)(?:=|[\s"',]+)(?:python:)?([\w./-]+\.py)\b/.exec(command)?.[1]?.replace(/^\.?\//, "");
  const candidates = [...index.modules.values()].filter((m) => (named ? m.file === named || m.file.endsWith(`/${named}`) || named.endsWith(`/${m.file}`) : GUNICORN_CONFIG.test(m.file)));
  for (const mod of candidates) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    const a = mod.facts.assignments.find((x) => x.target === "workers");
    if (!a) continue;
    const evidence = { file: mod.file, line: a.line, snippet: `workers = ${a.text}`.slice(0, 160) };
    if (typeof a.value === "number") return { count: a.value, perCore: false, evidence };
    if (/cpu_count\(\)/.test(a.text)) return { count: null, perCore: true, evidence };
    // `int(os.environ.get("GUNICORN_WORKERS", 4))`: the default, unless the environment says otherwise
    const fallback = /(getenv|environ\.get|env\.int|env|config)\s*\(\s*["'][A-Z_]+["']\s*,\s*(?:default\s*=\s*)?["']?(\d+)["']?\s*\)/.exec(a.text);
    if (fallback?.[2]) return { count: Number(fallback[2]), perCore: false, evidence };
  }
  return null;
}

/** The web tier's Kubernetes workloads (not data stores, proxies or task workers) in the service's own manifests. */
function webWorkloads(model: SystemModel): KubernetesWorkload[] {
  return model.kubernetes.filter((w) => ["Deployment", "StatefulSet", "ReplicaSet", "Rollout"].includes(w.kind) && isProductionArtefact(w.file, model) && !NOT_WEB.test(w.name) && !(w.containers.length > 0 && w.containers.every((c) => c.image !== null && NOT_WEB.test(c.image))));
}

/**
 * The web tier's copies: processes per instance (server flags, WEB_CONCURRENCY, a gunicorn configuration file) and
 * instances (Kubernetes replicas or an autoscaler on a web workload, an autoscaling platform, a design document's
 * count), each with the file and line it was read from. Null when the repository deploys no web server and no workload.
 */
export function deploymentInstances(model: SystemModel, index: ProjectIndex, context: ReviewContext): Instances | null {
  const web = webServer(model);
  const workloads = webWorkloads(model);
  if (!web && !workloads.length) return null;
  const evidence: Evidence[] = [];
  let processes = web?.processes ?? null;
  let processesPerCore = false;
  let processesText = "";
  if (web && web.processes !== null && web.processesFrom) {
    processesText = `${web.processes} ${web.server.server} worker${web.processes === 1 ? "" : "s"} (${web.processesFrom.snippet}, ${at(web.processesFrom)})`;
    evidence.push(web.processesFrom);
  }
  const command = web ? commandText(model, web.file, web.line) : "";
  const shellDefault = web && processes === null ? shellDefaultWorkers(model, command) : null;
  if (web && shellDefault !== null) {
    processes = shellDefault;
    const flag = [...command.matchAll(/(?:-w|--workers|--processes|--concurrency)(?:=|[\s"',]+)\$\{\w+:?-\d+\}/g)].pop()?.[0] ?? "";
    const flags = [...command.matchAll(/(?:^|[\s"',[])(?:-w|--workers|--processes|--concurrency)(?:=|[\s"',]+)/g)].length;
    processesText = `${shellDefault} ${web.server.server} worker${shellDefault === 1 ? "" : "s"} (\`${flag}\`${flags > 1 ? `, the last of ${flags} worker flags, which is the one that applies` : ""}, ${web.file}${web.line !== null ? `:${web.line}` : ""})`;
    evidence.push({ file: web.file, line: web.line, snippet: flag });
  } else if (web?.server.server === "gunicorn" && processes === null) {
    const config = gunicornConfigWorkers(index, command);
    if (config) {
      processes = config.count;
      processesPerCore = config.perCore;
      processesText = config.perCore ? `gunicorn workers per CPU core (\`${config.evidence.snippet}\`, ${at(config.evidence)})` : `${config.count} gunicorn worker${config.count === 1 ? "" : "s"} (\`${config.evidence.snippet}\`, ${at(config.evidence)})`;
      evidence.push(config.evidence);
    }
  }
  if (!processesText) processesText = web ? `${web.server.server} with no worker count in the repository (one process assumed, ${web.file}${web.line !== null ? `:${web.line}` : ""})` : "one web process per pod (assumed: no server command read)";
  if (web && !evidence.length) evidence.push({ file: web.file, line: web.line, snippet: web.server.server });
  // replicas of the web tier: its own workloads, not a Redis StatefulSet's; then the platform; then a design document
  const top = [...workloads].sort((a, b) => (b.replicas ?? 0) - (a.replicas ?? 0))[0];
  const scaled = workloads.find((w) => w.autoscaled);
  const platform = model.platforms.find((p) => AUTOSCALING_PLATFORMS.has(p.name) && isProductionArtefact(p.evidence.file, model));
  let replicas = 1;
  let replicasStated = false;
  let replicasText = "one instance (no replica count in the repository)";
  if (top?.replicas) {
    replicas = top.replicas;
    replicasStated = true;
    replicasText = `${top.replicas} replica${top.replicas === 1 ? "" : "s"} (${top.kind} ${top.name}, ${top.file}:${top.line})`;
    evidence.push({ file: top.file, line: top.line, snippet: `${top.kind} ${top.name}: replicas ${top.replicas}` });
  }
  // an autoscaler's floor above the stated replicas, or compose `deploy.replicas` on the service that runs the web server
  const floor = kubernetesReplicas(model).filter((r) => /minReplicas/.test(r.evidence.snippet ?? "")).sort((a, b) => b.count - a.count)[0];
  const compose = composeWebReplicas(model)[0];
  if (floor && floor.count > replicas) {
    replicas = floor.count;
    replicasStated = true;
    replicasText = `at least ${floor.count} replicas (${floor.evidence.snippet}, ${floor.evidence.file}:${floor.evidence.line})`;
    evidence.push(floor.evidence);
  } else if (!replicasStated && compose) {
    replicas = compose.count;
    replicasStated = true;
    replicasText = `${compose.count} replica${compose.count === 1 ? "" : "s"} (${compose.evidence.snippet}, ${compose.evidence.file}:${compose.evidence.line})`;
    evidence.push(compose.evidence);
  }
  if (!replicasStated && !scaled && !platform && context.documentedInstances) {
    const documented = context.documentedInstances;
    replicas = documented.count;
    replicasStated = true;
    replicasText = `${documented.count} instances (stated in a design document: "${documented.text}", ${documented.file}:${documented.line})`;
    evidence.push({ file: documented.file, line: documented.line, snippet: documented.text });
  }
  const autoscaled = scaled !== undefined || platform !== undefined;
  if (scaled) {
    replicasText = `${replicasStated ? `${replicasText}, ` : ""}autoscaled (an HPA or KEDA scaler targets ${scaled.kind} ${scaled.name}, ${scaled.file}:${scaled.line})`;
    if (!evidence.some((e) => e.file === scaled.file && e.line === scaled.line)) evidence.push({ file: scaled.file, line: scaled.line, snippet: `${scaled.kind} ${scaled.name}: autoscaled` });
  } else if (platform) {
    replicasText = `instances started by ${platform.name} as traffic grows (${at(platform.evidence)})`;
    evidence.push(platform.evidence);
  }
  const multiProcess = (processes ?? 1) > 1 || processesPerCore;
  const multiReplica = replicas > 1 || autoscaled;
  return { processes, processesPerCore, processesText, replicas, replicasStated, autoscaled, replicasText, multiProcess, multiReplica, summary: `${processesText} × ${replicasText}`, evidence };
}

/** Whether the service runs on a platform whose instances lose their local files on restart, with where it says so. */
export function ephemeralDiskPlatform(model: SystemModel): Evidence | null {
  const platform = model.platforms.find((p) => EPHEMERAL_DISK_PLATFORMS.has(p.name) && isProductionArtefact(p.evidence.file, model));
  return platform ? { ...platform.evidence, snippet: platform.evidence.snippet ?? platform.name } : null;
}

/** The evidence to show for the counts: at most three places, no duplicates. */
export function countEvidence(instances: Instances): Evidence[] {
  const seen = new Set<string>();
  return instances.evidence.filter((e) => !seen.has(at(e)) && seen.add(at(e))).slice(0, 3);
}
