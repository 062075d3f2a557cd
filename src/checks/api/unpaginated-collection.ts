import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { joinAnd, plural } from "../../core/prose.js";
import { classView, findMethod } from "../../model/endpoints/django-views.js";
import { classChain } from "../../model/endpoints/graphql-fields.js";
import type { Endpoint, GraphQLOperation, SystemModel } from "../../model/types.js";
import type { AssignmentFact } from "../../python/facts.js";
import { effectOf } from "../../python/effects.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { byRole, GROUP_FROM } from "../grouping.js";

const LIST_SCHEMA = /^(list|List|Sequence|Iterable|set|tuple)\[/;
const PRIMITIVE_LIST = /^(list|List|Sequence|Iterable|set|tuple)\[\s*(str|int|float|bool|UUID|uuid\.UUID)\s*(,\s*\.\.\.)?\]$/;

/** A list of the children of one resource: a path parameter in the path, or a required `*_id` parameter of the handler. */
function scopedToOneResource(index: ProjectIndex, e: Endpoint): boolean {
  if (/\{[^}]+\}/.test(e.path)) return true;
  const fn = index.functions.get(e.handler);
  return fn?.fact.params.some((p) => /(^|_)(id|uuid|slug|key)$/.test(p.name) && (p.default === null || /^(Query|Path)\(\s*(\.\.\.)?\s*[,)]/.test(p.default))) ?? false;
}

/** Data-store libraries: a call into one of them reads (or may read) a table or collection. */
const STORE_LIBRARY = /^(sqlalchemy|sqlmodel|databases|tortoise|motor|pymongo|asyncpg|aiosqlite|psycopg2?|peewee|piccolo|ormar|beanie|odmantic|edgedb|prisma|mongoengine|pynamodb|elasticsearch|opensearchpy|django\.db)(\.|$)/;
/** Query methods of ORMs, drivers and repositories (`db.fetchall`, `session.scalars`, `self.repo.get_all`, `Model.objects...`). */
const QUERY_METHOD = /\.(execute|fetch|fetchall|fetch_all|fetchrow|fetchone|fetch_one|fetchmany|fetch_many|scalars?|select|query|filter|filter_by|where|all|find|find_many|aggregate|search|values_list|order_by|get_all|get_many|get_multi|list_all|page_all|multi_query|paginate|stream)$/;

/** A method called on a repository, DAO, session or cursor (`self.repos.categories.get_empty()`, `crud.user.get_multi()`). */
const STORE_RECEIVER = /(^|\.)(repos?|repository|repositories|crud|dao|db|database|session|conn|cursor|collection|table|queryset)\.\w/i;

/**
 * Whether the handler, or a project function it calls, queries a data store. A list built from settings, an outbound
 * API or an attribute of an object a dependency loaded (`return user.wallets`) is not a table that grows.
 * Django and DRF views list a class-level `queryset`, so they always count.
 */
function readsDataStore(index: ProjectIndex, e: Endpoint): boolean {
  if (e.framework === "django" || e.framework === "drf") return true;
  if (!index.functions.has(e.handler)) return true;
  return reachesDataStore(index, e.handler);
}

/** Whether a function, or a project function it calls, queries a data store. */
function reachesDataStore(index: ProjectIndex, handler: string): boolean {
  for (const id of index.reachableFrom([handler])) {
    for (const { call, resolved } of index.callsIn(id)) {
      const name = resolved ?? call.qualified ?? "";
      if (effectOf(name)?.kind === "sync-db" || STORE_LIBRARY.test(name)) return true;
      if (/\.objects\b/.test(call.callee) || QUERY_METHOD.test(call.callee) || STORE_RECEIVER.test(call.callee)) return true;
    }
  }
  return false;
}

/** Names that say a value is the caller or what the caller belongs to (`current_user`, `auth_subject`, `self.group_id`). */
const PRINCIPAL = /(^|_)(user|account|subject|principal|owner|member|org|organization|organisation|tenant|team|workspace|group|household|customer)(_id)?$/;

/** Injected values that are plumbing, not the caller: database sessions, clients, caches, settings, the request. */
const INFRASTRUCTURE = /\b(db|session|conn|connection|redis|cache|settings|config|request|client|engine|repo|repository|service|uow|storage)\b|Session|Connection|Redis|Database|Engine|Client|Request|Settings|Repository|Service/i;

/**
 * How an authenticated list is scoped to the caller: the handler passes the injected principal (a `Depends` parameter
 * or one named for the caller) or, in a class-based view, `self.user`/`self.group_id` to the call that loads the list.
 * Returns what it passes, or null.
 */
function scopedToCaller(index: ProjectIndex, e: Endpoint): string | null {
  if (e.auth !== true) return null;
  const fn = index.functions.get(e.handler);
  if (!fn) return null;
  // a parameter named for the caller, or an injected one that is not infrastructure (a session, a client, settings)
  const principals = new Set(fn.fact.params.filter((p) => p.name !== "self" && (PRINCIPAL.test(p.name) || (p.dependency !== null && !INFRASTRUCTURE.test(`${p.name} ${p.annotation ?? ""}`)))).map((p) => p.name));
  for (const { call } of index.callsIn(fn.id)) {
    for (const arg of call.args) {
      const used = arg.usesParams?.find((name) => principals.has(name));
      if (used) return used;
    }
  }
  if (!fn.fact.className) return null;
  // a class-based view: `self.group_id` passed to the query, or through the properties the query goes through
  // (`self.repos.tokens.get_all()` where `repos` builds `AllRepositories(session, group_id=self.group_id)`)
  const view = classView(index, fn.id.slice(0, fn.id.lastIndexOf(".")), { file: fn.file, line: fn.fact.line });
  const seen = new Set<string>();
  const visit = (id: string, depth: number): string | null => {
    if (seen.has(id) || depth > 3) return null;
    seen.add(id);
    for (const { call } of index.callsIn(id)) {
      for (const text of [call.callee, ...call.args.map((a) => a.text)]) {
        for (const m of text.matchAll(/\bself\.(\w+)/g)) {
          const attr = m[1] as string;
          if (text !== call.callee && PRINCIPAL.test(attr)) return `self.${attr}`;
          const property = findMethod(index, view, attr);
          const found = property && property.id !== fn.id ? visit(property.id, depth + 1) : null;
          if (found) return found;
        }
      }
    }
    return null;
  };
  const found = visit(fn.id, 0);
  if (found) return found;
  // the view builds its data access for the caller once (`AllRepositories(session, group_id=self.group_id)` in a base
  // class property) and the handler goes through it (`self.repo.get_all()`)
  if (!index.callsIn(fn.id).some(({ call }) => call.callee.startsWith("self."))) return null;
  for (const c of view.chain) {
    for (const method of index.functions.values()) {
      if (method.module !== c.module || !method.id.startsWith(`${c.id}.`) || method.id.slice(c.id.length + 1).includes(".")) continue;
      for (const { call } of index.callsIn(method.id)) {
        if (!/(^|\.)\w*(repo|Repo|dao|Dao|DAO|store|Store)\w*$/.test(call.callee)) continue;
        const own = call.args.map((a) => /\bself\.(\w+)/.exec(a.text)?.[1]).find((attr) => attr !== undefined && PRINCIPAL.test(attr));
        if (own) return `self.${own}, through ${c.fact.name}.${method.fact.name}`;
      }
    }
  }
  return null;
}

/** GraphQL scalars and lists of them: an enumeration (currencies, event names), not a table. */
const GRAPHQL_SCALAR = /^(graphene\.)?(NonNull\(\s*(graphene\.)?)?(String|Int|Float|Boolean|ID|Decimal|UUID|Date|DateTime|Time|JSONString|JSON|Enum)\b|^(str|int|float|bool|UUID|uuid\.UUID|strawberry\.ID|ID)$/;
/** Root fields that load a model's whole queryset with no resolver of their own. */
const MODEL_LIST_FIELD = /(^|\.)(DjangoListField)$|^strawberry_django\.(field|fields?\.\w+)$/;
/** Arguments naming one resource whose children the field lists (`order_id`, `id`). */
/** A graphene scalar argument (`graphene.String(required=True)`). */
const SCALAR_ARG = /^(graphene\.)?(String|Int|ID|UUID)\(/;
const RESOURCE_ARG = /^(id|pk|uuid|slug|[a-z0-9_]*_(id|pk|uuid|slug))$/;
/** How a resolver narrows what it returns to the caller (`filter(user=info.context.user)`, `request.user.orders`). */
const CALLER_SCOPE = /\b(info\.context\.user|info\.context\[["']request["']\]\.user|context\.request\.user|request\.user|current_user)\b/;
const SHOWN = 8;
/** Type wrappers around a list's element: `graphene.List(...)`, `graphene.NonNull(...)`, `NonNullList(...)`. */
const WRAPPER = /^\s*(?:\w+\.)*(?:NonNull|List|\w*List)\(\s*(.*)$/s;

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** The root type's attribute declaring a field (`products = graphene.List(Product, category_id=graphene.ID())`), through its bases. */
function fieldDeclaration(index: ProjectIndex, op: GraphQLOperation): { assignment: AssignmentFact; module: string } | null {
  const tail = op.resolver.endsWith(`.resolve_${op.name}`) ? `.resolve_${op.name}` : op.resolver.endsWith(`.${op.name}`) ? `.${op.name}` : null;
  if (!tail) return null;
  for (const c of classChain(index, op.resolver.slice(0, -tail.length))) {
    const assignment = c.fact.assignments.find((a) => a.target === op.name);
    if (assignment) return { assignment, module: c.module };
  }
  return null;
}

/** The element type of a list field, as written (`Product`, `graphene.String`, `str`). */
function elementType(index: ProjectIndex, op: GraphQLOperation, declared: AssignmentFact | undefined): string | null {
  const fn = index.functions.get(op.resolver);
  const annotation = declared?.annotation ?? (fn && !declared ? fn.fact.returns : null);
  if (annotation) return /\[\s*([^\][]+?)\s*\]\s*\]?$/.exec(annotation.replace(/^["']|["']$/g, ""))?.[1] ?? null;
  let text = declared?.args?.find((a) => a.name === null)?.text;
  if (!text) return null;
  // unwrap `graphene.List(graphene.NonNull(Product))`, `NonNullList(graphene.String)`, `graphene.NonNull(graphene.List(Product))`
  for (let m = WRAPPER.exec(text); m; m = WRAPPER.exec(text)) text = m[1] as string;
  return /^[\w.]+/.exec(text.trim())?.[0] ?? null;
}

/**
 * A required argument the list is narrowed by: an id of the resource whose children it lists (`product_id`), or any
 * required scalar (`job_listings(conference: str)`). Declared `required=True` on the graphene field, or a resolver
 * parameter with no default (graphene passes only the arguments given, Strawberry makes them non-null).
 */
function requiredArgument(index: ProjectIndex, op: GraphQLOperation, declared: AssignmentFact | undefined): string | null {
  const arg = declared?.args?.find((a) => a.name !== null && /required\s*=\s*True|NonNull/.test(a.text) && (RESOURCE_ARG.test(snake(a.name)) || SCALAR_ARG.test(a.text)));
  if (arg?.name) return arg.name;
  const fn = index.functions.get(op.resolver);
  const found = fn?.fact.params.find((p, i) => {
    if (p.default !== null || (i === 0 && fn.fact.className) || /^_*(self|cls|root|info|parent|obj|_)$/.test(p.name) || /\bInfo\b/.test(p.annotation ?? "") || p.name.startsWith("*")) return false;
    return RESOURCE_ARG.test(snake(p.name)) || (p.annotation !== null && /^(str|int|UUID|uuid\.UUID|strawberry\.ID|ID)$/.test(p.annotation));
  });
  return found?.name ?? null;
}

/** Whether a resolver narrows the list to the caller's own records. */
function scopedToCallerResolver(index: ProjectIndex, op: GraphQLOperation): boolean {
  for (const id of index.reachableFrom([op.resolver])) {
    if (id !== op.resolver && !id.startsWith(op.resolver.slice(0, op.resolver.lastIndexOf(".")))) continue;
    for (const { call } of index.callsIn(id)) if (CALLER_SCOPE.test(call.callee) || call.args.some((a) => CALLER_SCOPE.test(a.text))) return true;
  }
  return false;
}

/**
 * GraphQL root queries that return a whole list: declared a list, no page arguments, no connection, and a resolver that
 * reaches a data store. One finding per schema; low where most of the schema's lists are paged (the rest are then bounded
 * on purpose more often than not) and where the list is the caller's own.
 */
function graphqlReports(model: SystemModel, index: ProjectIndex): Report[] {
  const groups = new Map<string, { whole: GraphQLOperation[]; own: GraphQLOperation[]; paged: number }>();
  const keyOf = (op: GraphQLOperation) => op.schema ?? (op.route ? `route ${op.route}` : null);
  for (const op of model.graphqlOperations) {
    const key = keyOf(op);
    if (op.kind !== "query" || op.returnsList !== true || key === null || !runsInProduction(fileRole(op.file))) continue;
    const group = groups.get(key) ?? { whole: [], own: [], paged: 0 };
    groups.set(key, group);
    if (op.pagination) {
      group.paged++;
      continue;
    }
    const declared = fieldDeclaration(index, op);
    const element = elementType(index, op, declared?.assignment);
    if (element && GRAPHQL_SCALAR.test(element)) continue;
    if (requiredArgument(index, op, declared?.assignment)) continue;
    // a resolver that queries a table, or a field that loads a Django model's queryset by itself (`DjangoListField(ProductType)`)
    const callee = declared?.assignment.callee ? index.resolve(declared.assignment.callee, declared.module) : "";
    const reads = index.functions.has(op.resolver) ? reachesDataStore(index, op.resolver) : MODEL_LIST_FIELD.test(callee);
    if (!reads) continue;
    if (index.functions.has(op.resolver) && scopedToCallerResolver(index, op)) group.own.push(op);
    else group.whole.push(op);
  }
  const reports: Report[] = [];
  for (const group of groups.values()) {
    const sample = group.whole[0] ?? group.own[0];
    if (!sample) continue;
    const schema = sample.schema ? `schema ${sample.schema}` : `the GraphQL schema on ${sample.route}`;
    const routes = model.graphqlSchemas.find((d) => d.name === sample.schema)?.routes ?? [];
    const where = `${schema}${routes.length ? ` (served on ${joinAnd(routes)})` : ""}`;
    const names = (ops: GraphQLOperation[]) => joinAnd(ops.slice(0, SHOWN).map((op) => op.name).concat(ops.length > SHOWN ? [`${ops.length - SHOWN} more`] : []));
    const evidence = (ops: GraphQLOperation[]) => ops.slice(0, SHOWN).map((op) => ({ file: op.file, line: op.line, snippet: `query ${op.name} → ${op.resolver}` }));
    if (group.whole.length) {
      const n = group.whole.length;
      // a schema that pages most of its lists has chosen to page: the few it does not are more often bounded sets (channels, countries)
      const mostlyPaged = group.paged >= 2 * n;
      reports.push({
        message: `${plural(n, "GraphQL query field")} of ${where} return${n === 1 ? "s" : ""} a whole list read from the data store with no first/after, limit/offset or page argument and no connection: ${names(group.whole)}${mostlyPaged ? `; the schema pages ${plural(group.paged, "other list")}, so ${n === 1 ? "this one is" : "these are"} likely small by design: confirm ${n === 1 ? "it stays" : "they stay"} bounded` : ""}.`,
        evidence: evidence(group.whole),
        ...(mostlyPaged ? { severity: "low" as const, confidence: "low" as const } : {}),
      });
    }
    if (group.own.length) {
      const n = group.own.length;
      reports.push({
        message: `${plural(n, "GraphQL query field")} of ${where} return${n === 1 ? "s" : ""} a whole list with no page argument (${names(group.own)}); ${n === 1 ? "it lists" : "they list"} what belongs to the caller (filtered by the request's user), so ${n === 1 ? "it grows" : "they grow"} with one account's data, not the whole table.`,
        evidence: evidence(group.own),
        severity: "low",
      });
    }
  }
  return reports;
}

export default defineCheck({
  id: "API003",
  area: "api",
  title: "Collection endpoint without pagination",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A GET (or a GraphQL query field) that returns a whole collection gets slower and heavier as the table grows: one request can load every row into memory, serialise megabytes and hold a database connection for seconds; clients then time out or the worker runs out of memory.",
  recommendation: "Page every collection: `limit`/`offset` (with a maximum) or cursor parameters applied to the query, or a paginator (fastapi-pagination, DRF `DEFAULT_PAGINATION_CLASS`, flask-smorest `@blp.paginate`), and return the page with its total or next cursor. In GraphQL, serve lists as connections (graphene `relay.ConnectionField` or graphene-django `DjangoFilterConnectionField`, Strawberry `relay.connection`, strawberry-django `pagination=True`) or take `first`/`after` arguments with a maximum.",
  example: { bad: '@router.get("/users", response_model=list[UserRead])\ndef list_users(db: Session = Depends(get_db)):\n    return db.scalars(select(User)).all()', good: '@router.get("/users", response_model=list[UserRead])\ndef list_users(limit: int = Query(50, le=200), offset: int = 0, db: Session = Depends(get_db)):\n    return db.scalars(select(User).limit(limit).offset(offset)).all()' },
  references: ["https://uriyyo-fastapi-pagination.netlify.app/", "https://www.django-rest-framework.org/api-guide/pagination/"],
  effort: "S",
  libraries: ["fastapi-pagination", "djangorestframework"],
  run({ model, index }) {
    const top: Endpoint[] = [];
    const nested: Array<{ endpoint: Endpoint; scope: string }> = [];
    for (const e of model.endpoints) {
      // only where the declared response says it is a list: evidence, not a guess from the path
      if (e.method !== "GET" || e.pagination || !e.responseSchema || !LIST_SCHEMA.test(e.responseSchema.trim())) continue;
      // a list of names or numbers is an enumeration (currencies, capabilities), not a table
      if (PRIMITIVE_LIST.test(e.responseSchema.trim())) continue;
      // a list that no query loads (settings, an outbound API, a relation of the loaded user) is not a growing table
      if (!readsDataStore(index, e)) continue;
      // the children of one resource (`/cases/{id}/participants`) are bounded by that resource: worth a look, not a medium
      // (a path parameter, or a required `*_id` filter such as `?flow_run_id=`); so are the caller's own records
      if (scopedToOneResource(index, e)) nested.push({ endpoint: e, scope: "it lists the children of one resource, so it grows only as that resource does" });
      else {
        const caller = scopedToCaller(index, e);
        if (caller) nested.push({ endpoint: e, scope: `it lists what belongs to the caller (scoped by \`${caller}\`), so it grows with one account's data, not the whole table` });
        else top.push(e);
      }
    }
    const one = (e: Endpoint, scope?: string): Report => ({
      message: `GET ${e.path} returns ${e.responseSchema} with no limit, offset, page or cursor parameter and no paginator${scope ? `; ${scope}` : ""}.`,
      evidence: [{ file: e.file, line: e.line, snippet: `GET ${e.path} → ${e.handler}` }],
      ...(scope ? { severity: "low" as const } : {}),
    });
    const reports: Report[] = [];
    // many unpaged lists are one design choice of the API: one finding with every endpoint
    for (const part of byRole(top, (e) => e.file)) {
      if (part.length >= GROUP_FROM) {
        reports.push({
          message: `${part.length} collection endpoints return whole lists with no limit, offset, page or cursor parameter and no paginator (for example GET ${part[0]?.path} → ${part[0]?.responseSchema}).`,
          evidence: part.map((e) => ({ file: e.file, line: e.line, snippet: `GET ${e.path} → ${e.handler}` })),
        });
      } else reports.push(...part.map((e) => one(e)));
    }
    reports.push(...nested.map((n) => one(n.endpoint, n.scope)));
    reports.push(...graphqlReports(model, index));
    return reports;
  },
});
