import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Endpoint } from "../types.js";
import { qualifyName, stringValue } from "./argument-values.js";
import { credentialSignal } from "./auth-behaviour.js";
import { normalisePath } from "./fastapi.js";
import { routeDetails } from "./route-details.js";

const LIBRARY = "(?:litestar|starlite)";
const HANDLER_DECORATOR = new RegExp(`^${LIBRARY}(?:\\.handlers(?:\\.http_handlers(?:\\.decorators)?)?)?\\.(get|post|put|patch|delete|head|route)$`);
const APP_CLASS = new RegExp(`^${LIBRARY}(?:\\.app)?\\.(Litestar|Starlite)$`);
const ROUTER_CLASS = new RegExp(`^${LIBRARY}(?:\\.router)?\\.Router$`);
const CONTROLLER_CLASS = new RegExp(`^${LIBRARY}(?:\\.controller)?\\.Controller$`);
const AUTH_BACKEND = new RegExp(`^${LIBRARY}\\.(?:contrib\\.jwt|security\\.jwt(?:\\.auth)?|security\\.session_auth(?:\\.auth)?)\\.(JWTAuth|JWTCookieAuth|OAuth2PasswordBearerAuth|SessionAuth)$`);
const AUTH_MIDDLEWARE_BASE = new RegExp(`^${LIBRARY}\\.middleware(?:\\.authentication)?\\.AbstractAuthenticationMiddleware$`);
const DEFINE_MIDDLEWARE = new RegExp(`^${LIBRARY}\\.middleware(?:\\.base)?\\.DefineMiddleware$`);
const HTTP_METHODS = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\b/gi;
/** A guard that refuses the caller: Litestar's own exceptions for it. */
const GUARD_REFUSAL = /NotAuthorizedException|PermissionDeniedException/;

/** Where routes hang: the app, a Router, a Controller, or a handler function on its own. */
interface Layer {
  kind: "app" | "router" | "controller" | "handler";
  file: string;
  line: number;
  path: string;
  guards: string[];
  dependencies: string[];
  /** `exclude_from_auth=True` (or `opt={"exclude_from_auth": True}`) declared here. */
  excluded: string | null;
  /** Child layer ids (`route_handlers=[...]`); a controller's children are its handler methods. */
  children: string[];
  module: string;
}

interface Handler {
  fn: FunctionInfo;
  methods: string[];
  paths: string[];
  args: ArgumentFact[];
}

interface AuthBackend {
  name: string;
  where: string;
  /** `exclude=[...]` patterns, matched as regular expressions against the path as Litestar does. */
  exclude: string[];
}

/**
 * Litestar endpoints: `@get`/`@post`/`@route(http_method=[...])` handlers, `Controller` classes with their `path`,
 * `Router(path=, route_handlers=[...])` and `Litestar(route_handlers=[...])`, paths joined down the layers. Auth from
 * `guards=[...]` on any layer, and an authentication backend (`JWTAuth`, `JWTCookieAuth`, `OAuth2PasswordBearerAuth`,
 * `SessionAuth`) or `AbstractAuthenticationMiddleware` subclass covering every route but those it excludes
 * (`exclude=[...]` patterns, `exclude_from_auth=True`). `Provide(...)` dependencies are listed on each endpoint.
 */
export function litestarEndpoints(index: ProjectIndex, files: WorkspaceFile[]): { endpoints: Endpoint[]; appFiles: string[] } {
  return new LitestarScan(index, files).run();
}

class LitestarScan {
  private readonly layers = new Map<string, Layer>();
  private readonly handlers = new Map<string, Handler>();
  private readonly backends: AuthBackend[] = [];
  private readonly modules: ModuleInfo[];

  constructor(
    private readonly index: ProjectIndex,
    files: WorkspaceFile[],
  ) {
    const tests = new Set(files.filter((f) => f.kind === "test").map((f) => f.path));
    this.modules = [...index.modules.values()].filter((m) => !tests.has(m.file) && m.facts.imports.some((i) => /^(litestar|starlite)(\.|$)/.test(i.module))).sort((a, b) => compareCodeUnits(a.name, b.name));
  }

  run(): { endpoints: Endpoint[]; appFiles: string[] } {
    if (!this.modules.length) return { endpoints: [], appFiles: [] };
    this.collectHandlers();
    this.collectControllers();
    this.collectAppsAndRouters();
    this.collectAuthBackends();
    const endpoints = new Map<string, Endpoint>();
    const children = new Set([...this.layers.values()].flatMap((l) => l.children));
    const roots = [...this.layers.keys()].filter((id) => !children.has(id)).sort((a, b) => rootRank(this.layers.get(a)) - rootRank(this.layers.get(b)) || compareCodeUnits(a, b));
    const visit = (id: string, chain: Layer[], depth: number) => {
      const layer = this.layers.get(id);
      if (!layer || depth > 12 || chain.includes(layer)) return;
      const here = [...chain, layer];
      if (layer.kind === "handler") this.emit(id, here, endpoints);
      for (const child of layer.children) visit(child, here, depth + 1);
    };
    for (const root of roots) visit(root, [], 0);
    const list = [...endpoints.values()].sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.method, b.method));
    const appFiles = [...new Set([...this.layers.values()].filter((l) => l.kind === "app").map((l) => l.file))].sort(compareCodeUnits);
    return { endpoints: list, appFiles };
  }

  private emit(id: string, chain: Layer[], endpoints: Map<string, Endpoint>): void {
    const handler = this.handlers.get(id);
    if (!handler) return;
    const prefix = chain.slice(0, -1).reduce((p, l) => joinPath(p, l.path), "");
    for (const own of handler.paths) {
      const path = normalisePath(joinPath(prefix, own));
      const auth = this.decideAuth(handler, chain, path);
      for (const method of handler.methods) {
        const key = `${method} ${path}`;
        if (endpoints.has(key)) continue;
        const endpoint: Endpoint = {
          method,
          path,
          handler: handler.fn.id,
          file: handler.fn.file,
          line: handler.fn.fact.line,
          isAsync: handler.fn.fact.isAsync,
          framework: "litestar",
          auth: auth.auth,
          authReason: auth.reason,
          ...routeDetails(this.index, handler.fn, handler.args),
        };
        if (auth.declaredPublic) endpoint.declaredPublic = auth.declaredPublic;
        const dependencies = [...new Set(chain.flatMap((l) => l.dependencies))].sort(compareCodeUnits);
        if (dependencies.length) endpoint.dependencies = dependencies;
        endpoints.set(key, endpoint);
      }
    }
  }

  /** Functions and methods decorated with a route handler decorator. */
  private collectHandlers(): void {
    const served = new Set(this.modules.map((m) => m.name));
    for (const fn of this.index.sortedFunctions()) {
      if (!served.has(fn.module)) continue;
      for (const d of fn.fact.decorators) {
        const verb = d.qualified ? HANDLER_DECORATOR.exec(this.index.resolve(d.qualified, fn.module))?.[1] : undefined;
        if (!verb) continue;
        const methodArg = d.args.find((a) => a.name === "http_method");
        const methods = verb === "route" ? [...new Set([...(methodArg?.text ?? "").matchAll(HTTP_METHODS)].map((m) => (m[1] as string).toUpperCase()))].sort(compareCodeUnits) : [verb.toUpperCase()];
        const pathArg = d.args.find((a) => a.name === "path") ?? d.args.find((a) => a.name === null);
        const paths = pathArg ? (pathArg.items ?? [stringValue(this.index, pathArg, fn.module)]).filter((p): p is string => typeof p === "string") : ["/"];
        if (!methods.length || !paths.length) continue;
        this.handlers.set(fn.id, { fn, methods, paths, args: d.args });
        const mod = this.index.modules.get(fn.module) as ModuleInfo;
        this.layers.set(fn.id, { kind: "handler", file: fn.file, line: fn.fact.line, path: "", guards: this.names(d.args.find((a) => a.name === "guards")?.items ?? [], fn.module), dependencies: this.provided(d.args.find((a) => a.name === "dependencies")?.text, mod), excluded: excludedBy(d.args, `${fn.file}:${d.line}`), children: [], module: fn.module });
        break;
      }
    }
  }

  /** `class Users(Controller): path = "/users"; guards = [...]`, its decorated methods as children. */
  private collectControllers(): void {
    for (const mod of this.modules) {
      for (const cls of mod.facts.classes) {
        const id = `${mod.name}.${cls.qualname}`;
        if (!this.isController(id)) continue;
        const attrs = this.classAttributes(id);
        const methods = [...this.handlers.keys()].filter((h) => this.ownerClass(h, id)).sort(compareCodeUnits);
        const path = attrs.get("path");
        this.layers.set(id, {
          kind: "controller",
          file: mod.file,
          line: cls.line,
          path: path ? (stringValue(this.index, { name: null, text: path.text, kind: path.kind, value: path.value }, path.module) ?? "") : "",
          guards: this.names(attrs.get("guards")?.items ?? [], attrs.get("guards")?.module ?? mod.name),
          dependencies: this.provided(attrs.get("dependencies")?.text, this.index.modules.get(attrs.get("dependencies")?.module ?? mod.name) as ModuleInfo),
          excluded: /["']exclude_from_auth["']\s*:\s*True/.test(attrs.get("opt")?.text ?? "") ? `opt exclude_from_auth on ${cls.name} (${mod.file}:${attrs.get("opt")?.line})` : null,
          children: methods,
          module: mod.name,
        });
      }
    }
  }

  /** A handler method defined on the controller class or inherited from a project base class of it. */
  private ownerClass(handlerId: string, classId: string, depth = 0): boolean {
    if (handlerId.slice(0, handlerId.lastIndexOf(".")) === classId) return true;
    const symbol = depth < 6 ? this.index.symbol(classId) : undefined;
    if (symbol?.kind !== "class") return false;
    return symbol.fact.bases.some((b) => b.qualified !== null && this.ownerClass(handlerId, this.index.resolve(b.qualified, symbol.module), depth + 1));
  }

  private isController(classId: string, depth = 0): boolean {
    const symbol = depth < 6 ? this.index.symbol(classId) : undefined;
    if (symbol?.kind !== "class") return false;
    return symbol.fact.bases.some((b) => {
      const base = b.qualified ? this.index.resolve(b.qualified, symbol.module) : b.text;
      return CONTROLLER_CLASS.test(base) || this.isController(base, depth + 1);
    });
  }

  /** Class attributes of a controller, the nearest definition winning over those of its project bases. */
  private classAttributes(classId: string): Map<string, { text: string; kind: ArgumentFact["kind"]; value?: string | number | boolean | null; items?: string[]; module: string; line: number }> {
    const out = new Map<string, { text: string; kind: ArgumentFact["kind"]; value?: string | number | boolean | null; items?: string[]; module: string; line: number }>();
    const visit = (id: string, depth: number) => {
      const symbol = depth < 6 ? this.index.symbol(id) : undefined;
      if (symbol?.kind !== "class") return;
      for (const a of symbol.fact.assignments) if (!out.has(a.target)) out.set(a.target, { text: a.text, kind: a.kind, value: a.value, items: a.items, module: symbol.module, line: a.line });
      for (const b of symbol.fact.bases) if (b.qualified) visit(this.index.resolve(b.qualified, symbol.module), depth + 1);
    };
    visit(classId, 0);
    return out;
  }

  /** `Litestar(route_handlers=[...])` and `Router(path=, route_handlers=[...])`, module-level or inline, nested by their source ranges. */
  private collectAppsAndRouters(): void {
    for (const mod of this.modules) {
      const calls: Array<{ call: CallFact; id: string; kind: "app" | "router" }> = [];
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? this.index.resolve(call.qualified, mod.name) : "";
        const kind = APP_CLASS.test(resolved) ? "app" : ROUTER_CLASS.test(resolved) ? "router" : null;
        if (!kind) continue;
        const named = call.enclosing ? undefined : mod.facts.assignments.find((a) => a.kind === "call" && a.line === call.line && a.callee && ROUTER_CLASS.test(this.index.resolve(a.callee, mod.name)) === (kind === "router"));
        calls.push({ call, id: named ? `${mod.name}.${named.target}` : `${mod.name}:${call.line}:${call.column}`, kind });
      }
      for (const { call, id, kind } of calls) {
        const arg = (name: string) => call.args.find((a) => a.name === name);
        const path = kind === "router" ? (arg("path") ? stringValue(this.index, arg("path") as ArgumentFact, mod.name) : call.args[0] ? stringValue(this.index, call.args[0], mod.name) : null) : arg("path") ? stringValue(this.index, arg("path") as ArgumentFact, mod.name) : null;
        const items = arg("route_handlers")?.items ?? [];
        // an inline `Router(...)` item: the call inside this one whose arguments its text holds
        const taken = new Set<string>();
        const inline = items.flatMap((item) => {
          if (/^\*?[A-Za-z_][\w.]*$/.test(item.trim())) return [];
          const match = calls.find((c) => !taken.has(c.id) && within(c.call, call) && c.call.args.every((a) => item.includes(a.text.slice(0, 60))));
          if (match) taken.add(match.id);
          return match ? [match.id] : [];
        });
        const named = items.flatMap((item) => this.handlerRefs(item, mod.name, 0));
        this.layers.set(id, {
          kind,
          file: mod.file,
          line: call.line,
          path: path ?? "",
          guards: this.names(arg("guards")?.items ?? [], mod.name),
          dependencies: this.provided(arg("dependencies")?.text, mod),
          excluded: null,
          children: [...named, ...inline],
          module: mod.name,
        });
        if (kind === "app") this.middlewareBackends(arg("middleware"), mod);
      }
      // `app.register(router)`, `route_handlers.append(UserController)` / `.extend([...])`
      for (const call of mod.facts.calls) {
        if (!/\.(register|append|extend)$/.test(call.callee) || !/(^|\.)(route_handlers|app|application|router)\.\w+$/.test(call.callee)) continue;
        const owner = call.callee.endsWith(".register") ? this.layerOf(call.callee.slice(0, -".register".length), mod.name) : null;
        const refs = call.args.flatMap((a) => (a.items ?? [a.text]).flatMap((item) => this.handlerRefs(item, mod.name, 0)));
        const layer = owner ? this.layers.get(owner) : undefined;
        if (layer) layer.children.push(...refs.filter((r) => !layer.children.includes(r)));
      }
    }
  }

  private layerOf(text: string, module: string): string | null {
    const id = qualifyName(this.index, module, text);
    return id && this.layers.has(id) ? id : null;
  }

  /** Layer ids a `route_handlers` item names: a handler, controller or router, or a list of them (`*v1_routes`). */
  private handlerRefs(item: string, module: string, depth: number): string[] {
    const name = item.trim().replace(/^\*/, "");
    if (!/^[A-Za-z_][\w.]*$/.test(name) || depth > 4) return [];
    const id = qualifyName(this.index, module, name);
    if (!id) return [];
    const symbol = this.index.symbol(id);
    if (symbol?.kind === "function" && this.handlers.has(symbol.info.id)) return [symbol.info.id];
    if (symbol?.kind === "class") return [id];
    if (symbol?.kind === "assignment" && symbol.fact.kind === "call") return [id];
    if (symbol?.kind === "assignment" && symbol.fact.items) return symbol.fact.items.flatMap((i) => this.handlerRefs(i, symbol.module, depth + 1));
    return [];
  }

  /** Absolute names of guard functions as written in `guards=[...]`. */
  private names(items: string[], module: string): string[] {
    return items.map((i) => qualifyName(this.index, module, i.trim().replace(/\(.*$/s, "")) ?? i.trim());
  }

  /** The callables of `Provide(...)` in a `dependencies={...}` mapping. */
  private provided(text: string | undefined, mod: ModuleInfo | undefined): string[] {
    if (!text || !mod) return [];
    return [...text.matchAll(/\bProvide\(\s*([A-Za-z_][\w.]*)/g)].map((m) => qualifyName(this.index, mod.name, m[1] as string) ?? (m[1] as string));
  }

  /** Authentication backends built in application code, and authentication middleware classes given to `DefineMiddleware`. */
  private collectAuthBackends(): void {
    for (const mod of this.modules) {
      for (const call of mod.facts.calls) {
        const callee = call.qualified ? this.index.resolve(call.qualified, mod.name) : (qualifyName(this.index, mod.name, call.callee.replace(/\[.*$/s, "")) ?? "");
        const backend = AUTH_BACKEND.exec(callee)?.[1];
        if (backend) this.backends.push({ name: backend, where: `${mod.file}:${call.line}`, exclude: excludeArg(call.args) });
        if (DEFINE_MIDDLEWARE.test(callee)) {
          const cls = call.args.find((a) => a.name === null || a.name === "middleware");
          const id = cls ? qualifyName(this.index, mod.name, cls.text) : null;
          if (id && this.isAuthMiddleware(id)) this.backends.push({ name: cls?.text ?? id, where: `${mod.file}:${call.line}`, exclude: excludeArg(call.args) });
        }
      }
    }
  }

  /** `Litestar(middleware=[JWTMiddleware])`: an authentication middleware class given without `DefineMiddleware`. */
  private middlewareBackends(arg: ArgumentFact | undefined, mod: ModuleInfo): void {
    for (const item of arg?.items ?? []) {
      const id = /^[A-Za-z_][\w.]*$/.test(item.trim()) ? qualifyName(this.index, mod.name, item.trim()) : null;
      if (id && this.isAuthMiddleware(id)) this.backends.push({ name: item.trim(), where: `${mod.file}`, exclude: [] });
    }
  }

  private isAuthMiddleware(classId: string, depth = 0): boolean {
    const symbol = depth < 6 ? this.index.symbol(classId) : undefined;
    if (symbol?.kind !== "class") return false;
    return symbol.fact.bases.some((b) => {
      const base = b.qualified ? this.index.resolve(b.qualified, symbol.module) : b.text;
      return AUTH_MIDDLEWARE_BASE.test(base) || this.isAuthMiddleware(base, depth + 1);
    });
  }

  private decideAuth(handler: Handler, chain: Layer[], path: string): { auth: boolean | null; reason: string; declaredPublic?: string } {
    const guards = chain.flatMap((l) => l.guards);
    let undecided: string | null = null;
    for (const guard of guards) {
      const verdict = this.guardVerdict(guard);
      if (verdict.auth) return { auth: true, reason: verdict.reason };
      undecided ??= verdict.reason;
    }
    const excluded = chain.map((l) => l.excluded).find((e) => e !== null) ?? null;
    const backend = this.backends[0];
    if (backend && !excluded) {
      const pattern = backend.exclude.find((p) => matches(p, path));
      if (!pattern) return { auth: true, reason: `${backend.name} (${backend.where}) authenticates every request it does not exclude` };
      return { auth: false, reason: `excluded from ${backend.name} (${backend.where}) by the pattern "${pattern}"`, declaredPublic: `${backend.name} exclude "${pattern}" (${backend.where})` };
    }
    if (backend && excluded) return { auth: false, reason: `${excluded}: ${backend.name} (${backend.where}) skips it`, declaredPublic: excluded };
    if (undecided) return { auth: null, reason: undecided };
    const own = credentialSignal(this.index, handler.fn);
    if (own) return { auth: null, reason: `no guard or authentication middleware, but the handler checks the caller itself: it ${own}` };
    return { auth: false, reason: "no guard and no authentication middleware" };
  }

  /** A guard authorises when its code refuses the caller (Litestar's `NotAuthorizedException`, a credential check); a library guard by its name. */
  private guardVerdict(guard: string): { auth: boolean; reason: string } {
    const fn = this.index.functions.get(guard);
    const short = guard.slice(guard.lastIndexOf(".") + 1);
    if (!fn) return { auth: true, reason: `guard ${short}` };
    const raises = (this.index.modules.get(fn.module)?.facts.raises ?? []).find((r) => (r.enclosing === fn.fact.qualname || r.enclosing?.startsWith(`${fn.fact.qualname}.`)) && GUARD_REFUSAL.test(r.text));
    if (raises) return { auth: true, reason: `guard ${short} (${fn.file}:${fn.fact.line}) raises ${GUARD_REFUSAL.exec(raises.text)?.[0]}` };
    const signal = credentialSignal(this.index, fn);
    if (signal) return { auth: true, reason: `guard ${short} (${fn.file}:${fn.fact.line}), which ${signal}` };
    return { auth: false, reason: `guard ${short} (${fn.file}:${fn.fact.line}) refuses no caller that archscope can see` };
  }
}

function rootRank(layer: Layer | undefined): number {
  return layer?.kind === "app" ? 0 : layer?.kind === "router" ? 1 : layer?.kind === "controller" ? 2 : 3;
}

/** Whether call `inner` lies inside the source range of `outer`. */
function within(inner: CallFact, outer: CallFact): boolean {
  if (inner === outer) return false;
  const after = inner.line > outer.line || (inner.line === outer.line && inner.column > outer.column);
  return after && inner.endLine <= outer.endLine;
}

function excludedBy(args: ArgumentFact[], where: string): string | null {
  const flag = args.find((a) => a.name === "exclude_from_auth");
  if (flag?.value === true || flag?.text === "True") return `exclude_from_auth=True (${where})`;
  const opt = args.find((a) => a.name === "opt");
  return opt && /["']exclude_from_auth["']\s*:\s*True/.test(opt.text) ? `opt exclude_from_auth (${where})` : null;
}

function excludeArg(args: ArgumentFact[]): string[] {
  const arg = args.find((a) => a.name === "exclude");
  if (!arg) return [];
  if (typeof arg.value === "string") return [arg.value];
  return (arg.items ?? []).filter((i) => !/^[A-Za-z_][\w.]*$/.test(i) || i.startsWith("/"));
}

/** Litestar matches `exclude` patterns with `re.search` against the request path. */
function matches(pattern: string, path: string): boolean {
  try {
    return new RegExp(pattern).test(path);
  } catch {
    return path.startsWith(pattern);
  }
}

function joinPath(prefix: string, path: string): string {
  if (!prefix || prefix === "/") return path;
  if (!path || path === "/") return prefix;
  return `${prefix.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

