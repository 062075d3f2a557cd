import type { DocTopic } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { wholeSystemDesigns } from "./shared.js";

/** What each topic's absence costs, in one clause. */
const WHAT: Record<DocTopic, string> = {
  authentication: "who may call what, and how callers prove who they are",
  monitoring: "how the team learns that something is wrong (logs, metrics, alerts, error tracking)",
  scaling: "how the system grows with load (instances, replicas, capacity)",
  "failure handling": "what happens when a dependency is slow or down (timeouts, retries, fallbacks)",
  "backups and recovery": "how data is backed up and restored after a loss",
  deployment: "how the system is built, released and run",
  "testing and delivery": "how changes are verified before they reach production (tests, CI)",
};

export default defineCheck({
  id: "DOC002",
  area: "documents",
  title: "Review area the design document does not address",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A design review reads the document for what it leaves out as much as for what it says: a design with no word on failure handling, backups or monitoring has usually not decided them, and the gap surfaces in the first incident instead of the review.",
  recommendation: "Add a short section for each missing area: the decision, the mechanism (library, service, setting) and who owns it; an ADR per decision keeps the reasoning.",
  example: { bad: "Architecture document: components and data model only.", good: "Sections for authentication, failure handling, backups and recovery, monitoring, scaling and deployment, each with its mechanism." },
  references: ["https://c4model.com/", "https://arc42.org/overview"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const designs = wholeSystemDesigns(model);
    if (!designs) return [];
    const { docs, main } = designs;
    // the documents together: an architecture folder split into files, its decision records, the README's
    // architecture section and the pages the design links to cover what any of them covers
    const covered = new Set(model.designDocuments.flatMap((d) => [...Object.keys(d.topics), ...Object.keys(d.linkedTopics ?? {})]));
    const reports: Report[] = [];
    for (const topic of Object.keys(WHAT) as DocTopic[]) {
      if (covered.has(topic)) continue;
      reports.push({ message: `${main.file}${docs.length > 1 ? ` (and the ${docs.length - 1} other design document${docs.length === 2 ? "" : "s"})` : ""} says nothing about ${topic}: ${WHAT[topic]}.`, evidence: [{ file: main.file, line: null }] });
    }
    return reports;
  },
});
