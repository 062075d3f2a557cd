import { INFRASTRUCTURE_KINDS } from "../../model/documents/vocabulary.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { CONCEPT_BY_KEY, designDocuments, mentionEvidence } from "./shared.js";

/** The concept's name, with the words the document used when they differ (`Redis (ElastiCache)`). */
function said(key: string, text: string): string {
  const name = CONCEPT_BY_KEY.get(key)?.name ?? key;
  return name.toLowerCase().includes(text.toLowerCase()) ? name : `${name} (${text})`;
}

export default defineCheck({
  id: "DOC007",
  area: "documents",
  title: "Diagram and text disagree",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Readers trust the diagram first. A store or queue that the text describes and the diagram leaves out (or the other way round) means one of them is out of date, and the reader cannot tell which.",
  recommendation: "Make the diagram and the text name the same components: add the missing node and its connections, or remove what is no longer there; keeping the diagram as Mermaid next to the text makes them change together.",
  example: { bad: "Text: 'Search is served by Elasticsearch.' Diagram: no search node.", good: "The diagram has a node for every store and queue the text names." },
  references: ["https://c4model.com/"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const reports: Report[] = [];
    for (const doc of designDocuments(model)) {
      if (!doc.diagrams.some((d) => d.nodes.length >= 2)) continue;
      const infra = (key: string) => INFRASTRUCTURE_KINDS.has(CONCEPT_BY_KEY.get(key)?.kind ?? "auth");
      const inDiagram = doc.mentions.filter((m) => m.section === "diagram" && !m.negated && infra(m.concept));
      const inText = doc.mentions.filter((m) => m.section !== "diagram" && !m.negated && infra(m.concept));
      const drawn = new Set(inDiagram.map((m) => m.concept));
      const written = new Set(inText.map((m) => m.concept));
      const seen = new Set<string>();
      for (const m of inText) {
        if (drawn.has(m.concept) || seen.has(m.concept)) continue;
        seen.add(m.concept);
        reports.push({ message: `The text of ${doc.file} names ${said(m.concept, m.text)}, but its diagram has no node for it.`, evidence: [mentionEvidence(doc, m), { file: doc.file, line: doc.diagrams[0]?.line ?? null }] });
      }
      // a page that is only a diagram has no text to disagree with
      for (const m of written.size ? inDiagram : []) {
        if (written.has(m.concept) || seen.has(m.concept)) continue;
        seen.add(m.concept);
        reports.push({ message: `The diagram in ${doc.file} shows ${said(m.concept, m.text)}, but the text never mentions it.`, evidence: [mentionEvidence(doc, m)] });
      }
    }
    return reports;
  },
});
