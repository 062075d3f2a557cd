import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { CONCEPT_BY_KEY, designDocuments } from "./shared.js";

export default defineCheck({
  id: "DOC003",
  area: "documents",
  title: "Single point of failure in the design",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A stateful component that runs once (one database server, one broker node) takes the whole system down with it, and its data with it when the disk goes; when the design says so and names no replica or failover, the availability of everything rests on one machine.",
  recommendation: "Run the stateful component with a replica and automatic failover (a managed multi-AZ database, Redis with replicas and Sentinel or a managed cluster, a quorum of brokers), or state the accepted downtime and the recovery procedure.",
  example: { bad: "'One PostgreSQL instance on the app server.'", good: "'Managed PostgreSQL, multi-AZ with automatic failover; point-in-time recovery for 7 days.'" },
  references: ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html"],
  effort: "M",
  libraries: [],
  run({ model }) {
    const docs = designDocuments(model);
    const reports: Report[] = [];
    const seen = new Set<string>();
    for (const doc of docs) {
      for (const s of doc.singletons) {
        const concept = CONCEPT_BY_KEY.get(s.concept);
        // a replica or failover named for this component anywhere in the documents answers it
        if (!concept || seen.has(concept.key) || docs.some((d) => d.singletons.some((x) => x.concept === s.concept && x.answered))) continue;
        seen.add(concept.key);
        reports.push({ message: `${doc.file} describes ${concept.name} running as one instance, and names no replica or failover for it.`, evidence: [{ file: doc.file, line: s.line, snippet: s.text }] });
      }
    }
    return reports;
  },
});
