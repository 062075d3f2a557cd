import { fileRole } from "../../core/file-roles.js";
import type { CallFact, ClassFact, LoopFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import type { DataModel } from "../../model/types.js";

/*
 * How the database checks (DB002, DB003, DB007, DB011) recognise ORM and driver calls from the facts:
 * the resolved name of a call spells its chain (`app.models.Order.objects.filter().first`,
 * `sqlalchemy.orm.Session.scalars().all`), so the model, the entry method and the chained methods are read
 * from it; arguments come from the chain's own calls, which sit on the same lines.
 */

export type QueryFamily = "django" | "flask-query" | "session" | "cursor";

export interface OrmCall {
  call: CallFact;
  resolved: string;
  family: QueryFamily;
  /** The model the query starts from (`Model.objects`, `Model.query`), when the project declares it. */
  model: DataModel | null;
  /** What the chain starts from as written in the resolved name (`app.models.Order`, `sqlalchemy.orm.Session`). */
  root: string;
  /** Methods in order: `["filter", "select_related", "all"]`. */
  chain: string[];
}

const DJANGO_MANAGER = /^(.+)\.(objects|_default_manager|_base_manager)\.(\w+)((?:\(\)\.\w+)*)$/;
const FLASK_QUERY = /^(.+)\.query\.(\w+)((?:\(\)\.\w+)*)$/;
/** Session-like receivers: SQLAlchemy/SQLModel sessions (sync and async), scoped sessions, Flask-SQLAlchemy's `db.session`, connections. */
const SESSION_ROOTS = [
  "sqlalchemy.orm.Session",
  "sqlalchemy.orm.session.Session",
  "sqlmodel.Session",
  "sqlmodel.ext.asyncio.session.AsyncSession",
  "sqlalchemy.orm.scoped_session()",
  "sqlalchemy.ext.asyncio.AsyncSession",
  "sqlalchemy.ext.asyncio.async_scoped_session()",
  "flask_sqlalchemy.SQLAlchemy.session",
  "sqlalchemy.Connection",
  "sqlalchemy.engine.Connection",
  "sqlalchemy.ext.asyncio.AsyncConnection",
];
const SESSION_CALL = new RegExp(`^(${SESSION_ROOTS.map((r) => r.replace(/[.()]/g, "\\$&")).join("|")})\\.(\\w+)((?:\\(\\)\\.\\w+)*)$`);
/** DB-API cursors (psycopg2, pymysql, sqlite3, Django's `connection.cursor()`). */
const CURSOR_CALL = /^(psycopg2\.cursor|pymysql\.cursor|sqlite3\.Cursor|sqlite3\.Connection|psycopg2\.connection|psycopg\.Cursor|(?:django\.db\.)?(?:connection|connections\[\w*\])\.cursor\(\)|[\w.]*\.cursor\(\))\.(execute|executemany|fetchall|fetchone|fetchmany)$/;

/** The ORM or driver call a call is, or null. */
export function ormCall(index: ProjectIndex, module: string, call: CallFact, models: ModelIndex): OrmCall | null {
  if (!call.qualified) return null;
  const resolved = index.resolve(call.qualified, module);
  const split = (tail: string) => tail.split("().").filter(Boolean);
  let m = DJANGO_MANAGER.exec(resolved);
  if (m) {
    const chain = [m[3] as string, ...split((m[4] ?? "").replace(/^\(\)\./, ""))];
    // `obj = Model.objects.get(...)` then `obj.save()`: a method of the instance, not of the queryset
    if (chain.slice(0, -1).some((method) => INSTANCE_METHODS.has(method)) || !chain.every((method) => QUERYSET_METHODS.has(method))) return null;
    return { call, resolved, family: "django", model: models.byName.get(m[1] as string) ?? null, root: m[1] as string, chain };
  }
  m = SESSION_CALL.exec(resolved);
  if (m) return { call, resolved, family: "session", model: null, root: m[1] as string, chain: [m[2] as string, ...split((m[3] ?? "").replace(/^\(\)\./, ""))] };
  m = FLASK_QUERY.exec(resolved);
  if (m && models.byName.has(m[1] as string)) return { call, resolved, family: "flask-query", model: models.byName.get(m[1] as string) ?? null, root: m[1] as string, chain: [m[2] as string, ...split((m[3] ?? "").replace(/^\(\)\./, ""))] };
  m = CURSOR_CALL.exec(resolved);
  if (m) return { call, resolved, family: "cursor", model: null, root: m[1] as string, chain: [m[2] as string] };
  return null;
}

/** Queryset methods that return one instance (or a tuple with one): what follows is a method of the instance. */
const INSTANCE_METHODS = new Set(["get", "first", "last", "create", "get_or_create", "update_or_create", "earliest", "latest", "aget", "afirst", "alast", "acreate", "aget_or_create", "aupdate_or_create", "create_user", "create_superuser"]);

/** Methods that make a Django manager or queryset (or a Flask `Model.query`) touch the database. */
export const DJANGO_QUERY_METHODS = new Set([
  "get", "filter", "exclude", "all", "create", "get_or_create", "update_or_create", "count", "exists", "first", "last", "update", "delete",
  "values", "values_list", "aggregate", "annotate", "earliest", "latest", "raw", "order_by", "distinct", "create_user", "create_superuser",
  "aget", "afirst", "alast", "acreate", "aget_or_create", "aupdate_or_create", "acount", "aexists", "aupdate", "adelete", "aaggregate",
  "get_or_404", "first_or_404", "one", "one_or_none", "filter_by", "scalar",
]);
/** Django and Flask-SQLAlchemy methods that only compose a query: nothing is sent until it is iterated or evaluated. */
export const LAZY_METHODS = new Set(["filter", "exclude", "all", "order_by", "distinct", "values", "values_list", "annotate", "select_related", "prefetch_related", "only", "defer", "using", "filter_by", "options", "join", "outerjoin", "limit", "offset", "where", "query"]);
/** Every manager and queryset method a chain may hold (custom queryset methods are unknown, and so not read). */
const QUERYSET_METHODS = new Set([...INSTANCE_METHODS, "filter", "exclude", "all", "order_by", "distinct", "values", "values_list", "annotate", "select_related", "prefetch_related", "only", "defer", "using", "count", "exists", "update", "delete", "aggregate", "in_bulk", "bulk_create", "bulk_update", "iterator", "reverse", "none", "raw", "dates", "datetimes", "union", "intersection", "difference", "select_for_update", "extra", "alias", "contains", "explain", "acount", "aexists", "aupdate", "adelete", "aaggregate", "abulk_create", "abulk_update", "ain_bulk", "aiterator", "acontains"]);
/** Methods of a session or connection that send SQL. */
export const SESSION_QUERY_METHODS = new Set(["execute", "scalars", "scalar", "query", "get", "get_one", "exec", "merge", "refresh"]);

/** The project's data models by name, with the relationships each one can be read through. */
export interface ModelIndex {
  byName: Map<string, DataModel>;
  /** Relationship attributes of a model: forward ones it declares and reverse ones other models give it. */
  relations(model: DataModel): Map<string, RelationInfo>;
}

export interface RelationInfo {
  name: string;
  /** Where it is declared (the model's or the other model's file and line). */
  file: string;
  line: number;
  /** Loaded eagerly by the model's own declaration (`lazy="selectin"`, `"joined"`, `"subquery"`...). */
  eager: string | null;
  /** Django: a forward foreign key or one-to-one (what `select_related()` with no arguments follows). */
  forwardKey: boolean;
}

/** Declared loading strategies under which reading the attribute of each row sends no query per row. */
const EAGER_LAZY = new Set(["selectin", "joined", "subquery", "immediate", "raise", "raise_on_sql", "noload", "False", "false"]);

export function modelIndex(index: ProjectIndex, dataModels: DataModel[]): ModelIndex {
  const byName = new Map(dataModels.map((m) => [m.name, m]));
  const byShort = new Map<string, DataModel[]>();
  for (const m of dataModels) {
    const short = m.name.slice(m.name.lastIndexOf(".") + 1);
    byShort.set(short, [...(byShort.get(short) ?? []), m]);
  }
  const reverse = new Map<string, RelationInfo[]>();
  const targetOf = (from: DataModel, written: string): DataModel | null => {
    const bare = written.replace(/^["']|["']$/g, "");
    if (bare === "self") return from;
    const short = bare.slice(bare.lastIndexOf(".") + 1);
    const candidates = byShort.get(short) ?? [];
    return candidates.length === 1 ? (candidates[0] as DataModel) : null;
  };
  for (const m of dataModels) {
    const cls = classOf(index, m);
    for (const r of m.relationships) {
      const target = targetOf(m, r.target);
      if (!target) continue;
      const args = cls?.assignments.find((a) => a.target === r.name)?.args ?? [];
      const short = m.name.slice(m.name.lastIndexOf(".") + 1).toLowerCase();
      let name: string | null = null;
      let eager: string | null = null;
      if (m.orm === "django") {
        const related = args.find((a) => a.name === "related_name");
        if (related && typeof related.value !== "string") continue;
        const oneToOne = m.fields.some((f) => f.name === r.name && f.unique) && m.foreignKeys.some((fk) => fk.field === r.name);
        name = typeof related?.value === "string" ? related.value : oneToOne ? short : `${short}_set`;
        if (name.endsWith("+")) continue;
      } else if (m.orm === "sqlalchemy" || m.orm === "sqlmodel") {
        const backref = args.find((a) => a.name === "backref");
        if (!backref) continue;
        name = typeof backref.value === "string" ? backref.value : (/^\w*\.?backref\(\s*["'](\w+)["']/.exec(backref.text)?.[1] ?? null);
        eager = /lazy\s*=\s*["'](\w+)["']/.exec(backref.text)?.[1] ?? null;
      }
      if (!name) continue;
      const list = reverse.get(target.name) ?? [];
      list.push({ name, file: m.file, line: r.line, eager: eager && EAGER_LAZY.has(eager) ? eager : null, forwardKey: false });
      reverse.set(target.name, list);
    }
  }
  const cache = new Map<string, Map<string, RelationInfo>>();
  return {
    byName,
    relations(model) {
      const known = cache.get(model.name);
      if (known) return known;
      const out = new Map<string, RelationInfo>();
      for (const r of reverse.get(model.name) ?? []) out.set(r.name, r);
      for (const r of model.relationships) {
        out.set(r.name, { name: r.name, file: model.file, line: r.line, eager: r.lazy && EAGER_LAZY.has(r.lazy) ? r.lazy : null, forwardKey: model.foreignKeys.some((fk) => fk.field === r.name) });
      }
      cache.set(model.name, out);
      return out;
    },
  };
}

export function classOf(index: ProjectIndex, model: DataModel): ClassFact | null {
  const symbol = index.symbol(model.name);
  return symbol?.kind === "class" ? symbol.fact : null;
}

/** Short model name for messages (`Order`). */
export function modelLabel(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}

/** Code the catalog means by "application code": not tests, fixtures, examples or migrations. */
export function isApplicationFile(file: string): boolean {
  const role = fileRole(file);
  return role === "application" || role === "tooling";
}

/** Management commands, scripts and CLIs: batch loops there are the norm. */
export function isBatchTooling(file: string): boolean {
  return fileRole(file) === "tooling" || /(^|\/)(management\/commands|scripts?|bin|cli|commands)(\/|$)|(^|\/)(manage|cli|__main__)\.py$/.test(file);
}

/** The calls of one function in source order. */
export function callsOf(index: ProjectIndex, fn: FunctionInfo): CallFact[] {
  return index.modules.get(fn.module)?.facts.calls.filter((c) => c.enclosing === fn.fact.qualname) ?? [];
}

export function loopsOf(index: ProjectIndex, fn: FunctionInfo): LoopFact[] {
  return index.modules.get(fn.module)?.facts.loops.filter((l) => l.enclosing === fn.fact.qualname) ?? [];
}

/** The text of a line, when a call starts on it (the facts keep each call's line). */
export function lineText(calls: CallFact[], line: number): string | null {
  return calls.find((c) => c.line === line)?.snippet ?? null;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The callee up to its first call (`User.query.filter_by` for `User.query.filter_by(a=1).all`). */
export function calleeHead(callee: string): string {
  const paren = callee.indexOf("(");
  return paren < 0 ? callee : callee.slice(0, paren);
}

/**
 * Whether the call is the iterable of a `for ... in` clause written on its line, and if so the names the clause
 * binds and whether it is a `for` statement (run once per iteration of an enclosing loop only) or a comprehension.
 */
export function iterableOf(call: CallFact, loops: LoopFact[]): { targets: string[]; statement: boolean } | null {
  const head = escapeRegExp(calleeHead(call.callee));
  const m = new RegExp(`\\bfor\\s+([\\w\\s,()]+?)\\s+in\\s+(?:(?:enumerate|list|reversed|sorted|tuple)\\()?(?:await\\s+)?\\(?${head}\\b`).exec(call.snippet);
  if (!m) return null;
  const targets = (m[1] as string).split(/[\s,()]+/).filter((t) => /^[A-Za-z_]\w*$/.test(t));
  // a `for` clause of a comprehension can start a line too: a statement is a loop that starts on this line
  return { targets, statement: /^(async\s+)?for\b/.test(call.snippet) && loops.some((l) => l.line === call.line) };
}

/** The innermost loop of the function containing a line. */
export function innermostLoop(loops: LoopFact[], line: number): LoopFact | null {
  let best: LoopFact | null = null;
  for (const l of loops) if (l.line <= line && line <= l.endLine && (!best || l.line >= best.line)) best = l;
  return best;
}
