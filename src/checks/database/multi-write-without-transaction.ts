import type { CallFact, ExceptFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";
import type { Report } from "../types.js";
import { callsOf, isApplicationFile, type ModelIndex, modelIndex, modelLabel, ormCall } from "./orm-queries.js";

const DJANGO_WRITES = new Set(["create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update", "delete", "create_user", "create_superuser", "acreate", "aget_or_create", "aupdate_or_create", "abulk_create", "aupdate", "adelete"]);
/** A transaction opened by the code: Django `atomic`, SQLAlchemy `begin()`/`begin_nested()`, or a project decorator named for it. */
const TRANSACTION = /(^|\.)(atomic|begin|begin_nested|transaction|transactional|in_transaction|unit_of_work|UnitOfWork)$/;

interface Write {
  fn: FunctionInfo;
  call: CallFact;
  /** `commit`, or the model written. */
  what: string;
  /** Guard of the call in the handler that reaches it, or of the write itself in the handler. */
  guard: string | null;
}

/** Whether Django wraps every request in a transaction (`ATOMIC_REQUESTS = True` for the database). */
function atomicRequests(index: ProjectIndex): boolean {
  for (const mod of index.modules.values()) {
    for (const a of mod.facts.assignments) {
      if (a.target === "DATABASES" && /["']ATOMIC_REQUESTS["']\s*:\s*True\b/.test(a.text)) return true;
      if (a.target === "ATOMIC_REQUESTS" && a.value === true) return true;
    }
    if (mod.facts.calls.some((c) => /ATOMIC_REQUESTS/.test(c.snippet) && /True/.test(c.snippet))) return true;
  }
  return false;
}

function opensTransaction(index: ProjectIndex, fn: FunctionInfo): boolean {
  if (fn.fact.decorators.some((d) => TRANSACTION.test(d.qualified ? index.resolve(d.qualified, fn.module) : d.name) || /atomic|transaction/i.test(d.name) || d.args.some((a) => /atomic|transaction/.test(a.text)))) return true;
  return callsOf(index, fn).some((c) => TRANSACTION.test(c.qualified ? index.resolve(c.qualified, fn.module) : c.callee) || TRANSACTION.test(c.callee));
}

/** Writes a function makes itself: session commits, Django manager writes and `save()`/`delete()` on a model instance. */
function writesIn(index: ProjectIndex, fn: FunctionInfo, models: ModelIndex, guard: string | null): Write[] {
  const out: Write[] = [];
  const excepts = (index.modules.get(fn.module)?.facts.excepts ?? []).filter((e) => e.enclosing === fn.fact.qualname);
  for (const call of callsOf(index, fn)) {
    if (call.inLoop) continue;
    const orm = ormCall(index, fn.module, call, models);
    const own = guard ?? call.guard;
    if (orm?.family === "session" && orm.chain.length === 1 && orm.chain[0] === "commit") {
      if (onErrorPath(excepts, call, out)) continue;
      out.push({ fn, call, what: "commit", guard: own });
      continue;
    }
    if (orm?.family === "django" && orm.model && orm.chain.some((m) => DJANGO_WRITES.has(m))) {
      out.push({ fn, call, what: orm.model.name, guard: own });
      continue;
    }
    const resolved = call.qualified ? index.resolve(call.qualified, fn.module) : "";
    const save = /^(.+)\.(save|delete|asave|adelete)$/.exec(resolved);
    const model = save ? models.byName.get(save[1] as string) : undefined;
    if (model?.orm === "django") out.push({ fn, call, what: model.name, guard: own });
  }
  return out;
}

/** A commit after an `except` line, when an earlier commit sits in the `try`: the handler records the failure on purpose. */
function onErrorPath(excepts: ExceptFact[], call: CallFact, earlier: Write[]): boolean {
  return excepts.some((e) => e.line < call.line && earlier.some((w) => w.what === "commit" && w.call.line < e.line && w.fn.fact.qualname === call.enclosing));
}

/** Two writes that cannot both run: one under `if x`, the other under its `else`. */
function exclusive(a: Write, b: Write): boolean {
  if (a.guard === null || b.guard === null) return false;
  return a.guard === `not (${b.guard})` || b.guard === `not (${a.guard})` || (a.guard !== b.guard && a.fn === b.fn);
}

function pairs(writes: Write[]): Write[] {
  const first = writes[0];
  if (!first) return [];
  const together = writes.filter((w) => !exclusive(first, w));
  return together.length >= 2 ? together : pairs(writes.slice(1));
}

export default defineCheck({
  id: "DB011",
  area: "database",
  title: "Multi-write handler without a transaction",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A request that changes several things in separate transactions can fail halfway: the order is saved but its lines are not, the payment is recorded but the balance is not. Each write is committed on its own (Django autocommits every statement; each `commit()` ends a SQLAlchemy transaction), so an exception, a timeout or a worker restart between them leaves the data inconsistent with nothing to roll back.",
  recommendation: "Make the handler's writes one unit: Django `with transaction.atomic():` (or `@transaction.atomic`, or `ATOMIC_REQUESTS = True`); SQLAlchemy one `commit()` at the end, with `session.flush()` where an id is needed earlier, or `with session.begin():` / `async with session.begin():`. Defer side effects to after the commit (`transaction.on_commit`).",
  example: {
    bad: "def create_order(request):\n    order = Order.objects.create(customer=request.user)\n    OrderLine.objects.create(order=order, sku=request.POST[\"sku\"])",
    good: "@transaction.atomic\ndef create_order(request):\n    order = Order.objects.create(customer=request.user)\n    OrderLine.objects.create(order=order, sku=request.POST[\"sku\"])",
  },
  references: ["https://docs.djangoproject.com/en/stable/topics/db/transactions/", "https://docs.sqlalchemy.org/en/20/orm/session_transaction.html"],
  effort: "S",
  libraries: ["django", "sqlalchemy"],
  run({ model, index }) {
    const models = modelIndex(index, model.dataModels);
    const djangoAtomic = atomicRequests(index);
    const reports: Report[] = [];
    const seen = new Set<string>();
    // a handler serving GET and POST is named by the method that writes
    const endpoints = [...model.endpoints].sort((a, b) => Number(a.method === "GET") - Number(b.method === "GET"));
    for (const e of endpoints) {
      const fn = index.functions.get(e.handler);
      if (!fn || seen.has(fn.id) || !isApplicationFile(fn.file)) continue;
      seen.add(fn.id);
      const callees = (index.callGraph.get(fn.id) ?? []).map((edge) => ({ info: index.functions.get(edge.target), call: edge.call })).filter((c): c is { info: FunctionInfo; call: CallFact } => c.info !== undefined && !c.call.inLoop);
      if (opensTransaction(index, fn) || callees.some((c) => opensTransaction(index, c.info))) continue;
      const writes = [...writesIn(index, fn, models, null), ...callees.flatMap((c) => writesIn(index, c.info, models, c.call.guard))];
      const commits = pairs(writes.filter((w) => w.what === "commit"));
      const djangoWrites = djangoAtomic ? [] : writes.filter((w) => w.what !== "commit");
      const distinct = [...new Set(djangoWrites.map((w) => w.what))];
      const together = distinct.length >= 2 ? pairs(djangoWrites) : [];
      const togetherModels = [...new Set(together.map((w) => w.what))];
      const where = `${e.method} ${e.path} (${shortName(fn.id)})`;
      const lines = (ws: Write[]) => ws.map((w) => (w.fn === fn ? `${w.call.line}` : `${shortName(w.fn.id)}:${w.call.line}`)).join(", ");
      if (commits.length >= 2) {
        reports.push({
          message: `${where} commits ${commits.length} times (lines ${lines(commits)}): a failure after the first commit leaves its changes saved without the rest.`,
          evidence: [{ file: fn.file, line: fn.fact.line, snippet: `${e.method} ${e.path} → ${fn.fact.name}` }, ...commits.slice(0, 4).map((w) => ({ file: w.fn.file, line: w.call.line, snippet: w.call.snippet }))],
        });
      } else if (togetherModels.length >= 2) {
        const shown = togetherModels.map(modelLabel);
        reports.push({
          message: `${where} writes ${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]} (lines ${lines(together)}) outside transaction.atomic, with ATOMIC_REQUESTS off: each write commits on its own, so a failure between them leaves the first without the rest.`,
          evidence: [{ file: fn.file, line: fn.fact.line, snippet: `${e.method} ${e.path} → ${fn.fact.name}` }, ...together.slice(0, 4).map((w) => ({ file: w.fn.file, line: w.call.line, snippet: w.call.snippet }))],
        });
      }
    }
    return reports;
  },
});
