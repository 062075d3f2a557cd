import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

export default defineCheck({
  id: "OBS001",
  area: "observability",
  title: "print used for diagnostics",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "`print` bypasses logging: no level, no logger name, no request id, no structured fields, and it is lost or interleaved under a process manager. Operators cannot filter it or alert on it.",
  recommendation: "Use the project's logger (`logger = logging.getLogger(__name__)` or structlog) with a level and fields; keep `print` for CLIs and scripts.",
  example: { bad: 'print(f"released {n} units")', good: 'log.info("stock_released", units=n, orders=len(stale))' },
  references: ["https://docs.python.org/3/howto/logging.html", "https://docs.astral.sh/ruff/rules/print/"],
  effort: "S",
  libraries: ["structlog"],
  run({ index }) {
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      // scripts and modules run as programs print on purpose
      if (!isServiceCode(mod.file) || mod.facts.hasMainGuard) continue;
      for (const call of mod.facts.calls) {
        if (call.qualified !== "print" || call.enclosing === null) continue;
        reports.push({ message: `print() in ${call.enclosing} writes diagnostics outside the logging system.`, evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }] });
      }
    }
    return reports;
  },
});
