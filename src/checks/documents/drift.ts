import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { CONCEPTS, INFRASTRUCTURE_KINDS } from "../../model/documents/vocabulary.js";
import type { DesignDocument, DocClaim, Endpoint, Evidence, SystemModel } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { CONCEPT_BY_KEY, conceptOf, designDocuments, drawsSystem, hasCode, joinAnd, mainDocument, mentionEvidence, plural, realisedBy } from "./shared.js";

/** Routes every claim exempts without saying so: health probes, metrics, interactive docs. */
const IMPLICITLY_PUBLIC = /(^|\/)(health\w*|healthz|livez|readyz|ready|live|ping|metrics|docs|redoc|openapi(\.json)?|schema|swagger[\w.-]*|favicon\.ico)(\/|$)/i;

/** Whether an exception phrase ("registration", "the product catalogue reads") covers an endpoint. */
function exempted(endpoint: Endpoint, exceptions: string[]): boolean {
  const segments = endpoint.path.toLowerCase().split(/[/{}_-]+/).filter(Boolean);
  return exceptions.some((phrase) => {
    const readsOnly = /\b(reads?|get|browsing|listing|views?)\b/i.test(phrase);
    if (readsOnly && endpoint.method !== "GET") return false;
    const words = phrase.toLowerCase().match(/[a-z]{4,}/g) ?? [];
    return words.some((w) => !/^(read|reads|with|only|that|those|these|endpoint|endpoints|route|routes|catalogue|catalog|public)$/.test(w) && segments.some((s) => s.length >= 4 && (s.startsWith(w.slice(0, 5)) || w.startsWith(s.slice(0, 5)))));
  });
}

function claimReports(doc: DesignDocument, claim: DocClaim, model: SystemModel): Report[] {
  const claimEvidence: Evidence = { file: doc.file, line: claim.line, snippet: claim.text.slice(0, 160) };
  const inScope = model.endpoints.filter((e) => !IMPLICITLY_PUBLIC.test(e.path) && e.condition === undefined);
  if (claim.kind === "auth") {
    const open = inScope.filter((e) => e.auth === false && !exempted(e, claim.exceptions));
    if (!open.length) return [];
    const shown = open.slice(0, 3).map((e) => `${e.method} ${e.path}`);
    return [
      {
        message: `${doc.file} says every route requires authentication${claim.exceptions.length ? ` (except ${joinAnd(claim.exceptions)})` : ""}, but ${plural(open.length, "endpoint")} serve${open.length === 1 ? "s" : ""} requests without it: ${shown.join(", ")}${open.length > 3 ? ", …" : ""}.`,
        evidence: [claimEvidence, ...open.slice(0, 3).map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }))],
        // the open routes carry their own finding (API002); what is wrong here is the document's promise
        severity: "medium",
      },
    ];
  }
  const prefix = (claim.prefix ?? "").replace(/\/+$/, "");
  const outside = inScope.filter((e) => prefix && !(e.path === prefix || e.path.startsWith(`${prefix}/`)));
  if (!outside.length) return [];
  return [
    {
      message: `${doc.file} says every route sits under ${prefix}, but ${plural(outside.length, "endpoint")} do${outside.length === 1 ? "es" : ""} not: ${outside.slice(0, 3).map((e) => `${e.method} ${e.path}`).join(", ")}${outside.length > 3 ? ", …" : ""}.`,
      evidence: [claimEvidence, ...outside.slice(0, 3).map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path}` }))],
      severity: "medium",
    },
  ];
}

/** Technology categories that are a store, a queue or a worker in their own right (a driver or client is not). */
const STORE_CATEGORIES: ReadonlySet<string> = new Set(["database", "cache", "queue", "task-runner", "search", "storage"]);

/** Words that name no particular service: cloud vendors, and what every third-party API is called. */
const GENERIC = /^(aws|amazon|google|gcp|cloud|azure|microsoft|api|apis|sdk|service|services|client|the|and|url|host|base|endpoint|uri|webhook|server)$/;

/**
 * External services the code calls (SDKs, URLs in configuration) that no document names at all: not by its
 * vocabulary name (S3 is object storage, Sentry is Sentry), not by the service's name, nor by what the
 * configuration calls it (`PAYMENT_API_URL` is "payment"). Stores and queues are left to the technology
 * comparison, which reports them already.
 */
function externalServices(model: SystemModel, docs: DesignDocument[], main: DesignDocument): Report[] {
  const words = new Set(docs.flatMap((d) => d.words));
  const concepts = new Set(docs.flatMap((d) => d.mentions.filter((m) => !m.negated).map((m) => m.concept)));
  // a whole word, or the document's word extending it ("payment" named as "payments"); never a shorter word ("sent" is not "sentry")
  const named = (token: string) => words.has(token) || (token.length >= 4 && [...words].some((w) => w.startsWith(token) && w.length <= token.length + 3));
  const reports: Report[] = [];
  for (const c of model.components.filter((x) => x.kind === "external")) {
    const concept = CONCEPTS.find((k) => k.terms.test(c.name) || (c.technology !== null && k.code.test(c.technology)));
    if (concept && (INFRASTRUCTURE_KINDS.has(concept.kind) || concepts.has(concept.key))) continue;
    const via = model.connections.filter((k) => k.to === c.name).map((k) => k.via);
    const stems = via.flatMap((v) => (/^[A-Z][A-Z0-9_]*$/.test(v) ? v.toLowerCase().split("_") : []));
    const tokens = [...new Set([...(c.name.toLowerCase().match(/[a-z][a-z0-9]+/g) ?? []), ...stems])].filter((t) => !GENERIC.test(t));
    if (!tokens.length || tokens.some(named)) continue;
    const evidence = c.evidence.filter((e) => runsInProduction(fileRole(e.file)));
    if (!evidence.length) continue;
    // a third-party API missing from the design is a gap in its completeness, not a store that does not exist
    reports.push({ message: `The code calls ${c.name}${via.length ? ` (${[...new Set(via)].join(", ")})` : ""}, but no design document names it.`, evidence: [...evidence.slice(0, 1), { file: main.file, line: null }], severity: "low" });
  }
  return reports;
}

/** What a document calls a background process of each kind. */
const PROCESS_WORDS = { worker: ["worker", "workers", "background", "queue", "jobs", "tasks", "consumer", "consumers"], scheduler: ["scheduler", "schedule", "scheduled", "beat", "cron", "periodic", "periodically", "every"] } as const;

/** Workers and schedulers the deployment runs that no design document mentions in any words. */
function backgroundProcesses(model: SystemModel, docs: DesignDocument[], main: DesignDocument): Report[] {
  const words = new Set(docs.flatMap((d) => d.words));
  const reports: Report[] = [];
  for (const kind of ["worker", "scheduler"] as const) {
    const runs = model.components.filter((c) => c.kind === kind && c.evidence.some((e) => runsInProduction(fileRole(e.file))));
    const first = runs[0];
    if (!first) continue;
    const names = runs.flatMap((c) => [c.name, c.technology ?? ""]).flatMap((n) => n.toLowerCase().match(/[a-z][a-z0-9]+/g) ?? []);
    if ([...PROCESS_WORDS[kind], ...names].some((w) => words.has(w))) continue;
    // a worker of a known task runner (Celery, RQ...) is already reported as that technology
    if (runs.some((c) => CONCEPTS.some((k) => INFRASTRUCTURE_KINDS.has(k.kind) && c.technology !== null && k.code.test(c.technology)))) continue;
    reports.push({ message: `The deployment runs ${runs.length === 1 ? `a ${kind}` : `${runs.length} ${kind}s`} (${runs.map((c) => c.name).join(", ")}), but no design document mentions background ${kind === "worker" ? "workers" : "scheduling"}.`, evidence: [...first.evidence.slice(0, 1), { file: main.file, line: null }], severity: "medium" });
  }
  return reports;
}

export default defineCheck({
  id: "DOC004",
  area: "documents",
  title: "Design document and code disagree",
  severity: "high",
  kind: "concern",
  confidence: "medium",
  why: "A design document that names a database, queue or cache the code does not use, or leaves out one it does, misleads every reader who plans capacity, reviews security or runs an incident from it; a claim about every route that the code breaks is worse, because people rely on it without checking.",
  recommendation: "Bring the two back together: change the code to match the design, or update the document (and its diagram) to say what the system is today; for claims about every route, enforce the rule in code (a router-level dependency, a default permission class) so it cannot drift again.",
  example: { bad: "Design: 'Search is served by Elasticsearch.' Code: no Elasticsearch client, no search service.", good: "Design and code name the same stores; the document says which component owns each." },
  references: ["https://adr.github.io/", "https://c4model.com/"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const docs = designDocuments(model);
    // a README's architecture section is held against the code too, but is not expected to name everything
    const described = [...docs, ...model.designDocuments.filter((d) => d.role === "readme")];
    if (!described.length || !hasCode(model)) return [];
    const reports: Report[] = [];
    // in the document, not in the code (each concept once, at its first mention)
    const reported = new Set<string>();
    for (const doc of described) {
      for (const m of doc.mentions) {
        const concept = CONCEPT_BY_KEY.get(m.concept);
        // an option or example ("support for MySQL", a decision record's context) is not a claim that it runs
        if (!concept || m.negated || m.option || reported.has(concept.key)) continue;
        if (realisedBy(model, concept).length) continue;
        reported.add(concept.key);
        // the same family in another flavour (MySQL written, MariaDB run) is a smaller difference
        const flavour = model.technologies.find((t) => {
          const c = conceptOf(t);
          return c !== undefined && c.family === concept.family && c.key !== concept.key;
        });
        if (flavour) {
          reports.push({ message: `${doc.file} names ${concept.name}; the code and deployment files use ${flavour.name}, a flavour of the same thing: say which one runs in production.`, evidence: [mentionEvidence(doc, m), ...flavour.evidence.slice(0, 1)], severity: "medium" });
          continue;
        }
        reports.push({ message: `${doc.file} names ${concept.name}${m.text.toLowerCase() === concept.name.toLowerCase() ? "" : ` (${m.text})`}, but nothing in the code, dependency manifests or deployment files uses it.`, evidence: [mentionEvidence(doc, m)] });
      }
    }
    // in the code, not in the document: the stores, queues and workers a reader must know exist
    const main = mainDocument(docs) as DesignDocument;
    // what counts as mentioned: any document, decision records included, as a part or as an option
    const everything = model.designDocuments;
    // a document that sets out the system's parts: it names two stores or queues, or draws the system with one;
    // a data-model diagram or a page of guidelines is not expected to list the infrastructure
    const infrastructure = (d: DesignDocument) => new Set(d.mentions.filter((m) => !m.negated && INFRASTRUCTURE_KINDS.has(CONCEPT_BY_KEY.get(m.concept)?.kind ?? "auth")).map((m) => m.concept)).size;
    const describes = docs.some((d) => infrastructure(d) >= 2 || (drawsSystem(d) && infrastructure(d) >= 1));
    if (describes) {
      const seen = new Set<string>();
      for (const tech of model.technologies) {
        const concept = conceptOf(tech);
        // the store itself, not its driver: `import bson` from pymongo's wheel does not connect to MongoDB
        if (!concept || !INFRASTRUCTURE_KINDS.has(concept.kind) || !STORE_CATEGORIES.has(tech.category) || seen.has(concept.key)) continue;
        // SQLite next to a server database is the developer's default, not a second store
        if (concept.key === "sqlite" && model.technologies.some((t) => t.category === "database" && t.name !== "SQLite")) continue;
        const evidence = tech.evidence.filter((e) => runsInProduction(fileRole(e.file)));
        // boto3 talks to every AWS service: it stands for object storage only where the code calls S3 (or GCS, Blob)
        if (concept.key === "object-storage" && /^(Boto3|aioboto3|botocore)$/.test(tech.name) && !model.components.some((c) => concept.terms.test(c.name))) continue;
        // a package alone is not a store in use (pymongo installed to read bson files): it takes an import,
        // a connection URL, a service in compose or a setting
        if (!evidence.some((e) => !model.manifests.includes(e.file))) continue;
        seen.add(concept.key);
        const mentioned = everything.flatMap((d) => d.mentions.filter((m) => m.concept === concept.key).map((m) => ({ d, m })));
        if (mentioned.some(({ m }) => !m.negated)) continue;
        const denial = mentioned[0];
        if (denial) {
          reports.push({ message: `${denial.d.file} says ${concept.name} is not used, but the code uses it (${tech.name}).`, evidence: [mentionEvidence(denial.d, denial.m), ...evidence.slice(0, 1)] });
        } else {
          reports.push({ message: `The code uses ${tech.name}${tech.name === concept.name ? "" : ` (${concept.name})`}, but ${docs.length === 1 && everything.length === 1 ? `${main.file} does not mention it` : "no design document mentions it"}.`, evidence: [...evidence.slice(0, 1), { file: main.file, line: null }] });
        }
      }
    }
    if (describes) reports.push(...externalServices(model, everything, main), ...backgroundProcesses(model, everything, main));
    // claims about every route, against the endpoint inventory
    for (const doc of described) for (const claim of doc.claims) reports.push(...claimReports(doc, claim, model));
    return reports;
  },
});
