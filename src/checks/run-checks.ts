import type { Diagnostic } from "../core/diagnostics.js";
import { compareCodeUnits } from "../core/diagnostics.js";
import type { ProjectIndex } from "../python/project-index.js";
import { fileRole, ROLE_LABELS, runsInProduction } from "../core/file-roles.js";
import { fingerprint } from "./fingerprint.js";
import { reachableWithDependencies } from "./handlers.js";
import { adjustSeverity } from "./severity.js";
import { AREAS, type Check, type CheckInput, type Finding, SEVERITY_ORDER } from "./types.js";

export interface RunOptions {
  /** Ignore inline `# archscope: ignore[...]` comments (the reviewed repository is untrusted). */
  isolated: boolean;
  /** When given, each check's run time is added here under its id (for the benchmark's breakdown). */
  timings?: Map<string, number>;
}

/** Check stage: runs every check, applies context severity, fingerprints, suppressions, and sorts. */
export function runChecks(checks: readonly Check[], input: CheckInput, options: RunOptions): { findings: Finding[]; diagnostics: Diagnostic[] } {
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const check of checks) {
    let reports: ReturnType<Check["run"]>;
    const started = options.timings ? performance.now() : 0;
    try {
      reports = check.run(input);
    } catch (error) {
      diagnostics.push({ level: "error", code: "invalid-config", message: `check ${check.id} failed: ${(error as Error).message}` });
      continue;
    } finally {
      if (options.timings) options.timings.set(check.id, (options.timings.get(check.id) ?? 0) + performance.now() - started);
    }
    for (const report of reports) {
      const base = report.severity ?? check.severity;
      const adjusted = check.kind === "concern" ? adjustSeverity(check.id, check.area, base, input.context) : { severity: base };
      const finding: Finding = {
        id: check.id,
        area: check.area,
        kind: check.kind,
        severity: check.kind === "strength" ? "info" : adjusted.severity,
        title: check.title,
        message: report.message,
        evidence: report.evidence,
        fingerprint: "",
        recommendation: check.recommendation,
        effort: check.effort,
        confidence: report.confidence ?? check.confidence,
        libraries: check.libraries,
      };
      if (adjusted.note) finding.severityNote = adjusted.note;
      applyFileRole(finding);
      if (AUDIENCE_MATTERS.has(check.id)) applyAudience(finding, input);
      findings.push(finding);
    }
  }
  assignFingerprints(findings);
  if (!options.isolated) applySuppressions(findings, input.index);
  return { findings: sortFindings(findings), diagnostics };
}

/**
 * A concern whose primary evidence is a file that does not run in production (a test, a fixture,
 * development tooling, an example) is low at most, and says which role decided it. Design-document
 * findings are exempt: they are about the documents.
 */
function applyFileRole(finding: Finding): void {
  const file = finding.evidence[0]?.file;
  // design-document findings are about documents: a document's folder does not make them matter less
  if (!file || finding.area === "documents") return;
  const role = fileRole(file);
  if (role === "application") return;
  finding.role = role;
  if (finding.kind !== "concern" || runsInProduction(role)) return;
  finding.message = `${finding.message} (in ${ROLE_LABELS[role]}, not the running service)`;
  if (finding.severity !== "high" && finding.severity !== "medium") return;
  finding.severityNote = `lowered from ${finding.severity}: ${file} is ${ROLE_LABELS[role]}`;
  finding.severity = "low";
}

/**
 * Concerns whose harm depends on who sends the request and how often: an unvalidated body or a payload unpacked
 * into a model behind an administrators-only route, or queries in a loop on a page a few trusted people open, are
 * a lesser risk than the same on a public route. (An unpaged list is not: the table grows whoever reads it.)
 */
const AUDIENCE_MATTERS = new Set(["API004", "DB002", "DB003", "DB011", "SEC025"]);
const ADMIN = /\b\w*(admin|staff|superuser)\w*\b/i;

interface Audience {
  adminOnly: Set<string>;
  reason: Map<string, string>;
}

const AUDIENCES = new WeakMap<ProjectIndex, Audience>();

/** Functions only routes restricted to administrators reach (their handlers and what those call), with why. */
function audienceOf(input: CheckInput): Audience {
  const cached = AUDIENCES.get(input.index);
  if (cached) return cached;
  const admin = input.model.endpoints.filter((e) => e.auth === true && ADMIN.test(e.authReason));
  const others = input.model.endpoints.filter((e) => !(e.auth === true && ADMIN.test(e.authReason)));
  const roots = (list: typeof admin) => [...list.map((e) => e.handler), ...list.flatMap((e) => e.dependencies ?? [])];
  const adminReach = admin.length ? reachableWithDependencies(input.index, roots(admin)) : new Set<string>();
  const otherReach = reachableWithDependencies(input.index, roots(others));
  const reason = new Map(admin.map((e) => [e.handler, e.authReason]));
  const audience: Audience = { adminOnly: new Set([...adminReach].filter((id) => !otherReach.has(id))), reason };
  AUDIENCES.set(input.index, audience);
  return audience;
}

function applyAudience(finding: Finding, input: CheckInput): void {
  if (finding.kind !== "concern" || (finding.severity !== "high" && finding.severity !== "medium")) return;
  const primary = finding.evidence[0];
  if (!primary?.file || primary.line === null) return;
  const audience = audienceOf(input);
  if (!audience.adminOnly.size) return;
  const fn = innermostFunction(input.index, primary.file, primary.line);
  if (!fn || !audience.adminOnly.has(fn)) return;
  const lowered = finding.severity === "high" ? "medium" : "low";
  const why = audience.reason.get(fn);
  finding.severityNote = `lowered from ${finding.severity}: only administrators reach it${why ? ` (${why.length > 80 ? `${why.slice(0, 80)}…` : why})` : ""}`;
  finding.severity = lowered;
}

/** The innermost function whose body holds `file:line`, by id. */
function innermostFunction(index: ProjectIndex, file: string, line: number): string | null {
  const module = index.moduleByFile.get(file);
  if (!module) return null;
  let best: { id: string; span: number } | null = null;
  for (const fact of index.modules.get(module)?.facts.functions ?? []) {
    if (line < fact.line || line > fact.endLine) continue;
    const span = fact.endLine - fact.line;
    if (!best || span < best.span) best = { id: `${module}.${fact.qualname}`, span };
  }
  return best?.id ?? null;
}

function assignFingerprints(findings: Finding[]): void {
  const occurrences = new Map<string, number>();
  // occurrence order must not depend on check order: number them in source order
  const ordered = [...findings].sort((a, b) => compareCodeUnits(a.evidence[0]?.file ?? "", b.evidence[0]?.file ?? "") || (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0) || compareCodeUnits(a.id, b.id) || compareCodeUnits(a.message, b.message));
  for (const f of ordered) {
    const primary = f.evidence[0];
    // without a snippet: a finding about something absent (no line) is one per check and file, whatever its
    // message counts today; otherwise the message with its numbers masked, so that counts that grow keep it
    const snippet = primary?.snippet ?? (primary?.line === null ? "" : f.message.replace(/\d+/g, "#"));
    const key = `${f.id}\0${primary?.file ?? ""}\0${snippet.replace(/\s+/g, " ").trim()}`;
    const n = occurrences.get(key) ?? 0;
    occurrences.set(key, n + 1);
    f.fingerprint = fingerprint(f.id, primary?.file ?? "", snippet, n);
  }
}

/** `# archscope: ignore[ID] reason` on the primary evidence line or the line above it. */
function applySuppressions(findings: Finding[], index: ProjectIndex): void {
  for (const f of findings) {
    const primary = f.evidence[0];
    if (!primary || primary.line === null) continue;
    const mod = index.moduleByFile.get(primary.file);
    const facts = mod ? index.modules.get(mod)?.facts : undefined;
    const hit = facts?.suppressions.find((s) => (s.line === primary.line || s.line === (primary.line as number) - 1) && (s.ids.includes(f.id) || s.ids.includes("ALL")));
    if (!hit) continue;
    f.suppressed = true;
    f.suppressionReason = hit.reason || "no reason given";
  }
}

const AREA_ORDER = new Map(AREAS.map((a, i) => [a, i]));

/** Area A–J then documents, severity high→info, file (by code unit), line, id. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (AREA_ORDER.get(a.area) ?? 99) - (AREA_ORDER.get(b.area) ?? 99) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compareCodeUnits(a.evidence[0]?.file ?? "", b.evidence[0]?.file ?? "") ||
      (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0) ||
      compareCodeUnits(a.id, b.id) ||
      compareCodeUnits(a.fingerprint, b.fingerprint),
  );
}
