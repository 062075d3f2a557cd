import type { Evidence } from "../../model/types.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";

/** Names an `except ... as <name>` conventionally binds. */
const EXCEPTION_NAME = "(e|ex|exc|err|error|exception)";
/** The exception alone as the message: `e`, `str(e)`, `repr(e)`, `f"sync failed: {e}"`, `f"{e!r}"`. */
const ONLY_THE_EXCEPTION = new RegExp(String.raw`^(${EXCEPTION_NAME}|(str|repr)\(${EXCEPTION_NAME}\)|f(?<q>["'])[^"']*\{(${EXCEPTION_NAME}|(str|repr)\(${EXCEPTION_NAME}\))(!r|!s)?\}[^"']*\k<q>)$`);
/** A logger's error-level method, on a logger-looking object (`logger`, `log`, `self.logger`, `logging`, `current_app.logger`). */
const LOG_ERROR = /(^|\.)(_?logger|_?log|LOGGER|LOG|logging)\.(error|critical)$/i;
/** How far below its `except` line a call is read as inside the handler. */
const HANDLER_SPAN = 12;
const SHOWN = 8;
const BROAD = /^(Exception|BaseException|builtins\.(Base)?Exception)$/;

export default defineCheck({
  id: "OBS008",
  area: "observability",
  title: "Errors logged without traceback",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "`logger.error(e)` records only the exception's message (often just `'id'` for a KeyError or an empty string): the type, the line that failed and the call chain are lost, so the log says that something broke but not where, and the incident starts with reproducing it.",
  recommendation: "Inside `except`, log with `logger.exception(\"what failed\")` (or `logger.error(..., exc_info=True)`); with structlog use `log.exception(...)`, with loguru `logger.opt(exception=True).error(...)` or `logger.exception(...)`.",
  example: { bad: "try:\n    charge(order)\nexcept PaymentError as e:\n    logger.error(e)", good: "try:\n    charge(order)\nexcept PaymentError:\n    logger.exception(\"charging order %s failed\", order.id)" },
  references: ["https://docs.python.org/3/library/logging.html#logging.Logger.exception", "https://docs.astral.sh/ruff/rules/error-instead-of-exception/"],
  effort: "S",
  libraries: ["structlog", "loguru"],
  run({ index }) {
    const found: Evidence[] = [];
    for (const mod of [...index.modules.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
      if (!isServiceCode(mod.file) || mod.facts.hasMainGuard) continue;
      for (const call of mod.facts.calls) {
        if (!LOG_ERROR.test(call.callee) || call.hasStarArgs) continue;
        if (call.args.some((a) => a.name === "exc_info" || a.name === "stack_info" || a.name === "exception")) continue;
        const message = call.args.find((a) => a.name === null);
        if (!message || !ONLY_THE_EXCEPTION.test(message.text.trim())) continue;
        // inside a handler of the same function: the nearest `except` a few lines above
        const handler = mod.facts.excepts.filter((e) => e.enclosing === call.enclosing && e.line < call.line && call.line - e.line <= HANDLER_SPAN).sort((a, b) => b.line - a.line)[0];
        // a broad one: an expected, specific exception (`DoesNotExist`, `ValueError`) says what happened in its message;
        // an unexpected one needs the traceback to be found
        if (!handler || !(handler.types.length === 0 || handler.types.some((t) => BROAD.test(t.trim())))) continue;
        found.push({ file: mod.file, line: call.line, snippet: call.snippet });
      }
    }
    if (found.length === 0) return [];
    const files = new Set(found.map((e) => e.file));
    const first = found[0] as Evidence;
    return [{
      message: `${found.length === 1 ? `\`${first.snippet}\` logs` : `${found.length} error logs in ${files.size} file${files.size > 1 ? "s" : ""} log`} only the exception's message inside an \`except Exception\` block, without its traceback (no \`logger.exception\` or \`exc_info=True\`).`,
      evidence: found.slice(0, SHOWN),
    }];
  },
});
