import { requestPath, shortName } from "../handlers.js";
import { defineCheck } from "../define.js";
import type { CheckInput, Report } from "../types.js";
import type { CallFact, LoopFact } from "../../python/facts.js";
import { nPlusOneSites } from "./n-plus-one.js";
import {
  callsOf,
  calleeHead,
  DJANGO_QUERY_METHODS,
  escapeRegExp,
  innermostLoop,
  isApplicationFile,
  isBatchTooling,
  iterableOf,
  LAZY_METHODS,
  lineText,
  loopsOf,
  modelIndex,
  type OrmCall,
  ormCall,
  SESSION_QUERY_METHODS,
} from "./orm-queries.js";

/** Arguments or SQL that already batch (`id__in=ids`, `.in_(ids)`, `= ANY(%s)`): one query per chunk is the fix, not the problem. */
const BATCHED = /__in\b|\.in_\(|\bIN\s*\(|=\s*ANY\s*\(|\bbulk_|executemany|in_bulk/i;
/** Loop headers of retries and polling: a query repeated on purpose, a bounded number of times. */
const RETRY_HEADER = /^\s*(while\b|for\s+\w+\s+in\s+range\(\s*\d{1,2}\s*\)|for\s+\w*(attempt|retry|retries|tries|try)\w*\s+in\b)|\b(retry|retries|attempts|max_tries|MAX_RETRIES|RETRIES)\b/;

interface Site {
  call: OrmCall;
  loop: LoopFact;
}

/** Query calls that run once per iteration of a loop in the function, with the loop. */
function queriesInLoops(input: CheckInput, fnCalls: CallFact[], loops: LoopFact[], module: string, models: ReturnType<typeof modelIndex>): Site[] {
  const sites: Site[] = [];
  const lines = new Set<number>();
  for (const call of fnCalls) {
    if (!call.inLoop || lines.has(call.line)) continue;
    const orm = ormCall(input.index, module, call, models);
    if (!orm || !executes(orm)) continue;
    // a model chosen per iteration (`apps.get_model(name).objects.exists()`): another table each time, nothing to batch
    if (orm.family === "django" && !orm.model && !/^django\.contrib\.\w+\.models\.\w+$/.test(orm.root)) continue;
    const iterable = iterableOf(call, loops);
    // a queryset only composed in the loop (`q = q.filter(...)`) sends nothing until it is iterated or evaluated
    if (LAZY_METHODS.has(orm.chain[orm.chain.length - 1] as string) && !iterable && !new RegExp(`\\b(list|len|bool|sum|set|tuple|sorted)\\(\\s*${escapeRegExp(calleeHead(call.callee))}`).test(call.snippet)) continue;
    // the iterable of a comprehension is evaluated once, unless a loop around the comprehension repeats it
    const own = innermostLoop(loops, call.line);
    if (iterable && !iterable.statement && !loops.some((l) => l !== own && own !== null && l.line <= own.line && own.endLine <= l.endLine)) continue;
    // a loop's own header runs once per iteration of the loop around it, not of itself
    const loop = innermostLoop(iterable ? loops.filter((l) => l.line !== call.line) : loops, call.line);
    if (!loop || loop.isWhileTrue) continue;
    const header = loop.header ?? lineText(fnCalls, loop.line);
    if (header && RETRY_HEADER.test(header)) continue;
    // a queryset built from a batch before the loop (`users = User.objects.filter(id__in=ids)`) and asked about in it
    const receiver = /^(\w+)\./.exec(call.callee)?.[1];
    const built = receiver ? fnCalls.filter((c) => c.line < call.line && new RegExp(`^${receiver}\\s*(:[^=]+)?=[^=]`).test(c.snippet)) : [];
    const sameLine = [...built, ...fnCalls.filter((c) => c.line >= call.line && c.line <= call.endLine)];
    if (sameLine.some((c) => BATCHED.test(c.callee) || c.args.some((a) => BATCHED.test(a.name ?? "") || BATCHED.test(a.text)))) continue;
    lines.add(call.line);
    sites.push({ call: orm, loop });
  }
  return sites;
}

/** A callee as a reader knows it, arguments dropped: `Order.objects.filter().count`. */
function written(callee: string): string {
  let out = callee;
  for (let i = 0; i < 5 && /\([^()]*\)/.test(out); i++) out = out.replace(/\([^()]*\)/g, "()");
  return out;
}

function executes(orm: OrmCall): boolean {
  switch (orm.family) {
    case "django":
    case "flask-query":
      return DJANGO_QUERY_METHODS.has(orm.chain[0] as string) && !orm.chain.includes("bulk_create") && !orm.chain.includes("in_bulk");
    case "session":
      if (orm.chain[0] === "query") return orm.chain.length > 1;
      return SESSION_QUERY_METHODS.has(orm.chain[0] as string) && orm.chain[0] !== "refresh";
    case "cursor":
      return orm.chain[0] === "execute";
  }
}

export default defineCheck({
  id: "DB003",
  area: "database",
  title: "Query inside a loop",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A query sent once per item of a loop turns one request into N round trips to the database: latency grows with the data (100 items, 100 × a few milliseconds), the connection is held the whole time, and the database does N times the parsing and planning that one set-based query would.",
  recommendation:
    "Fetch what the loop needs in one query before it: Django `Model.objects.filter(pk__in=ids)` / `in_bulk(ids)`, `bulk_create`/`bulk_update` for writes; SQLAlchemy `select(Model).where(Model.id.in_(ids))`, `session.execute(insert(Model), rows)` for bulk inserts; with a DB-API cursor `executemany` or `= ANY(%s)`. Build a dict by key and look items up in the loop.",
  example: {
    bad: "for item_id in ids:\n    item = Item.objects.get(pk=item_id)\n    total += item.price",
    good: "items = Item.objects.in_bulk(ids)\nfor item_id in ids:\n    total += items[item_id].price",
  },
  references: ["https://docs.djangoproject.com/en/stable/topics/db/optimization/#retrieve-everything-at-once-if-you-know-you-will-need-it", "https://docs.sqlalchemy.org/en/20/orm/queryguide/dml.html#orm-bulk-insert-statements"],
  effort: "M",
  libraries: ["django", "sqlalchemy"],
  run(input) {
    const { index, model } = input;
    const models = modelIndex(index, model.dataModels);
    const { reachable } = requestPath(input);
    // what DB002 reports as an N+1 (a relationship read per row) is not reported again here
    const nPlusOne = new Set(nPlusOneSites(input).map((s) => `${s.file}:${s.loopLine}`));
    const reports: Report[] = [];
    for (const fn of index.sortedFunctions()) {
      if (!isApplicationFile(fn.file)) continue;
      const fnCalls = callsOf(index, fn);
      if (!fnCalls.some((c) => c.inLoop)) continue;
      const loops = loopsOf(index, fn);
      const sites = queriesInLoops(input, fnCalls, loops, fn.module, models).filter((s) => !nPlusOne.has(`${fn.file}:${s.loop.line}`));
      const first = sites[0];
      if (!first) continue;
      const batch = isBatchTooling(fn.file);
      const names = [...new Set(sites.map((s) => `\`${written(s.call.call.callee)}()\``))];
      const onRequest = reachable.has(fn.id);
      const where = batch ? " (a script or management command, where a batch loop is often acceptable)" : onRequest ? ", while serving a request" : " (off any request path the code shows: a task, signal or helper, where the cost is throughput rather than latency)";
      reports.push({
        message: `${shortName(fn.id)} queries the database inside a loop${where}: ${names.slice(0, 4).join(", ")}${names.length > 4 ? `, and ${names.length - 4} more` : ""} run once per item of the loop at line ${first.loop.line}; one batched query before the loop would do.`,
        evidence: [
          { file: fn.file, line: first.call.call.line, snippet: first.call.call.snippet },
          ...sites.slice(1, 4).map((s) => ({ file: fn.file, line: s.call.call.line, snippet: s.call.call.snippet })),
        ],
        ...(batch || !onRequest ? { severity: "low" as const } : {}),
      });
    }
    return reports;
  },
});
