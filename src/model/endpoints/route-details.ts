import type { ArgumentFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";

const PAGINATION_PARAMS = /^(limit|offset|page|page_size|pagesize|per_page|perpage|cursor|skip|size|after|before|first|last|start|count)$/i;
const PRIMITIVES = /^(int|str|float|bool|bytes|list|dict|set|tuple|None|Any|Optional|Union|UUID|datetime|date|time|Decimal|Request|Response|BackgroundTasks|WebSocket|Session|AsyncSession|Query|Path|Header|Cookie|Body|Form|File|UploadFile)\b/;
const PYDANTIC_MODEL = /^(pydantic\.BaseModel|pydantic\.main\.BaseModel|sqlmodel\.SQLModel|msgspec\.Struct)$/;
const RATE_LIMIT_DECORATOR = /(limiter|ratelimit|rate_limit|throttle)\w*\.(limit|shared_limit)$|^(ratelimit|rate_limit|limits|sleep_and_retry)$/i;

/** Pagination, request and response schemas and rate limits of a route, from its handler and its registration. */
export function routeDetails(index: ProjectIndex, fn: FunctionInfo, registration: ArgumentFact[]): Pick<Endpoint, "pagination" | "requestSchema" | "responseSchema" | "rateLimit"> {
  const out: Pick<Endpoint, "pagination" | "requestSchema" | "responseSchema" | "rateLimit"> = {};
  const paging = fn.fact.params.filter((p) => PAGINATION_PARAMS.test(p.name) && !p.dependency).map((p) => p.name);
  const responseModel = registration.find((a) => a.name === "response_model")?.text ?? null;
  if (paging.length) out.pagination = `${paging.join("/")} parameters`;
  else if (responseModel && /\b(Page|LimitOffsetPage|CursorPage)\[/.test(responseModel)) out.pagination = "fastapi-pagination";
  else {
    // `filters: Filters = Depends(parse_filters)`: paging parameters declared by a dependency (or a class used as one)
    const viaDependency = pagingDependency(index, fn);
    if (viaDependency) out.pagination = viaDependency;
  }
  const body = fn.fact.params.find((p) => p.annotationQualified && !p.dependency && !PRIMITIVES.test(p.annotation ?? "") && isModel(index, p.annotationQualified, fn.module));
  if (body) out.requestSchema = body.annotation ?? body.name;
  const response = responseModel ?? (fn.fact.returns && !/^(None|Response|JSONResponse|dict|Any)\b/.test(fn.fact.returns) ? fn.fact.returns : null);
  if (response) out.responseSchema = response;
  const limit = fn.fact.decorators.find((d) => RATE_LIMIT_DECORATOR.test(d.name));
  if (limit) out.rateLimit = `${limit.name}(${limit.args.map((a) => a.text).join(", ")})`;
  const limiterDependency = registration.find((a) => a.name === "dependencies" && /RateLimiter\(/.test(a.text));
  if (!out.rateLimit && limiterDependency) out.rateLimit = limiterDependency.text;
  return out;
}

function isModel(index: ProjectIndex, qualified: string, module: string, depth = 0): boolean {
  if (depth > 5) return false;
  const resolved = index.resolve(qualified, module);
  if (PYDANTIC_MODEL.test(resolved)) return true;
  const symbol = index.symbol(resolved);
  return symbol?.kind === "class" && symbol.fact.bases.some((b) => b.qualified !== null && isModel(index, b.qualified, symbol.module, depth + 1));
}

/** A FastAPI dependency of the handler whose own parameters (or, for a class, constructor or fields) include paging ones. */
function pagingDependency(index: ProjectIndex, fn: FunctionInfo): string | null {
  for (const p of fn.fact.params) {
    const dep = p.dependency;
    if (!dep?.qualified && !(dep && p.annotationQualified)) continue;
    const resolved = index.resolve(dep.qualified ?? (p.annotationQualified as string), fn.module);
    // `Depends(parse_filters(PaymentFilters))`: the factory's returned closure declares the parameters
    const target = resolved.endsWith("()") ? resolved.slice(0, -2) : resolved;
    const symbol = index.symbol(target);
    const names: string[] = [];
    if (symbol?.kind === "function") {
      names.push(...symbol.info.fact.params.map((q) => q.name));
      const inner = index.modules.get(symbol.info.module)?.facts.functions.filter((f) => f.qualname.startsWith(`${symbol.info.fact.qualname}.`)) ?? [];
      for (const f of inner) names.push(...f.params.map((q) => q.name));
    }
    if (symbol?.kind === "class") {
      names.push(...symbol.fact.assignments.map((a) => a.target));
      const init = index.functions.get(`${target}.__init__`);
      if (init) names.push(...init.fact.params.map((q) => q.name));
    }
    const paging = names.filter((n) => PAGINATION_PARAMS.test(n));
    if (paging.length) return `${paging.join("/")} parameters of ${dep.target ?? p.annotation ?? "a dependency"}`;
  }
  return null;
}
