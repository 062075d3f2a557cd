import type { AssignmentFact, ClassFact, DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import type { GraphQLOperation } from "../types.js";
import { credentialSignal } from "./auth-behaviour.js";

export type OperationKind = GraphQLOperation["kind"];
/** An operation before its schema and route are known. */
export type RawOperation = Omit<GraphQLOperation, "schema" | "route">;

const GRAPHENE_OBJECT = /^graphene\.(ObjectType|types\.objecttype\.ObjectType)$/;
const STRAWBERRY_TYPE = /^(strawberry\.(type|federation\.type|object_type)|strawberry_django\.type)$/;
const STRAWBERRY_FIELD = /^(strawberry\.(field|mutation|subscription|federation\.field|relay\.connection|relay\.node)|strawberry_django\.(field|mutation|connection|node|mutations\.\w+)|strawberry\.(django|relay)\.\w+)$/;
const LIST_CALL = /(^|\.)(List|NonNullList|ListField|ConnectionField|\w+ConnectionField)$/;
const CONNECTION = /(^|\.)(ConnectionField|\w+ConnectionField|connection)$|Connection\b/;
const PAGE_ARG = /^(first|last|after|before|limit|offset|page|page_size|per_page|cursor|skip|take|pagination)$/;
const LIST_TYPE = /^(Optional\[|typing\.Optional\[)?\s*(list|List|Sequence|Iterable|typing\.List|typing\.Sequence|set|tuple)\[|^\s*(list|List)\[/;
/** Resolver decorators that require a logged-in user or a permission (graphql_jwt, graphene-django, Django, project ones named alike). */
const AUTH_DECORATOR = /(^|\.)(login_required|permission_required|staff_member_required|superuser_required|user_passes_test|token_auth|jwt_required|auth_required|requires?_(auth|login|permission|staff|user)\w*|\w*permission(s)?_required|staff_member_or_app_required|one_of_permissions_or_auth_filter_required)$/;

/** The classes a class is built from (itself first), through project bases. */
export function classChain(index: ProjectIndex, classId: string): Array<{ id: string; module: string; file: string; fact: ClassFact }> {
  const out: Array<{ id: string; module: string; file: string; fact: ClassFact }> = [];
  const seen = new Set<string>();
  const visit = (id: string, depth: number) => {
    const symbol = index.symbol(id);
    if (symbol?.kind !== "class" || depth > 8 || seen.has(id)) return;
    seen.add(id);
    out.push({ id, module: symbol.module, file: symbol.file, fact: symbol.fact });
    for (const b of symbol.fact.bases) if (b.qualified) visit(index.resolve(b.qualified, symbol.module), depth + 1);
  };
  visit(classId, 0);
  return out;
}

export function isStrawberryType(index: ProjectIndex, module: string, c: ClassFact): boolean {
  return c.decorators.some((d) => d.qualified && STRAWBERRY_TYPE.test(index.resolve(d.qualified, module).replace(/\(\)$/, "")));
}

export function isGrapheneObject(index: ProjectIndex, classId: string): boolean {
  return classChain(index, classId).some((c) => c.fact.bases.some((b) => b.qualified && GRAPHENE_OBJECT.test(index.resolve(b.qualified, c.module))));
}

/** Root fields of a Graphene or Strawberry root type (its own and its project bases'), each with resolver, auth and list shape. */
export function rootFields(index: ProjectIndex, classId: string, kind: OperationKind, library: "graphene" | "strawberry"): RawOperation[] {
  const chain = classChain(index, classId);
  const out: RawOperation[] = [];
  const names = new Set<string>();
  for (const owner of chain) {
    for (const a of owner.fact.assignments) {
      if (names.has(a.target) || a.target.startsWith("_") || a.kind !== "call" || !a.callee) continue;
      const callee = index.resolve(a.callee, owner.module);
      if (library === "strawberry" && !STRAWBERRY_FIELD.test(callee.replace(/\(\)$/, ""))) continue;
      if (library === "graphene" && /^(graphene\.(Argument|InputField)|typing\.)/.test(callee)) continue;
      names.add(a.target);
      out.push(library === "graphene" ? grapheneField(index, chain, owner, a, callee, kind) : strawberryAttribute(index, owner, a, callee, kind));
    }
    if (library !== "strawberry") continue;
    for (const f of index.modules.get(owner.module)?.facts.functions ?? []) {
      if (f.className !== owner.fact.qualname || names.has(f.name)) continue;
      const fieldDecorator = f.decorators.find((d) => d.qualified && STRAWBERRY_FIELD.test(index.resolve(d.qualified, owner.module).replace(/\(\)$/, "")));
      const fn = index.functions.get(`${owner.module}.${f.qualname}`);
      if (!fieldDecorator || !fn) continue;
      names.add(f.name);
      const decoratorKind = /mutation/.test(fieldDecorator.name) ? "mutation" : /subscription/.test(fieldDecorator.name) ? "subscription" : kind;
      out.push({ name: f.name, kind: decoratorKind, library, resolver: fn.id, file: fn.file, line: f.line, ...listShape(index, fn, fieldDecorator.args.map((x) => `${x.name ?? ""}=${x.text}`), f.returns, fieldDecorator.name), ...strawberryAuth(index, fn, fieldDecorator) });
    }
  }
  return out;
}

function grapheneField(index: ProjectIndex, chain: ReturnType<typeof classChain>, owner: ReturnType<typeof classChain>[number], a: AssignmentFact, callee: string, kind: OperationKind): RawOperation {
  const args = a.args ?? [];
  // `CreateUser.Field()`: a graphene Mutation class whose `mutate` resolves the field
  const mutationClass = /\.Field$/.test(callee) ? callee.slice(0, -".Field".length) : null;
  const resolverName = `resolve_${a.target}`;
  const resolverArg = args.find((x) => x.name === "resolver")?.qualified;
  let resolver: FunctionInfo | undefined = resolverArg ? index.functions.get(index.resolve(resolverArg, owner.module)) : undefined;
  for (const c of chain) resolver ??= index.functions.get(`${c.id}.${resolverName}`);
  const listed = LIST_CALL.test(callee) || args.some((x) => x.name === null && /^(graphene\.)?(List|NonNull\((graphene\.)?List)\(|^NonNullList\(|^\[/.test(x.text));
  const connection = CONNECTION.test(callee);
  const pageArgs = args.filter((x) => x.name && PAGE_ARG.test(x.name)).map((x) => x.name as string);
  const resolverPages = resolver ? resolver.fact.params.filter((p) => PAGE_ARG.test(p.name)).map((p) => p.name) : [];
  const pagination = connection ? `Relay connection (${callee.slice(callee.lastIndexOf(".") + 1)})` : pageArgs.length || resolverPages.length ? `${[...new Set([...pageArgs, ...resolverPages])].join("/")} arguments` : undefined;
  const shape = { returnsList: mutationClass ? false : listed || connection, ...(pagination ? { pagination } : {}) };
  const permissionArg = args.find((x) => /^(permissions|permission_classes|auth_filters)$/.test(x.name ?? "") && !/^(\[\s*\]|\(\s*\)|None)$/.test(x.text));
  if (mutationClass && index.symbol(mutationClass)?.kind === "class") {
    const m = mutationAuth(index, mutationClass);
    const mutate = ["perform_mutation", "mutate", "mutate_and_get_payload"].map((n) => index.functions.get(`${mutationClass}.${n}`)).find((f) => f !== undefined);
    const at = mutate ?? null;
    const symbol = index.symbol(mutationClass);
    const file = at?.file ?? (symbol?.kind === "class" ? symbol.file : owner.file);
    const line = at?.fact.line ?? (symbol?.kind === "class" ? symbol.fact.line : a.line);
    const auth = permissionArg ? { auth: true, authReason: `field ${a.target} declares ${permissionArg.name}=${permissionArg.text.slice(0, 80)}` } : m;
    return { name: a.target, kind: kind === "query" ? "mutation" : kind, library: "graphene", resolver: at?.id ?? mutationClass, file, line, ...shape, ...auth };
  }
  const auth = permissionArg
    ? { auth: true, authReason: `field ${a.target} declares ${permissionArg.name}=${permissionArg.text.slice(0, 80)}` }
    : resolver
      ? resolverAuth(index, resolver)
      : { auth: false, authReason: `field ${a.target} has no resolver checking the caller and no permissions` };
  return { name: a.target, kind, library: "graphene", resolver: resolver?.id ?? `${owner.id}.${a.target}`, file: resolver?.file ?? owner.file, line: resolver?.fact.line ?? a.line, ...shape, ...auth };
}

/** Mutation base classes shared by this many mutations or more are framework plumbing, not a mutation's own check. */
const SHARED_BASE = 5;
const sharedBases = new WeakMap<ProjectIndex, Map<string, number>>();

/** Counts, for every class, how many of the given mutation classes build on it. */
export function countMutationBases(index: ProjectIndex, mutationClasses: string[]): void {
  const counts = new Map<string, number>();
  for (const id of new Set(mutationClasses)) for (const c of classChain(index, id).slice(1)) counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
  sharedBases.set(index, counts);
}

/** A graphene Mutation class: `Meta.permissions`, `permission_classes`, a decorated or checking `mutate`/`perform_mutation`. */
function mutationAuth(index: ProjectIndex, classId: string): { auth: boolean | null; authReason: string } {
  const name = classId.slice(classId.lastIndexOf(".") + 1);
  for (const c of classChain(index, classId)) {
    const meta = index.symbol(`${c.id}.Meta`);
    const declared = [...(meta?.kind === "class" ? meta.fact.assignments : []), ...c.fact.assignments].find((x) => /^(permissions|permission_classes|auth_filters|required_permissions|permission_map)$/.test(x.target) && !/^(\[\s*\]|\(\s*\)|None)$/.test(x.text));
    if (declared) return { auth: true, authReason: `${c.fact.name}${meta?.kind === "class" && meta.fact.assignments.includes(declared) ? ".Meta" : ""}.${declared.target} = ${declared.text.slice(0, 80)} (${c.file}:${declared.line})` };
  }
  // the methods of the mutation and its specific bases: a framework base shared by many mutations (saleor's
  // `BaseMutation.mutate` calling a generic `check_permissions`) does not say this mutation needs any permission
  for (const c of classChain(index, classId)) {
    if (c.id !== classId && (sharedBases.get(index)?.get(c.id) ?? 0) >= SHARED_BASE) break;
    for (const method of ["mutate", "perform_mutation", "mutate_and_get_payload", "check_permissions", "clean_input", "clean_instance"]) {
      const fn = index.functions.get(`${c.id}.${method}`);
      if (!fn) continue;
      const verdict = resolverAuth(index, fn);
      if (verdict.auth !== false) return { auth: verdict.auth, authReason: `${c.fact.name}.${method}: ${verdict.authReason}` };
    }
  }
  return { auth: false, authReason: `mutation ${name} declares no permissions and its own code does not check the caller` };
}

/** A resolver function: an auth decorator (graphql_jwt/graphene-django/Django or a project one that checks), or a check in its body. */
export function resolverAuth(index: ProjectIndex, fn: FunctionInfo): { auth: boolean | null; authReason: string } {
  for (const d of fn.fact.decorators) {
    const resolved = d.qualified ? index.resolve(d.qualified, fn.module).replace(/\(\)$/, "") : d.name;
    if (AUTH_DECORATOR.test(resolved) || AUTH_DECORATOR.test(d.name)) {
      const target = index.functions.get(resolved);
      if (!target || credentialSignal(index, target) || index.projectModuleOf(resolved) === null) return { auth: true, authReason: `resolver ${fn.fact.name} is decorated with ${decoratorText(d)}` };
      return { auth: null, authReason: `resolver ${fn.fact.name} is decorated with ${decoratorText(d)}, named like authentication, whose check could not be followed` };
    }
    const target = index.functions.get(resolved);
    const signal = target ? credentialSignal(index, target) : null;
    if (signal) return { auth: true, authReason: `resolver ${fn.fact.name} is decorated with ${d.name}, which ${signal}` };
  }
  const signal = credentialSignal(index, fn);
  if (signal) return { auth: true, authReason: `resolver ${fn.fact.name} ${signal}` };
  return { auth: false, authReason: `resolver ${fn.fact.name} has no auth decorator and does not check the caller` };
}

function strawberryAuth(index: ProjectIndex, fn: FunctionInfo | undefined, d: { args: Array<{ name: string | null; text: string }> }): { auth: boolean | null; authReason: string } {
  const permission = d.args.find((x) => x.name === "permission_classes" && !/^\[\s*\]$/.test(x.text)) ?? d.args.find((x) => x.name === "extensions" && /Permission/.test(x.text));
  if (permission) return { auth: true, authReason: `${permission.name}=${permission.text.slice(0, 80)}` };
  if (fn) return resolverAuth(index, fn);
  return { auth: false, authReason: "no permission_classes and no resolver checking the caller" };
}

/** `users: list[User] = strawberry.field(resolver=get_users, permission_classes=[IsAuthenticated])`. */
function strawberryAttribute(index: ProjectIndex, owner: ReturnType<typeof classChain>[number], a: AssignmentFact, callee: string, kind: OperationKind): RawOperation {
  const args = a.args ?? [];
  const resolverArg = args.find((x) => x.name === "resolver" || x.name === null)?.qualified;
  const resolver = resolverArg ? index.functions.get(index.resolve(resolverArg, owner.module)) : undefined;
  const fieldKind = /mutation/.test(callee) ? "mutation" : /subscription/.test(callee) ? "subscription" : kind;
  const shape = listShape(index, resolver, args.map((x) => `${x.name ?? ""}=${x.text}`), a.annotation ?? resolver?.fact.returns ?? null, callee, owner.module);
  return { name: a.target, kind: fieldKind, library: "strawberry", resolver: resolver?.id ?? `${owner.id}.${a.target}`, file: resolver?.file ?? owner.file, line: resolver?.fact.line ?? a.line, ...shape, ...strawberryAuth(index, resolver, { args }) };
}

/** Whether a Strawberry field returns a list, and how it is paginated (resolver arguments, a connection, strawberry_django `pagination=True`). */
function listShape(index: ProjectIndex, fn: FunctionInfo | undefined, args: string[], annotation: string | null, callee: string, module?: string): { returnsList: boolean | null; pagination?: string } {
  const connection = /connection/i.test(callee) || /Connection\b/.test(annotation ?? "");
  const listed = connection || (annotation !== null && LIST_TYPE.test(annotation.replace(/^["']|["']$/g, "")));
  const params = fn ? fn.fact.params.filter((p) => PAGE_ARG.test(p.name) || /Pagination/.test(p.annotation ?? "")).map((p) => p.name) : [];
  if (connection) return { returnsList: true, pagination: "Relay connection" };
  if (params.length) return { returnsList: listed || null, pagination: `${params.join("/")} arguments` };
  if (args.some((x) => /^pagination=True/.test(x))) return { returnsList: true, pagination: "pagination=True" };
  // strawberry_django lists of a type declared `@strawberry_django.type(..., pagination=True)` take offset/limit
  const element = annotation ? /\[\s*([A-Za-z_][\w.]*)\s*\]/.exec(annotation)?.[1] : undefined;
  if (listed && element && module && paginatedType(index, element, module)) return { returnsList: true, pagination: `${element} is declared with pagination=True` };
  return { returnsList: annotation === null ? null : listed };
}

function paginatedType(index: ProjectIndex, name: string, module: string): boolean {
  const symbol = index.symbol(index.resolve(`#${name}`, module));
  const found = symbol?.kind === "class" ? symbol : index.symbol(index.resolve(name, module));
  if (found?.kind !== "class") return false;
  return found.fact.decorators.some((d) => d.args.some((x) => x.name === "pagination" && x.value === true));
}

function decoratorText(d: DecoratorFact): string {
  return d.args.length ? `${d.name}(${d.args.map((a) => a.text).join(", ").slice(0, 80)})` : d.name;
}
