import { checkById } from "../checks/registry.js";
import type { CheckMeta, Finding, Severity } from "../checks/types.js";
import type { Evidence } from "../model/types.js";
import type { Review } from "../review/types.js";
import { stripControl } from "./escape.js";

/**
 * SARIF 2.1.0 (OASIS), the format GitHub code scanning and other viewers read. One run; one rule per check that
 * reported something, with its prose as help; one result per concern. Paths are relative to `%SRCROOT%` (the
 * reviewed root); a finding about something absent points at the file where the fix belongs, with no region.
 * Strengths are not results. Text from the reviewed repository is plain text without control characters.
 */
export function renderSarif(review: Review): string {
  const concerns = review.findings.filter((f) => f.kind === "concern");
  const ids = [...new Set(concerns.map((f) => f.id))].sort();
  const rules = ids.map((id) => rule(id, checkById(id)));
  const index = new Map(ids.map((id, i) => [id, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "archscope",
            semanticVersion: review.tool.version,
            version: review.tool.version,
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The root of the reviewed repository." } } },
        invocations: [{ executionSuccessful: true }],
        columnKind: "unicodeCodePoints",
        results: concerns.map((f) => result(f, index.get(f.id) as number)),
        properties: { project: clean(review.project), readiness: review.summary.readiness },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { high: "error", medium: "warning", low: "note", info: "note" };
/** GitHub reads `security-severity` (0-10) to rank security alerts: high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9. */
const SECURITY_SEVERITY: Record<Severity, string> = { high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };

function rule(id: string, meta: CheckMeta | undefined) {
  if (!meta) return { id, name: id, shortDescription: { text: id } };
  const security = meta.area === "security" || meta.cwe !== undefined;
  const cwe = meta.cwe ? /CWE-(\d+)/.exec(meta.cwe)?.[1] : undefined;
  const tags = [...new Set([meta.area, ...(security ? ["security"] : []), ...(cwe ? [`external/cwe/cwe-${cwe}`] : []), ...(meta.owasp ? [`external/owasp/${meta.owasp}`] : [])])];
  const example = meta.example ? `\n\nInstead of:\n\n${meta.example.bad}\n\nwrite:\n\n${meta.example.good}` : "";
  // design-document checks show prose, the others Python
  const lang = meta.area === "documents" ? "text" : "python";
  const exampleMd = meta.example ? `\n\n**Instead of**\n\n\`\`\`${lang}\n${meta.example.bad}\n\`\`\`\n\n**write**\n\n\`\`\`${lang}\n${meta.example.good}\n\`\`\`` : "";
  const libraries = meta.libraries.length ? `\n\nLibraries: ${meta.libraries.join(", ")}.` : "";
  const references = meta.references.length ? `\n\n${meta.references.map((r) => `- ${r}`).join("\n")}` : "";
  return {
    id,
    name: pascal(meta.title),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.why },
    help: {
      text: `${meta.why}\n\n${meta.recommendation}${example}${libraries}${references}`,
      markdown: `${meta.why}\n\n**Fix.** ${meta.recommendation}${exampleMd}${libraries}${references}`,
    },
    ...(meta.references[0] ? { helpUri: meta.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags,
      precision: meta.confidence === "high" ? "high" : meta.confidence === "medium" ? "medium" : "low",
      ...(security ? { "security-severity": SECURITY_SEVERITY[meta.severity] } : {}),
      area: meta.area,
      effort: meta.effort,
    },
  };
}

function result(f: Finding, ruleIndex: number) {
  const [primary, ...related] = f.evidence.filter((e) => e.file);
  return {
    ruleId: f.id,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: clean(f.message) },
    ...(primary ? { locations: [location(primary)] } : {}),
    ...(related.length ? { relatedLocations: related.map((e, i) => ({ id: i + 1, ...location(e) })) } : {}),
    partialFingerprints: { "archscopeFingerprint/v1": f.fingerprint },
    ...(f.suppressed ? { suppressions: [{ kind: "inSource", ...(f.suppressionReason ? { justification: clean(f.suppressionReason) } : {}) }] } : {}),
    properties: {
      severity: f.severity,
      confidence: f.confidence,
      area: f.area,
      effort: f.effort,
      ...(f.role ? { role: f.role } : {}),
      ...(f.severityNote ? { severityNote: f.severityNote } : {}),
      ...(f.severity !== "info" && (checkById(f.id)?.area === "security" || checkById(f.id)?.cwe) ? { "security-severity": SECURITY_SEVERITY[f.severity] } : {}),
    },
  };
}

function location(e: Evidence) {
  const region = e.line
    ? { region: { startLine: e.line, ...(e.endLine && e.endLine > e.line ? { endLine: e.endLine } : {}), ...(e.snippet ? { snippet: { text: clean(e.snippet) } } : {}) } }
    : {};
  return { physicalLocation: { artifactLocation: { uri: uri(e.file), uriBaseId: "%SRCROOT%" }, ...region } };
}

/** A relative POSIX path as a URI reference: each segment percent-encoded (spaces, `#`, `%`, `?`). */
function uri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function clean(text: string): string {
  return stripControl(text);
}

function pascal(title: string): string {
  return title
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}
