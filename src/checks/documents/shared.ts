import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { CONCEPTS, type Concept } from "../../model/documents/vocabulary.js";
import type { DesignDocument, DocMention, Evidence, SystemModel, Technology } from "../../model/types.js";
export { joinAnd, plural } from "../../core/prose.js";

export const CONCEPT_BY_KEY = new Map(CONCEPTS.map((c) => [c.key, c]));

/** Architecture and design documents (decision records are read for drift only). */
export function designDocuments(model: SystemModel): DesignDocument[] {
  return model.designDocuments.filter((d) => d.role === "design");
}

/**
 * A document that sets out to describe the whole system, so that what it leaves out is a gap: long enough,
 * and either drawing the system or touching at least three review topics. A note about one part is not.
 */
export function substantial(doc: DesignDocument): boolean {
  return doc.scope !== "component" && doc.lines >= 20 && doc.headings.length >= 2 && (drawsSystem(doc) || Object.keys(doc.topics).length >= 3);
}

/** The document readers treat as the design: the longest design document. */
export function mainDocument(docs: DesignDocument[]): DesignDocument | undefined {
  return [...docs].sort((a, b) => b.lines - a.lines || (a.file < b.file ? -1 : 1))[0];
}

/** Whether there is code to compare a document with: a review of a document alone has none. */
export function hasCode(model: SystemModel): boolean {
  return model.importGraph.modules > 0 || model.dependencies.length > 0;
}

/** Code technologies (or runtime dependencies the catalog does not know) that realise a concept, from files that run in production. */
export function realisedBy(model: SystemModel, concept: Concept): Technology[] {
  const techs = model.technologies.filter((t) => concept.code.test(t.name) && t.evidence.some((e) => runsInProduction(fileRole(e.file))));
  if (techs.length || !concept.packages) return techs;
  const packages = concept.packages;
  return model.dependencies
    .filter((d) => !d.dev && packages.test(d.name) && runsInProduction(fileRole(d.manifest)))
    .map((d) => ({ name: d.name, category: concept.kind, package: d.name, evidence: [{ file: d.manifest, line: d.line }] }));
}

/** The concept a code technology realises, if the document vocabulary has one. */
export function conceptOf(tech: Technology): Concept | undefined {
  return CONCEPTS.find((c) => c.code.test(tech.name));
}

export function mentionEvidence(doc: DesignDocument, m: DocMention): Evidence {
  return { file: doc.file, line: m.line, snippet: m.text };
}

/** The whole-system design documents, and the main one (the longest), when there is one. */
export function wholeSystemDesigns(model: SystemModel): { docs: DesignDocument[]; main: DesignDocument } | null {
  const docs = designDocuments(model).filter(substantial);
  const main = mainDocument(docs);
  return main ? { docs, main } : null;
}

/** A drawing of the system's parts (flowchart, C4, component diagram), not an interaction sequence. */
export function drawsSystem(doc: DesignDocument): boolean {
  return doc.diagrams.some((d) => d.kind !== "sequence" && d.kind !== "other" && d.nodes.length >= 3);
}
