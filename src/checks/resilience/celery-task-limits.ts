import type { ArgumentFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const TASK_DECORATOR = /(^celery\.shared_task$|^celery\.Celery(\(\))?\.task$|\.task$|^shared_task$)/;
const RETRY = new Set(["autoretry_for", "max_retries", "retry_kwargs"]);
const TIME_LIMIT = new Set(["time_limit", "soft_time_limit"]);
const GLOBAL_TIME_LIMIT = /\b(task_time_limit|task_soft_time_limit|CELERY_TASK_TIME_LIMIT|CELERY_TASK_SOFT_TIME_LIMIT|CELERYD_TASK_TIME_LIMIT|CELERYD_TASK_SOFT_TIME_LIMIT)\b/;

export default defineCheck({
  id: "RES005",
  area: "resilience",
  title: "Background task without retry or time limit",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A Celery task with no retry policy loses its work on the first transient failure, and one with no time limit can hang a worker slot forever on a stuck call: queues back up while the workers look alive.",
  recommendation: "Give each task `autoretry_for=(...)` with `retry_backoff=True` and a `max_retries`, and a `soft_time_limit`/`time_limit` (per task, or `task_time_limit` in the Celery config); make retried tasks idempotent.",
  example: { bad: "@celery_app.task\ndef sync_stock(): ...", good: "@celery_app.task(autoretry_for=(httpx.HTTPError,), retry_backoff=True, max_retries=5, soft_time_limit=30, time_limit=60)\ndef sync_stock(): ..." },
  references: ["https://docs.celeryq.dev/en/stable/userguide/tasks.html#automatic-retry-for-known-exceptions", "https://docs.celeryq.dev/en/stable/userguide/workers.html#time-limits"],
  effort: "S",
  libraries: ["celery"],
  run({ index }) {
    // a global time limit in the Celery configuration covers every task
    const globalLimit = [...index.modules.values()].some((m) => m.facts.assignments.some((a) => GLOBAL_TIME_LIMIT.test(a.target)) || m.facts.calls.some((c) => c.callee.endsWith("conf.update") && c.args.some((a) => a.name !== null && GLOBAL_TIME_LIMIT.test(a.name))));
    const reports: Report[] = [];
    for (const fn of index.sortedFunctions()) {
      const decorator = fn.fact.decorators.find((d) => TASK_DECORATOR.test(d.qualified ? index.resolve(d.qualified, fn.module) : d.name));
      if (!decorator || !isCelery(decorator.qualified ? index.resolve(decorator.qualified, fn.module) : decorator.name)) continue;
      const names = new Set(decorator.args.map((a: ArgumentFact) => a.name).filter((n): n is string => n !== null));
      // `bind=True` tasks may retry by hand: `raise self.retry(exc=exc, countdown=...)`
      const retriesByHand = names.has("bind") && index.callsIn(fn.id).some(({ call }) => call.callee.endsWith(".retry"));
      const retries = [...names].some((n) => RETRY.has(n)) || retriesByHand;
      const limited = globalLimit || [...names].some((n) => TIME_LIMIT.has(n));
      if (retries && limited) continue;
      const missing = [retries ? "" : "no retry policy", limited ? "" : "no time limit"].filter(Boolean).join(" and ");
      reports.push({ message: `Celery task ${fn.fact.name} has ${missing}.`, evidence: [{ file: fn.file, line: decorator.line, snippet: `@${decorator.name}(${decorator.args.map((a) => (a.name ? `${a.name}=${a.text}` : a.text)).join(", ")})` }] });
    }
    return reports;
  },
});

function isCelery(resolved: string): boolean {
  return resolved.startsWith("celery.") || /\.task$/.test(resolved);
}
