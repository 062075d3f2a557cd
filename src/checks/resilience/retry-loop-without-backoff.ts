import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Waits between attempts: `time.sleep`, `asyncio.sleep`, gevent, `Event.wait`, a backoff helper. */
const WAIT = /(^|\.)(sleep|wait|wait_for|backoff\w*)$/i;
/** Handlers that swallow the error and let the loop go round again. */
const SWALLOWS = new Set(["pass", "continue", "log"]);

export default defineCheck({
  id: "RES004",
  area: "resilience",
  title: "Retry loop without backoff or bound",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A `while True` loop that catches the error and tries again at once hammers a failing dependency as fast as the CPU allows, burns a core, floods the logs, and never gives up: a short outage of the remote turns into a load spike against it and a stuck worker here.",
  recommendation: "Bound the attempts and wait between them with exponential backoff and jitter: tenacity (`stop_after_attempt`, `wait_exponential_jitter`), backoff, stamina, or at least a counter and `time.sleep(min(cap, base * 2 ** attempt))`, re-raising when the attempts run out.",
  example: {
    bad: "while True:\n    try:\n        return client.fetch()\n    except ConnectionError:\n        continue",
    good: "@tenacity.retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(0.5, 10))\ndef fetch():\n    return client.fetch()",
  },
  references: ["https://tenacity.readthedocs.io/", "https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/"],
  effort: "S",
  libraries: ["tenacity", "backoff", "stamina"],
  run({ index }) {
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file) || !runsInProduction(fileRole(mod.file))) continue;
      const { loops, excepts, calls, flows, raises } = mod.facts;
      for (const loop of loops) {
        if (!loop.isWhileTrue || loop.enclosing === null) continue;
        const inside = (line: number) => line > loop.line && line <= loop.endLine;
        // the innermost loop only: a nested loop's handler belongs to that loop
        const inner = loops.filter((l) => l !== loop && l.line > loop.line && l.endLine <= loop.endLine);
        const own = (line: number) => inside(line) && !inner.some((l) => line > l.line && line <= l.endLine);
        const handler = excepts.find((e) => e.enclosing === loop.enclosing && own(e.line) && SWALLOWS.has(e.body));
        if (!handler) continue;
        // a retry loop leaves on success: a `return` before the handler (a worker loop that never returns is not a retry)
        const success = flows.find((f) => f.enclosing === loop.enclosing && f.targets.includes("return") && own(f.line) && f.line < handler.line);
        if (!success) continue;
        // any wait in the loop is a delay between attempts; any raise is a way out (a bound)
        if (calls.some((c) => c.enclosing === loop.enclosing && inside(c.line) && WAIT.test(c.callee))) continue;
        if (raises.some((r) => r.enclosing === loop.enclosing && inside(r.line))) continue;
        const retried = calls.find((c) => c.enclosing === loop.enclosing && c.line > loop.line && c.line < handler.line);
        const what = retried ? `\`${retried.callee}()\`` : "the call";
        reports.push({
          message: `\`${loop.header ?? "while True:"}\` in ${loop.enclosing} retries ${what} after \`except ${handler.types.join(", ") || ""}\` with no wait and no bound: a persistent failure spins this loop as fast as it can.`.replace("except :", "except:").replace("`except `", "`except`"),
          evidence: [{ file: mod.file, line: loop.line, endLine: loop.endLine, snippet: loop.header ?? "while True:" }, { file: mod.file, line: handler.line }],
        });
      }
    }
    return reports;
  },
});
