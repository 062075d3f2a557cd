import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact, DependencyFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";
import { routeDetails } from "./route-details.js";

const APP_CLASSES = new Set(["fastapi.FastAPI", "fastapi.applications.FastAPI"]);
const ROUTER_CLASSES = new Set(["fastapi.APIRouter", "fastapi.routing.APIRouter"]);
const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "trace"]);
const SECURITY_SCHEMES = /^fastapi\.security\.(OAuth2PasswordBearer|OAuth2AuthorizationCodeBearer|OAuth2|HTTPBearer|HTTPBasic|HTTPDigest|APIKeyHeader|APIKeyCookie|APIKeyQuery|OpenIdConnect|SecurityScopes)$/;
const AUTH_NAME = /(current_?user|current_?active|authenticat|auth(orize|orise)?(_|$|d)|verify_?(token|jwt|api_?key|key|user)|require_?(user|auth|login|admin|role|scope|permission)|permission|login_required|jwt|api_?key|superuser|get_?user|token_?data|is_?admin|principal|security)/i;

interface Mount {
  /** App or router symbol id (`app.main.app`). */
  id: string;
  prefix: string;
  dependencies: DependencyFact[];
  file: string;
  /** Condition under which the router is included (`settings.ENVIRONMENT == "local"`), if any. */
  condition: string | null;
}

/**
 * FastAPI endpoints: routes declared with `@app.get`/`@router.post`/`api_route`, full paths
 * through `APIRouter(prefix=)` and (nested) `include_router(prefix=)`, auth decided from the
 * dependencies that cover each route (app, include, router, decorator, parameters, transitively).
 */
export function fastapiEndpoints(index: ProjectIndex): { endpoints: Endpoint[]; appFiles: string[] } {
  const apps = new Map<string, { file: string; prefix: string; dependencies: DependencyFact[] }>();
  const routers = new Map<string, { file: string; prefix: string; dependencies: DependencyFact[] }>();
  for (const mod of index.modules.values()) {
    for (const a of mod.facts.assignments) {
      if (a.kind !== "call" || !a.callee) continue;
      const callee = index.resolve(a.callee, mod.name);
      const id = `${mod.name}.${a.target}`;
      const entry = { file: mod.file, prefix: stringArg(a.args ?? [], "prefix", undefined, index, mod.name) ?? "", dependencies: dependenciesArg(a.args ?? [], index, mod.name) };
      if (APP_CLASSES.has(callee)) apps.set(id, entry);
      else if (ROUTER_CLASSES.has(callee)) routers.set(id, entry);
    }
    // an app built inside a factory function (`def create_app(): app = FastAPI(...)`): one app per function
    for (const call of mod.facts.calls) {
      if (!call.enclosing || !call.qualified || !APP_CLASSES.has(index.resolve(call.qualified, mod.name))) continue;
      apps.set(factoryAppId(mod.name, call.enclosing), { file: mod.file, prefix: "", dependencies: dependenciesArg(call.args, index, mod.name) });
    }
  }
  if (apps.size === 0 && routers.size === 0) return { endpoints: [], appFiles: [] };

  // include_router edges: parent → child with prefix and dependencies
  const includes = new Map<string, Array<{ child: string; prefix: string; dependencies: DependencyFact[]; condition: string | null }>>();
  const included = new Set<string>();
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!call.callee.endsWith(".include_router") || !call.qualified) continue;
      const owner = objectOf(index.resolveSymbol(call.qualified, mod.name));
      const ownerType = objectOf(index.resolve(call.qualified, mod.name));
      const parent = call.enclosing && ownerType && APP_CLASSES.has(ownerType) ? factoryAppId(mod.name, call.enclosing) : owner;
      const childArg = call.args.find((a) => a.name === null || a.name === "router");
      if (!parent || !childArg?.qualified || !(apps.has(parent) || routers.has(parent))) continue;
      const child = index.resolveSymbol(childArg.qualified, mod.name);
      if (!routers.has(child)) continue;
      const list = includes.get(parent) ?? [];
      list.push({ child, prefix: stringArg(call.args, "prefix", undefined, index, mod.name) ?? "", dependencies: dependenciesArg(call.args, index, mod.name), condition: call.guard });
      includes.set(parent, list);
      included.add(child);
    }
  }

  // every mount point of every router: walk from apps (and from routers nobody includes)
  const mounts = new Map<string, Mount[]>();
  const visit = (id: string, prefix: string, dependencies: DependencyFact[], file: string, condition: string | null, depth: number) => {
    if (depth > 12) return;
    const own = routers.get(id) ?? apps.get(id);
    const full = joinPath(prefix, own?.prefix ?? "");
    const deps = [...dependencies, ...(own?.dependencies ?? [])];
    const list = mounts.get(id) ?? [];
    list.push({ id, prefix: full, dependencies: deps, file, condition });
    mounts.set(id, list);
    for (const inc of includes.get(id) ?? []) visit(inc.child, joinPath(full, inc.prefix), [...deps, ...inc.dependencies], routers.get(inc.child)?.file ?? file, inc.condition ?? condition, depth + 1);
  };
  for (const [id, app] of apps) visit(id, "", [], app.file, null, 0);
  for (const [id, router] of routers) if (!included.has(id)) visit(id, "", [], router.file, null, 0);

  // route registrations: decorators (`@router.get`, `@app.api_route`) and `add_api_route` calls
  const registrations: Array<{ fn: FunctionInfo; owner: string; methods: string[]; path: string; args: ArgumentFact[] }> = [];
  for (const fn of index.sortedFunctions()) {
    for (const decorator of fn.fact.decorators) {
      if (!decorator.qualified) continue;
      const resolved = index.resolveSymbol(decorator.qualified, fn.module);
      const owner = objectOf(resolved);
      const verb = resolved.slice(resolved.lastIndexOf(".") + 1);
      if (!owner || !(apps.has(owner) || routers.has(owner))) continue;
      const methods = ROUTE_METHODS.has(verb) ? [verb.toUpperCase()] : verb === "api_route" ? methodsArg(decorator.args) : [];
      if (methods.length) registrations.push({ fn, owner, methods, path: stringArg(decorator.args, "path", 0, index, fn.module) ?? "", args: decorator.args });
    }
  }
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!call.callee.endsWith(".add_api_route") || !call.qualified) continue;
      const owner = call.enclosing && APP_CLASSES.has(objectOf(index.resolve(call.qualified, mod.name)) ?? "") ? factoryAppId(mod.name, call.enclosing) : objectOf(index.resolveSymbol(call.qualified, mod.name));
      const endpointArg = call.args.find((a) => a.name === "endpoint") ?? call.args.filter((a) => a.name === null)[1];
      const fn = endpointArg?.qualified ? index.functions.get(index.resolve(endpointArg.qualified, mod.name)) : undefined;
      if (!owner || !fn || !(apps.has(owner) || routers.has(owner))) continue;
      registrations.push({ fn, owner, methods: methodsArg(call.args), path: stringArg(call.args, "path", 0, index, mod.name) ?? "", args: call.args });
    }
  }

  const endpoints = new Map<string, Endpoint>();
  for (const { fn, owner, methods, path: routePath, args } of registrations) {
    for (const mount of mounts.get(owner) ?? []) {
      const deps = [...mount.dependencies, ...dependenciesArg(args, index, fn.module)];
      const auth = decideAuth(index, fn, deps);
      for (const method of methods) {
        const path = normalisePath(joinPath(mount.prefix, routePath));
        const key = `${method} ${path}`;
        if (endpoints.has(key)) continue;
        const endpoint: Endpoint = {
          method,
          path,
          handler: fn.id,
          file: fn.file,
          line: fn.fact.line,
          isAsync: fn.fact.isAsync,
          framework: "fastapi",
          auth: auth.auth,
          authReason: auth.reason,
          ...routeDetails(index, fn, args),
        };
        if (mount.condition) endpoint.condition = mount.condition;
        const covering = deps.filter((d) => d.qualified).map((d) => index.resolve(d.qualified as string, fn.module));
        if (covering.length) endpoint.dependencies = [...new Set(covering)].sort(compareCodeUnits);
        endpoints.set(key, endpoint);
      }
    }
  }
  const middleware = authMiddleware(index, apps);
  if (middleware) {
    for (const e of endpoints.values()) {
      if (e.auth !== false) continue;
      e.auth = null;
      e.authReason = `no authentication dependency, but ${middleware} may authenticate every request`;
    }
  }
  const list = [...endpoints.values()].sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.method, b.method));
  const appFiles = [...new Set([...apps.values()].map((a) => a.file))].sort(compareCodeUnits);
  return { endpoints: list, appFiles };
}

const AUTH_MIDDLEWARE = /(Authentication|Auth|JWT|Jwt|Token|Keycloak|OIDC|Oidc|OAuth|Oauth|ApiKey|APIKey|Bearer)\w*Middleware|^(AuthenticationMiddleware)$/;
const AUTH_IN_MIDDLEWARE = /authorization|bearer|x-api-key|api_key|token|jwt|authenticate|verify/i;

/** An app-level middleware that may authenticate requests: `add_middleware(AuthenticationMiddleware, ...)` or an `@app.middleware("http")` reading credentials. */
function authMiddleware(index: ProjectIndex, apps: Map<string, unknown>): string | null {
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!call.callee.endsWith(".add_middleware") || !call.qualified) continue;
      if (!apps.has(objectOf(index.resolveSymbol(call.qualified, mod.name)) ?? "")) continue;
      const cls = call.args.find((a) => a.name === null || a.name === "middleware_class");
      const name = cls?.text.split(".").pop() ?? "";
      if (AUTH_MIDDLEWARE.test(name)) return `middleware ${name} (${mod.file}:${call.line})`;
    }
  }
  for (const fn of index.sortedFunctions()) {
    const isMiddleware = fn.fact.decorators.some((d) => d.qualified && d.name.endsWith(".middleware") && apps.has(objectOf(index.resolveSymbol(d.qualified, fn.module)) ?? ""));
    if (!isMiddleware) continue;
    const reads = index.callsIn(fn.id).some(({ call }) => AUTH_IN_MIDDLEWARE.test(call.callee) || call.args.some((a) => AUTH_IN_MIDDLEWARE.test(a.text)));
    if (reads) return `HTTP middleware ${fn.fact.name} (${fn.file}:${fn.fact.line})`;
  }
  return null;
}

/** Auth from the dependencies covering a route and the handler's own parameters, followed transitively. */
function decideAuth(index: ProjectIndex, fn: FunctionInfo, covering: DependencyFact[]): { auth: boolean | null; reason: string } {
  let optional: string | null = null;
  const candidates: Array<[DependencyFact, string]> = [
    ...covering.map((d): [DependencyFact, string] => [d, "dependency %s covers the route"]),
    ...parameterDependencies(index, fn).map((d): [DependencyFact, string] => [d, "handler depends on %s"]),
  ];
  for (const [dep, template] of candidates) {
    const hit = authIn(index, dep, fn.module, new Set(), 0);
    if (!hit) continue;
    if (!hit.endsWith(OPTIONAL)) return { auth: true, reason: template.replace("%s", hit) };
    optional ??= hit.slice(0, -OPTIONAL.length);
  }
  if (optional) return { auth: null, reason: `authentication is optional (${optional} lets anonymous requests through)` };
  return { auth: false, reason: candidates.length ? "no authentication dependency among the route's dependencies" : "no authentication dependency" };
}

/** Dependencies declared by a function's parameters, including `Annotated` aliases defined elsewhere. */
export function parameterDependencies(index: ProjectIndex, fn: FunctionInfo): DependencyFact[] {
  const out: DependencyFact[] = [];
  for (const p of fn.fact.params) {
    if (p.dependency) out.push(p.dependency);
    else if (p.annotationQualified) {
      const symbol = index.symbol(index.resolve(p.annotationQualified, fn.module));
      if (symbol?.kind === "assignment" && symbol.fact.dependency) out.push({ ...symbol.fact.dependency, qualified: symbol.fact.dependency.qualified ? index.absolutize(symbol.fact.dependency.qualified, symbol.module) : null });
    }
  }
  return out;
}

/** Marks an auth dependency that lets anonymous requests through (`required=False`, `auto_error=False`). */
const OPTIONAL = " (optional)";
const OPTIONAL_ARG = /\b(required|auto_error)\s*=\s*False\b/;

function authIn(index: ProjectIndex, dep: DependencyFact, fromModule: string, seen: Set<string>, depth: number): string | null {
  const hit = authHit(index, dep, fromModule, seen, depth);
  return hit && dep.target && OPTIONAL_ARG.test(dep.target) && !hit.endsWith(OPTIONAL) ? `${hit}${OPTIONAL}` : hit;
}

function authHit(index: ProjectIndex, dep: DependencyFact, fromModule: string, seen: Set<string>, depth: number): string | null {
  if (dep.kind === "Security") return dep.target ?? "Security()";
  if (!dep.qualified || depth > 6) return dep.target && AUTH_NAME.test(dep.target) ? dep.target : null;
  const target = index.resolve(dep.qualified, fromModule);
  if (seen.has(target)) return null;
  seen.add(target);
  if (SECURITY_SCHEMES.test(target)) return dep.target;
  const symbol = index.symbol(target);
  if (symbol?.kind === "assignment" && symbol.fact.callee && SECURITY_SCHEMES.test(index.resolve(symbol.fact.callee, symbol.module))) return dep.target;
  const short = target.slice(target.lastIndexOf(".") + 1);
  if (AUTH_NAME.test(short)) return short;
  if (symbol?.kind === "function") {
    let optional: string | null = null;
    for (const inner of parameterDependencies(index, symbol.info)) {
      const hit = authIn(index, inner, symbol.info.module, seen, depth + 1);
      if (hit && !hit.endsWith(OPTIONAL)) return `${short} → ${hit}`;
      optional ??= hit ? `${short} → ${hit}` : null;
    }
    return optional;
  }
  return null;
}

function factoryAppId(module: string, enclosing: string): string {
  return `${module}.${enclosing}()`;
}

function objectOf(qualified: string): string | null {
  const dot = qualified.lastIndexOf(".");
  return dot > 0 ? qualified.slice(0, dot) : null;
}

/** A string argument: a literal, or a name the index can resolve to a literal (`settings.API_V1_STR`). */
function stringArg(args: ArgumentFact[], name: string, position?: number, index?: ProjectIndex, module?: string): string | null {
  const named = args.find((a) => a.name === name);
  const arg = named ?? (position !== undefined ? args.filter((a) => a.name === null)[position] : undefined);
  if (typeof arg?.value === "string") return arg.value;
  if (arg?.qualified && index && module) {
    const value = index.constantValue(arg.qualified, module);
    if (typeof value === "string") return value;
  }
  return null;
}

/** `dependencies=[Depends(f)]`, with each `f` made absolute from the module that declares it. */
function dependenciesArg(args: ArgumentFact[], index: ProjectIndex, module: string): DependencyFact[] {
  const declared = args.find((a) => a.name === "dependencies")?.dependencies ?? [];
  return declared.map((d) => ({ ...d, qualified: d.qualified ? index.absolutize(d.qualified, module) : null }));
}

function methodsArg(args: ArgumentFact[]): string[] {
  const methods = args.find((a) => a.name === "methods");
  if (!methods) return ["GET"];
  return [...methods.text.matchAll(/["']([A-Za-z]+)["']/g)].map((m) => (m[1] as string).toUpperCase()).sort();
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return `${prefix.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Paths start with `/` and write parameters as `{name}` (FastAPI's `{id:int}` converters dropped). */
export function normalisePath(path: string): string {
  let p = path.startsWith("/") ? path : `/${path}`;
  p = p.replace(/\{([A-Za-z_][A-Za-z0-9_]*):[^}]*\}/g, "{$1}");
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}

