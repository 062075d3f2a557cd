import type { FixedFinding, ReviewDiff } from "../review/baseline.js";
import { stripControl } from "./escape.js";

/** The diff for a terminal: counts, then the new and the fixed concerns, one line each; repository text stripped of control characters. */
export function renderDiff(diff: ReviewDiff, oldFile: string, newFile: string): string {
  const line = (f: FixedFinding) => `  ${f.severity.toUpperCase()} ${f.id} ${stripControl(f.file)}${f.line ? `:${f.line}` : ""}  ${stripControl(f.message || f.title)}`;
  const out = [`${stripControl(oldFile)} → ${stripControl(newFile)}: ${diff.new.length} new, ${diff.fixed.length} fixed, ${diff.unchanged.length} unchanged`];
  if (diff.new.length) out.push("", "New", ...diff.new.map(line));
  if (diff.fixed.length) out.push("", "Fixed", ...diff.fixed.map(line));
  return `${out.join("\n")}\n`;
}
