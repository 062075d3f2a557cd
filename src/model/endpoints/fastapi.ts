import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact, DependencyFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";
import { credentialSignal, verifiesCaller } from "./auth-behaviour.js";
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
      const kind = frameworkClassOf(index, callee);
      if (!kind) continue;
      const inherited = kind.subclass ? subclassDefaults(index, kind.subclass) : { prefix: "", dependencies: [] };
      const entry = {
        file: mod.file,
        prefix: stringArg(a.args ?? [], "prefix", undefined, index, mod.name) ?? inherited.prefix,
        dependencies: [...inherited.dependencies, ...dependenciesArg(a.args ?? [], index, mod.name)],
      };
      if (kind.app) apps.set(id, entry);
      else routers.set(id, entry);
    }
    // an app built inside a factory function (`def create_app(): app = FastAPI(...)`): one app per function
    for (const call of mod.facts.calls) {
      if (!call.enclosing || !call.qualified || !frameworkClassOf(index, index.resolve(call.qualified, mod.name))?.app) continue;
      apps.set(factoryAppId(mod.name, call.enclosing), { file: mod.file, prefix: "", dependencies: dependenciesArg(call.args, index, mod.name) });
    }
  }
  if (apps.size === 0 && routers.size === 0) return { endpoints: [], appFiles: [] };

  // include_router edges: parent → child with prefix and dependencies
  const includes = new Map<string, Array<{ child: string; prefix: string; dependencies: DependencyFact[]; condition: string | null }>>();
  const included = new Set<string>();
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      // `include_router(router, prefix=...)`, and `mount("/admin", admin_app)` of a FastAPI sub-application
      const isMount = call.callee.endsWith(".mount");
      if ((!call.callee.endsWith(".include_router") && !isMount) || !call.qualified) continue;
      const owner = objectOf(index.resolveSymbol(call.qualified, mod.name));
      const ownerType = objectOf(index.resolve(call.qualified, mod.name));
      const parent = call.enclosing && ownerType && APP_CLASSES.has(ownerType) ? factoryAppId(mod.name, call.enclosing) : owner;
      const childArg = isMount ? (call.args.find((a) => a.name === "app") ?? call.args.filter((a) => a.name === null)[1]) : call.args.find((a) => a.name === null || a.name === "router");
      if (!parent || !childArg?.qualified || !(apps.has(parent) || routers.has(parent))) continue;
      const child = index.resolveSymbol(childArg.qualified, mod.name);
      if (isMount ? !apps.has(child) : !routers.has(child)) continue;
      const list = includes.get(parent) ?? [];
      const prefix = stringArg(call.args, isMount ? "path" : "prefix", isMount ? 0 : undefined, index, mod.name) ?? "";
      list.push({ child, prefix, dependencies: dependenciesArg(call.args, index, mod.name), condition: call.guard });
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
    for (const inc of includes.get(id) ?? []) visit(inc.child, joinPath(full, inc.prefix), [...deps, ...inc.dependencies], (routers.get(inc.child) ?? apps.get(inc.child))?.file ?? file, inc.condition ?? condition, depth + 1);
  };
  for (const [id, app] of apps) if (!included.has(id)) visit(id, "", [], app.file, null, 0);
  for (const [id, router] of routers) if (!included.has(id)) visit(id, "", [], router.file, null, 0);

  // route registrations: decorators (`@router.get`, `@app.api_route`) and `add_api_route` calls
  const registrations: Array<{ fn: FunctionInfo; owner: string; methods: string[]; path: string; args: ArgumentFact[] }> = [];
  for (const fn of index.sortedFunctions()) {
    for (const decorator of fn.fact.decorators) {
      if (!decorator.qualified) continue;
      const resolved = index.resolveSymbol(decorator.qualified, fn.module);
      const parent = fn.fact.qualname.includes(".") ? fn.fact.qualname.slice(0, fn.fact.qualname.lastIndexOf(".")) : null;
      // a route declared inside the factory that builds the app (`def create_app(): app = FastAPI(); @app.post(...)`)
      const inFactory = parent && APP_CLASSES.has(objectOf(index.resolve(decorator.qualified, fn.module)) ?? "") ? factoryAppId(fn.module, parent) : null;
      const owner = inFactory && apps.has(inFactory) ? inFactory : objectOf(resolved);
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
    // `@app.middleware("http")`, on a module app or on one built inside a factory function
    const isMiddleware = fn.fact.decorators.some((d) => {
      if (!d.qualified || !d.name.endsWith(".middleware")) return false;
      return apps.has(objectOf(index.resolveSymbol(d.qualified, fn.module)) ?? "") || APP_CLASSES.has(objectOf(index.resolve(d.qualified, fn.module)) ?? "");
    });
    if (!isMiddleware) continue;
    const reads = credentialSignal(index, fn) ?? (index.callsIn(fn.id).some(({ call }) => AUTH_IN_MIDDLEWARE.test(call.callee) || call.args.some((a) => AUTH_IN_MIDDLEWARE.test(a.text))) ? "reads credentials" : null);
    if (reads) return `HTTP middleware ${fn.fact.name} (${fn.file}:${fn.fact.line})`;
  }
  return null;
}

/** Auth from the dependencies covering a route, those of its class-based view, and the handler's own parameters, followed transitively. */
function decideAuth(index: ProjectIndex, fn: FunctionInfo, covering: DependencyFact[]): { auth: boolean | null; reason: string } {
  const candidates: Array<[DependencyFact, string, string]> = [
    ...covering.map((d): [DependencyFact, string, string] => [d, "dependency %s covers the route", fn.module]),
    ...classDependencies(index, fn),
    ...parameterDependencies(index, fn).map((d): [DependencyFact, string, string] => [d, "handler depends on %s", fn.module]),
  ];
  let optional: string | null = null;
  let named: string | null = null;
  for (const [dep, template, module] of candidates) {
    const verdict = dependencyAuth(index, dep, module, new Set(), 0);
    if (verdict?.kind === "auth") return { auth: true, reason: template.replace("%s", verdict.text) };
    if (verdict?.kind === "optional") optional ??= verdict.text;
    if (verdict?.kind === "named") named ??= verdict.text;
  }
  if (optional) return { auth: null, reason: `authentication is optional (${optional} lets anonymous requests through)` };
  const own = verifiesCaller(index, fn);
  if (own) return { auth: null, reason: `the handler checks the caller itself: it ${own}` };
  if (named) return { auth: null, reason: `depends on ${named}, which is named like authentication but whose check could not be followed` };
  return { auth: false, reason: candidates.length ? "no dependency of the route checks credentials" : "no authentication dependency" };
}

/**
 * Dependencies declared as class attributes of a class-based view (fastapi-utils/fastapi-restful
 * `@cbv(router)`, project `@controller(router)` decorators): `user: User = Depends(get_current_user)`
 * on the class or any project base class, the nearest declaration of a name winning.
 */
function classDependencies(index: ProjectIndex, fn: FunctionInfo): Array<[DependencyFact, string, string]> {
  if (!fn.fact.className) return [];
  const out: Array<[DependencyFact, string, string]> = [];
  const names = new Set<string>();
  const visit = (id: string, depth: number) => {
    const symbol = index.symbol(id);
    if (symbol?.kind !== "class" || depth > 8) return;
    for (const a of symbol.fact.assignments) {
      if (!a.dependency || names.has(a.target)) continue;
      names.add(a.target);
      out.push([a.dependency, `class attribute ${symbol.fact.name}.${a.target} depends on %s (${symbol.file}:${a.line})`, symbol.module]);
    }
    for (const base of symbol.fact.bases) if (base.qualified) visit(index.resolve(base.qualified, symbol.module), depth + 1);
  };
  visit(`${fn.module}.${fn.fact.className}`, 0);
  return out;
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

/** Arguments that let anonymous callers through: `auto_error=False`, `required=False`, an allowed-subjects set naming `Anonymous`. */
const OPTIONAL_ARG = /\b(required|auto_error)\s*=\s*False\b|\bAnonymous\b|\ballow_anonymous\s*=\s*True\b/;
/** Dependencies from authentication libraries: fastapi-users `current_user()`, fastapi-jwt-auth `AuthJWT`, Azure/Auth0/cloudauth verifiers. */
const LIBRARY_AUTH = /^(fastapi_users\b.*|.*\.current_user|fastapi_jwt_auth\.AuthJWT|async_fastapi_jwt_auth\.AuthJWT|fastapi_azure_auth\..*|fastapi_auth0\..*|fastapi_cloudauth\..*|fastapi_keycloak\..*|fastapi_another_jwt_auth\.AuthJWT)$/;

type Verdict = { kind: "auth" | "optional" | "named"; text: string } | null;

/**
 * What a dependency does about authentication: a security scheme (`OAuth2PasswordBearer`, `HTTPBearer`,
 * `APIKeyHeader`, `Security(...)`, or a project class built on one), a function whose code checks
 * credentials or rejects with 401/403, or one of its own sub-dependencies doing so. A dependency that is
 * only named like authentication (its code out of reach or showing no check) is `named`: undecided.
 */
function dependencyAuth(index: ProjectIndex, dep: DependencyFact, fromModule: string, seen: Set<string>, depth: number): Verdict {
  const label = dep.target ?? "Depends()";
  const optionalHere = dep.target !== null && OPTIONAL_ARG.test(dep.target);
  const mark = (v: Verdict): Verdict => (v?.kind === "auth" && optionalHere ? { kind: "optional", text: v.text } : v);
  if (dep.kind === "Security") return mark({ kind: "auth", text: `Security(${label})` });
  if (!dep.qualified || depth > 6) return dep.target && AUTH_NAME.test(dep.target) ? { kind: "named", text: dep.target } : null;
  const resolved = index.resolve(dep.qualified, fromModule);
  // `Depends(factory(...))` qualifies as `factory()`: the factory is the symbol to read
  const target = resolved.endsWith("()") && index.symbol(resolved.slice(0, -2))?.kind === "function" ? resolved.slice(0, -2) : resolved;
  if (seen.has(target)) return null;
  seen.add(target);
  const short = target.slice(target.lastIndexOf(".") + 1);
  if (SECURITY_SCHEMES.test(target) || extendsSecurityScheme(index, target)) return mark({ kind: "auth", text: label });
  const symbol = index.symbol(target);
  if (symbol?.kind === "assignment" && symbol.fact.callee) {
    const callee = index.resolve(symbol.fact.callee, symbol.module);
    const optional = symbol.fact.args?.some((a) => ((a.name === "auto_error" || a.name === "required") && a.value === false) || /\bAnonymous\b/.test(a.text)) ?? false;
    if (SECURITY_SCHEMES.test(callee) || extendsSecurityScheme(index, callee)) return { kind: optional || optionalHere ? "optional" : "auth", text: label };
    if (LIBRARY_AUTH.test(callee) && index.symbol(callee) === undefined) return mark({ kind: "auth", text: `${label} (${callee})` });
    // a callable instance: `Depends(RoleChecker(["admin"]))`, `require_admin = RoleChecker(...)`, or one a factory returns
    const call = callMethod(index, callee) ?? factoryInstanceCall(index, callee);
    const anonymousAllowed = (v: Verdict): Verdict => (v?.kind === "auth" && optional ? { kind: "optional", text: `${v.text}, allowing anonymous callers` } : v);
    if (call) return anonymousAllowed(mark(functionAuth(index, call, label, seen, depth)));
    // `require_fresh = WebUserAuthorizerFresh(scopes)`: a factory whose returned closure is the dependency
    const factory = index.functions.get(callee);
    for (const nested of factory ? nestedFunctions(index, factory) : []) {
      const verdict = functionAuth(index, nested, `${label} → ${nested.fact.name}`, seen, depth);
      if (verdict?.kind === "auth" || verdict?.kind === "optional") return mark(verdict);
    }
  }
  if (symbol?.kind === "function") {
    // `Depends(get_current_user_authorizer(required=False))`: the dependency is what the factory returns
    const factory = dep.target?.trimEnd().endsWith(")") ?? false;
    const instanceCall = factory ? factoryInstanceCall(index, symbol.info.id) : undefined;
    const inner = factory ? [...(instanceCall ? [instanceCall] : []), ...nestedFunctions(index, symbol.info)] : [];
    for (const nested of inner) {
      const verdict = functionAuth(index, nested, `${short} → ${nested.fact.name}`, seen, depth);
      if (verdict?.kind === "auth" || verdict?.kind === "optional") return mark(verdict);
    }
    return mark(functionAuth(index, symbol.info, short, seen, depth));
  }
  if (symbol?.kind === "class") {
    // `Depends(RoleCheck(roles))` depends on the instance's `__call__`; `Depends(Filters)` on the constructor
    const instance = dep.target?.trimEnd().endsWith(")") ?? false;
    const method = instance ? callMethod(index, target) : index.functions.get(`${target}.__init__`);
    if (method) return mark(functionAuth(index, method, short, seen, depth));
  }
  if (!symbol && index.projectModuleOf(target) === null && LIBRARY_AUTH.test(target)) return mark({ kind: "auth", text: `${label} (${target})` });
  return AUTH_NAME.test(short) ? { kind: "named", text: label } : null;
}

function functionAuth(index: ProjectIndex, fn: FunctionInfo, label: string, seen: Set<string>, depth: number): Verdict {
  const signal = credentialSignal(index, fn);
  if (signal) return { kind: "auth", text: `${label} (which ${signal})` };
  let optional: Verdict = null;
  let named: Verdict = null;
  for (const inner of parameterDependencies(index, fn)) {
    const verdict = dependencyAuth(index, inner, fn.module, seen, depth + 1);
    if (verdict?.kind === "auth") return { kind: "auth", text: `${label} → ${verdict.text}` };
    if (verdict?.kind === "optional") optional ??= { kind: "optional", text: `${label} → ${verdict.text}` };
    if (verdict?.kind === "named") named ??= { kind: "named", text: `${label} → ${verdict.text}` };
  }
  return optional ?? named ?? (AUTH_NAME.test(fn.fact.name) ? { kind: "named", text: label } : null);
}

/** `__call__` of a project class, its own or inherited from a project base. */
function callMethod(index: ProjectIndex, classId: string, depth = 0): FunctionInfo | undefined {
  const symbol = index.symbol(classId);
  if (symbol?.kind !== "class" || depth > 6) return undefined;
  const own = index.functions.get(`${classId}.__call__`);
  if (own) return own;
  for (const b of symbol.fact.bases) {
    const found = b.qualified ? callMethod(index, index.resolve(b.qualified, symbol.module), depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** `Authenticator(...)` as a project function returning a callable instance: its return annotation's class, or a class it defines. */
function factoryInstanceCall(index: ProjectIndex, functionId: string): FunctionInfo | undefined {
  const fn = index.functions.get(functionId);
  if (!fn) return undefined;
  if (fn.fact.returns && /^[A-Za-z_][\w.]*$/.test(fn.fact.returns)) {
    const viaAnnotation = callMethod(index, index.resolve(`#${fn.fact.returns}`, fn.module));
    if (viaAnnotation) return viaAnnotation;
  }
  for (const c of index.modules.get(fn.module)?.facts.classes ?? []) {
    if (c.line < fn.fact.line || c.line > fn.fact.endLine) continue;
    const inner = callMethod(index, `${fn.module}.${c.qualname}`);
    if (inner) return inner;
  }
  return undefined;
}

/** Functions defined directly inside `fn` (a dependency factory's returned closure). */
function nestedFunctions(index: ProjectIndex, fn: FunctionInfo): FunctionInfo[] {
  const prefix = `${fn.fact.qualname}.`;
  const out: FunctionInfo[] = [];
  for (const f of index.modules.get(fn.module)?.facts.functions ?? []) {
    if (!f.qualname.startsWith(prefix) || f.qualname.slice(prefix.length).includes(".")) continue;
    const info = index.functions.get(`${fn.module}.${f.qualname}`);
    if (info) out.push(info);
  }
  return out;
}

/** A project class built on a FastAPI security scheme (`class JWTBearer(HTTPBearer)`). */
function extendsSecurityScheme(index: ProjectIndex, classId: string, depth = 0): boolean {
  const symbol = index.symbol(classId);
  if (symbol?.kind !== "class" || depth > 6) return false;
  return symbol.fact.bases.some((b) => {
    const base = b.qualified ? index.resolve(b.qualified, symbol.module) : b.text;
    return SECURITY_SCHEMES.test(base) || extendsSecurityScheme(index, base, depth + 1);
  });
}

/** Whether a resolved callee builds a FastAPI app or router, directly or through a project subclass (`class AdminRouter(APIRouter)`). */
function frameworkClassOf(index: ProjectIndex, callee: string): { app: boolean; subclass: string | null } | null {
  if (APP_CLASSES.has(callee)) return { app: true, subclass: null };
  if (ROUTER_CLASSES.has(callee)) return { app: false, subclass: null };
  const seen = new Set<string>();
  const visit = (id: string, depth: number): boolean | null => {
    const symbol = index.symbol(id);
    if (symbol?.kind !== "class" || depth > 6 || seen.has(id)) return null;
    seen.add(id);
    for (const b of symbol.fact.bases) {
      const base = b.qualified ? index.resolve(b.qualified, symbol.module) : b.text;
      if (APP_CLASSES.has(base)) return true;
      if (ROUTER_CLASSES.has(base)) return false;
      const deeper = visit(base, depth + 1);
      if (deeper !== null) return deeper;
    }
    return null;
  };
  const app = visit(callee, 0);
  if (app !== null) return { app, subclass: callee };
  // `APIRouter = get_api_router_class(APIRoute)`: a project factory that returns a router class it defines
  const symbol = index.symbol(callee);
  const factory = symbol?.kind === "assignment" && symbol.fact.callee ? index.functions.get(index.resolve(symbol.fact.callee, symbol.module)) : undefined;
  if (!factory) return null;
  for (const c of index.modules.get(factory.module)?.facts.classes ?? []) {
    if (c.line < factory.fact.line || c.line > factory.fact.endLine) continue;
    const inner = visit(`${factory.module}.${c.qualname}`, 0);
    if (inner !== null) return { app: inner, subclass: `${factory.module}.${c.qualname}` };
  }
  return null;
}

/** What a project router or app subclass passes up in `super().__init__(prefix=..., dependencies=[...])`. */
function subclassDefaults(index: ProjectIndex, classId: string): { prefix: string; dependencies: DependencyFact[] } {
  const init = index.functions.get(`${classId}.__init__`);
  if (!init) return { prefix: "", dependencies: [] };
  const call = index.callsIn(init.id).find(({ call }) => /^super\(.*\)\.__init__$/.test(call.callee))?.call;
  if (!call) return { prefix: "", dependencies: [] };
  return { prefix: typeof call.args.find((a) => a.name === "prefix")?.value === "string" ? (call.args.find((a) => a.name === "prefix")?.value as string) : "", dependencies: dependenciesArg(call.args, index, init.module) };
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
  // converters go, except `path`: a parameter that may hold slashes
  p = p.replace(/\{([A-Za-z_][A-Za-z0-9_]*):([^}]*)\}/g, (_, name: string, converter: string) => (converter === "path" ? `{${name}:path}` : `{${name}}`));
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}

