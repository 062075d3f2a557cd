import { compareCodeUnits } from "../../core/diagnostics.js";
import { fileRole } from "../../core/file-roles.js";
import type { CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { GraphQLOperation, GraphQLSchemaDef } from "../types.js";
import { credentialSignal } from "./auth-behaviour.js";
import { normalisePath } from "./fastapi.js";
import { classChain, countMutationBases, isGrapheneObject, isStrawberryType, type OperationKind, type RawOperation, resolverAuth, rootFields } from "./graphql-fields.js";

const SCHEMA_CALL: Array<[RegExp, GraphQLSchemaDef["library"]]> = [
  [/^graphene\.(Schema|types\.schema\.Schema)$/, "graphene"],
  [/^strawberry\.(Schema|federation\.Schema|schema\.Schema|schema\.schema\.Schema)$/, "strawberry"],
  [/^ariadne\.(make_executable_schema|executable_schema\.make_executable_schema|contrib\.federation\.make_federated_schema)$/, "ariadne"],
  [/^graphql\.(GraphQLSchema|type\.schema\.GraphQLSchema|build_schema)$/, "graphql-core"],
];
const ARIADNE_BINDABLE: Array<[RegExp, OperationKind]> = [
  [/^ariadne\.(QueryType|objects\.QueryType)$/, "query"],
  [/^ariadne\.(MutationType|objects\.MutationType)$/, "mutation"],
  [/^ariadne\.(SubscriptionType|subscriptions\.SubscriptionType)$/, "subscription"],
];
/** Views and apps that serve a schema over HTTP. */
const GRAPHQL_VIEW = /^(graphene_django\.views\.GraphQLView|graphene_django\.views\.AsyncGraphQLView|strawberry\.django\.views\.(Async)?GraphQLView|strawberry\.(fastapi|flask\.views|asgi|aiohttp\.views|sanic\.views|chalice\.views)\.\w+|strawberry\.fastapi\.GraphQLRouter|ariadne\.(asgi|wsgi)\.GraphQL|ariadne\.contrib\.django\.views\.GraphQLView|flask_graphql\.GraphQLView|graphql_server\.\w+\.GraphQLView|starlette_graphene3\.GraphQLApp|starlette\.graphql\.GraphQLApp)$/;
/** Query depth, complexity, token and alias limits, by callee or keyword. */
const LIMITER = /(^|\.)(depth_limit_validator|QueryDepthLimiter|MaxTokensLimiter|MaxAliasesLimiter|cost_validator|CostValidator|QueryComplexity\w*|ComplexityLimit\w*|DepthLimit\w*|depth_limit\w*|query_depth\w*|validate_query_cost|cost_analysis\w*|create_complexity_rule|max_depth_rule)$/i;
const LIMIT_ARG = /^(cost_map|max_depth|max_complexity|max_query_depth|query_depth|max_cost|max_tokens|max_alias_count|complexity)$/;
const LOGIN_WRAPPER = /(^|\.)(login_required|permission_required|staff_member_required|user_passes_test|jwt_required|auth_required)$/;

function isTestPath(path: string): boolean {
  const role = fileRole(path);
  return role === "test" || role === "fixture";
}

interface Mount {
  path: string;
  auth: string | null;
}

/** GraphQL schemas (with their limits and routes) and their root operations, for Graphene, Strawberry and Ariadne. */
export function graphqlModel(index: ProjectIndex): { graphqlSchemas: GraphQLSchemaDef[]; graphqlOperations: GraphQLOperation[] } {
  const modules = [...index.modules.values()].filter((m) => !isTestPath(m.file) && usesGraphQL(m));
  if (modules.length === 0) return { graphqlSchemas: [], graphqlOperations: [] };
  const schemas: Array<GraphQLSchemaDef & { roots: Array<{ id: string; kind: OperationKind }> }> = [];
  for (const mod of modules) {
    for (const call of mod.facts.calls) {
      const library = schemaLibrary(index, mod, call);
      if (!library) continue;
      const name = schemaName(mod, call);
      const roots = rootArgs(index, mod, call);
      // `graphene.Schema(query=query, ...)` inside a helper that builds schemas from its parameters is not a schema of its own
      if (call.enclosing && library !== "ariadne" && !roots.some((r) => index.symbol(r.id)?.kind === "class")) continue;
      if (schemas.some((s) => s.name === name)) continue;
      schemas.push({ library, name, file: mod.file, line: call.line, routes: [], limits: [], roots });
    }
  }
  const limits = limitsIn(index, modules);
  for (const s of schemas) s.limits = limits;
  const mounts = mountsOf(index, modules, schemas);
  for (const s of schemas) s.routes = [...new Set((mounts.get(s.name) ?? []).map((m) => m.path))].sort(compareCodeUnits);

  const operations: GraphQLOperation[] = [];
  const seen = new Set<string>();
  const add = (raw: RawOperation, schema: string | null) => {
    const key = `${schema} ${raw.kind} ${raw.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const mount = schema ? mounts.get(schema)?.[0] : undefined;
    const op: GraphQLOperation = { ...raw, schema, ...(mount ? { route: mount.path } : {}) };
    if (op.auth !== true && mount?.auth) {
      op.auth = true;
      op.authReason = `the GraphQL route ${mount.path} ${mount.auth}`;
    }
    operations.push(op);
  };
  const rooted = new Set<string>();
  countMutationBases(index, mutationClasses(index, schemas));
  for (const s of schemas) {
    for (const root of s.roots) {
      rooted.add(root.id);
      const symbol = index.symbol(root.id);
      if (symbol?.kind !== "class") continue;
      const library = isStrawberryType(index, symbol.module, symbol.fact) ? "strawberry" : "graphene";
      for (const raw of rootFields(index, root.id, root.kind, library)) add(raw, s.name);
    }
  }
  // root types no schema call names (the schema is built elsewhere, or by a helper): Query/Mutation/Subscription by name
  for (const mod of modules) {
    for (const c of mod.facts.classes) {
      const id = `${mod.name}.${c.qualname}`;
      const kind = /^(\w*Query|\w*Queries)$/.test(c.name) ? "query" : /^(\w*Mutation|\w*Mutations)$/.test(c.name) ? "mutation" : /^(\w*Subscription|\w*Subscriptions)$/.test(c.name) ? "subscription" : null;
      if (!kind || rooted.has(id) || c.qualname.includes(".") || inheritedByRoot(index, id, rooted)) continue;
      const strawberry = isStrawberryType(index, mod.name, c);
      if (!strawberry && !(c.name.match(/^(Query|Mutation|Subscription)$/) && isGrapheneObject(index, id))) continue;
      for (const raw of rootFields(index, id, kind, strawberry ? "strawberry" : "graphene")) add(raw, null);
    }
  }
  for (const raw of ariadneOperations(index, modules, schemas)) add(raw.op, raw.schema);
  operations.sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line || compareCodeUnits(a.name, b.name));
  return { graphqlSchemas: schemas.map(({ roots: _roots, ...s }) => s).sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line), graphqlOperations: operations };
}

/** The graphene Mutation classes the schemas' mutation roots expose (`create_user = CreateUser.Field()`). */
function mutationClasses(index: ProjectIndex, schemas: Array<{ roots: Array<{ id: string; kind: OperationKind }> }>): string[] {
  const out: string[] = [];
  for (const root of schemas.flatMap((s) => s.roots).filter((r) => r.kind === "mutation")) {
    for (const c of classChain(index, root.id)) {
      for (const a of c.fact.assignments) if (a.callee?.endsWith(".Field")) out.push(index.resolve(a.callee, c.module).replace(/\.Field$/, ""));
    }
  }
  return out;
}

function usesGraphQL(mod: ModuleInfo): boolean {
  return mod.facts.imports.some((i) => /^(graphene|graphene_django|strawberry|strawberry_django|ariadne|graphql|graphql_jwt|flask_graphql|graphql_server|starlette_graphene3)(\.|$)/.test(i.module) || (i.level > 0 && /schema|graphql/.test(i.module)));
}

/** The library a call builds a schema with, directly or through a project helper that calls a schema constructor (`build_federated_schema(Query, ...)`). */
function schemaLibrary(index: ProjectIndex, mod: ModuleInfo, call: CallFact): GraphQLSchemaDef["library"] | null {
  if (!call.qualified) return null;
  const callee = index.resolve(call.qualified, mod.name).replace(/\(\)$/, "");
  for (const [pattern, library] of SCHEMA_CALL) if (pattern.test(callee)) return library;
  if (!/schema/i.test(callee) || !index.functions.has(callee)) return null;
  for (const { resolved } of index.callsIn(callee)) for (const [pattern, library] of SCHEMA_CALL) if (resolved && pattern.test(resolved.replace(/\(\)$/, ""))) return library;
  return null;
}

function schemaName(mod: ModuleInfo, call: CallFact): string {
  const assigned = mod.facts.assignments.find((a) => a.line === call.line && a.kind === "call");
  if (assigned && !call.enclosing) return `${mod.name}.${assigned.target}`;
  return `${mod.name}.${call.enclosing ?? "<module>"}:${call.line}`;
}

/** `query=`, `mutation=`, `subscription=` (the query type may be the first positional argument). */
function rootArgs(index: ProjectIndex, mod: ModuleInfo, call: CallFact): Array<{ id: string; kind: OperationKind }> {
  const out: Array<{ id: string; kind: OperationKind }> = [];
  const first = call.args.find((a) => a.name === null);
  for (const kind of ["query", "mutation", "subscription"] as const) {
    const arg = call.args.find((a) => a.name === kind) ?? (kind === "query" ? first : undefined);
    if (arg?.qualified) out.push({ id: index.resolve(arg.qualified, mod.name), kind });
  }
  return out;
}

/** Whether a class is a base of a root type already read (`class Query(UsersQuery, ...)`). */
function inheritedByRoot(index: ProjectIndex, id: string, roots: Set<string>): boolean {
  for (const root of roots) {
    const symbol = index.symbol(root);
    if (symbol?.kind !== "class") continue;
    const stack = [symbol];
    const seen = new Set<string>();
    while (stack.length) {
      const s = stack.pop();
      if (s?.kind !== "class") continue;
      for (const b of s.fact.bases) {
        if (!b.qualified) continue;
        const base = index.resolve(b.qualified, s.module);
        if (base === id) return true;
        if (seen.has(base)) continue;
        seen.add(base);
        const next = index.symbol(base);
        if (next?.kind === "class") stack.push(next);
      }
    }
  }
  return false;
}

/** Limits anywhere in application code: validators and extensions by name, and cost/depth keyword arguments. */
function limitsIn(index: ProjectIndex, modules: ModuleInfo[]): string[] {
  const out = new Set<string>();
  for (const mod of index.modules.values()) {
    if (isTestPath(mod.file)) continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name).replace(/\(\)$/, "") : call.callee;
      if (LIMITER.test(call.callee) || LIMITER.test(resolved)) out.add(`${call.callee}(${call.args.map((a) => a.text).join(", ").slice(0, 60)}) (${mod.file}:${call.line})`);
      const arg = call.args.find((a) => a.name && LIMIT_ARG.test(a.name));
      if (arg && (modules.includes(mod) || /graphql|query/i.test(call.callee))) out.add(`${call.callee}(${arg.name}=${arg.text.slice(0, 40)}) (${mod.file}:${call.line})`);
    }
  }
  return [...out].sort(compareCodeUnits).slice(0, 5);
}

/**
 * Where each schema is served: a GraphQL view or app built with `schema=` (or the schema as first argument), mounted by
 * `path(...)`, `add_url_rule(...)`, `include_router(...)`, `mount(...)`; with the login wrapper or checking view around it.
 */
function mountsOf(index: ProjectIndex, modules: ModuleInfo[], schemas: GraphQLSchemaDef[]): Map<string, Mount[]> {
  const out = new Map<string, Mount[]>();
  const names = new Set(schemas.map((s) => s.name));
  const only = schemas.length === 1 ? schemas[0]?.name : undefined;
  const push = (schema: string, mount: Mount) => out.set(schema, [...(out.get(schema) ?? []), mount]);
  const apps = new Map<string, { schema: string; auth: string | null }>();
  for (const mod of index.modules.values()) {
    if (isTestPath(mod.file)) continue;
    for (const call of mod.facts.calls) {
      if (!call.qualified) continue;
      const resolved = index.resolve(call.qualified, mod.name).replace(/\(\)$/, "");
      const view = resolved.replace(/\.as_view$/, "");
      const schemaArg = call.args.find((a) => a.name === "schema") ?? (resolved.endsWith(".as_view") ? undefined : call.args.find((a) => a.name === null));
      const schema = schemaArg?.qualified ? index.resolveSymbol(schemaArg.qualified, mod.name) : undefined;
      const servesKnown = schema !== undefined && names.has(schema);
      const isView = GRAPHQL_VIEW.test(view) || extendsView(index, view);
      if (!isView && !(servesKnown && resolved.endsWith(".as_view"))) continue;
      const target = servesKnown ? schema : (only ?? null);
      if (!target) continue;
      const viewAuth = viewCheck(index, view);
      const wrapper = mod.facts.calls.find((c) => encloses(c, call) && LOGIN_WRAPPER.test(c.callee));
      const auth = wrapper ? `is wrapped in ${wrapper.callee}` : viewAuth;
      const route = mod.facts.calls.find((c) => encloses(c, call) && /(^|\.)(path|re_path|url|add_url_rule|add_route|mount|Mount|Route)$/.test(c.callee));
      const path = route ? stringArg(index, route, mod) : null;
      if (path !== null) push(target, { path: normalisePath(path.replace(/^\^/, "").replace(/\$$/, "")), auth });
      else {
        const assigned = mod.facts.assignments.find((a) => a.line === call.line);
        if (assigned && !call.enclosing) apps.set(`${mod.name}.${assigned.target}`, { schema: target, auth });
      }
    }
  }
  // `graphql_app = GraphQLRouter(schema)` then `app.include_router(graphql_app, prefix="/graphql")`, `app.mount("/graphql", GraphQL(schema))`
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!/\.(include_router|mount|add_route|add_url_rule|add_websocket_route)$/.test(call.callee)) continue;
      for (const arg of call.args) {
        if (!arg.qualified) continue;
        const app = apps.get(index.resolveSymbol(arg.qualified, mod.name));
        if (!app) continue;
        const prefix = call.args.find((a) => a.name === "prefix" || a.name === "path")?.value ?? call.args.find((a) => a.name === null && typeof a.value === "string")?.value;
        const deps = call.args.find((a) => a.name === "dependencies")?.dependencies ?? [];
        const depAuth = deps.map((d) => (d.qualified ? index.functions.get(index.resolve(d.qualified, mod.name)) : undefined)).find((f) => f && credentialSignal(index, f));
        push(app.schema, { path: normalisePath(typeof prefix === "string" ? prefix : "/graphql"), auth: app.auth ?? (depAuth ? `depends on ${depAuth.fact.name}, which checks credentials` : null) });
      }
    }
  }
  void modules;
  return out;
}

function extendsView(index: ProjectIndex, classId: string, depth = 0): boolean {
  const symbol = index.symbol(classId);
  if (symbol?.kind !== "class" || depth > 6) return false;
  return symbol.fact.bases.some((b) => {
    const base = b.qualified ? index.resolve(b.qualified, symbol.module) : b.text;
    return GRAPHQL_VIEW.test(base) || extendsView(index, base, depth + 1);
  });
}

/** A project GraphQL view whose `dispatch`/`get_context` refuses unauthenticated callers (netbox's LOGIN_REQUIRED view). */
function viewCheck(index: ProjectIndex, classId: string): string | null {
  for (const method of ["dispatch", "get_context", "get_context_value", "context_getter", "__call__"]) {
    const fn = index.functions.get(`${classId}.${method}`);
    const signal = fn ? credentialSignal(index, fn) : null;
    if (signal) return `is served by ${classId.slice(classId.lastIndexOf(".") + 1)}.${method}, which ${signal}`;
  }
  return null;
}

/** Ariadne: `query = QueryType()`, `@query.field("users")`, `query.set_field("users", resolve_users)`, linked to `make_executable_schema(type_defs, query, ...)`. */
function ariadneOperations(index: ProjectIndex, modules: ModuleInfo[], schemas: GraphQLSchemaDef[]): Array<{ op: RawOperation; schema: string | null }> {
  const bindables = new Map<string, OperationKind>();
  for (const mod of modules) {
    for (const a of mod.facts.assignments) {
      if (a.kind !== "call" || !a.callee) continue;
      const callee = index.resolve(a.callee, mod.name).replace(/\(\)$/, "");
      let kind = ARIADNE_BINDABLE.find(([p]) => p.test(callee))?.[1];
      if (!kind && /^ariadne\.(ObjectType|objects\.ObjectType)$/.test(callee)) {
        const typeName = a.args?.find((x) => x.name === null || x.name === "name")?.value;
        kind = typeName === "Query" ? "query" : typeName === "Mutation" ? "mutation" : typeName === "Subscription" ? "subscription" : undefined;
      }
      if (kind) bindables.set(`${mod.name}.${a.target}`, kind);
    }
  }
  if (bindables.size === 0) return [];
  const schemaOf = new Map<string, string>();
  for (const s of schemas.filter((x) => x.library === "ariadne")) {
    const mod = index.modules.get(index.moduleByFile.get(s.file) ?? "");
    const call = mod?.facts.calls.find((c) => c.line === s.line && c.qualified);
    for (const arg of call?.args ?? []) if (arg.qualified && mod) schemaOf.set(index.resolveSymbol(arg.qualified, mod.name), s.name);
    for (const arg of call?.args ?? []) for (const item of arg.items ?? []) if (mod) schemaOf.set(index.resolveSymbol(`#${item}`, mod.name), s.name);
  }
  const out: Array<{ op: RawOperation; schema: string | null }> = [];
  for (const fn of index.sortedFunctions()) {
    if (isTestPath(fn.file)) continue;
    for (const d of fn.fact.decorators) {
      if (!d.qualified || !/\.(field|source)$/.test(d.name)) continue;
      const owner = index.resolveSymbol(d.qualified, fn.module).replace(/\.(field|source)$/, "");
      const kind = bindables.get(owner);
      const name = d.args.find((a) => a.name === null)?.value;
      if (!kind || typeof name !== "string") continue;
      const pages = fn.fact.params.filter((p) => /^(first|last|after|before|limit|offset|page|page_size|per_page|cursor|skip|take)$/.test(p.name)).map((p) => p.name);
      const returnsList = fn.fact.returns ? /^(list|List|Sequence|Iterable)\[/.test(fn.fact.returns) : null;
      out.push({ op: { name, kind, library: "ariadne", resolver: fn.id, file: fn.file, line: fn.fact.line, returnsList, ...(pages.length ? { pagination: `${pages.join("/")} arguments` } : {}), ...resolverAuth(index, fn) }, schema: schemaOf.get(owner) ?? null });
    }
  }
  for (const mod of modules) {
    for (const call of mod.facts.calls) {
      if (!call.qualified || !call.callee.endsWith(".set_field")) continue;
      const owner = index.resolveSymbol(call.qualified, mod.name).replace(/\.set_field$/, "");
      const kind = bindables.get(owner);
      const name = call.args[0]?.value;
      const target = call.args[1]?.qualified ? index.functions.get(index.resolve(call.args[1].qualified, mod.name)) : undefined;
      if (!kind || typeof name !== "string" || !target) continue;
      out.push({ op: { name, kind, library: "ariadne", resolver: target.id, file: target.file, line: target.fact.line, returnsList: null, ...resolverAuth(index, target) }, schema: schemaOf.get(owner) ?? null });
    }
  }
  return out;
}

function stringArg(index: ProjectIndex, call: CallFact, mod: ModuleInfo): string | null {
  const arg = call.args.find((a) => a.name === "path" || a.name === "rule" || a.name === "route") ?? call.args.find((a) => a.name === null);
  if (typeof arg?.value === "string") return arg.value;
  if (arg?.qualified) {
    const value = index.constantValue(arg.qualified, mod.name);
    if (typeof value === "string") return value;
  }
  return null;
}

function encloses(outer: CallFact, inner: CallFact): boolean {
  if (outer === inner) return false;
  const starts = outer.line < inner.line || (outer.line === inner.line && outer.column < inner.column);
  return starts && inner.endLine <= outer.endLine;
}
