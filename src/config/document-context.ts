import type { ContextInput, ReviewContext } from "../checks/context.js";
import type { DesignDocument, DocNumber } from "../model/types.js";

/** The number a document states for a field: the largest load, the tightest p99, the highest availability. */
function pick(numbers: Array<{ doc: DesignDocument; n: DocNumber }>, kind: DocNumber["kind"], best: "max" | "min", filter: (n: DocNumber) => boolean = () => true) {
  const found = numbers.filter(({ n }) => n.kind === kind && filter(n));
  if (!found.length) return null;
  return found.reduce((a, b) => ((best === "max" ? b.n.value > a.n.value : b.n.value < a.n.value) ? b : a));
}

/**
 * The context with what the design documents state where the team stated nothing: peak load, users, data
 * volume, p99 latency, availability, and the web tier's instance count; each with the line it came from.
 * A number the team gave always wins over the document's.
 */
export function withDocumentContext(context: ReviewContext, documents: DesignDocument[]): ReviewContext {
  const numbers = documents.filter((d) => d.role === "design").flatMap((doc) => doc.numbers.map((n) => ({ doc, n })));
  if (!numbers.length) return context;
  const out: ReviewContext = { ...context };
  const sources: NonNullable<ReviewContext["fromDocuments"]> = {};
  const take = (field: keyof ContextInput, hit: ReturnType<typeof pick>, value?: number) => {
    if (!hit || out[field] !== undefined) return;
    (out as unknown as Record<string, unknown>)[field] = value ?? hit.n.value;
    sources[field] = { file: hit.doc.file, line: hit.n.line, text: hit.n.text };
  };
  take("peak_rps", pick(numbers, "throughput", "max"));
  const users = pick(numbers, "users", "max");
  take("users", users, users ? Math.round(users.n.value) : undefined);
  take("data_volume_gb", pick(numbers, "data", "max"));
  take("latency_p99_ms", pick(numbers, "latency", "min", (n) => n.percentile === "p99"));
  take("availability_target", pick(numbers, "availability", "max"));
  if (Object.keys(sources).length) out.fromDocuments = sources;
  const instances = pick(numbers, "instances", "max");
  if (instances) out.documentedInstances = { count: instances.n.value, file: instances.doc.file, line: instances.n.line, text: instances.n.text };
  return out;
}
