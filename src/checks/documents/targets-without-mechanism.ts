import type { DesignDocument, DocNumber } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { designDocuments } from "./shared.js";

type MechanismName = keyof DesignDocument["mechanisms"];

/** The mechanisms that can meet each kind of target. */
const ANSWERS: Partial<Record<DocNumber["kind"], { needs: MechanismName[]; what: string }>> = {
  throughput: { needs: ["caching", "scaling out", "load testing", "queueing"], what: "no caching, scaling-out or load-testing story" },
  latency: { needs: ["caching", "load testing", "indexing", "queueing"], what: "no caching, indexing, load-testing or asynchronous-processing story" },
  availability: { needs: ["redundancy"], what: "no failover, standby, replica or multi-zone setup" },
};

export default defineCheck({
  id: "DOC005",
  area: "documents",
  title: "Stated target without a mechanism",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A number in a design document becomes a promise: 200 requests per second, p95 under 300 ms or 99.95 % availability are met by specific mechanisms (caches, more instances, load tests, failover). A target with none of them is a wish, and nobody finds out until the peak.",
  recommendation: "For each target, say how it is met and how it is verified: the cache and its hit rate, the instance count and what triggers scaling, the load test that proves the number, the failover for the availability target (and what it costs).",
  example: { bad: "'99.95 % availability' with one database instance and no failover.", good: "'99.95 % availability: multi-AZ PostgreSQL with automatic failover, two API instances behind the load balancer, tested quarterly.'" },
  references: ["https://sre.google/sre-book/service-level-objectives/"],
  effort: "S",
  libraries: ["locust"],
  run({ model }) {
    const docs = designDocuments(model);
    const mechanisms = new Set(docs.flatMap((d) => Object.keys(d.mechanisms)));
    const reports: Report[] = [];
    for (const doc of docs) {
      const done = new Set<string>();
      for (const n of doc.numbers) {
        const answer = ANSWERS[n.kind];
        if (!answer || done.has(n.kind)) continue;
        // an availability below three nines is not a promise that needs redundancy
        if (n.kind === "availability" && n.value < 99.9) continue;
        done.add(n.kind);
        if (answer.needs.some((m) => mechanisms.has(m))) continue;
        reports.push({ message: `${doc.file} states ${n.text} but describes ${answer.what}.`, evidence: [{ file: doc.file, line: n.line, snippet: n.text }] });
      }
    }
    return reports;
  },
});
