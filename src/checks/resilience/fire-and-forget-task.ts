import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { serviceCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { CallFact, FileFacts } from "../../python/facts.js";
import type { Report } from "../types.js";

const SPAWN = /^asyncio\.(create_task|ensure_future)$|^asyncio\.(events\.)?AbstractEventLoop\.create_task$/;
/** `loop.create_task(...)`, `asyncio.get_running_loop().create_task(...)` when the loop's type is not known. */
const LOOP_SPAWN = /(^|\.)(loop|_loop|event_loop|get_event_loop\(\)|get_running_loop\(\))\.create_task$/;

/**
 * Whether the call sits inside a list, tuple or dict literal assigned a few lines above (`tasks = [\n asyncio.create_task(...),\n]`):
 * a flow there that is not a call reads the spawn's root name and everything its arguments read, and no call between starts left of it.
 */
function inLiteral(facts: FileFacts, call: CallFact): boolean {
  const root = call.callee.split(".")[0] ?? "";
  const reads = call.args.flatMap((a) => a.reads ?? []);
  return facts.flows.some(
    (f) =>
      f.enclosing === call.enclosing &&
      f.line < call.line &&
      f.line >= call.line - 15 &&
      f.call === undefined &&
      f.reads.includes(root) &&
      reads.every((r) => f.reads.includes(r)) &&
      facts.calls.every((c) => c.line <= f.line || c.line >= call.line || c.column >= call.column),
  );
}

export default defineCheck({
  id: "RES006",
  area: "resilience",
  title: "Fire-and-forget asyncio task",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "The event loop keeps only a weak reference to tasks: a task whose result nobody keeps can be garbage-collected before it finishes, and an exception it raises is never seen (at best a 'Task exception was never retrieved' line at exit). Work silently disappears.",
  recommendation: "Keep a reference until the task finishes (a set plus `task.add_done_callback(tasks.discard)`), use `asyncio.TaskGroup` (Python 3.11+) or anyio task groups, or hand the work to FastAPI `BackgroundTasks` or a task queue (Celery, arq, Dramatiq); log failures in a done callback.",
  example: {
    bad: "asyncio.create_task(send_receipt(order))",
    good: "task = asyncio.create_task(send_receipt(order))\nbackground.add(task)\ntask.add_done_callback(background.discard)",
  },
  references: ["https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task", "https://docs.python.org/3/library/asyncio-task.html#task-groups"],
  effort: "S",
  libraries: ["asyncio", "anyio"],
  run({ index }) {
    const reports: Report[] = [];
    for (const { mod, call, resolved } of serviceCalls(index)) {
      if (!runsInProduction(fileRole(mod.file))) continue;
      if (!(resolved && SPAWN.test(resolved)) && !LOOP_SPAWN.test(call.callee)) continue;
      if (call.awaited) continue;
      // the result kept: assigned, returned, yielded, stored (`tasks.add(...)`), or passed to another call (`gather`, `add_done_callback`)
      const kept =
        // the line holds more than the bare call (`self._task = ...`, `return ...`)
        !call.snippet.startsWith(call.callee) ||
        // an element of a multi-line list, tuple or argument list (`self._tasks = [\n asyncio.create_task(a()),\n]`)
        (call.line === call.endLine && call.snippet.endsWith(",")) ||
        mod.facts.flows.some((f) => f.line === call.line && f.enclosing === call.enclosing) ||
        mod.facts.assignments.some((a) => a.line === call.line) ||
        mod.facts.calls.some((c) => c !== call && c.line <= call.line && c.endLine >= call.endLine && (c.line < call.line || c.column < call.column) && c.args.some((a) => a.text.includes(call.callee))) ||
        mod.facts.calls.some((c) => c !== call && c.line === call.line && c.callee.startsWith(`${call.callee}(`));
      if (kept || inLiteral(mod.facts, call)) continue;
      const where = call.enclosing ? `${mod.name.split(".").pop()}.${call.enclosing}` : `module ${mod.name}`;
      reports.push({
        message: `\`${call.callee}()\` in ${where} drops the task it creates: nothing keeps a reference, so the task can be garbage-collected before it finishes and its exceptions are never seen.`,
        evidence: [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }],
      });
    }
    return reports;
  },
});
