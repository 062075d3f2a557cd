import pc from "picocolors";
import { AREA_TITLES } from "../checks/types.js";
import type { Review } from "../review/types.js";
import { stripControl } from "./escape.js";

export interface TerminalOptions {
  color: boolean;
  /** Files written, shown at the end. */
  written?: string[];
  /** Timings: terminal only, never in report files. */
  timing?: { totalMs: number; parsed: number; fromCache: number; reused?: boolean };
  top?: number;
}

/** A short summary for people: counts by severity and area, top findings, where files went. */
export function renderTerminal(review: Review, options: TerminalOptions): string {
  const c = pc.createColors(options.color);
  const sev = { high: c.red(c.bold("HIGH")), medium: c.yellow("MEDIUM"), low: c.cyan("LOW"), info: c.dim("INFO") };
  const { counts } = review.summary;
  const lines: string[] = [];
  lines.push(c.bold(`archscope ${review.tool.version}: ${stripControl(review.project)}`));
  lines.push(review.documentOnly ? "a design document reviewed on its own: the areas other than K need the code" : `${review.model.endpoints.length} endpoints, ${review.model.importGraph.modules} modules, ${review.model.technologies.length} technologies detected`);
  lines.push(`${sev.high} ${counts.high}  ${sev.medium} ${counts.medium}  ${sev.low} ${counts.low}  strengths ${counts.strengths}  suppressed ${counts.suppressed}`);
  if (review.baseline) lines.push(`Since the baseline: ${review.baseline.new} new, ${review.baseline.unchanged} unchanged, ${review.baseline.fixed.length} fixed`);
  const areas = review.areas.filter((a) => a.high + a.medium + a.low > 0);
  if (areas.length) {
    lines.push("", c.bold("By area"));
    for (const a of areas) lines.push(`  ${AREA_TITLES[a.area].padEnd(46)} ${a.grade ?? "-"} ${String(a.high).padStart(2)} high ${String(a.medium).padStart(2)} medium ${String(a.low).padStart(2)} low`);
  }
  const top = review.findings.filter((f) => !f.suppressed && f.kind === "concern").slice(0);
  top.sort((a, b) => ({ high: 0, medium: 1, low: 2, info: 3 })[a.severity] - ({ high: 0, medium: 1, low: 2, info: 3 })[b.severity]);
  const shown = top.slice(0, options.top ?? 10);
  if (shown.length) {
    lines.push("", c.bold("Top findings"));
    for (const f of shown) {
      const e = f.evidence[0];
      const where = e ? `${e.file}${e.line ? `:${e.line}` : ""}` : "";
      lines.push(`  ${sev[f.severity]} ${f.id} ${stripControl(f.title)}${f.baseline === "new" ? c.bold(" (new)") : ""}`);
      lines.push(`    ${c.dim(stripControl(where))}  ${stripControl(f.message)}`);
    }
    if (top.length > shown.length) lines.push(c.dim(`  … and ${top.length - shown.length} more in the report`));
  }
  lines.push("", `${c.bold("Readiness:")} ${stripControl(review.summary.readiness)}`);
  if (options.written?.length) {
    lines.push("", c.bold("Written"));
    for (const w of options.written) lines.push(`  ${w}`);
  }
  if (options.timing) {
    const how = options.timing.reused ? "no file changed since the last review: reused from the cache" : `${options.timing.parsed} files parsed, ${options.timing.fromCache} from cache`;
    lines.push(c.dim(`Done in ${(options.timing.totalMs / 1000).toFixed(2)} s (${how}).`));
  }
  return `${lines.join("\n")}\n`;
}
