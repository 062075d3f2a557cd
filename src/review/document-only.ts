import { CONCEPTS } from "../model/documents/vocabulary.js";
import type { DesignDocument } from "../model/types.js";
import type { Review } from "./types.js";
import { joinAnd } from "../core/prose.js";

/** How to get what only the code can tell. */
export const WITH_CODE = "review the repository with the document (archscope review PATH --doc FILE)";
/** What only the code can tell: said once, in the summary, and again where each section would need it. */
export const NEEDS_CODE = `needs the code: ${WITH_CODE}`;

/** What a document is, for a reader. */
export function documentKind(doc: DesignDocument): string {
  return doc.role === "adr" ? "decision record" : doc.role === "readme" ? "README architecture section" : "design";
}

/** The technologies a document names, by their vocabulary names. */
export function namedTechnologies(doc: DesignDocument): string[] {
  const names = new Map(CONCEPTS.map((c) => [c.key, c.name]));
  return [...new Set(doc.mentions.filter((m) => !m.negated).map((m) => names.get(m.concept) ?? m.concept))];
}

/**
 * A review of a design document on its own: the summary says what the document describes and which parts of
 * the review need the code; areas other than the documents' are not assessed; readiness and maturity are not
 * judged from a document; the checklist is unknown throughout.
 */
export function documentOnlyReview(review: Review): Review {
  const doc = review.model.designDocuments[0];
  const counts = review.summary.counts;
  const total = counts.high + counts.medium + counts.low;
  const named = doc ? namedTechnologies(doc) : [];
  const numbers = doc ? doc.numbers.map((n) => n.text) : [];
  const diagrams = doc?.diagrams.length ?? 0;
  const what = doc
    ? `Design document ${doc.file} ("${doc.title}"), reviewed on its own: it names ${named.length ? joinAnd(named) : "no technology archscope knows"}${numbers.length ? `, states ${joinAnd(numbers.slice(0, 5))}` : " and states no numbers"}${diagrams ? `, and has ${diagrams} diagram${diagrams === 1 ? "" : "s"}` : ""}.`
    : "No readable design document.";
  const found = total ? ` ${total} concern${total === 1 ? "" : "s"} in the document (${counts.high} high, ${counts.medium} medium, ${counts.low} low).` : " The design-document checks found no concern.";
  const code = " Endpoints, data models, stack verdicts, capacity figures and the security checklist need the code: review the repository with the document to hold the two against each other (drift).";
  return {
    ...review,
    documentOnly: true,
    summary: {
      ...review.summary,
      assessment: `${what}${found}${code}`,
      readiness: "Not assessed: a design document on its own cannot show whether the system is ready; review it with the code.",
      maturity: { level: null, note: "not assessed from a document alone" },
    },
    areas: review.areas.map((a) => (a.area === "documents" ? a : { ...a, score: null, grade: null, reasons: [NEEDS_CODE] })),
    stack: [],
    securityChecklist: review.securityChecklist.map((c) => ({ ...c, status: "unknown", detail: "only the code can tell" })),
  };
}
