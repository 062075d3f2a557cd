import { isServiceCode } from "../code-paths.js";
import { requestPath, taskPath } from "../handlers.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { byRole, GROUP_FROM } from "../grouping.js";

const BROAD = /^(Exception|BaseException|builtins\.Exception)$/;
/** Calls whose failure is safe to ignore: cleanup, shutdown, telemetry. */
const BEST_EFFORT = /^(close|aclose|unlink|remove|rmtree|rmdir|kill|terminate|shutdown|cancel|cleanup|clean_up|disconnect|stop|release|delete|flush|track|emit|capture_\w+|report|set_tag|set_attribute|add_note|join|wait|unregister|detach|chmod|chown|setsockopt|clear|close_all|dispose|send_telemetry|send_analytics|debug|info)$/;
const DEBUG_ONLY = /\b(DEBUG|TESTING)\b/;

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
  run(input) {
    const { index } = input;
    // what serves requests or runs tasks: a failure swallowed there is one users or data feel
    const served = new Set([...requestPath(input).reachable, ...taskPath(index)]);
    const silent: Array<{ file: string; line: number; what: string; where: string; body: string; served: boolean }> = [];
    for (const mod of index.modules.values()) {
      // a script run by hand (`if __name__ == "__main__":`) is not the service
      if (!isServiceCode(mod.file) || mod.facts.hasMainGuard) continue;
      for (const e of mod.facts.excepts) {
        const broad = e.types.length === 0 || e.types.some((t) => BROAD.test(t.trim()));
        if (!broad || (e.body !== "pass" && e.body !== "continue")) continue;
        // intended silence: the author explains it, the try only computes a value with a fallback, or only cleans up or reports telemetry
        if (e.explained || e.tryAssignsOnly || e.fallbackReturn || (e.guard && DEBUG_ONLY.test(e.guard))) continue;
        // a feature probe: the code runs only where an optional attribute exists, and falls back to nothing when it fails
        if (e.guard && /^\s*hasattr\(/.test(e.guard)) continue;
        if (e.tryCalls?.length && e.tryCalls.every((c) => BEST_EFFORT.test(c))) continue;
        const what = e.types.length ? `except ${e.types.join(", ")}` : "a bare except";
        silent.push({ file: mod.file, line: e.line, what, where: e.enclosing ?? mod.name, body: e.body, served: e.enclosing !== null && served.has(`${mod.name}.${e.enclosing}`) });
      }
    }
    const evidence = (x: (typeof silent)[number]) => ({ file: x.file, line: x.line, snippet: `${x.what === "a bare except" ? "except" : x.what}: ${x.body}` });
    // many silent handlers are one habit of the codebase: one finding that lists them (the service's and the rest apart)
    // medium where requests or tasks run; low elsewhere (start-up, callbacks, library glue), where the cost is not visible
    const parts = byRole(silent, (x) => x.file).flatMap((part) => [part.filter((x) => x.served), part.filter((x) => !x.served)]);
    return parts.flatMap((part): Report[] => {
      const severity = part[0]?.served ? undefined : ("low" as const);
      const where = part[0]?.served ? "while serving requests or running tasks" : "outside request handlers and tasks";
      if (part.length < GROUP_FROM) return part.map((x) => ({ message: `${x.what} in ${x.where} discards the error (${x.body}) without logging it, ${where}.`, evidence: [evidence(x)], ...(severity ? { severity } : {}) }));
      const first = part[0] as (typeof part)[number];
      return [{ message: `${part.length} broad except blocks ${where} discard errors without logging them or saying why (for example ${first.what} in ${first.where}); each hides whatever failed.`, evidence: part.map(evidence), ...(severity ? { severity } : {}) }];
    });
  },
});
