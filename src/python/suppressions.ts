import type { SuppressionFact } from "./facts.js";

const SUPPRESSION = /#\s*archscope:\s*ignore\[([A-Za-z0-9_,\s-]+)\]\s*(.*)$/;

/** Inline suppressions: `# archscope: ignore[SEC003, DB006] reason`, one per line. */
export function scanSuppressions(source: string): SuppressionFact[] {
  const out: SuppressionFact[] = [];
  if (!source.includes("archscope:")) return out;
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    // a CRLF file leaves "\r" at the end of each line, where `(.*)$` cannot match past it
    const match = SUPPRESSION.exec((lines[i] ?? "").replace(/\r$/, ""));
    if (!match) continue;
    const ids = (match[1] ?? "")
      .split(",")
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    out.push({ line: i + 1, ids, reason: (match[2] ?? "").trim() });
  }
  return out;
}
