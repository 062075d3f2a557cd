import { compareCodeUnits } from "../core/diagnostics.js";
import { fileRole, runsInProduction } from "../core/file-roles.js";
import type { ProjectIndex } from "../python/project-index.js";
import type { WorkspaceFile } from "../workspace/types.js";
import { catalogByImport, catalogByPackage } from "./catalog/index.js";
import type { CatalogEntry } from "./catalog/types.js";
import { DRIVER_STORES, djangoStores, IMAGE_TECHNOLOGIES, parseConnectionUrl, type StoreKind } from "./infrastructure.js";
import type { ComposeService, ConfigValue, Dependency, Evidence, Technology } from "./types.js";

/**
 * Technologies from declared dependencies, third-party imports, container images, connection
 * URLs (configuration values and string literals in code) and Django DATABASES/CACHES, each
 * with evidence.
 */
export function detectTechnologies(
  dependencies: Dependency[],
  index: ProjectIndex,
  compose: ComposeService[],
  configValues: ConfigValue[] = [],
  images: Array<{ image: string; file: string; line: number }> = [],
  files: WorkspaceFile[] = [],
): Technology[] {
  const found = new Map<string, Technology>();
  const addEntry = (entry: CatalogEntry, evidence: Evidence) => {
    const key = entry.package;
    let tech = found.get(key);
    if (!tech) {
      tech = { name: entry.name, category: entry.category, package: entry.package, note: entry.note, maintenance: entry.maintenance, evidence: [] };
      if (entry.alternative) tech.alternative = entry.alternative;
      found.set(key, tech);
    }
    if (tech.evidence.length < 3) tech.evidence.push(evidence);
  };
  for (const dep of dependencies) {
    const entry = catalogByPackage(dep.name);
    if (entry) addEntry(entry, { file: dep.manifest, line: dep.line, snippet: `${dep.name}${dep.spec}` });
  }
  const project = index.topLevelPackages();
  for (const mod of [...index.modules.values()].sort((a, b) => compareCodeUnits(a.file, b.file))) {
    for (const imp of mod.facts.imports) {
      if (imp.level > 0 || project.has(imp.module.split(".")[0] ?? "")) continue;
      const entries = catalogByImport(imp.module);
      // an import shared by several packages counts only when one of them is declared
      const declared = entries.filter((e) => found.has(e.package));
      const chosen = declared.length ? declared : entries.length === 1 ? entries : [];
      for (const entry of chosen) addEntry(entry, { file: mod.file, line: imp.line, snippet: `import ${imp.module}` });
    }
  }
  const infrastructure = new Map<string, Technology>();
  const addStore = (store: StoreKind, evidence: Evidence) => {
    const tech = infrastructure.get(store.name) ?? { name: store.name, category: store.category, evidence: [] };
    if (tech.evidence.length < 3 && !tech.evidence.some((e) => e.file === evidence.file && e.line === evidence.line)) tech.evidence.push(evidence);
    infrastructure.set(store.name, tech);
  };
  for (const service of compose) {
    if (!service.image) continue;
    for (const known of IMAGE_TECHNOLOGIES) {
      if (known.pattern.test(service.image.toLowerCase())) addStore(known, { file: service.file, line: service.line, snippet: `image: ${service.image}` });
    }
  }
  for (const image of images) {
    for (const known of IMAGE_TECHNOLOGIES) {
      if (known.pattern.test(image.image.toLowerCase())) addStore(known, { file: image.file, line: image.line, snippet: `FROM ${image.image}` });
    }
  }
  for (const value of configValues) {
    const url = parseConnectionUrl(value.value);
    if (url?.store) addStore(url.store, { file: value.file, line: value.line, snippet: `${value.key}=${url.scheme}://…` });
  }
  for (const mod of [...index.modules.values()].sort((a, b) => compareCodeUnits(a.file, b.file))) {
    for (const a of mod.facts.assignments) {
      const url = typeof a.value === "string" ? parseConnectionUrl(a.value) : null;
      if (url?.store) addStore(url.store, { file: mod.file, line: a.line, snippet: `${a.target} = "${url.scheme}://…"` });
    }
    for (const c of mod.facts.classes) {
      for (const a of c.assignments) {
        const url = typeof a.value === "string" ? parseConnectionUrl(a.value) : null;
        if (url?.store) addStore(url.store, { file: mod.file, line: a.line, snippet: `${a.target} = "${url.scheme}://…"` });
      }
    }
    for (const call of mod.facts.calls) {
      for (const arg of call.args) {
        const url = typeof arg.value === "string" ? parseConnectionUrl(arg.value) : null;
        if (url?.store) addStore(url.store, { file: mod.file, line: call.line, snippet: `${call.callee}(${arg.name ? `${arg.name}=` : ""}"${url.scheme}://…")` });
      }
    }
  }
  // a declared database driver names its database (psycopg → PostgreSQL) even when only the ORM imports it
  for (const tech of found.values()) {
    if (tech.category !== "db-driver") continue;
    const entry = tech.package ? catalogByPackage(tech.package) : undefined;
    const store = entry?.imports.map((i) => DRIVER_STORES[i]).find((s) => s !== undefined);
    if (store && tech.evidence[0]) addStore(store, tech.evidence[0]);
  }
  for (const hit of djangoStores(index)) addStore(hit.store, { file: hit.file, line: hit.line, snippet: `${hit.setting}: ${hit.store.name}` });
  const all = [...found.values(), ...infrastructure.values()];
  // how the system is built and run; a Python package of the same name (pulumi, aws-cdk-lib) gains the file's evidence
  for (const tech of deliveryTechnologies(files)) {
    const known = all.find((t) => t.name === tech.name);
    if (!known) all.push(tech);
    else for (const e of tech.evidence) if (known.evidence.length < 3) known.evidence.push(e);
  }
  return all.sort((a, b) => compareCodeUnits(a.category, b.category) || compareCodeUnits(a.name, b.name));
}

/** Evidence kept per build-and-run technology: one per file (each Dockerfile, each workflow), up to this many. */
const MAX_DELIVERY_EVIDENCE = 10;

/** CI services recognised by their configuration file's path (those `readCi` reads are classified `ci`). */
const CI_PROVIDERS: Array<{ name: string; path: RegExp }> = [
  { name: "GitHub Actions", path: /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/ },
  { name: "GitLab CI", path: /(^|\/)\.gitlab-ci\.ya?ml$/ },
  { name: "CircleCI", path: /(^|\/)\.circleci\/config\.ya?ml$/ },
  { name: "Azure Pipelines", path: /(^|\/)azure-pipelines\.ya?ml$/ },
  { name: "Bitbucket Pipelines", path: /(^|\/)bitbucket-pipelines\.yml$/ },
  { name: "Jenkins", path: /(^|\/)jenkinsfile$/ },
  { name: "Travis CI", path: /(^|\/)\.travis\.yml$/ },
  { name: "Buildkite", path: /(^|\/)\.buildkite\/pipeline[\w.-]*\.ya?ml$/ },
  { name: "Drone CI", path: /(^|\/)\.drone\.ya?ml$/ },
  { name: "Woodpecker CI", path: /(^|\/)\.woodpecker(\.ya?ml|\/[^/]+\.ya?ml)$/ },
  { name: "Google Cloud Build", path: /(^|\/)cloudbuild\.ya?ml$/ },
  { name: "AWS CodeBuild", path: /(^|\/)buildspec\.ya?ml$/ },
];

/** What the stack table says of each, from the number of files and whether any of them runs the service in production. */
const DELIVERY_NOTES: Record<string, (count: number, production: boolean) => string> = {
  Docker: (n, p) => `Container images built from ${plural(n, "Dockerfile")}${p ? "" : ", for development or CI only"}.`,
  "Docker Compose": (n, p) => `Services composed in ${plural(n, "compose file")}${p ? "" : ", for development or CI only"}.`,
  Kubernetes: (n) => `${plural(n, "Kubernetes manifest")} (workloads, services, configuration) in the repository.`,
  Kustomize: (n) => `Kubernetes manifests assembled with Kustomize (${plural(n, "kustomization")}).`,
  Skaffold: () => "Kubernetes development loop configured with Skaffold.",
  Helm: (n) => `${plural(n, "Helm chart")} package the Kubernetes deployment.`,
  Terraform: (n) => `Infrastructure declared in Terraform (${plural(n, ".tf file")}).`,
  Pulumi: () => "Infrastructure declared as code with Pulumi.",
  "AWS CDK": () => "Infrastructure declared as code with the AWS CDK.",
  "AWS CloudFormation": (n) => `Infrastructure declared in ${plural(n, "CloudFormation template")}.`,
  "AWS SAM": () => "Serverless application deployed with AWS SAM.",
  "Serverless Framework": () => "Functions deployed with the Serverless Framework.",
};

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** 1-based line of the first match of `pattern` (multiline) in `text`, with the matched line trimmed; null when none. */
function firstLine(text: string, pattern: RegExp): { line: number; snippet: string } | null {
  const m = pattern.exec(text);
  if (!m) return null;
  const line = text.slice(0, m.index).split("\n").length;
  return { line, snippet: (text.split("\n")[line - 1] ?? "").trim().slice(0, 120) };
}

/** The names of a compose file's services: keys indented under the top-level `services:`. */
function composeServiceNames(text: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^services:\s*(#.*)?$/.test(l));
  if (start < 0) return [];
  const names: string[] = [];
  let indent: number | null = null;
  for (const l of lines.slice(start + 1)) {
    if (/^\S/.test(l) && !l.startsWith("#")) break;
    const m = /^(\s+)([A-Za-z0-9_.-]+):\s*(#.*)?$/.exec(l);
    if (!m) continue;
    const width = (m[1] as string).length;
    indent ??= width;
    if (width === indent) names.push(m[2] as string);
  }
  return names;
}

/**
 * How the system is built and run, each technology with a file (and line) per use: Docker (each Dockerfile), Docker
 * Compose, Kubernetes manifests, Kustomize, Helm charts, Terraform, Pulumi, AWS CDK, CloudFormation/SAM, the Serverless
 * Framework, and the CI service (GitHub Actions, GitLab CI, CircleCI, Azure Pipelines, Bitbucket, Jenkins, Travis CI,
 * Buildkite, Drone, Woodpecker, Cloud Build, CodeBuild). Files of tests, fixtures and examples are not how this system runs.
 */
export function deliveryTechnologies(files: WorkspaceFile[]): Technology[] {
  const found = new Map<string, { tech: Technology; files: Set<string>; production: boolean }>();
  const add = (name: string, category: Technology["category"], file: WorkspaceFile, at: { line: number; snippet: string } | null) => {
    const entry = found.get(name) ?? { tech: { name, category, evidence: [] }, files: new Set<string>(), production: false };
    found.set(name, entry);
    if (entry.files.has(file.path)) return;
    entry.files.add(file.path);
    entry.production ||= runsInProduction(fileRole(file.path));
    if (entry.tech.evidence.length < MAX_DELIVERY_EVIDENCE) entry.tech.evidence.push({ file: file.path, line: at?.line ?? 1, ...(at ? { snippet: at.snippet } : {}) });
  };
  const order = (f: WorkspaceFile) => (runsInProduction(fileRole(f.path)) ? 0 : 1);
  const candidates = files
    .filter((f) => f.text !== undefined && !["test", "fixture", "example", "migration"].includes(fileRole(f.path)))
    .sort((a, b) => order(a) - order(b) || a.path.split("/").length - b.path.split("/").length || compareCodeUnits(a.path, b.path));
  for (const file of candidates) {
    const text = file.text as string;
    const lower = file.path.toLowerCase();
    const base = lower.slice(lower.lastIndexOf("/") + 1);
    if (file.kind === "dockerfile") {
      // `dockerfile.yml` (an Ansible playbook named so) is no Dockerfile: it takes a FROM line
      const from = firstLine(text, /^[ \t]*FROM[ \t]+\S+/im);
      if (from) add("Docker", "container", file, from);
    }
    if (file.kind === "compose") {
      const at = firstLine(text, /^services:/m);
      const names = composeServiceNames(text);
      add("Docker Compose", "container", file, at && names.length ? { line: at.line, snippet: `services: ${names.slice(0, 6).join(", ")}${names.length > 6 ? ", …" : ""}` } : at);
    } else if (file.kind === "k8s" || (file.kind === "helm" && /\/templates\//.test(lower) && /^kind:[ \t]*\S/m.test(text))) {
      const apiVersion = /^apiVersion:[ \t]*["']?([^\s"']+)/m.exec(text)?.[1] ?? "";
      const at = firstLine(text, /^kind:[ \t]*\S+/m);
      if (apiVersion.startsWith("kustomize.config.k8s.io")) add("Kustomize", "orchestration", file, at);
      else if (apiVersion.startsWith("skaffold/")) add("Skaffold", "orchestration", file, at);
      else add("Kubernetes", "orchestration", file, at);
    } else if (/^kustomization\.ya?ml$/.test(base)) add("Kustomize", "orchestration", file, firstLine(text, /^(resources|bases|components):/m));
    else if (file.kind === "helm" && base === "chart.yaml") add("Helm", "orchestration", file, firstLine(text, /^name:[ \t]*\S+/m));
    else if (file.kind === "terraform" && base.endsWith(".tf")) {
      const at = firstLine(text, /^[ \t]*(terraform|provider|resource|module|data)[ \t]*["{]/m);
      if (at) add("Terraform", "iac", file, at);
    } else if (/^pulumi\.ya?ml$/.test(base) && /^runtime:/m.test(text)) add("Pulumi", "iac", file, firstLine(text, /^runtime:.*/m));
    else if (base === "cdk.json" && /"app"\s*:/.test(text)) add("AWS CDK", "iac", file, firstLine(text, /"app"\s*:/m));
    else if (base === "serverless.yml" || base === "serverless.yaml") {
      if (/^service:/m.test(text)) add("Serverless Framework", "iac", file, firstLine(text, /^service:.*/m));
    } else if (/\.(ya?ml|json|template)$/.test(base) && /^[ \t]*"?AWSTemplateFormatVersion"?[ \t]*:/m.test(text)) {
      add(/^[ \t]*"?Transform"?[ \t]*:[ \t]*["'[]*AWS::Serverless/m.test(text) ? "AWS SAM" : "AWS CloudFormation", "iac", file, firstLine(text, /^[ \t]*"?AWSTemplateFormatVersion"?[ \t]*:/m));
    }
    const ci = CI_PROVIDERS.find((p) => p.path.test(lower));
    if (ci && (file.kind === "ci" || file.kind === "other" || file.kind === "config")) {
      add(ci.name, "ci", file, firstLine(text, /^(jobs|stages|pipelines|steps|workflows|pipeline|script)\b.*$/m));
    }
  }
  return [...found.values()].map(({ tech, files: seen, production }) => {
    const note = DELIVERY_NOTES[tech.name]?.(seen.size, production) ?? (tech.category === "ci" ? `CI runs on ${tech.name} (${plural(seen.size, tech.name === "GitHub Actions" ? "workflow" : "pipeline file")}).` : undefined);
    return note ? { ...tech, note } : tech;
  });
}
