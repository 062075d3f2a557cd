import { classAttribute, classView, findMethod, lastSegment } from "../../model/endpoints/django-views.js";
import { readSettings } from "../../model/endpoints/django-settings.js";
import type { Endpoint, Evidence } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { byRole, GROUP_FROM } from "../grouping.js";
import { shortName } from "../handlers.js";
import type { Report, Severity } from "../types.js";
import { callsOf, calleeHead, escapeRegExp, isApplicationFile, type ModelIndex, modelIndex, modelLabel, ormCall } from "./orm-queries.js";

/** API003's own test for a declared list response: those endpoints are API003's to report. */
const LIST_SCHEMA = /^(list|List|Sequence|Iterable|set|tuple)\[/;
/** Chained methods after which a query still returns every matching row. */
const UNBOUNDED_CHAIN = new Set(["all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate", "distinct", "only", "defer", "values", "values_list", "filter_by", "where", "options", "join", "outerjoin", "scalars", "unique", "execute", "query", "exec", "fetchall", "using"]);
const FILTERS = new Set(["filter", "exclude", "filter_by", "where"]);
const BOUNDS = /\.(limit|offset|slice|paginate|fetchmany|first|one|one_or_none|scalar_one|scalar|get|exists|count)\s*\(|\[\s*[\w.+\-*]*\s*:|\bPaginator\(|paginat/i;

interface Unbounded {
  query: CallFact;
  model: string;
  filtered: boolean;
}

/** A collection query in the handler whose rows all go back in the response, with no limit, slice or paginator applied. */
function unboundedReturned(index: ProjectIndex, fn: FunctionInfo, models: ModelIndex): Unbounded | null {
  const calls = callsOf(index, fn);
  const byLine = new Map<number, { call: CallFact; chain: string[]; model: string }>();
  for (const call of calls) {
    const orm = ormCall(index, fn.module, call, models);
    if (!orm || orm.family === "cursor" || !orm.chain.every((m) => UNBOUNDED_CHAIN.has(m))) continue;
    const statement = calls.filter((c) => c.line >= call.line && c.line <= call.endLine);
    const select = statement.flatMap((c) => (c.qualified && /(^|\.)select$|\.query$/.test(index.resolve(c.qualified, fn.module)) ? c.args.filter((a) => a.name === null && a.qualified) : []));
    const model = orm.model?.name ?? select.map((a) => models.byName.get(index.resolve(a.qualified as string, fn.module))?.name).find((n) => n !== undefined);
    if (!model) continue;
    // SQLAlchemy returns the rows once `.all()` (or a list) makes them a list; a Django queryset is evaluated by the serializer
    if (orm.family !== "django" && orm.chain[orm.chain.length - 1] !== "all") continue;
    const known = byLine.get(call.line);
    if (!known || known.chain.length < orm.chain.length) byLine.set(call.line, { call, chain: orm.chain, model });
  }
  for (const { call, chain, model } of byLine.values()) {
    const statement = calls.filter((c) => c.line >= call.line && c.line <= call.endLine);
    if (BOUNDS.test(call.snippet) || statement.some((c) => BOUNDS.test(`${c.callee}(`))) continue;
    const filtered = chain.some((m) => FILTERS.has(m)) || statement.some((c) => /\.(where|filter|filter_by)$/.test(c.callee));
    if (/^return\b/.test(call.snippet)) return { query: call, model, filtered };
    const assigned = /^(\w+)\s*(?::[^=]+)?=\s*(?:await\s+)?(.*)$/.exec(call.snippet);
    if (!assigned || !(assigned[2] as string).startsWith(calleeHead(call.callee))) continue;
    const name = new RegExp(`(^|[^\\w.])${escapeRegExp(assigned[1] as string)}\\b`);
    const later = calls.filter((c) => c.line > call.endLine && c.args.some((a) => name.test(a.text)));
    // sliced, paginated or narrowed later on: bounded after all
    if (later.some((c) => BOUNDS.test(`${c.callee}(`) || c.args.some((a) => BOUNDS.test(a.text)))) continue;
    if (later.some((c) => /^return\b/.test(c.snippet) || c.args.some((a) => a.name === "many" && a.text === "True"))) return { query: call, model, filtered };
  }
  return null;
}

/** DRF list views and Django ListViews with no paginator, and the queryset they list. */
function unpagedViewQuerysets(index: ProjectIndex, endpoints: Endpoint[]): Array<{ endpoint: Endpoint; evidence: Evidence; filtered: boolean; model: string }> {
  const settings = readSettings([...index.modules.values()]);
  const out: Array<{ endpoint: Endpoint; evidence: Evidence; filtered: boolean; model: string }> = [];
  const seen = new Set<string>();
  for (const e of endpoints) {
    if (e.method !== "GET" || e.pagination || (e.framework !== "drf" && e.framework !== "django")) continue;
    // DRF's default paginator is unknown when the settings cannot be read
    if (e.framework === "drf" && settings.api.pagination !== null) continue;
    const action = lastSegment(e.handler);
    const classId = e.handler.slice(0, e.handler.lastIndexOf("."));
    const view = classView(index, classId, { file: e.file, line: e.line });
    const listing = e.framework === "drf" ? action === "list" || (action === "get" && view.external.some((x) => /(ListAPIView|ListCreateAPIView)$/.test(x))) : action === "get" && view.external.some((x) => /(^|\.)ListView$/.test(x));
    // a handler of the project's own may page by hand
    if (!listing || seen.has(classId) || findMethod(index, view, action)) continue;
    seen.add(classId);
    if (findMethod(index, view, "get_queryset") || findMethod(index, view, "paginate_queryset")) continue;
    const attr = classAttribute(view, "queryset");
    const m = attr ? /^([\w.]+)\.objects\.(\w+)\(.*\)$/.exec(attr.fact.text) : null;
    if (!attr || !m || /\[\s*[\w.]*\s*:/.test(attr.fact.text)) continue;
    const filtered = /\.(filter|exclude)\(/.test(attr.fact.text);
    out.push({ endpoint: e, evidence: { file: attr.owner.file, line: attr.fact.line, snippet: `queryset = ${attr.fact.text}` }, filtered, model: m[1] as string });
  }
  return out;
}

export default defineCheck({
  id: "DB007",
  area: "database",
  title: "Unbounded query returned to a client",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A list endpoint that loads every row of a table reads, transfers and serialises more with every row added: memory and response time grow without limit, one request can hold a connection for seconds, and a client (or a scraper) can make the database do a full scan at will.",
  recommendation:
    "Bound the query where it is built: `.limit(limit).offset(offset)` (SQLAlchemy), a slice `qs[offset:offset + limit]` (Django), or a paginator: DRF `pagination_class`/`DEFAULT_PAGINATION_CLASS`, Django `Paginator` or `paginate_by`, fastapi-pagination's `paginate(session, select(...))`, Flask-SQLAlchemy `db.paginate(...)`. Apply the page parameters the endpoint already takes to the query itself, with a maximum page size.",
  example: {
    bad: "@app.get(\"/users\")\ndef users():\n    return jsonify([u.to_dict() for u in User.query.all()])",
    good: "@app.get(\"/users\")\ndef users():\n    page = db.paginate(db.select(User).order_by(User.id), max_per_page=100)\n    return jsonify([u.to_dict() for u in page.items])",
  },
  references: ["https://docs.sqlalchemy.org/en/20/core/selectable.html#sqlalchemy.sql.expression.Select.limit", "https://docs.djangoproject.com/en/stable/topics/pagination/", "https://www.django-rest-framework.org/api-guide/pagination/"],
  effort: "S",
  libraries: ["fastapi-pagination", "djangorestframework", "flask-sqlalchemy"],
  run({ model, index }) {
    const models = modelIndex(index, model.dataModels);
    const reports: Report[] = [];
    for (const e of model.endpoints) {
      if (e.method !== "GET" || !isApplicationFile(e.file)) continue;
      const fn = index.functions.get(e.handler);
      if (!fn) continue;
      // API003 reports a declared list response with no paging parameter: the same endpoint, the same fix
      if (!e.pagination && e.responseSchema && LIST_SCHEMA.test(e.responseSchema.trim())) continue;
      const paging = e.pagination?.endsWith(" parameters") ? e.pagination.replace(/ parameters$/, "").split("/") : null;
      // paging parameters that reach a call (a repository, a paginator) are applied somewhere the facts may not follow
      if (e.pagination && !paging) continue;
      if (paging && callsOf(index, fn).some((c) => c.args.some((a) => a.usesParams?.some((p) => paging.includes(p))))) continue;
      const found = unboundedReturned(index, fn, models);
      if (!found) continue;
      const scoped = /\{[^}]+\}|<[^>]+>/.test(e.path) || found.filtered;
      const severity: Severity | undefined = paging ? undefined : scoped ? "low" : undefined;
      const why = paging
        ? `the handler takes ${paging.join("/")} but never applies them to the query`
        : scoped
          ? "it is filtered, so it grows with the matching rows rather than the whole table"
          : "the whole table goes back in one response";
      reports.push({
        message: `GET ${e.path} (${shortName(fn.id)}) returns every ${modelLabel(found.model)} row \`${calleeHead(found.query.callee)}(...)\` loads, with no limit, slice or paginator: ${why}.`,
        evidence: [{ file: fn.file, line: found.query.line, snippet: found.query.snippet }, { file: e.file, line: e.line, snippet: `GET ${e.path} → ${e.handler}` }],
        ...(severity ? { severity } : {}),
      });
    }
    const views = unpagedViewQuerysets(index, model.endpoints.filter((e) => isApplicationFile(e.file)));
    const [production, rest] = byRole(views, (v) => v.evidence.file);
    const unfiltered = production.filter((v) => !v.filtered);
    if (unfiltered.length >= GROUP_FROM) {
      reports.push({
        message: `${unfiltered.length} list views return their whole queryset with no pagination_class and no DEFAULT_PAGINATION_CLASS (for example GET ${unfiltered[0]?.endpoint.path} → \`${unfiltered[0]?.evidence.snippet}\`).`,
        evidence: unfiltered.map((v) => v.evidence),
      });
    }
    for (const v of [...(unfiltered.length >= GROUP_FROM ? [] : unfiltered), ...production.filter((x) => x.filtered), ...rest]) {
      reports.push({
        message: `GET ${v.endpoint.path} (${shortName(v.endpoint.handler)}) lists \`${v.evidence.snippet}\` with ${v.endpoint.framework === "drf" ? "no pagination_class and no DEFAULT_PAGINATION_CLASS" : "no paginate_by"}: every ${modelLabel(v.model)} row${v.filtered ? " that matches the filter" : ""} in one response.`,
        evidence: [v.evidence, { file: v.endpoint.file, line: v.endpoint.line, snippet: `GET ${v.endpoint.path} → ${v.endpoint.handler}` }],
        ...(v.filtered ? { severity: "low" as const } : {}),
      });
    }
    return reports;
  },
});
