import type { Evidence, ServerCommand, SystemModel } from "../model/types.js";
import { mdCell, mdText, mermaidLabel } from "./escape.js";
import { unreadSentence } from "../model/endpoints/unread-frameworks.js";
import { byCategory, categoryTitle } from "./categories.js";

export interface ModelSectionsOptions {
  /** Heading level of each part (`###` inside the review, `##` for `archscope model`). */
  heading: string;
  /** Everything (`archscope model`) or a brief overview (the review's section 3). */
  full: boolean;
}

const BRIEF_ROWS = 40;

/** The system model as Markdown: stack, components, endpoints, data models, deployment, CI, settings, code structure. */
export function renderModelSections(m: SystemModel, options: ModelSectionsOptions): string[] {
  const out: string[] = [];
  const h = (title: string) => out.push(`${options.heading} ${title}`, "");
  const limit = <T>(rows: T[]) => (options.full ? rows : rows.slice(0, BRIEF_ROWS));
  const more = (total: number, columns: number) => {
    if (!options.full && total > BRIEF_ROWS) out.push(`| … ${total - BRIEF_ROWS} more (\`archscope model\` lists them all) |${" |".repeat(columns - 1)}`);
  };

  h("Detected stack");
  if (m.technologies.length) {
    out.push("| Category | Technologies |", "|---|---|");
    const names = new Map<string, string[]>();
    for (const t of byCategory(m.technologies)) names.set(t.category, [...(names.get(t.category) ?? []), t.name]);
    for (const [category, list] of names) out.push(`| ${mdText(categoryTitle(category))} | ${list.map(mdText).join(", ")} |`);
    out.push("");
  } else out.push("No known technology was detected.", "");

  h("Components");
  const diagram = componentsDiagram(m);
  if (diagram) {
    out.push("```mermaid", ...diagram, "```", "");
    if (options.full) {
      out.push("| From | To | Via | Evidence |", "|---|---|---|---|");
      for (const c of m.connections) out.push(`| ${mdText(c.from)} | ${mdText(c.to)} | ${mdText(c.via)} | ${ref(c.evidence[0])} |`);
      out.push("");
    }
  } else out.push("No components were found.", "");

  h("Endpoints");
  if (m.endpoints.length) {
    const authed = m.endpoints.filter((e) => e.auth === true).length;
    const unknown = m.endpoints.filter((e) => e.auth === null).length;
    const asyncCount = m.endpoints.filter((e) => e.isAsync).length;
    const frameworks = [...new Set(m.endpoints.map((e) => e.framework))].join(", ");
    out.push(`${m.endpoints.length} endpoints (${frameworks}): ${authed} authenticated, ${m.endpoints.length - authed - unknown} not, ${unknown} undecided; ${asyncCount} async.`, "");
    out.push("| Method | Path | Handler | Auth |", "|---|---|---|---|");
    for (const e of limit(m.endpoints)) {
      const auth = e.auth === true ? "yes" : e.auth === false ? "**no**" : "undecided";
      out.push(`| ${e.method} | ${mdCell(e.path)} | ${mdCell(e.handler)} (${mdText(e.file)}:${e.line}) | ${auth}${options.full ? `: ${mdText(e.authReason)}` : ""} |`);
    }
    more(m.endpoints.length, 4);
    out.push("");
  } else if (!m.unreadFrameworks?.length) out.push("No HTTP endpoints were found.", "");
  if (m.unreadFrameworks?.length) out.push(`_${mdText(unreadSentence(m.unreadFrameworks, m.endpoints.length))}_`, "");

  h("Data models");
  if (m.dataModels.length) {
    const unindexed = m.dataModels.flatMap((d) => d.foreignKeys.filter((f) => !f.indexed)).length;
    out.push(`${m.dataModels.length} models (${[...new Set(m.dataModels.map((d) => d.orm))].join(", ")}); ${m.dataModels.reduce((n, d) => n + d.foreignKeys.length, 0)} foreign keys, ${unindexed} without an index.`, "");
    out.push("| Model | Table | Fields | Foreign keys | Relationships | Migrations |", "|---|---|---:|---|---|---|");
    for (const d of limit(m.dataModels)) {
      const fks = d.foreignKeys.map((f) => `${f.field} → ${f.target}${f.indexed ? "" : " (no index)"}`).join(", ");
      const rels = d.relationships.map((r) => `${r.name} → ${r.target}${r.lazy ? ` (${r.lazy})` : ""}`).join(", ");
      const migrated = d.migrated === true ? "yes" : d.migrated === false ? "**no**" : "unknown";
      out.push(`| ${mdCell(d.name)} (${mdText(d.file)}:${d.line}) | ${d.table ? mdCell(d.table) : "–"} | ${d.fields.length} | ${mdText(fks) || "–"} | ${mdText(rels) || "–"} | ${migrated} |`);
    }
    more(m.dataModels.length, 6);
    out.push("");
  } else out.push("No ORM models were found.", "");

  if (options.full) deployment(m, out, h);
  else {
    const parts = [
      m.dockerfiles.length ? `${m.dockerfiles.length} Dockerfile(s)` : "",
      m.composeServices.length ? `${m.composeServices.length} compose service(s)` : "",
      m.kubernetes.length ? `${m.kubernetes.length} Kubernetes workload(s)` : "",
      m.terraform.length ? `${m.terraform.length} Terraform resource(s)` : "",
      m.ci.length ? `CI: ${m.ci.map((c) => c.file).join(", ")}` : "no CI configuration",
    ].filter(Boolean);
    h("Deployment and delivery");
    out.push(`${parts.join("; ")}.`, "");
  }

  h("Code structure");
  const g = m.importGraph;
  out.push(`${g.modules} modules in ${g.packages.length} packages, ${g.edges} internal imports, ${g.cycles.length} import cycle(s); ${m.tests.files} test files with ${m.tests.functions} test functions; ${m.migrations.length} migration files.`, "");
  if (options.full && g.packages.length) {
    out.push("| Package | Layer | Modules | Fan-in | Fan-out |", "|---|---|---:|---:|---:|");
    for (const p of g.packages) out.push(`| ${mdCell(p.name)} | ${p.layer ?? "–"} | ${p.modules} | ${p.fanIn} | ${p.fanOut} |`);
    out.push("");
  }
  if (options.full) {
    h("Settings");
    if (m.settings.length) {
      out.push("| Source | Kind | From the environment | Literal in code |", "|---|---|---|---|");
      for (const s of m.settings) out.push(`| ${mdCell(s.name)} (${mdText(s.file)}:${s.line}) | ${s.kind} | ${s.fromEnvironment.length} | ${s.literal.length} |`);
      out.push("");
    } else out.push("No settings object or settings module was found.", "");
  }
  return out;
}

function deployment(m: SystemModel, out: string[], h: (title: string) => void): void {
  h("Containers");
  if (m.dockerfiles.length) {
    out.push("| Dockerfile | Base images | User | Healthcheck | Command | Server |", "|---|---|---|---|---|---|");
    for (const d of m.dockerfiles) {
      const command = d.entrypoint || d.command ? [d.entrypoint?.text, d.command?.text].filter(Boolean).join(" ") : "–";
      out.push(`| ${mdCell(d.file)} | ${d.stages.map((s) => mdCell(s.image)).join(" → ")} | ${d.user ? mdCell(d.user.name) : "root (default)"} | ${d.healthcheck ? "yes" : "no"} | ${mdCell(command)} | ${serverText(d.server)} |`);
    }
    out.push("");
  } else out.push("No Dockerfile.", "");
  if (m.composeServices.length) {
    out.push("| Compose service | Image | Depends on | Ports |", "|---|---|---|---|");
    for (const s of m.composeServices) out.push(`| ${mdText(s.name)} (${mdText(s.file)}:${s.line}) | ${s.image ? mdCell(s.image) : "build"} | ${s.dependsOn.map(mdText).join(", ") || "–"} | ${s.ports.map(mdText).join(", ") || "–"} |`);
    out.push("");
  }
  if (m.kubernetes.length) {
    out.push("| Workload | Replicas | Autoscaled | Containers |", "|---|---:|---|---|");
    for (const w of m.kubernetes) {
      const containers = w.containers.map((c) => `${c.name}${c.resources.limits ? "" : " (no limits)"}${c.readinessProbe ? "" : " (no readiness probe)"}`).join(", ");
      out.push(`| ${mdText(`${w.kind}/${w.name}`)} (${mdText(w.file)}:${w.line}) | ${w.replicas ?? "?"} | ${w.autoscaled ? "yes" : "no"} | ${mdText(containers)} |`);
    }
    out.push("");
  }
  if (m.terraform.length) {
    out.push("| Terraform resource | Where |", "|---|---|");
    for (const r of m.terraform) out.push(`| ${mdCell(`${r.type}.${r.name}`)} | ${mdText(r.file)}:${r.line} |`);
    out.push("");
  }
  if (m.procfile.length) {
    out.push("| Procfile process | Command | Server |", "|---|---|---|");
    for (const p of m.procfile) out.push(`| ${mdText(p.process)} | ${mdCell(p.command)} | ${serverText(p.server)} |`);
    out.push("");
  }
  h("Continuous integration");
  if (m.ci.length) {
    out.push("| Pipeline | Job | Tests | Lint | Types | Audit | Image | Deploy |", "|---|---|---|---|---|---|---|---|");
    const yes = (b: boolean) => (b ? "yes" : "–");
    for (const c of m.ci) {
      if (c.jobs.length === 0) out.push(`| ${mdCell(c.file)} | – | ${yes(c.runsTests)} | ${yes(c.lints)} | – | – | – | – |`);
      for (const j of c.jobs) out.push(`| ${mdCell(c.file)} | ${mdText(j.name)} | ${yes(j.tests)} | ${yes(j.lint)} | ${yes(j.typeCheck)} | ${yes(j.audit)} | ${yes(j.buildsImage)} | ${yes(j.deploys)} |`);
    }
    out.push("");
  } else out.push("No CI configuration was found.", "");
}

/** The components and their connections as a Mermaid flowchart: stores as cylinders, external services as hexagons. */
export function componentsDiagram(m: SystemModel): string[] | null {
  if (m.components.length === 0) return null;
  const ids = new Map(m.components.map((c, i) => [c.name, `c${i + 1}`]));
  const lines = ["flowchart LR"];
  for (const c of m.components) {
    const label = mermaidLabel(c.technology && c.technology !== c.name ? `${c.name}: ${c.technology}` : c.name);
    const id = ids.get(c.name) as string;
    const shape = c.kind === "datastore" ? `[("${label}")]` : c.kind === "external" ? `{{"${label}"}}` : c.kind === "worker" || c.kind === "scheduler" ? `[["${label}${label.toLowerCase().includes(c.kind) ? "" : ` (${c.kind})`}"]]` : `["${label}"]`;
    lines.push(`  ${id}${shape}`);
  }
  for (const c of m.connections) {
    const from = ids.get(c.from);
    const to = ids.get(c.to);
    if (from && to) lines.push(`  ${from} -->|${mermaidLabel(c.via)}| ${to}`);
  }
  return lines;
}

function serverText(server: ServerCommand | null): string {
  if (!server) return "–";
  const parts = [server.server, server.workers !== null ? `${server.workers} workers` : "", server.workerClass ? mdCell(server.workerClass) : "", server.reload ? "**reload on**" : ""];
  return parts.filter(Boolean).join(", ");
}

function ref(e: Evidence | undefined): string {
  if (!e) return "–";
  return mdCell(e.line === null ? e.file : `${e.file}:${e.line}`);
}

/** `archscope model --format md`: the whole model as one document. */
export function renderModelMarkdown(m: SystemModel, project: string, version: string): string {
  const out = [`# System model: ${mdText(project)}`, "", `_Generated by archscope ${mdText(version)} from the repository's artefacts._`, ""];
  out.push(...renderModelSections(m, { heading: "##", full: true }));
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
