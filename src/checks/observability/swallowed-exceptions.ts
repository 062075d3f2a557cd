import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const BROAD = /^(Exception|BaseException|builtins\.Exception)$/;

export default defineCheck({
  id: "OBS007",
  area: "observability",
  title: "Exceptions swallowed",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "`except: pass` or `except Exception: pass` hides every failure in the block, including the ones nobody anticipated: data is silently lost or half-written, and the only symptom is wrong behaviour much later, with nothing in the logs to trace it to.",
  recommendation: "Catch the specific exceptions you expect; for anything broader, log it with `logger.exception(...)` (or report it to the error tracker) and re-raise or return an explicit error.",
  example: { bad: "try:\n    sync_inventory()\nexcept Exception:\n    pass", good: "try:\n    sync_inventory()\nexcept InventoryUnavailable:\n    logger.warning(\"inventory unavailable, will retry\")\nexcept Exception:\n    logger.exception(\"inventory sync failed\")\n    raise" },
  references: ["https://docs.python.org/3/tutorial/errors.html#handling-exceptions", "https://docs.astral.sh/ruff/rules/try-except-pass/"],
  effort: "S",
  libraries: ["structlog", "sentry-sdk"],
  run({ index }) {
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file)) continue;
      for (const e of mod.facts.excepts) {
        const broad = e.types.length === 0 || e.types.some((t) => BROAD.test(t.trim()));
        if (!broad || (e.body !== "pass" && e.body !== "continue")) continue;
        const what = e.types.length ? `except ${e.types.join(", ")}` : "a bare except";
        reports.push({ message: `${what} in ${e.enclosing ?? mod.name} discards the error (${e.body}) without logging it.`, evidence: [{ file: mod.file, line: e.line, snippet: `${e.types.length ? `except ${e.types.join(", ")}` : "except"}: ${e.body}` }] });
      }
    }
    return reports;
  },
});
