import { classAttribute, classView, findMethod, lastSegment, resolveName } from "../../model/endpoints/django-views.js";
import type { DataModel, Evidence } from "../../model/types.js";
import type { CallFact, LoopFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { shortName } from "../handlers.js";
import { defineCheck } from "../define.js";
import type { CheckInput, Confidence, Report } from "../types.js";
import { callsOf, calleeHead, classOf, escapeRegExp, isApplicationFile, isBatchTooling, iterableOf, lineText, loopsOf, type ModelIndex, modelIndex, modelLabel, type OrmCall, ormCall } from "./orm-queries.js";

/** Chained methods that keep a query a collection of model instances. */
const COLLECTION_METHODS = new Set([
  "all", "filter", "exclude", "order_by", "distinct", "select_related", "prefetch_related", "annotate", "only", "defer", "using", "iterator", "reverse",
  "filter_by", "where", "limit", "offset", "options", "join", "outerjoin", "scalars", "unique", "execution_options", "yield_per", "exec", "execute", "query",
]);
const SELECT = /^(sqlalchemy(\.future|\.sql)?\.select|sqlmodel\.select|sqlmodel\.sql\.expression\.select|flask_sqlalchemy\.SQLAlchemy\.select)$/;
const DJANGO_EAGER = /\.(select_related|prefetch_related)$/;
const SQLALCHEMY_LOADER = /(^|\.)(selectinload|joinedload|subqueryload|contains_eager|immediateload|raiseload|noload|defaultload|Load|selectin_polymorphic)$/;
/** Loop-variable names that commonly stand for any row. */
const GENERIC_ROW = new Set(["obj", "item", "row", "instance", "record", "entry"]);

export interface NPlusOneSite {
  file: string;
  functionId: string;
  loopLine: number;
  model: DataModel;
  query: CallFact;
  reads: Array<{ relation: string; line: number; snippet: string; text: string }>;
  confidence: Confidence;
}

/** A query over one model in a function, with the calls of its statement (for eager-loading options). */
interface ModelQuery {
  orm: OrmCall;
  model: DataModel;
  statement: CallFact[];
}

/** The model a query call loads as rows, when it is a collection query over a project model. */
function queryModel(index: ProjectIndex, fn: FunctionInfo, fnCalls: CallFact[], orm: OrmCall, models: ModelIndex): ModelQuery | null {
  const statement = fnCalls.filter((c) => c.line >= orm.call.line && c.line <= orm.call.endLine);
  if (!orm.chain.every((m) => COLLECTION_METHODS.has(m))) return null;
  if (orm.family === "django" || orm.family === "flask-query") return orm.model ? { orm, model: orm.model, statement } : null;
  if (orm.family !== "session" || !["scalars", "execute", "query", "exec"].includes(orm.chain[0] as string)) return null;
  // `session.execute(select(A))` returns rows of tuples unless `.scalars()` follows
  if (orm.chain[0] === "execute" && !orm.chain.includes("scalars")) return null;
  const entity = (call: CallFact | undefined): DataModel | null => {
    const first = call?.args.find((a) => a.name === null);
    return first?.qualified ? (models.byName.get(index.resolve(first.qualified, fn.module)) ?? null) : null;
  };
  const resolvedOf = (c: CallFact) => (c.qualified ? index.resolve(c.qualified, fn.module) : "");
  if (orm.chain[0] === "query") {
    const query = statement.find((c) => /\.query$/.test(resolvedOf(c)) && c.args.length === 1);
    const model = entity(query);
    return model ? { orm, model, statement } : null;
  }
  const select = statement.find((c) => SELECT.test(resolvedOf(c)));
  if (select) {
    const model = select.args.filter((a) => a.name === null).length === 1 ? entity(select) : null;
    return model ? { orm, model, statement } : null;
  }
  // `stmt = select(A).where(...)` built in an earlier statement and executed here
  const source = statement.find((c) => c === orm.call || c.line === orm.call.line);
  const name = source?.args.find((a) => a.name === null && a.kind === "name")?.text;
  if (!name) return null;
  const built = fnCalls.filter((c) => c.line < orm.call.line && new RegExp(`^${escapeRegExp(name)}\\s*(:[^=]+)?=[^=]`).test(c.snippet));
  const builtSelect = built.find((c) => SELECT.test(resolvedOf(c)));
  const model = builtSelect && builtSelect.args.filter((a) => a.name === null).length === 1 ? entity(builtSelect) : null;
  if (!model || !builtSelect) return null;
  const lines = new Set(built.filter((c) => c.line >= builtSelect.line).map((c) => c.line));
  return { orm, model, statement: [...statement, ...fnCalls.filter((c) => lines.has(c.line))] };
}

/**
 * Relationships the function loads eagerly for a query: `select_related`/`prefetch_related` arguments (Django),
 * loader options (SQLAlchemy). `"all"` when it cannot tell (a variable argument, a wildcard), so nothing is reported.
 */
function eagerRelations(index: ProjectIndex, fn: FunctionInfo, fnCalls: CallFact[], query: ModelQuery, relations: Map<string, { forwardKey: boolean }>): Set<string> | "all" {
  const out = new Set<string>();
  const resolvedOf = (c: CallFact) => (c.qualified ? index.resolve(c.qualified, fn.module) : c.callee);
  if (query.orm.family === "django") {
    for (const c of fnCalls) {
      if (/(^|\.)prefetch_related_objects$/.test(c.callee)) return "all";
      if (!DJANGO_EAGER.test(calleeHead(c.callee)) && !DJANGO_EAGER.test(c.callee)) continue;
      if (c.hasStarArgs) return "all";
      if (c.args.length === 0) {
        if (c.callee.endsWith("select_related")) for (const [name, r] of relations) if (r.forwardKey) out.add(name);
        continue;
      }
      for (const a of c.args) {
        const literal = typeof a.value === "string" ? a.value : /^\w*\.?Prefetch\(\s*["']([\w]+)/.exec(a.text)?.[1];
        if (literal === undefined) return "all";
        out.add(literal.split("__")[0] as string);
      }
    }
    if (query.orm.chain.some((m) => m === "select_related" || m === "prefetch_related") && out.size === 0) return "all";
    return out;
  }
  for (const c of fnCalls) {
    const resolved = resolvedOf(c);
    const isOptions = /\.options$/.test(c.callee);
    if (!SQLALCHEMY_LOADER.test(resolved) && !SQLALCHEMY_LOADER.test(c.callee) && !isOptions) continue;
    if (c.hasStarArgs) return "all";
    for (const a of c.args) {
      if (isOptions && a.kind !== "call") return "all";
      if (a.text.includes('"*"') || a.text.includes("'*'")) return "all";
      for (const m of a.text.matchAll(/\.(\w+)\b|["'](\w+)["']/g)) out.add((m[1] ?? m[2]) as string);
    }
  }
  return out;
}

/** Whether a Django model's default manager is a project manager that may add `select_related` itself. */
function customManagerLoadsEagerly(index: ProjectIndex, model: DataModel): boolean {
  if (model.orm !== "django") return false;
  const objects = classOf(index, model)?.assignments.find((a) => a.target === "objects");
  if (!objects?.callee || /(^|\.)Manager$/.test(objects.callee)) return false;
  const module = index.moduleByFile.get(model.file);
  const managerName = module ? index.resolve(objects.callee.replace(/\(\)$/, ""), module) : "";
  const managerModule = index.projectModuleOf(managerName);
  const facts = managerModule ? index.modules.get(managerModule)?.facts : undefined;
  return facts ? facts.calls.some((c) => DJANGO_EAGER.test(c.callee)) : true;
}

/** Names that may stand for one row of `collection` in a loop whose header the facts do not show. */
function rowNameFor(collection: string, candidate: string): boolean {
  if (GENERIC_ROW.has(candidate)) return true;
  const c = collection.toLowerCase();
  const n = candidate.toLowerCase();
  return c === `${n}s` || c === `${n}es` || (n.endsWith("y") && c === `${n.slice(0, -1)}ies`) || c === `${n}_list` || c === `${n}_qs` || c === `${n}s_qs` || (n.length === 1 && c.startsWith(n) && c.endsWith("s"));
}

/** Relationship reads of `target` in the calls of a loop body: `order.customer.name`, `order.items.all()`. */
function readsIn(body: CallFact[], target: string, relations: Iterable<string>): NPlusOneSite["reads"] {
  const reads: NPlusOneSite["reads"] = [];
  for (const relation of relations) {
    const pattern = new RegExp(`(^|[^\\w.])${escapeRegExp(target)}\\.${escapeRegExp(relation)}\\b(?!\\s*=[^=])`);
    const hit = body.find((c) => pattern.test(c.callee) || c.args.some((a) => pattern.test(a.text)));
    if (hit) reads.push({ relation, line: hit.line, snippet: hit.snippet, text: `${target}.${relation}` });
  }
  return reads;
}

/** Loops over a query result in the same function that read a lazily loaded relationship of each row. */
function loopSites(input: CheckInput, models: ModelIndex): NPlusOneSite[] {
  const { index } = input;
  // DB002 and DB003 both need the sites: found once per project
  const known = SITES.get(index);
  if (known) return known;
  const sites: NPlusOneSite[] = [];
  SITES.set(index, sites);
  for (const fn of index.sortedFunctions()) {
    if (!isApplicationFile(fn.file)) continue;
    const loops = loopsOf(index, fn);
    if (!loops.length) continue;
    const fnCalls = callsOf(index, fn);
    const byLine = new Map<number, ModelQuery>();
    for (const call of fnCalls) {
      const orm = ormCall(index, fn.module, call, models);
      const query = orm ? queryModel(index, fn, fnCalls, orm, models) : null;
      const known = byLine.get(call.line);
      if (query && (!known || known.orm.chain.length < query.orm.chain.length)) byLine.set(call.line, query);
    }
    const reported = new Set<number>();
    for (const query of byLine.values()) {
      if (customManagerLoadsEagerly(index, query.model)) continue;
      const relations = models.relations(query.model);
      const eager = eagerRelations(index, fn, fnCalls, query, relations);
      if (eager === "all") continue;
      const lazy = [...relations.values()].filter((r) => !r.eager && !eager.has(r.name)).map((r) => r.name);
      if (!lazy.length) continue;
      // one finding per query, at its first loop that reads a relationship
      for (const bound of loopsOver(fnCalls, loops, query)) {
        if (reported.has(bound.loop.line) || sites.some((s) => s.functionId === fn.id && s.query === query.orm.call)) continue;
        const statementHeader = bound.loop.line === query.orm.call.line && iterableOf(query.orm.call, loops)?.statement === true;
        const inBody = fnCalls.filter((c) => c.line >= bound.loop.line + (statementHeader ? 1 : 0) && c.line <= bound.loop.endLine && !partOfQuery(c, query.orm.call));
        const targets = bound.targets ?? [...new Set(inBody.flatMap((c) => [c.callee, ...c.args.map((a) => a.text)].flatMap((t) => [...t.matchAll(/(?:^|[^\w.])([a-z_]\w*)\.\w/g)].map((m) => m[1] as string))))].filter((n) => rowNameFor(bound.collection ?? "", n));
        const reads = targets.flatMap((t) => readsIn(inBody, t, lazy));
        if (!reads.length) continue;
        reported.add(bound.loop.line);
        sites.push({ file: fn.file, functionId: fn.id, loopLine: bound.loop.line, model: query.model, query: query.orm.call, reads, confidence: bound.targets ? "high" : "medium" });
      }
    }
  }
  return sites;
}

const SITES = new WeakMap<ProjectIndex, NPlusOneSite[]>();

/** The call itself, a call it chains on (`Order.objects.filter` under `.all`), or one in its arguments (`select(User)`). */
function partOfQuery(c: CallFact, query: CallFact): boolean {
  if (c === query) return true;
  if (c.line < query.line || c.line > query.endLine) return false;
  const head = calleeHead(c.callee);
  return query.callee.startsWith(head) || query.args.some((a) => a.text.includes(`${head}(`));
}

/** Loops whose iterable is the query (in its header) or the variable the query was assigned to, with the names they bind. */
function loopsOver(fnCalls: CallFact[], loops: LoopFact[], query: ModelQuery): Array<{ loop: LoopFact; targets: string[] | null; collection?: string }> {
  const call = query.orm.call;
  const iterable = iterableOf(call, loops);
  if (iterable) {
    const loop = iterable.statement ? loops.find((l) => l.line === call.line) : loops.filter((l) => l.line <= call.line && call.line <= l.endLine).sort((a, b) => b.line - a.line)[0];
    return loop ? [{ loop, targets: iterable.targets }] : [];
  }
  const assigned = /^(\w+)\s*(?::[^=]+)?=\s*(?:await\s+)?(.*)$/.exec(call.snippet);
  if (!assigned || !(assigned[2] as string).startsWith(calleeHead(call.callee))) return [];
  const name = assigned[1] as string;
  const out: Array<{ loop: LoopFact; targets: string[] | null; collection?: string }> = [];
  const later = loops.filter((l) => l.line > call.endLine).sort((a, b) => a.line - b.line);
  // the variable assigned again later: loops after that iterate something else
  const reassigned = fnCalls.find((c) => c.line > call.endLine && new RegExp(`^${escapeRegExp(name)}\\s*(:[^=]+)?=[^=]`).test(c.snippet))?.line ?? Number.POSITIVE_INFINITY;
  for (const loop of later) {
    if (loop.line > reassigned) break;
    const header = lineText(fnCalls, loop.line);
    const m = header ? new RegExp(`\\bfor\\s+([\\w\\s,()]+?)\\s+in\\s+(?:(?:enumerate|list|reversed|sorted)\\()?${escapeRegExp(name)}(\\.(all|iterator|scalars|unique)\\(\\))*\\s*(\\)|\\]|}|:|,|\\bif\\b|$)`).exec(header) : null;
    if (m) out.push({ loop, targets: (m[1] as string).split(/[\s,()]+/).filter((t) => /^[A-Za-z_]\w*$/.test(t)) });
    // a header with no call on its line is not in the facts: the first loop after the query, read by naming convention
    else if (!header && out.length === 0 && loop === later[0]) out.push({ loop, targets: null, collection: name });
  }
  return out;
}

/** DRF: a list view whose serializer reads a relationship of each row (nested serializer, `source="rel.attr"`, `depth`) without eager loading. */
function serializerSites(input: CheckInput, models: ModelIndex): Report[] {
  const { index, model } = input;
  const reports: Report[] = [];
  const seen = new Set<string>();
  for (const e of model.endpoints) {
    if (e.framework !== "drf" || e.method !== "GET" || !isApplicationFile(e.file)) continue;
    const action = lastSegment(e.handler);
    const classId = e.handler.slice(0, e.handler.lastIndexOf("."));
    const view = classView(index, classId, { file: e.file, line: e.line });
    const isList = action === "list" || (action === "get" && view.external.some((x) => /(ListAPIView|ListCreateAPIView|ListModelMixin)$/.test(x)));
    if (!isList || seen.has(classId)) continue;
    seen.add(classId);
    const serializerAttr = classAttribute(view, "serializer_class");
    if (!serializerAttr || serializerAttr.fact.kind !== "name" && serializerAttr.fact.kind !== "attribute") continue;
    const serializerId = resolveName(index, serializerAttr.fact.text, serializerAttr.owner.module);
    const serializer = index.symbol(serializerId);
    if (serializer?.kind !== "class") continue;
    const meta = index.modules.get(serializer.module)?.facts.classes.find((c) => c.qualname === `${serializer.fact.qualname}.Meta`);
    const modelAttr = meta?.assignments.find((a) => a.target === "model");
    const rowModel = modelAttr ? models.byName.get(resolveName(index, modelAttr.text, serializer.module)) : undefined;
    if (!rowModel || customManagerLoadsEagerly(index, rowModel)) continue;
    const relations = models.relations(rowModel);
    const eager = viewEagerRelations(index, view, rowModel);
    if (eager === "all") continue;
    const reads = serializerReads(index, serializer.module, serializer.fact.qualname, serializer.fact.assignments, meta?.assignments ?? [], serializer.file, relations);
    const lazy = reads.filter((r) => !relations.get(r.relation)?.eager && !eager.set.has(r.relation));
    const first = lazy[0];
    if (!first) continue;
    const names = [...new Set(lazy.map((r) => r.relation))];
    const queryEvidence: Evidence = { file: eager.file, line: eager.line, snippet: eager.snippet };
    reports.push({
      message: `${modelLabel(classId)} lists ${modelLabel(rowModel.name)} rows through ${serializer.fact.name}, which reads the ${names.map((n) => `\`${n}\``).join(", ")} relationship${names.length > 1 ? "s" : ""} of each row (${first.how}), but the view's queryset has no ${names.map((n) => `select_related/prefetch_related("${n}")`).join(", ")}: one extra query per row and relationship.`,
      evidence: [queryEvidence, ...lazy.slice(0, 3).map((r) => ({ file: serializer.file, line: r.line, snippet: r.snippet }))],
    });
  }
  return reports;
}

/** The relationships a DRF view's queryset loads eagerly, and where the queryset is written. */
function viewEagerRelations(index: ProjectIndex, view: ReturnType<typeof classView>, rowModel: DataModel): { set: Set<string>; file: string; line: number; snippet: string } | "all" {
  const set = new Set<string>();
  const getQueryset = findMethod(index, view, "get_queryset");
  const attr = classAttribute(view, "queryset");
  const forward = [...rowModelForward(rowModel)];
  const readText = (text: string): boolean => {
    for (const m of text.matchAll(/(select_related|prefetch_related)\(([^)]*)\)/g)) {
      const args = m[2] as string;
      if (!args.trim()) {
        if (m[1] === "select_related") for (const f of forward) set.add(f);
        continue;
      }
      const literals = [...args.matchAll(/["']([\w]+)/g)].map((x) => x[1] as string);
      if (!literals.length) return false;
      for (const l of literals) set.add(l.split("__")[0] as string);
    }
    return true;
  };
  if (getQueryset) {
    const calls = callsOf(index, getQueryset);
    // a queryset built elsewhere (a parent's, a manager method, a helper) may load its relationships there
    if (!calls.some((c) => /\.objects\.\w+$/.test(calleeHead(c.callee)) || /^(self\.)?queryset\.\w+$/.test(calleeHead(c.callee)))) return "all";
    if (calls.some((c) => /super\(\)\.get_queryset/.test(c.callee))) return "all";
    for (const c of calls) if (!readText(`${c.callee}(${c.args.map((a) => a.text).join(", ")})`)) return "all";
    if (attr && !readText(attr.fact.text)) return "all";
    return { set, file: getQueryset.file, line: getQueryset.fact.line, snippet: `def get_queryset(self): ...` };
  }
  if (!attr || !/\.objects\b/.test(attr.fact.text)) return "all";
  if (!readText(attr.fact.text)) return "all";
  return { set, file: attr.owner.file, line: attr.fact.line, snippet: `queryset = ${attr.fact.text}` };
}

function rowModelForward(model: DataModel): string[] {
  return model.relationships.filter((r) => model.foreignKeys.some((fk) => fk.field === r.name)).map((r) => r.name);
}

/** What a serializer reads through relationships: nested serializers, dotted sources, related fields, `depth`, method fields. */
function serializerReads(
  index: ProjectIndex,
  module: string,
  qualname: string,
  fields: Array<{ target: string; line: number; callee?: string | null; args?: Array<{ name: string | null; text: string; value?: unknown }>; text: string }>,
  meta: Array<{ target: string; value?: unknown; line: number }>,
  file: string,
  relations: Map<string, unknown>,
): Array<{ relation: string; line: number; snippet: string; how: string }> {
  const out: Array<{ relation: string; line: number; snippet: string; how: string }> = [];
  for (const f of fields) {
    if (!f.callee) continue;
    const source = f.args?.find((a) => a.name === "source")?.value;
    const relation = typeof source === "string" ? (source.split(".")[0] as string) : f.target;
    if (!relations.has(relation)) continue;
    const calleeName = lastSegment(/^([\w.]+)\s*\(/.exec(f.text)?.[1] ?? f.callee);
    const resolved = index.resolve(f.callee, module);
    const nested = /Serializer$/.test(calleeName) && index.symbol(resolved)?.kind === "class";
    const dotted = typeof source === "string" && source.includes(".");
    const related = /^(StringRelatedField|SlugRelatedField|HyperlinkedRelatedField|HyperlinkedIdentityField)$/.test(calleeName);
    if (!nested && !dotted && !related) continue;
    const how = nested ? `nested \`${calleeName}\` in \`${f.target}\`` : dotted ? `\`source="${source}"\`` : `\`${calleeName}\` on \`${f.target}\``;
    out.push({ relation, line: f.line, snippet: `${f.target} = ${f.text}`, how });
  }
  const depth = meta.find((a) => a.target === "depth")?.value;
  if (typeof depth === "number" && depth >= 1) {
    const line = meta.find((a) => a.target === "depth")?.line ?? 0;
    for (const r of relations.keys()) if (!out.some((o) => o.relation === r) && !r.endsWith("_set")) out.push({ relation: r, line, snippet: `depth = ${depth}`, how: `\`depth = ${depth}\`` });
  }
  // `get_<field>(self, obj)` methods of SerializerMethodFields reading a relationship of the row
  for (const fn of index.functions.values()) {
    if (fn.module !== module || fn.fact.className !== qualname || !fn.fact.name.startsWith("get_")) continue;
    const row = fn.fact.params[1]?.name;
    if (!row) continue;
    const reads = readsIn(callsOf(index, fn), row, [...relations.keys()]);
    for (const r of reads) if (!out.some((o) => o.relation === r.relation)) out.push({ relation: r.relation, line: r.line, snippet: r.snippet, how: `\`${r.text}\` in \`${fn.fact.name}()\`` });
  }
  return out.filter((o) => o.line > 0 && file !== "");
}

/** DB002 sites, shared with DB003 so a loop reported as an N+1 is not reported again as a query in a loop. */
export function nPlusOneSites(input: CheckInput): NPlusOneSite[] {
  return loopSites(input, modelIndex(input.index, input.model.dataModels));
}

export default defineCheck({
  id: "DB002",
  area: "database",
  title: "N+1 query",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Reading a lazily loaded relationship of each row of a query sends one more query per row: a page of 100 orders with their customers is 101 round trips instead of one or two. It is invisible in development with ten rows and dominates response time in production.",
  recommendation:
    "Load the relationship with the query: Django `select_related(\"customer\")` for foreign keys and one-to-one, `prefetch_related(\"items\")` (or `Prefetch`) for reverse and many-to-many relations, also in a DRF view's `queryset`/`get_queryset`; SQLAlchemy `.options(selectinload(Order.items), joinedload(Order.customer))` or `lazy=\"selectin\"` on the relationship. nplusone or django-zeal catch the rest in tests.",
  example: {
    bad: "for order in Order.objects.filter(status=\"open\"):\n    print(order.customer.name)",
    good: "for order in Order.objects.filter(status=\"open\").select_related(\"customer\"):\n    print(order.customer.name)",
  },
  references: ["https://docs.djangoproject.com/en/stable/ref/models/querysets/#select-related", "https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html", "https://www.django-rest-framework.org/api-guide/relations/"],
  effort: "S",
  libraries: ["django", "sqlalchemy", "nplusone", "django-zeal"],
  run(input) {
    const models = modelIndex(input.index, input.model.dataModels);
    const reports: Report[] = loopSites(input, models).map((s) => {
      const relations = [...new Set(s.reads.map((r) => r.relation))];
      const first = s.reads[0] as NPlusOneSite["reads"][number];
      return {
        message: `${shortName(s.functionId)} loops over ${modelLabel(s.model.name)} rows from \`${calleeHead(s.query.callee)}(...)\` (line ${s.query.line}) and reads \`${first.text}\`${relations.length > 1 ? ` (and ${relations.slice(1).map((r) => `\`${r}\``).join(", ")})` : ""}, a relationship the query does not load eagerly: one extra query per row${s.confidence === "medium" ? " (the loop variable is inferred from its name)" : ""}.`,
        evidence: [
          { file: s.file, line: s.loopLine, snippet: s.loopLine === s.query.line ? s.query.snippet : `loop over the rows of line ${s.query.line}` },
          { file: s.file, line: s.query.line, snippet: s.query.snippet },
          { file: s.file, line: first.line, snippet: first.snippet },
        ],
        confidence: s.confidence,
        ...(isBatchTooling(s.file) ? { severity: "low" as const } : {}),
      };
    });
    reports.push(...serializerSites(input, models));
    return reports;
  },
});
