import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { FunctionInfo } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";
import type { Report } from "../types.js";

/** Decorators that make a function a queued task (Celery, Dramatiq, Huey, RQ). */
const TASK_DECORATOR = /(^|\.)(task|shared_task|actor|periodic_task|job)$/;
/** How a task is enqueued: `.delay(...)`, `.apply_async(args=[...])`, `.send(...)` (Dramatiq), `.schedule(...)` (Huey). */
const ENQUEUE_METHOD = /^(.*)\.(delay|apply_async|send|send_with_options|schedule|s|si)$/;
const RQ_ENQUEUE = /(^|\.)(enqueue|enqueue_call|enqueue_at|enqueue_in)$/;
/** The request's user: a model instance in Django (`request.user`), a proxy to one in Flask-Login (`current_user`). */
const REQUEST_USER = /^(self\.)?request\.user$|^current_user$/;

interface Passed {
  arg: ArgumentFact;
  /** The task parameter it binds to. */
  param: string | null;
}

/** The arguments a call hands to the task, each with the task parameter it binds to. */
function passedArguments(call: CallFact, method: string, task: FunctionInfo): Passed[] {
  const params = task.fact.params.filter((p) => p.name !== "self" && p.name !== "cls").map((p) => p.name);
  // `bind=True` tasks take `self` first; it is filtered above
  let positional: ArgumentFact[] = [];
  let named: ArgumentFact[] = [];
  if (method === "apply_async") {
    const args = call.args.find((a) => a.name === "args") ?? call.args.find((a) => a.name === null);
    positional = (args?.items ?? []).map((text) => ({ name: null, text, kind: "name" }) as ArgumentFact);
  } else if (method === "enqueue") {
    positional = call.args.filter((a) => a.name === null).slice(1);
    named = call.args.filter((a) => a.name !== null && !/^(job_id|job_timeout|result_ttl|ttl|depends_on|at_front|description|meta|retry|on_success|on_failure|timeout|func|f)$/.test(a.name));
  } else {
    positional = call.args.filter((a) => a.name === null);
    named = call.args.filter((a) => a.name !== null);
  }
  return [...positional.map((arg, i) => ({ arg, param: params[i] ?? null })), ...named.map((arg) => ({ arg, param: arg.name }))];
}

export default defineCheck({
  id: "DATA004",
  area: "data",
  title: "ORM objects passed to background tasks",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A task runs later, in another process. An ORM object handed to it is pickled as it was at enqueue time (or fails to serialise with the JSON serializer Celery uses by default): the worker acts on stale fields, a detached instance raises on its first lazy relationship, and a row deleted in between is silently resurrected by `save()`. The queue message also carries the whole object instead of a key.",
  recommendation: "Pass primary keys (`send_welcome.delay(user.id)`) and load the row inside the task (`User.objects.get(pk=user_id)`, `session.get(User, user_id)`), handling the row no longer existing; enqueue after the transaction commits (`transaction.on_commit(lambda: task.delay(obj.pk))`).",
  example: {
    bad: "@shared_task\ndef send_welcome(user: User):\n    mail(user.email)\n\nsend_welcome.delay(request.user)",
    good: "@shared_task\ndef send_welcome(user_id: int):\n    user = User.objects.get(pk=user_id)\n    mail(user.email)\n\ntransaction.on_commit(lambda: send_welcome.delay(request.user.pk))",
  },
  references: ["https://docs.celeryq.dev/en/stable/userguide/tasks.html#state", "https://docs.celeryq.dev/en/stable/userguide/calling.html#serializers"],
  effort: "S",
  libraries: ["celery", "dramatiq", "rq"],
  dependsOn: [],
  run({ model, index }) {
    const models = new Set(model.dataModels.map((m) => m.name));
    const isTask = (fn: FunctionInfo) => fn.fact.decorators.some((d) => TASK_DECORATOR.test(d.qualified ?? d.name));
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file) || !runsInProduction(fileRole(mod.file))) continue;
      for (const call of mod.facts.calls) {
        let task: FunctionInfo | undefined;
        let method = "";
        const m = ENQUEUE_METHOD.exec(call.qualified ?? "");
        if (m) {
          task = index.functions.get(index.resolve(m[1] as string, mod.name));
          method = m[2] as string;
          if (task && !isTask(task)) task = undefined;
        } else if (RQ_ENQUEUE.test(call.callee)) {
          const func = call.args.find((a) => a.name === "f" || a.name === "func") ?? call.args.find((a) => a.name === null);
          task = func?.qualified ? index.functions.get(index.resolve(func.qualified, mod.name)) : undefined;
          method = "enqueue";
        }
        if (!task) continue;
        for (const { arg, param } of passedArguments(call, method, task)) {
          const p = task.fact.params.find((x) => x.name === param);
          const annotated = p?.annotationQualified ? index.resolve(p.annotationQualified, task.module) : null;
          const modelName = annotated && models.has(annotated) ? annotated : null;
          const requestUser = REQUEST_USER.test(arg.text.trim());
          if (!modelName && !requestUser) continue;
          const what = modelName ? `an instance of the ${modelName.slice(modelName.lastIndexOf(".") + 1)} model (\`${param}: ${p?.annotation}\` in the task's signature)` : `the request's user object (\`${arg.text}\`)`;
          reports.push({
            message: `\`${call.callee}(${arg.text}${call.args.length > 1 ? ", ..." : ""})\` hands ${what} to the background task ${shortName(task.id)}: it is serialised as it is now and may be stale, detached or fail to serialise when the worker runs. Pass its primary key and load it in the task.`,
            evidence: [
              { file: mod.file, line: call.line, snippet: call.snippet },
              { file: task.file, line: task.fact.line, snippet: `def ${task.fact.name}(...)` },
            ],
            confidence: modelName ? "high" : "medium",
          });
          break;
        }
      }
    }
    return reports;
  },
});
