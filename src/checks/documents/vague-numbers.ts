import { defineCheck } from "../define.js";
import { joinAnd, wholeSystemDesigns } from "./shared.js";

export default defineCheck({
  id: "DOC006",
  area: "documents",
  title: "Design document without numbers",
  severity: "low",
  kind: "concern",
  confidence: "high",
  why: "Without an expected load, a latency target and a data volume, no one can tell whether the design is over- or under-built, and every later scaling decision is argued from taste.",
  recommendation: "State the expected scale (peak requests per second, users), the latency target (p95 or p99) and the data volume with its growth; rough orders of magnitude are enough to size pools, workers and storage.",
  example: { bad: "'The API must be fast and scale to many users.'", good: "'Peak 200 requests/s; p95 < 300 ms for reads; 10 GB growing 1 GB a month.'" },
  references: ["https://sre.google/sre-book/service-level-objectives/"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const designs = wholeSystemDesigns(model);
    if (!designs) return [];
    const { docs, main } = designs;
    const kinds = new Set(docs.flatMap((d) => d.numbers.map((n) => n.kind)));
    const missing = [
      kinds.has("throughput") || kinds.has("users") || kinds.has("messages") ? "" : "expected load (requests per second or users)",
      kinds.has("latency") ? "" : "latency target",
      kinds.has("data") ? "" : "data volume",
    ].filter(Boolean);
    if (!missing.length) return [];
    return [{ message: `${main.file} states no ${joinAnd(missing)}.`, evidence: [{ file: main.file, line: null }] }];
  },
});
