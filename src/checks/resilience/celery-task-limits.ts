import type { Evidence } from "../../model/types.js";
import type { DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { byRole, GROUP_FROM } from "../grouping.js";

const TASK_DECORATOR = /(^celery\.shared_task$|^celery\.Celery(\(\))?\.task$|\.task$|^shared_task$)/;
const TIME_LIMIT = new Set(["time_limit", "soft_time_limit"]);
const GLOBAL_TIME_LIMIT = /\b(task_time_limit|task_soft_time_limit|CELERY_TASK_TIME_LIMIT|CELERY_TASK_SOFT_TIME_LIMIT|CELERYD_TASK_TIME_LIMIT|CELERYD_TASK_SOFT_TIME_LIMIT)\b/;
const ANNOTATIONS = /^(task_annotations|CELERY_TASK_ANNOTATIONS|CELERY_ANNOTATIONS)$/;
const SCHEDULE_WORDS = /beat|schedule|crontab|periodic/i;
/** Calls that reach outside the process: what a failed task without retries loses. */
const OUTSIDE = /^(requests|httpx|urllib\.request|urllib2|urllib3|aiohttp|smtplib|boto3|botocore|stripe|twilio|sendgrid|slack_sdk|django\.core\.mail)\b|(^|\.)(send_mail|send_mass_mail|send_email|send_message|send_notification|send_webhook|deliver|notify|urlopen|post|publish)$/;

interface Task {
  fn: FunctionInfo;
  decorator: DecoratorFact;
  limited: boolean;
  retries: boolean;
  scheduled: boolean;
  handlesFailure: boolean;
}

export default defineCheck({
  id: "RES005",
  area: "resilience",
  title: "Background task without retry or time limit",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A Celery task with no retry policy loses its work on the first transient failure, and one with no time limit can hang a worker slot forever on a stuck call: queues back up while the workers look alive.",
  recommendation: "Set `task_time_limit`/`task_soft_time_limit` once in the Celery configuration (or per task); give tasks that deliver something (emails, webhooks, calls to other services) `autoretry_for=(...)` with `retry_backoff=True` and a `max_retries`, and make retried tasks idempotent. Scheduled tasks are retried by their next run.",
  example: { bad: "@celery_app.task\ndef send_invoice(order_id): ...", good: "celery_app.conf.task_time_limit = 300\n\n@celery_app.task(autoretry_for=(httpx.HTTPError,), retry_backoff=True, max_retries=5)\ndef send_invoice(order_id): ..." },
  references: ["https://docs.celeryq.dev/en/stable/userguide/tasks.html#automatic-retry-for-known-exceptions", "https://docs.celeryq.dev/en/stable/userguide/workers.html#time-limits"],
  effort: "S",
  libraries: ["celery"],
  // a retry helps only once the call it repeats fails fast: timeouts first
  dependsOn: ["RES001"],
  run({ index }) {
    const globalLimit = globalTimeLimit(index);
    const scheduledNames = scheduledTaskNames(index);
    const tasks: Task[] = [];
    for (const fn of index.sortedFunctions()) {
      const decorator = fn.fact.decorators.find((d) => {
        const resolved = d.qualified ? index.resolve(d.qualified, fn.module) : d.name;
        return TASK_DECORATOR.test(resolved) && isCelery(index, resolved);
      });
      if (!decorator) continue;
      const names = new Set(decorator.args.map((a) => a.name).filter((n): n is string => n !== null));
      const base = baseTask(index, decorator, fn.module);
      // `bind=True` tasks may retry by hand: `raise self.retry(exc=exc, countdown=...)`
      const retriesByHand = index.callsIn(fn.id).some(({ call }) => /^(self|\w+)\.retry$/.test(call.callee) && call.callee !== "retry");
      // `retry_kwargs` or `max_retries` alone configure retries that nothing triggers: only `autoretry_for` or a `retry()` call retries
      const retries = names.has("autoretry_for") || base.has("autoretry_for") || retriesByHand;
      const limited = globalLimit !== null || [...names].some((n) => TIME_LIMIT.has(n)) || [...TIME_LIMIT].some((n) => base.has(n));
      const taskName = decorator.args.find((a) => a.name === "name")?.value;
      const scheduled = scheduledNames.has(`${fn.module}.${fn.fact.name}`) || (typeof taskName === "string" && scheduledNames.has(taskName));
      // a task that catches its own failures and records or reports them (a log row, an email to the user) has chosen
      // what a failure does; a retry policy would never fire
      const catchesItself = catchesOnPath(index, [fn.id]);
      tasks.push({ fn, decorator, limited, retries, scheduled, handlesFailure: base.has("on_failure") || catchesItself });
    }
    // the service's tasks and those of tests, fixtures and examples are counted apart
    return byRole(tasks, (t) => t.fn.file).flatMap((part) => taskReports(index, part));
  },
});

function taskReports(index: ProjectIndex, tasks: Task[]): Report[] {
  const unlimited = tasks.filter((t) => !t.limited);
  const unretried = tasks.filter((t) => !t.retries && !t.scheduled && !t.handlesFailure);
  const reports: Report[] = [];
  if (unlimited.length >= GROUP_FROM || unretried.length >= GROUP_FROM) {
    if (unlimited.length) reports.push(groupedTimeLimit(index, unlimited, tasks.length));
    reports.push(...groupedRetries(index, unretried, tasks));
    return reports;
  }
  const scheduledTasks = tasks.filter((t) => t.scheduled);
  const same = new Map<string, Array<{ t: Task; how: string | null }>>();
  for (const t of tasks) {
    const noRetry = unretried.includes(t);
    if (t.limited && !noRetry) continue;
    const reach = noRetry ? reachesOutside(index, t.fn, 0, new Set()) : null;
    if (reach && t.limited && catchesOnPath(index, reach.path)) continue;
    const repaired = reach ? repairedBy(index, reach.path, scheduledTasks) : null;
    if (repaired && reach && t.limited) {
      reports.push(repairedReport(t, reach.how, repaired));
      continue;
    }
    const missing = [noRetry ? "no retry policy" : "", t.limited ? "" : "no time limit"].filter(Boolean).join(" and ");
    // a task nothing enqueues, calls or schedules is dead code or an API for plugins: nothing is lost today
    if (!enqueued(index, t)) {
      reports.push({ message: `Celery task ${t.fn.fact.name} has ${missing}${reach ? ` (it ${reach.how})` : ""}, but nothing in the project enqueues or calls it.`, evidence: [taskEvidence(t)], severity: "low" });
      continue;
    }
    // without a call outside, a missing retry loses work someone can re-run: low, as in the grouped finding
    if (t.limited && !reach) {
      reports.push({ message: `Celery task ${t.fn.fact.name} has no retry policy; it makes no call outside the service, so a transient failure (a lost database connection) is lost until someone re-runs it.`, evidence: [taskEvidence(t)], severity: "low" });
      continue;
    }
    same.set(missing, [...(same.get(missing) ?? []), { t, how: reach?.how ?? null }]);
  }
  // tasks missing the same things are one habit: one finding that names them
  for (const [missing, group] of same) {
    const first = group[0] as { t: Task; how: string | null };
    if (group.length === 1) reports.push({ message: `Celery task ${first.t.fn.fact.name} has ${missing}${first.how ? ` (it ${first.how})` : ""}.`, evidence: [taskEvidence(first.t)] });
    else reports.push({ message: `${group.length} Celery tasks have ${missing} (${group.map((g) => g.t.fn.fact.name).join(", ")}${first.how ? `; ${first.t.fn.fact.name}, for one, ${first.how}` : ""}).`, evidence: group.map((g) => taskEvidence(g.t)) });
  }
  return reports;
}

/** Whether project code enqueues or calls the task: `task.delay(...)`, `task.apply_async`, `task.s()` in a chain, `send_task("...task")`, a direct call. */
function enqueued(index: ProjectIndex, t: Task): boolean {
  const name = t.fn.fact.name;
  const via = new RegExp(`(^|\\.)${name}(\\.(delay|apply_async|s|si|signature|map|starmap|chunks|apply))?$`);
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (via.test(call.callee) && !(mod.name === t.fn.module && call.enclosing === t.fn.fact.qualname)) return true;
      if (call.args.some((a) => typeof a.value === "string" ? a.value === name || a.value.endsWith(`.${name}`) : new RegExp(`\\b${name}\\b`).test(a.text))) return true;
    }
    if (mod.facts.dottedStrings.some((d) => d.endsWith(`.${name}`))) return true;
  }
  return false;
}

function repairedReport(t: Task, how: string, repaired: { via: string; task: string }): Report {
  return { message: `Celery task ${t.fn.fact.name} reaches outside the service (it ${how}) with no retry policy, through ${repaired.via}, which the scheduled task ${repaired.task} also runs: its next run redoes what a failure drops.`, evidence: [taskEvidence(t)], severity: "low" };
}

/** The tasks missing a time limit, as one finding about the configuration that should set it. */
function groupedTimeLimit(index: ProjectIndex, unlimited: Task[], total: number): Report {
  // the configuration is the fix for the service's tasks; a fixture's group points at its first task
  const app = runsInProduction(fileRole(unlimited[0]?.fn.file ?? "")) ? celeryApp(index) : null;
  const evidence = [...(app ? [app] : []), ...unlimited.map(taskEvidence)];
  return {
    message: `${unlimited.length} of ${total} Celery tasks run without a time limit, and the Celery configuration sets no task_time_limit or task_soft_time_limit: one stuck call holds a worker slot until the worker is restarted. Set the limits once in the configuration${app ? ` (${app.file}:${app.line})` : ""}.`,
    evidence,
  };
}

/** Tasks without retries, grouped by what a failure loses: a delivery to the outside, or work someone must re-run. */
function groupedRetries(index: ProjectIndex, unretried: Task[], tasks: Task[]): Report[] {
  const scheduled = tasks.filter((t) => t.scheduled && !t.retries).length;
  const scheduledTasks = tasks.filter((t) => t.scheduled);
  const reaches = unretried.map((t) => ({ t, reach: reachesOutside(index, t.fn, 0, new Set()) }));
  // the failure is caught and recorded on the way (a webhook log row): the task chose what a failure does
  const reaching = reaches.flatMap(({ t, reach }) => (reach && !catchesOnPath(index, reach.path) ? [{ t, reach: reach.how, repaired: repairedBy(index, reach.path, scheduledTasks) }] : []));
  const outward = reaching.filter((x) => !x.repaired);
  const inward = reaches.filter((x) => x.reach === null).map((x) => x.t);
  const reports: Report[] = [];
  const schedNote = scheduled ? ` (${scheduled} scheduled task${scheduled === 1 ? " is" : "s are"} left out: the next run repairs a failed one)` : "";
  // work that a scheduled task redoes (a periodic re-index or sync runs the same function) is repaired by its next run
  for (const x of reaching) if (x.repaired) reports.push(repairedReport(x.t, x.reach, x.repaired));
  if (outward.length) {
    const first = outward[0] as { t: Task; reach: string };
    reports.push({
      message: `${outward.length} Celery task${outward.length === 1 ? "" : "s"} that reach outside the service (for example ${first.t.fn.fact.name}, which ${first.reach}) have no retry policy: a transient failure drops the email, webhook or call for good${schedNote}.`,
      evidence: outward.map((x) => taskEvidence(x.t)),
    });
  }
  if (inward.length) {
    reports.push({
      message: `${inward.length} Celery task${inward.length === 1 ? " has" : "s have"} no retry policy: a transient failure (a lost database connection, a deadlock) is lost until someone re-runs the work${outward.length ? "" : schedNote}.`,
      evidence: inward.map(taskEvidence),
      severity: "low",
    });
  }
  return reports;
}

function taskEvidence(t: Task): Evidence {
  const d = t.decorator;
  return { file: t.fn.file, line: d.line, snippet: `@${d.name}(${d.args.map((a) => (a.name ? `${a.name}=${a.text}` : a.text)).join(", ")}) ${t.fn.fact.name}` };
}

/** A Celery decorator: `celery.shared_task`, `celery.Celery.task`, or `.task` on a project Celery app; not Prefect's, Dramatiq's or Huey's `task`. */
function isCelery(index: ProjectIndex, resolved: string): boolean {
  if (resolved.startsWith("celery.")) return true;
  if (index.projectModuleOf(resolved) === null) return false;
  const owner = resolved.slice(0, resolved.lastIndexOf("."));
  const symbol = index.symbol(owner);
  // `app.task` on a project variable built by `Celery(...)`; a project function named `task` (Prefect's own) is not Celery's
  return symbol?.kind === "assignment" && symbol.fact.callee !== null && symbol.fact.callee !== undefined && index.resolve(symbol.fact.callee, symbol.module).startsWith("celery.");
}

/** Where the configuration says every task is limited: a setting, `conf.update(task_time_limit=...)`, or `task_annotations` with a limit. */
function globalTimeLimit(index: ProjectIndex): string | null {
  for (const m of index.modules.values()) {
    for (const a of m.facts.assignments) {
      if (GLOBAL_TIME_LIMIT.test(a.target) || (ANNOTATIONS.test(a.target) && /time_limit/.test(a.text))) return `${m.file}:${a.line}`;
    }
    for (const c of m.facts.calls) {
      if (!/(conf\.update|config_from_object|Celery)$/.test(c.callee)) continue;
      if (c.args.some((a) => a.name !== null && (GLOBAL_TIME_LIMIT.test(a.name) || (ANNOTATIONS.test(a.name) && /time_limit/.test(a.text))))) return `${m.file}:${c.line}`;
    }
  }
  return null;
}

/** Class attributes of a task's base class (`@app.task(base=MyTask)`, `Celery(task_cls=...)`), through project bases. */
function baseTask(index: ProjectIndex, decorator: DecoratorFact, module: string): Set<string> {
  const out = new Set<string>();
  const arg = decorator.args.find((a) => a.name === "base");
  const appBase = celeryTaskClass(index);
  const start = arg?.qualified ? index.resolve(arg.qualified, module) : appBase;
  const visit = (id: string | null, depth: number) => {
    const symbol = id ? index.symbol(id) : undefined;
    if (symbol?.kind !== "class" || depth > 6) return;
    for (const a of symbol.fact.assignments) out.add(a.target);
    if (index.functions.has(`${id}.on_failure`)) out.add("on_failure");
    for (const b of symbol.fact.bases) visit(b.qualified ? index.resolve(b.qualified, symbol.module) : null, depth + 1);
  };
  visit(start, 0);
  return out;
}

const TASK_CLASSES = new WeakMap<ProjectIndex, string | null>();

/** `Celery(..., task_cls=BaseTask)`: the class every task of the app builds on (found once per project). */
function celeryTaskClass(index: ProjectIndex): string | null {
  let found = TASK_CLASSES.get(index);
  if (found === undefined) {
    found = findCeleryTaskClass(index);
    TASK_CLASSES.set(index, found);
  }
  return found;
}

function findCeleryTaskClass(index: ProjectIndex): string | null {
  for (const m of index.modules.values()) {
    for (const c of m.facts.calls) {
      const cls = c.args.find((a) => a.name === "task_cls");
      if (cls?.qualified && c.qualified && index.resolve(c.qualified, m.name) === "celery.Celery") return index.resolve(cls.qualified, m.name);
    }
  }
  return null;
}

/** Where the Celery app is created, the place project-wide settings belong. */
function celeryApp(index: ProjectIndex): Evidence | null {
  for (const m of [...index.modules.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    for (const c of m.facts.calls) {
      if (c.qualified && index.resolve(c.qualified, m.name) === "celery.Celery") return { file: m.file, line: c.line, snippet: c.snippet };
    }
  }
  return null;
}

/** Task names a beat schedule mentions: dotted strings in files that talk about schedules. */
function scheduledTaskNames(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  for (const m of index.modules.values()) {
    const f = m.facts;
    if (!f.dottedStrings.length) continue;
    const aboutSchedules = f.assignments.some((a) => SCHEDULE_WORDS.test(a.target)) || f.calls.some((c) => SCHEDULE_WORDS.test(c.callee) || c.args.some((a) => a.name !== null && SCHEDULE_WORDS.test(a.name))) || f.imports.some((i) => SCHEDULE_WORDS.test(i.module) || (i.names ?? []).some((n) => SCHEDULE_WORDS.test(n.name)));
    if (aboutSchedules) for (const s of f.dottedStrings) out.add(s);
  }
  // `app.add_periodic_task(60.0, cleanup.s())` names the task itself
  for (const m of index.modules.values()) {
    for (const c of m.facts.calls) {
      if (!c.callee.endsWith("add_periodic_task")) continue;
      for (const a of c.args) {
        const name = /^([A-Za-z_][\w.]*)\.(s|si|signature)\(/.exec(a.text)?.[1];
        if (name) out.add(index.resolve(`#${name}`, m.name));
      }
    }
  }
  return out;
}

/** How a task reaches outside the process (HTTP, email, a provider's SDK), following project calls three levels down; `path` holds the function ids from the task down to the caller. */
function reachesOutside(index: ProjectIndex, fn: FunctionInfo, depth: number, seen: Set<string>): { how: string; path: string[] } | null {
  if (seen.has(fn.id) || depth > 3) return null;
  seen.add(fn.id);
  for (const { call, resolved } of index.callsIn(fn.id)) {
    if (OUTSIDE.test(resolved ?? "") || OUTSIDE.test(call.callee)) return { how: depth ? `calls ${call.callee} (${fn.fact.name})` : `calls ${call.callee}`, path: [fn.id] };
  }
  for (const edge of index.callGraph.get(fn.id) ?? []) {
    const target = index.functions.get(edge.target);
    const inner = target ? reachesOutside(index, target, depth + 1, seen) : null;
    if (inner) return { how: inner.how, path: [fn.id, ...inner.path] };
  }
  return null;
}

/** Scheduled jobs whose name says they redo work wholesale: re-index, rebuild, resynchronise, reconcile, retry, backfill. */
const REPAIR_JOB = /(re)?index|rebuild|sync|reconcil|retry|resend|repair|backfill|refresh|catch_?up/i;

/** A function on the way to the outside call catches the failure and records or reports it (`except RequestException: WebhookLog.objects.create(...)`). */
function catchesOnPath(index: ProjectIndex, path: string[]): boolean {
  return path.some((id) => {
    const fn = index.functions.get(id);
    return fn ? (index.modules.get(fn.module)?.facts.excepts.some((e) => e.enclosing === fn.fact.qualname && (e.body === "log" || e.body === "other")) ?? false) : false;
  });
}

/**
 * A scheduled task that redoes a task's work: the project function the task calls on its way outside, above the
 * one that makes the call, is one the scheduled task also runs (a periodic re-index or sync calling the same
 * orchestrating function), so its next run redoes what a failure drops. A shared leaf helper such as `send_email`
 * makes the outside call itself and does not count. Returns the two names, or null.
 */
function repairedBy(index: ProjectIndex, path: string[], scheduled: Task[]): { via: string; task: string } | null {
  // the task's own step towards the call: deeper shared functions are helpers (a client factory), not the work
  const via = path.length >= 3 ? path[1] : undefined;
  if (!via) return null;
  const name = (id: string) => index.functions.get(id)?.fact.name ?? id;
  const direct = scheduled.find((t) => index.reachableFrom([t.fn.id]).has(via));
  if (direct) return { via: name(via), task: direct.fn.fact.name };
  // a scheduled job that says it rebuilds or resynchronises (`rebuild_index`, `sync_all`) and reaches the same work further down
  const shared = path.slice(1, -1);
  for (const t of scheduled.filter((s) => REPAIR_JOB.test(s.fn.fact.name))) {
    const runs = index.reachableFrom([t.fn.id]);
    const common = shared.find((id) => runs.has(id));
    if (common) return { via: name(common), task: t.fn.fact.name };
  }
  return null;
}
