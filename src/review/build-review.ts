import { CONTEXT_QUESTIONS, type ReviewContext } from "../checks/context.js";
import { AREA_TITLES, AREAS, type Check, type Finding, type Severity } from "../checks/types.js";
import type { Diagnostic } from "../core/diagnostics.js";
import { compareCodeUnits, sortDiagnostics } from "../core/diagnostics.js";
import type { SystemModel } from "../model/types.js";
import { securityChecklist } from "./checklist.js";
import { architecturePatterns } from "./patterns.js";
import { scalabilityRoadmap } from "./roadmap.js";
import type { AreaSummary, NextStep, Review, StackItem } from "./types.js";
import { joinAnd } from "../core/prose.js";

export interface ReviewInput {
  project: string;
  version: string;
  model: SystemModel;
  findings: Finding[];
  checks: readonly Check[];
  context: ReviewContext;
  diagnostics: Diagnostic[];
  analysis: Review["analysis"];
}

const PRIORITY: Record<Exclude<Severity, "info">, NextStep["priority"]> = { high: "must-fix", medium: "should-fix", low: "nice-to-have" };

/** Synthesize stage: the whole review from model, findings and context. Pure. */
export function buildReview(input: ReviewInput): Review {
  const { model, findings, context } = input;
  const active = findings.filter((f) => !f.suppressed);
  const concerns = active.filter((f) => f.kind === "concern");
  const strengths = active.filter((f) => f.kind === "strength");
  const counts = {
    high: concerns.filter((f) => f.severity === "high").length,
    medium: concerns.filter((f) => f.severity === "medium").length,
    low: concerns.filter((f) => f.severity === "low").length,
    info: active.filter((f) => f.severity === "info" && f.kind !== "strength").length,
    suppressed: findings.length - active.length,
    strengths: strengths.length,
  };
  return {
    schemaVersion: "1.0",
    tool: { name: "archscope", version: input.version },
    project: input.project,
    summary: {
      assessment: assessment(counts, model, concerns, context),
      readiness: readiness(counts, context),
      maturity: maturity(counts, model, context),
      counts,
      keyStrengths: strengths.slice(0, 6).map((f) => f.message),
      criticalConcerns: concerns.filter((f) => f.severity === "high").slice(0, 6).map((f) => `${f.title}: ${f.message}`),
    },
    context,
    questions: CONTEXT_QUESTIONS.filter((q) => context[q.field] === undefined),
    model,
    findings,
    areas: areaSummaries(active, input.checks),
    patterns: architecturePatterns(model, concerns),
    stack: stackAssessment(model, concerns),
    roadmap: scalabilityRoadmap(model, concerns, context),
    securityChecklist: securityChecklist(input.checks, findings, model),
    nextSteps: nextSteps(concerns, input.checks),
    references: [...new Set(concerns.flatMap((f) => input.checks.find((c) => c.id === f.id)?.references ?? []))].sort(compareCodeUnits),
    analysis: input.analysis,
    diagnostics: sortDiagnostics(input.diagnostics),
  };
}

/**
 * Two or three sentences from this system's facts: what it is (framework, endpoints, data stores, workers),
 * how it is deployed, and what stands out among the findings.
 */
function assessment(counts: Review["summary"]["counts"], model: SystemModel, concerns: Finding[], context: ReviewContext): string {
  const names = model.technologies.filter((t) => t.category === "web-framework").map((t) => t.name);
  // Starlette under FastAPI is one framework, not two
  const frameworks = names.filter((n) => !(n === "Starlette" && names.includes("FastAPI")));
  // handlers of a framework archscope does not read are not in the count: say so rather than state "0 endpoints"
  const unread = model.unreadFrameworks?.length ? ` read (${model.unreadFrameworks.map((u) => u.name).join(", ")} handlers not read)` : "";
  const what = `${frameworks.length ? `${frameworks.join(" + ")} service` : "Python codebase"} with ${model.endpoints.length} endpoint${model.endpoints.length === 1 ? "" : "s"}${unread} and ${model.importGraph.modules} module${model.importGraph.modules === 1 ? "" : "s"}`;
  const stores = [...new Set(model.technologies.filter((t) => t.category === "database" || t.category === "cache" || t.category === "queue").map((t) => t.name))];
  const workers = [...new Set(model.technologies.filter((t) => t.category === "task-runner").map((t) => t.name))];
  const uses = [stores.length ? `backed by ${joinAnd(stores)}` : "", workers.length ? `with background work on ${joinAnd(workers)}` : ""].filter(Boolean).join(", ");
  const deployed = deployment(model);
  const first = `${what}${uses ? `, ${uses}` : ""}${deployed ? `; ${deployed}` : ""}.`;
  const total = counts.high + counts.medium + counts.low;
  if (total === 0) return `${first}${documentSentence(model, concerns, context)} The checks run found no concerns.`;
  const parts = [`${counts.high} high`, `${counts.medium} medium`, `${counts.low} low`].join(", ");
  // what stands out: the areas with the most high and medium concerns
  const byArea = new Map<string, number>();
  for (const f of concerns) if (f.severity === "high" || f.severity === "medium") byArea.set(f.area, (byArea.get(f.area) ?? 0) + (f.severity === "high" ? 3 : 1));
  const top = [...byArea.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([a]) => AREA_TITLES[a as Finding["area"]].replace(/^[A-K]\. /, ""));
  const stands = top.length ? ` The heaviest area${top.length === 1 ? "" : "s"}: ${top.join("; ")}.` : "";
  const docs = documentSentence(model, concerns, context);
  const tone = counts.high > 0 ? "High-severity concerns need fixing before this carries more traffic or more people." : counts.medium > 0 ? "No high-severity concerns; the medium ones are worth planning." : "Only low-severity concerns.";
  return `${first} ${total} concern${total === 1 ? "" : "s"} (${parts}).${stands}${docs} ${tone}`;
}

/** What the design documents add: the scale they state (with its line) and how far they and the code agree. */
function documentSentence(model: SystemModel, concerns: Finding[], context: ReviewContext): string {
  const docs = model.designDocuments.filter((d) => d.role === "design");
  if (!docs.length) return "";
  const names = docs.slice(0, 2).map((d) => d.file).join(" and ") + (docs.length > 2 ? ` and ${docs.length - 2} more` : "");
  const peak = context.fromDocuments?.peak_rps;
  const scale = peak ? `, which states a peak of ${context.peak_rps} req/s (${peak.file}:${peak.line})` : "";
  const drift = concerns.filter((f) => f.id === "DOC004").length;
  const agree = drift ? `; it and the code disagree in ${drift} place${drift === 1 ? "" : "s"} (DOC004)` : "; it and the code agree on the stores, queues and workers compared";
  return ` Reviewed with its design document${docs.length === 1 ? "" : "s"} ${names}${scale}${agree}.`;
}

/** How the service is deployed, from the artefacts: orchestrator, platform, compose, container. */
function deployment(model: SystemModel): string {
  if (model.kubernetes.length) return `deployed on Kubernetes (${model.kubernetes.length} workload${model.kubernetes.length === 1 ? "" : "s"})`;
  if (model.platforms.length) return `deployed on ${joinAnd(model.platforms.map((p) => p.name))}`;
  const services = new Set(model.composeServices.map((c) => c.name)).size;
  if (services) return `run with docker compose (${services} service${services === 1 ? "" : "s"})`;
  if (model.dockerfiles.length) return `packaged as a container image`;
  if (model.procfile.length) return "run from a Procfile";
  return "";
}

function readiness(counts: Review["summary"]["counts"], context: ReviewContext): string {
  const stage = context.stage ?? "production (assumed)";
  if (counts.high > 0) return `Not ready for ${stage}: ${counts.high} high-severity concern${counts.high === 1 ? "" : "s"} open.`;
  if (counts.medium > 3) return `Ready for ${stage} with reservations: ${counts.medium} medium-severity concerns open.`;
  return `Ready for ${stage} as far as the checks run can tell.`;
}

/** Points an area loses per open concern; strengths add back a little. The scale is stated in the report. */
const PENALTY = { high: 25, medium: 10, low: 2, info: 0 } as const;

function areaSummaries(active: Finding[], checks: readonly Check[]): AreaSummary[] {
  return AREAS.map((area) => {
    const mine = active.filter((f) => f.area === area);
    const concerns = mine.filter((f) => f.kind === "concern");
    const strengths = mine.filter((f) => f.kind === "strength").length;
    const assessed = checks.some((c) => c.area === area && c.kind === "concern");
    const score = Math.max(0, Math.min(100, 100 - concerns.reduce((sum, f) => sum + PENALTY[f.severity], 0) + 2 * strengths));
    // the reasons: the worst findings' titles, most severe first
    const worst = [...concerns].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
    const reasons = [...new Set(worst.filter((f) => f.severity !== "low").map((f) => `${f.title} (${f.id}, ${f.severity})`))].slice(0, 3);
    return {
      area,
      title: AREA_TITLES[area],
      high: concerns.filter((f) => f.severity === "high").length,
      medium: concerns.filter((f) => f.severity === "medium").length,
      low: concerns.filter((f) => f.severity === "low").length,
      strengths,
      score: assessed ? score : null,
      grade: assessed ? grade(score) : null,
      reasons: assessed ? (reasons.length ? reasons : [concerns.length ? "only low-severity concerns" : "no concern from the checks run"]) : ["no check of this area in this version"],
    };
  });
}

const SEVERITY_RANK = { high: 0, medium: 1, low: 2, info: 3 } as const;

function grade(score: number): "A" | "B" | "C" | "D" | "E" {
  return score >= 90 ? "A" : score >= 75 ? "B" : score >= 60 ? "C" : score >= 40 ? "D" : "E";
}

/**
 * Maturity from what is open: any high concern is early (a prototype when there are no tests or CI either),
 * a few medium ones production-ready, none with several strengths mature; compared with the stated stage.
 */
function maturity(counts: Review["summary"]["counts"], model: SystemModel, context: ReviewContext): { level: "prototype" | "early" | "production-ready" | "mature"; note: string } {
  const untested = model.tests.functions === 0 && model.ci.length === 0;
  const level = counts.high > 0 ? (untested ? "prototype" : "early") : counts.medium > 3 ? "early" : counts.medium > 0 || counts.strengths < 3 ? "production-ready" : "mature";
  const stated = context.stage;
  const expected = stated === "prototype" ? 0 : stated === "mvp" ? 1 : stated === "production" ? 2 : stated === "scale" ? 3 : null;
  const rank = { prototype: 0, early: 1, "production-ready": 2, mature: 3 }[level];
  const note = expected === null ? "no stage stated: compared with production" : rank >= expected ? `meets the stated stage, ${stated}` : `below the stated stage, ${stated}`;
  return { level, note };
}

/**
 * A verdict per technology that discriminates: replace what is unmaintained or risky (with the alternative),
 * watch what medium or high findings involve (they name it or its package), keep the rest and say why.
 */
function stackAssessment(model: SystemModel, concerns: Finding[]): StackItem[] {
  // observability findings name the stores a health check should probe: that is not how the store is used
  const serious = concerns.filter((f) => (f.severity === "high" || f.severity === "medium") && f.area !== "observability");
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return model.technologies.map((t) => {
    const risky = t.maintenance && t.maintenance !== "maintained";
    // the display name as written (`SQLAlchemy Session`), or the package used in code (`requests.post(`): not the word in prose
    const byName = new RegExp(`(^|[^A-Za-z0-9_-])${literal(t.name)}([^A-Za-z0-9_-]|$)`);
    const byPackage = t.package ? new RegExp(`(^|[^a-z0-9_-])${literal(t.package.toLowerCase().replace(/-/g, "_"))}(\\.[a-z_]|\\()`) : null;
    const involved = serious.filter((f) => byName.test(f.message) || (byPackage?.test(f.message) ?? false));
    const ids = [...new Set(involved.map((f) => f.id))];
    const base = t.note ?? (t.package ? "" : "infrastructure seen in deployment files");
    const verdict: StackItem["verdict"] = risky ? "replace" : ids.length ? "watch" : "keep";
    const reason = risky
      ? `${t.maintenance}${t.alternative ? "" : "; look for a maintained alternative"}`
      : ids.length
        ? `involved in ${involved.length} medium or high finding(s) (${ids.join(", ")}): keep it, and fix how it is used`
        : t.package
          ? "maintained, and no medium or high finding involves it"
          : "seen in deployment files; no medium or high finding involves it";
    const item: StackItem = {
      category: t.category,
      name: t.name,
      verdict,
      note: `${base ? `${base.replace(/\.?\s*$/, ".")} ` : ""}${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`,
      evidence: t.evidence.slice(0, 2),
    };
    if (t.alternative) item.alternative = t.alternative;
    return item;
  });
}

function nextSteps(concerns: Finding[], checks: readonly Check[]): NextStep[] {
  const byId = new Map<string, Finding[]>();
  for (const f of concerns) {
    if (f.severity === "info") continue;
    const list = byId.get(f.id) ?? [];
    list.push(f);
    byId.set(f.id, list);
  }
  const steps: NextStep[] = [];
  for (const [id, list] of byId) {
    const worst = list.reduce((a, b) => (severityRank(b.severity) < severityRank(a.severity) ? b : a));
    const check = checks.find((c) => c.id === id);
    steps.push({
      priority: PRIORITY[worst.severity as Exclude<Severity, "info">],
      checkId: id,
      title: check?.title ?? worst.title,
      effort: worst.effort,
      count: list.length,
      dependsOn: (check?.dependsOn ?? []).filter((d) => byId.has(d)),
      where: [...new Set(list.map((f) => (f.evidence[0] ? `${f.evidence[0].file}${f.evidence[0].line ? `:${f.evidence[0].line}` : ""}` : "")))].slice(0, 5),
    });
  }
  const order = { "must-fix": 0, "should-fix": 1, "nice-to-have": 2 };
  const effort = { S: 0, M: 1, L: 2 };
  return steps.sort((a, b) => order[a.priority] - order[b.priority] || effort[a.effort] - effort[b.effort] || compareCodeUnits(a.checkId, b.checkId));
}

function severityRank(s: Severity): number {
  return { high: 0, medium: 1, low: 2, info: 3 }[s];
}
