import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { CONCEPT_BY_KEY, designDocuments, joinAnd, plural } from "./shared.js";

export default defineCheck({
  id: "DOC001",
  area: "documents",
  title: "What the design document describes",
  severity: "info",
  kind: "info",
  confidence: "high",
  why: "The review reads the design document into the same terms as the code: the components and technologies it names, the numbers it states, its diagrams. This is what the other DOC checks and the drift comparison work from.",
  recommendation: "Check that this summary matches what the document means to say; a technology or number missing here was not recognised and will not be compared with the code.",
  references: ["https://c4model.com/"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const reports: Report[] = [];
    for (const doc of designDocuments(model)) {
      const named = [...new Set(doc.mentions.filter((m) => !m.negated && !m.option).map((m) => CONCEPT_BY_KEY.get(m.concept)?.name ?? m.concept))];
      const options = [...new Set(doc.mentions.filter((m) => !m.negated && m.option).map((m) => CONCEPT_BY_KEY.get(m.concept)?.name ?? m.concept))].filter((n) => !named.includes(n));
      const denied = [...new Set(doc.mentions.filter((m) => m.negated).map((m) => CONCEPT_BY_KEY.get(m.concept)?.name ?? m.concept))].filter((n) => !named.includes(n) && !options.includes(n));
      const numbers = doc.numbers.map((n) => n.text);
      const diagrams = doc.diagrams.map((d) => `a ${d.kind} diagram with ${plural(d.nodes.length, "component")} and ${plural(d.edges.length, "connection")}`);
      const parts = [
        doc.styles.length ? `describes a ${joinAnd(doc.styles.map((x) => x.style))} architecture` : "",
        named.length ? `names ${joinAnd(named)}` : "names no technology archscope knows",
        options.length ? `considers ${joinAnd(options)} as ${options.length === 1 ? "an option" : "options"}` : "",
        denied.length ? `says ${joinAnd(denied)} ${denied.length === 1 ? "is" : "are"} not used` : "",
        numbers.length ? `states ${joinAnd(numbers.slice(0, 6))}` : "states no numbers",
        diagrams.length ? `has ${joinAnd(diagrams)}` : "has no diagram archscope can read",
        doc.claims.length ? `claims ${plural(doc.claims.length, "rule")} about every route` : "",
      ].filter(Boolean);
      reports.push({ message: `${doc.file} (${doc.title}) ${joinAnd(parts)}.`, evidence: [{ file: doc.file, line: doc.headings[0]?.line ?? 1, snippet: doc.title }] });
    }
    return reports;
  },
});
