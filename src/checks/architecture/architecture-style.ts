import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isProductionArtefact, topPackage } from "../../model/capacity-numbers.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";

/** Adapters that run an ASGI/WSGI app or handlers on a functions platform (AWS Lambda, Azure Functions). */
const SERVERLESS_PACKAGES = new Set(["mangum", "chalice", "zappa", "aws-lambda-powertools", "azure-functions", "serverless-wsgi", "apig-wsgi"]);
/** Task queues whose workers run beside the web process. */
const TASK_PACKAGES = new Set(["celery", "rq", "dramatiq", "huey", "arq", "taskiq", "django-q", "django-q2", "procrastinate", "django-rq", "saq"]);
/** Components that share a database with the app but are not another deployable: one-off jobs and admin consoles. */
const NOT_A_SERVICE = /migrat|init|setup|adminer|pgadmin|backup|seed|test/i;
/** Packages of one deployable that own their data models and their endpoints: enough of them is a modular monolith. */
const MIN_MODULES = 4;
const MAX_NAMED = 6;

const at = (e: Evidence) => `${e.file}${e.line !== null ? `:${e.line}` : ""}`;

/** The folder that holds a module's own package: `shop/orders/views.py` -> `shop/orders` (a top-level file's folder is its package). */
function modulePackage(file: string): string {
  const parts = file.split("/");
  const start = parts[0] === "src" ? 1 : 0;
  return parts.slice(0, Math.min(parts.length - 1, start + 2)).join("/");
}

/** Web applications the production code creates, one per top package, with where each is created. */
function webApps(model: SystemModel): Map<string, string> {
  const out = new Map<string, string>();
  // the service's own app first: one a CLI or a script builds (`cli/_cloud_utils.py`) is not where the service starts
  const files = [...model.appFiles].sort((a, b) => Number(!isServiceCode(a)) - Number(!isServiceCode(b)) || (a < b ? -1 : 1));
  for (const file of files) {
    if (fileRole(file) !== "application") continue;
    const top = topPackage(file);
    if (!out.has(top)) out.set(top, file);
  }
  return out;
}

/** Build contexts of the repository's own images (Dockerfiles that start a server, compose services built here), by folder. */
function buildContexts(model: SystemModel): Map<string, Evidence> {
  const out = new Map<string, Evidence>();
  for (const d of model.dockerfiles) {
    if (!isProductionArtefact(d.file, model) || d.server === null || d.server.server === "celery") continue;
    const dir = d.file.includes("/") ? d.file.slice(0, d.file.lastIndexOf("/")) : ".";
    if (!out.has(dir)) out.set(dir, { file: d.file, line: (d.command ?? d.entrypoint)?.line ?? null, snippet: `${d.server.server} (${d.file})` });
  }
  return out;
}

/** Task workers: a worker or scheduler process the deployment starts, or a task-queue package the production code imports. */
function taskWorkers(model: SystemModel): Evidence[] {
  const deployed = model.components.filter((c) => (c.kind === "worker" || c.kind === "scheduler") && c.evidence.some((e) => isProductionArtefact(e.file, model))).map((c) => ({ ...(c.evidence[0] as Evidence), snippet: c.name === c.kind ? c.name : `${c.kind} ${c.name}` }));
  if (deployed.length) return deployed;
  const tech = model.technologies.find((t) => (t.category === "task-runner" || TASK_PACKAGES.has(t.package ?? "")) && t.evidence.some((e) => runsInProduction(fileRole(e.file))));
  return tech ? [{ ...(tech.evidence.find((e) => runsInProduction(fileRole(e.file))) as Evidence), snippet: tech.name }] : [];
}

function serverless(model: SystemModel, index: ProjectIndex): Evidence[] {
  const deps = model.dependencies.filter((d) => !d.dev && d.group === null && SERVERLESS_PACKAGES.has(d.name) && runsInProduction(fileRole(d.manifest)));
  const out: Evidence[] = deps.map((d) => ({ file: d.manifest, line: d.line, snippet: `${d.name} dependency` }));
  for (const mod of index.modules.values()) {
    if (fileRole(mod.file) !== "application") continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
      if (resolved && /^(mangum\.Mangum|chalice\.Chalice)$/.test(resolved)) out.push({ file: mod.file, line: call.line, snippet: call.snippet });
    }
  }
  return out;
}

/** Packages of the application that hold both data models and endpoints: bounded modules inside one deployable. */
function ownedModules(model: SystemModel): Array<{ name: string; evidence: Evidence }> {
  const withModels = new Map<string, Evidence>();
  for (const m of model.dataModels) if (fileRole(m.file) === "application" && !withModels.has(modulePackage(m.file))) withModels.set(modulePackage(m.file), { file: m.file, line: m.line, snippet: m.name });
  const withEndpoints = new Set(model.endpoints.filter((e) => fileRole(e.file) === "application").map((e) => modulePackage(e.file)));
  return [...withModels].filter(([pkg]) => withEndpoints.has(pkg) && pkg.includes("/")).map(([name, evidence]) => ({ name, evidence }));
}

export default defineCheck({
  id: "ARCH001",
  area: "architecture",
  title: "Architecture style",
  severity: "info",
  kind: "info",
  confidence: "medium",
  why: "The style decides which risks matter: a monolith's risks are in its modules' coupling and its one database, a monolith with workers adds queue and retry semantics, microservices add network calls, partial failure and data owned by several services, serverless adds cold starts and per-invocation connections. Reviews and roadmaps read differently for each.",
  recommendation: "Check that the detected style is the intended one and record it (an architecture decision record). Keep module boundaries enforceable in a monolith (import-linter contracts), and give every service its own data in a microservice system.",
  example: {
    bad: "# no statement of the intended style; services share one database and call each other synchronously",
    good: "# docs/adr/0001-modular-monolith.md: one deployable, modules orders/ payments/ catalog/ own their models;\n# import-linter contracts keep them independent; Celery workers run the same code for background jobs",
  },
  references: ["https://martinfowler.com/bliki/MonolithFirst.html", "https://microservices.io/patterns/monolithic.html", "https://import-linter.readthedocs.io/"],
  effort: "S",
  libraries: ["import-linter", "celery"],
  run({ model, index }) {
    const apps = webApps(model);
    const contexts = buildContexts(model);
    const workers = taskWorkers(model);
    const lambdas = serverless(model, index);
    if (!apps.size && !model.endpoints.some((e) => fileRole(e.file) === "application") && !lambdas.length) return [];
    const evidence: Evidence[] = [];
    const reasons: string[] = [];
    let style: string;
    const appList = [...apps].map(([top, file]) => `${top} (${file})`);
    if (lambdas.length && !contexts.size) {
      style = "serverless";
      reasons.push(`functions-platform adapters with no server image built here: ${lambdas.slice(0, 3).map((e) => `${e.snippet} (${at(e)})`).join(", ")}`);
      evidence.push(...lambdas.slice(0, 3));
    } else if (apps.size >= 2 && contexts.size >= 2) {
      style = "several deployable services (microservices or a multi-service repository)";
      reasons.push(`${apps.size} web applications in separate packages: ${appList.slice(0, MAX_NAMED).join(", ")}`);
      reasons.push(`${contexts.size} images that start a server: ${[...contexts.values()].slice(0, MAX_NAMED).map(at).join(", ")}`);
      evidence.push(...[...apps.values()].slice(0, 3).map((file) => ({ file, line: null, snippet: "web application" })), ...[...contexts.values()].slice(0, 2));
    } else {
      const modules = ownedModules(model);
      const modular = modules.length >= MIN_MODULES;
      style = modular ? "modular monolith" : "monolith";
      reasons.push(apps.size ? `one web application${apps.size > 1 ? " per package, deployed together" : ""}: ${appList.slice(0, 3).join(", ")}` : "one web application");
      if (modular) {
        reasons.push(`${modules.length} packages own both their data models and their endpoints: ${modules.slice(0, MAX_NAMED).map((m) => m.name).join(", ")}${modules.length > MAX_NAMED ? ", ..." : ""}`);
        evidence.push(...modules.slice(0, 3).map((m) => m.evidence));
      }
      if (workers.length) {
        style += " with background workers";
        reasons.push(`task workers: ${workers.slice(0, 3).map((w) => `${w.snippet} (${at(w)})`).join(", ")}`);
        evidence.push(...workers.slice(0, 2));
      }
      if (lambdas.length) {
        reasons.push(`also a functions-platform adapter: ${lambdas[0]?.snippet} (${at(lambdas[0] as Evidence)})`);
        evidence.push(lambdas[0] as Evidence);
      }
      if (apps.size) evidence.unshift({ file: [...apps.values()][0] as string, line: null, snippet: "web application" });
    }
    const stores = model.components
      .filter((c) => c.kind === "datastore" && c.evidence.some((e) => isProductionArtefact(e.file, model)))
      .map((c) => ({ name: c.name, users: (c.usedBy ?? []).filter((u) => !NOT_A_SERVICE.test(u)) }))
      .filter((c) => c.users.length > 1);
    if (stores.length) reasons.push(`data stores shared by several processes: ${stores.map((s) => `${s.name} (${s.users.join(", ")})`).join("; ")}`);
    const brokers = model.technologies.filter((t) => t.category === "queue" && t.evidence.some((e) => fileRole(e.file) === "application"));
    if (brokers.length) reasons.push(`message broker clients: ${brokers.slice(0, 3).map((b) => `${b.name} (${at(b.evidence.find((e) => fileRole(e.file) === "application") as Evidence)})`).join(", ")}`);
    return [{ message: `Architecture style: ${style}. Evidence: ${reasons.join("; ")}.`, evidence: evidence.slice(0, 5) }];
  },
});
