import type { LinterWaiverFact, SuppressionFact } from "./facts.js";

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

const NOQA = /#\s*noqa:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)/;
const NOSEC = /#\s*nosec\b\s*([A-Z][0-9]+(?:\s*,\s*[A-Z][0-9]+)*)?/;

/**
 * Security waivers the team already wrote for another tool: Ruff/flake8-bandit `# noqa: S608`,
 * Bandit `# nosec B608` (a bare `# nosec` waives everything, written `*`). A finding on such a
 * line was reviewed once by a person; it is reported, lowered, and says so.
 */
export function scanLinterWaivers(source: string): LinterWaiverFact[] {
  const out: LinterWaiverFact[] = [];
  if (!source.includes("noqa") && !source.includes("nosec")) return out;
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!line.includes("#")) continue;
    const noqa = NOQA.exec(line);
    const codes = noqa ? (noqa[1] ?? "").split(",").map((c) => c.trim()).filter((c) => /^S\d+$/.test(c)) : [];
    const nosec = NOSEC.exec(line);
    if (nosec) codes.push(...(nosec[1] ? nosec[1].split(",").map((c) => c.trim()) : ["*"]));
    if (codes.length) out.push({ line: i + 1, codes });
  }
  return out;
}
