import type { ArgumentFact, DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";
import { qualifyName } from "./argument-values.js";
import type { NinjaOperation } from "./django-ninja.js";
import { listItems } from "./django-routes.js";
import type { ApiSettings } from "./django-settings.js";
import { type ClassView, classAttribute, classView, findMethod, frameworkClass, lastSegment, resolveName } from "./django-views.js";

/*
 * Pagination, request and response schemas and rate limits of Django, DRF and Ninja endpoints,
 * from what the view, its decorators and the settings declare. Nothing is guessed for a plain
 * Django view: it gets a rate limit only from django-ratelimit's decorator, pagination only from
 * a ListView's `paginate_by`.
 */

export type Details = Pick<Endpoint, "pagination" | "requestSchema" | "responseSchema" | "rateLimit">;

const WRITES = new Set(["POST", "PUT", "PATCH"]);
/** Generic views whose GET is DRF's paginated `list()`. */
const LIST_VIEWS = new Set(["ListAPIView", "ListCreateAPIView"]);
/** Built-in paginators that page nothing without a page size (DRF returns the whole queryset). */
const NEEDS_PAGE_SIZE = new Set(["PageNumberPagination", "CursorPagination"]);
const THROTTLE_SCOPES: Record<string, string> = { AnonRateThrottle: "anon", UserRateThrottle: "user" };
const RATELIMIT = /^(django_)?ratelimit(\.decorators)?\.ratelimit$/;
const UNSAFE = ["POST", "PUT", "PATCH", "DELETE"];
/** drf-spectacular's and drf-yasg's operation schemas, which say what the API documents. */
const DOCUMENTED = /^(drf_spectacular\.utils\.extend_schema|drf_yasg\.utils\.swagger_auto_schema)$/;
const NINJA_SCHEMA = /^(ninja(\.schema)?\.Schema|ninja(\.orm)?\.ModelSchema|ninja(\.filter_schema)?\.FilterSchema|pydantic(\.main)?\.BaseModel)$/;
const NINJA_PAGINATE = /^ninja(_extra)?\.pagination\.paginate$/;
/** `Query[Filters]`, `Form[ItemIn]`: Ninja's parameter markers around a schema. */
const NINJA_MARKER = /^(?:[\w.]*\.)?(?:Query|Form|Body|Path|Header|Cookie)\[\s*([A-Za-z_][\w.]*)\s*\]$/;

/** An `@action(...)`'s arguments that override the viewset's attributes for that action. */
export interface ActionOverrides {
  serializer?: ArgumentFact;
  throttles?: ArgumentFact;
  pagination?: ArgumentFact;
  module: string;
}

/** Details of one method (or viewset action) of a class-based view. */
export function classViewDetails(
  index: ProjectIndex,
  api: ApiSettings,
  view: ClassView,
  action: string,
  method: string,
  handler: FunctionInfo | null,
  drf: boolean,
  overrides: ActionOverrides | null = null,
): Details {
  const out: Details = {};
  if (drf) {
    const serializer = findMethod(index, view, "get_serializer_class") ? "dynamic" : (overrides?.serializer?.text ?? nonNull(classAttribute(view, "serializer_class")?.fact.text));
    // DRF's destroy answers 204 with no body
    if (serializer && WRITES.has(method)) out.requestSchema = serializer;
    else if (serializer && method !== "DELETE") out.responseSchema = serializer;
    const pagination = paginationOf(index, api, view, action, method, handler, overrides);
    if (pagination) out.pagination = pagination;
  } else if (method === "GET") {
    // Django's ListView pages when `paginate_by` is set
    const pageBy = classAttribute(view, "paginate_by")?.fact;
    if (pageBy && pageBy.kind !== "none" && view.external.some((e) => /^(ListView|MultipleObjectMixin|BaseListView)$/.test(frameworkClass(e) ?? ""))) out.pagination = `paginate_by ${pageBy.text}`;
  }
  const limits = [drf ? throttlesOf(index, api, view, overrides) : null, ...classRatelimits(index, view, method, handler)].filter((l): l is string => !!l);
  if (limits.length) out.rateLimit = limits.join("; ");
  return handler ? { ...out, ...documented(index, handler) } : out;
}

/** Details of a function view: DRF `@throttle_classes` (or the project default) and django-ratelimit's `@ratelimit`. */
export function functionViewDetails(index: ProjectIndex, api: ApiSettings, fn: FunctionInfo, method: string, drf: boolean): Details {
  const out: Details = {};
  const declared = fn.fact.decorators.find((d) => lastSegment(resolvedDecorator(index, d, fn.module)) === "throttle_classes");
  const throttles = drf ? (declared?.args[0] ? throttleList(index, api, declared.args[0], fn.module, null) : defaultThrottles(index, api)) : null;
  const limits = [throttles, ...ratelimitsOn(index, fn, method)].filter((l): l is string => !!l);
  if (limits.length) out.rateLimit = limits.join("; ");
  return { ...out, ...documented(index, fn) };
}

/** Details of a Ninja operation: `response=`, schema-typed parameters, `@paginate`, `throttle=` (the operation's or inherited). */
export function ninjaDetails(index: ProjectIndex, api: ApiSettings, op: NinjaOperation): Details {
  const out: Details = {};
  const response = op.args.find((a) => a.name === "response");
  if (response) out.responseSchema = response.text;
  const schemas = op.fn.fact.params.filter((p) => isNinjaSchema(index, p.annotationQualified, p.annotation, op.fn.module)).map((p) => p.annotation as string);
  if (schemas.length) out.requestSchema = schemas.join(", ");
  const paginate = op.fn.fact.decorators.find((d) => NINJA_PAGINATE.test(resolvedDecorator(index, d, op.fn.module)));
  if (paginate) {
    const pager = paginate.args.find((a) => a.name === null || a.name === "pagination_class");
    out.pagination = pager ? `ninja paginate: ${lastSegment(pager.text)}` : `ninja paginate: ${lastSegment(api.ninjaPagination ?? "LimitOffsetPagination")} (default)`;
  }
  const throttle = op.throttle;
  const empty = throttle && (throttle.arg.kind === "none" || ((throttle.arg.kind === "list" || throttle.arg.kind === "tuple") && (listItems(throttle.arg) ?? []).length === 0));
  if (throttle && !empty) out.rateLimit = throttle.where === "the operation" ? `throttle=${throttle.arg.text}` : `throttle=${throttle.arg.text} on ${throttle.where}`;
  return out;
}

function nonNull(text: string | undefined): string | undefined {
  return text === undefined || text === "None" ? undefined : text;
}

function resolvedDecorator(index: ProjectIndex, d: DecoratorFact, module: string): string {
  return d.qualified ? index.resolve(d.qualified, module) : d.name;
}

/**
 * DRF paginates `list()` (viewset `list`, GET on ListAPIView/ListCreateAPIView) unless the project
 * overrides it without paginating, and any handler that calls `paginate_queryset` itself.
 */
function paginationOf(index: ProjectIndex, api: ApiSettings, view: ClassView, action: string, method: string, handler: FunctionInfo | null, overrides: ActionOverrides | null): string | undefined {
  const calls = handler ? index.callsIn(handler.id) : [];
  const manual = calls.find((c) => /(^|\.)paginate_queryset$/.test(c.call.callee));
  const listing = action === "list" || (method === "GET" && view.external.some((e) => LIST_VIEWS.has(frameworkClass(e) ?? "")));
  const delegates = calls.some((c) => /^(super\(\)|self)\.(list|get)$/.test(c.call.callee));
  if (!manual && !(listing && (!handler || delegates))) return undefined;
  // a paginator built by hand: `PageNumberPagination().paginate_queryset(qs, request)`
  const owner = manual?.resolved?.replace(/\.paginate_queryset$/, "");
  if (manual && owner && !manual.call.callee.startsWith("self.") && /Pagination$/.test(owner)) return describePagination(index, api, owner, "");
  if (overrides?.pagination) return overrides.pagination.kind === "none" ? undefined : describePagination(index, api, resolveName(index, overrides.pagination.text, overrides.module), "");
  const attr = classAttribute(view, "pagination_class");
  if (attr) return attr.fact.kind === "none" ? undefined : describePagination(index, api, resolveName(index, attr.fact.text, attr.owner.module), "");
  return api.pagination ? describePagination(index, api, api.pagination, " (REST_FRAMEWORK default)") : undefined;
}

/** `LargeResultsSetPagination, page size 1000`: the class's own `page_size`, else PAGE_SIZE; nothing when DRF would not page. */
function describePagination(index: ProjectIndex, api: ApiSettings, cls: string, source: string): string | undefined {
  const name = lastSegment(cls);
  const pager = classView(index, cls, { file: "", line: 0 });
  const own = classAttribute(pager, "page_size") ?? classAttribute(pager, "default_limit");
  if (own) return typeof own.fact.value === "number" ? `${name}, page size ${own.fact.value}${source}` : `${name}${source}`;
  if (typeof api.pageSize === "number") return `${name}, page size ${api.pageSize}${source}`;
  if (api.pageSize === undefined) return `${name}${source}`;
  const builtins = pager.external.map(lastSegment);
  if (builtins.some((b) => NEEDS_PAGE_SIZE.has(b))) return undefined;
  return builtins.includes("LimitOffsetPagination") ? `${name}, no default limit${source}` : `${name}${source}`;
}

/** `throttle_classes` of the action or view (`get_throttles()` makes them dynamic), else DEFAULT_THROTTLE_CLASSES. */
function throttlesOf(index: ProjectIndex, api: ApiSettings, view: ClassView, overrides: ActionOverrides | null): string | null {
  if (findMethod(index, view, "get_throttles")) return "dynamic (get_throttles)";
  if (overrides?.throttles) return throttleList(index, api, overrides.throttles, overrides.module, view);
  const attr = classAttribute(view, "throttle_classes");
  if (attr) return throttleList(index, api, attr.fact, attr.owner.module, view);
  return defaultThrottles(index, api);
}

function defaultThrottles(index: ProjectIndex, api: ApiSettings): string | null {
  if (!api.throttleClasses?.length) return null;
  return `${api.throttleClasses.map((c) => describeThrottle(index, api, c, null)).join(", ")} (REST_FRAMEWORK default)`;
}

/** `[UserRateThrottle]` → `UserRateThrottle 1000/day`; an empty list throttles nothing. */
function throttleList(index: ProjectIndex, api: ApiSettings, value: { items?: string[]; text: string; kind: string }, module: string, view: ClassView | null): string | null {
  const items = listItems(value);
  if (!items) return `throttle_classes ${value.text}`;
  return items.length ? items.map((item) => describeThrottle(index, api, resolveName(index, item, module), view)).join(", ") : null;
}

/** A throttle class with its rate: its own `rate`, or DEFAULT_THROTTLE_RATES for its scope (ScopedRateThrottle: the view's `throttle_scope`). */
function describeThrottle(index: ProjectIndex, api: ApiSettings, cls: string, view: ClassView | null): string {
  const name = lastSegment(cls);
  const throttle = classView(index, cls, { file: "", line: 0 });
  const rate = classAttribute(throttle, "rate")?.fact.value;
  if (typeof rate === "string") return `${name} ${rate}`;
  const builtins = [cls, ...throttle.external].map(lastSegment);
  const scoped = builtins.includes("ScopedRateThrottle") && view ? classAttribute(view, "throttle_scope")?.fact.value : undefined;
  const scope = classAttribute(throttle, "scope")?.fact.value ?? scoped ?? builtins.map((b) => THROTTLE_SCOPES[b]).find((s) => s);
  const scopeRate = typeof scope === "string" ? api.throttleRates[scope] : undefined;
  if (scopeRate === "None") return `${name} (no rate)`;
  return scopeRate ? `${name} ${scopeRate}` : name;
}

/** django-ratelimit on a class view: `@method_decorator(ratelimit(...), name="dispatch"|"post")` on a class, or on the handler or `dispatch`. */
function classRatelimits(index: ProjectIndex, view: ClassView, method: string, handler: FunctionInfo | null): string[] {
  const out: string[] = [];
  for (const c of view.chain) {
    for (const d of c.fact.decorators) {
      const target = d.args.find((a) => a.name === "name")?.value;
      if (target === "dispatch" || target === method.toLowerCase() || target === handler?.fact.name) out.push(...ratelimitTexts(index, d, c.module, method));
    }
  }
  for (const fn of [findMethod(index, view, "dispatch"), handler]) if (fn) out.push(...ratelimitsOn(index, fn, method));
  return [...new Set(out)];
}

function ratelimitsOn(index: ProjectIndex, fn: FunctionInfo, method: string): string[] {
  return fn.fact.decorators.flatMap((d) => ratelimitTexts(index, d, fn.module, method));
}

/** `@ratelimit(key="ip", rate="5/m")` or `@method_decorator(ratelimit(...))`, as written, when it covers `method`. */
function ratelimitTexts(index: ProjectIndex, d: DecoratorFact, module: string, method: string): string[] {
  const name = resolvedDecorator(index, d, module);
  let text: string | null = null;
  if (RATELIMIT.test(name)) text = `${d.name}(${d.args.map((a) => (a.name ? `${a.name}=${a.text}` : a.text)).join(", ")})`;
  else if (lastSegment(name) === "method_decorator") {
    const inner = d.args.find((a) => a.name === null || a.name === "decorator");
    const head = inner ? /^\s*([A-Za-z_][\w.]*)\s*\(/.exec(inner.text)?.[1] : undefined;
    if (inner && head && RATELIMIT.test(qualifyName(index, module, head) ?? "")) text = inner.text;
  }
  return text && coversMethod(text, method) ? [text] : [];
}

/** django-ratelimit's `method=`: absent or ALL covers every method, UNSAFE the writes, else the listed ones. */
function coversMethod(text: string, method: string): boolean {
  const value = /\bmethod\s*=\s*(\[[^\]]*\]|\([^)]*\)|[^,)]+)/.exec(text)?.[1];
  if (!value || /\bALL\b/.test(value) || method === "ANY") return true;
  if (/\bUNSAFE\b/.test(value)) return UNSAFE.includes(method);
  return [...value.matchAll(/["'](\w+)["']/g)].some((m) => (m[1] as string).toUpperCase() === method);
}

/** drf-spectacular `@extend_schema(request=..., responses=...)` / drf-yasg `@swagger_auto_schema(request_body=..., responses=...)`. */
function documented(index: ProjectIndex, fn: FunctionInfo): Details {
  const d = fn.fact.decorators.find((dec) => DOCUMENTED.test(resolvedDecorator(index, dec, fn.module)));
  const out: Details = {};
  const request = d?.args.find((a) => a.name === "request" || a.name === "request_body");
  const responses = d?.args.find((a) => a.name === "responses");
  if (request && request.kind !== "none") out.requestSchema = request.text;
  if (responses && responses.kind !== "none") out.responseSchema = responses.text;
  return out;
}

/** A parameter typed with a Ninja `Schema` (or pydantic model), directly or inside `Query[...]`/`Form[...]`. */
function isNinjaSchema(index: ProjectIndex, qualified: string | null, annotation: string | null, module: string): boolean {
  const inner = annotation ? NINJA_MARKER.exec(annotation.trim())?.[1] : undefined;
  const target = inner ? qualifyName(index, module, inner) : qualified ? index.resolve(qualified, module) : null;
  return target !== null && extendsSchema(index, target, 0);
}

function extendsSchema(index: ProjectIndex, qualified: string, depth: number): boolean {
  if (NINJA_SCHEMA.test(qualified)) return true;
  const symbol = depth < 6 ? index.symbol(qualified) : undefined;
  return symbol?.kind === "class" && symbol.fact.bases.some((b) => b.qualified !== null && extendsSchema(index, index.resolve(b.qualified, symbol.module), depth + 1));
}
