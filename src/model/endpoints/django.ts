import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact, AssignmentFact, CallFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";
import { classViewDetails, functionViewDetails, ninjaDetails } from "./django-details.js";
import { DrfRouters } from "./django-drf.js";
import { NinjaApis } from "./django-ninja.js";
import { argument, argumentCall, finalPath, listItems, regexToPath, routeToPath, subtreeEnd } from "./django-routes.js";
import { type DjangoSettings, readSettings } from "./django-settings.js";
import { credentialSignal } from "./auth-behaviour.js";
import { authWrapper, classView, classViewAuth, type Decision, findMethod, functionViewAuth, functionViewMethods, handlerOf, isDrf, isViewSet, lastSegment, viewMethods } from "./django-views.js";

const URL_FUNCTIONS: Record<string, "path" | "regex"> = {
  "django.urls.path": "path",
  "django.urls.conf.path": "path",
  "django.urls.re_path": "regex",
  "django.urls.conf.re_path": "regex",
  "django.conf.urls.url": "regex",
};
const INCLUDE = new Set(["django.urls.include", "django.urls.conf.include", "django.conf.urls.include"]);
const ADMIN_SITE = /^django\.contrib\.admin(\.sites)?\.site$/;
const APPLICATION_FACTORIES = new Set(["django.core.wsgi.get_wsgi_application", "django.core.asgi.get_asgi_application"]);
const TRANSLATIONS = new Set(["_", "gettext", "gettext_lazy", "ugettext_lazy", "pgettext_lazy"]);

/** What the second argument of `path()` (or the argument of `include()`) leads to. */
type Target =
  | { kind: "module"; module: string }
  | { kind: "group"; module: string; variable: string; wrapper?: string }
  | { kind: "inline"; module: ModuleInfo; from: number; to: number }
  | { kind: "router"; id: string }
  | { kind: "ninja"; id: string }
  | { kind: "admin"; id: string }
  | { kind: "function"; fn: FunctionInfo; wrapper?: string }
  | { kind: "class"; id: string; args: ArgumentFact[]; wrapper?: string };

/** Where a URL pattern sits: its full route so far, the `if` it is under, how deep in includes. */
interface Mount {
  prefix: string;
  condition: string | null;
  depth: number;
  /** An authentication decorator applied to every pattern below (`decorator_include(login_required, ...)`, a helper wrapping a list). */
  wrapper?: string | null;
}

/** The `path()` call being served, for endpoints whose handler is not project code (admin, framework views). */
interface Site extends Mount {
  module: ModuleInfo;
  line: number;
}

/**
 * Django, DRF and Django Ninja endpoints, from the root URLconf down: `path`/`re_path`/`url`
 * patterns, `include()` of modules, pattern lists, DRF routers and Ninja APIs; function views,
 * class-based views (generic ones mapped to their methods), DRF viewsets and `@action`s. Auth
 * from decorators, mixins, DRF permission classes (and the project default), Ninja `auth=`, and
 * Django 5.1's LoginRequiredMiddleware. Only what the root URLconf reaches is served; without a
 * `ROOT_URLCONF`, every module with `urlpatterns` that no other includes is a root.
 */
export function djangoEndpoints(index: ProjectIndex): { endpoints: Endpoint[]; appFiles: string[] } {
  const modules = [...index.modules.values()].filter((m) => !isTestModule(m.name)).sort((a, b) => compareCodeUnits(a.name, b.name));
  const appFiles = modules.filter((m) => m.facts.assignments.some((a) => a.kind === "call" && a.callee && APPLICATION_FACTORIES.has(index.resolve(a.callee, m.name)))).map((m) => m.file);
  const hasUrlconf = modules.some((m) => m.facts.assignments.some((a) => a.target === "urlpatterns"));
  if (!hasUrlconf) return { endpoints: [], appFiles };
  const settings = readSettings(modules);
  const walk = new UrlWalk(index, modules, settings);
  const roots = walk.roots();
  for (const root of roots) walk.walkModule(root, { prefix: "", condition: null, depth: 0 });
  walk.mountUnreferenced();
  const endpoints = walk.finish();
  if (appFiles.length === 0 && endpoints.length > 0) appFiles.push(...roots.map((r) => index.modules.get(r)?.file ?? r));
  return { endpoints, appFiles: [...new Set(appFiles)].sort(compareCodeUnits) };
}

class UrlWalk {
  private readonly endpoints = new Map<string, Endpoint>();
  /** Keys of endpoints that LoginRequiredMiddleware lets through (`@login_not_required`, LoginView). */
  private readonly exempt = new Set<string>();
  private readonly includedModules = new Set<string>();
  private readonly includedGroups = new Set<string>();
  private readonly routers: DrfRouters;
  private readonly ninja: NinjaApis;
  /** Routers and Ninja APIs mounted by a URL pattern. */
  private readonly mounted = new Set<string>();
  /** URLconf modules walked, with where they were mounted. */
  private readonly walked = new Map<string, Mount[]>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly index: ProjectIndex,
    private readonly modules: ModuleInfo[],
    private readonly settings: DjangoSettings,
  ) {
    this.ninja = new NinjaApis(index);
    this.routers = new DrfRouters(index, modules);
    for (const mod of modules) {
      mod.facts.calls.forEach((call, j) => {
        if (call.enclosing !== null || !/(^|\.)include$/.test(call.callee) || !INCLUDE.has(this.resolved(call, mod))) return;
        const target = this.includeTarget(mod, j);
        if (target?.kind === "module") this.includedModules.add(target.module);
        if (target?.kind === "group") {
          this.includedGroups.add(`${target.module}.${target.variable}`);
          if (target.variable === "urlpatterns") this.includedModules.add(target.module);
        }
      });
    }
  }

  /** ROOT_URLCONF when the settings name a module of the project, else every URLconf nothing includes. */
  roots(): string[] {
    const configured = this.settings.rootUrlconfs.map((name) => this.moduleNamed(name)).filter((m): m is string => m !== null);
    if (configured.length) return [...new Set(configured)].sort(compareCodeUnits);
    return this.modules.filter((m) => m.facts.assignments.some((a) => a.target === "urlpatterns") && !this.includedModules.has(m.name)).map((m) => m.name);
  }

  walkModule(module: string, mount: Mount): void {
    const mod = this.index.modules.get(module);
    const key = `${module}|${mount.prefix}`;
    if (!mod || this.seen.has(key) || mount.depth > 12) return;
    this.seen.add(key);
    this.walked.set(module, [...(this.walked.get(module) ?? []), mount]);
    for (const { i, variable } of this.patterns(mod)) {
      if (variable === "urlpatterns" || !this.includedGroups.has(`${module}.${variable}`)) this.route(mod, i, mount);
    }
  }

  private walkGroup(module: string, variable: string, mount: Mount): void {
    const mod = this.index.modules.get(module);
    const key = `${module}.${variable}|${mount.prefix}`;
    if (!mod || this.seen.has(key) || mount.depth > 12) return;
    this.seen.add(key);
    for (const p of this.patterns(mod)) if (p.variable === variable) this.route(mod, p.i, mount);
  }

  /**
   * The module's URL patterns outside any other pattern, each with the variable whose list it is in:
   * the module-level assignment whose value spans its line (`urlpatterns = [...]`, `api_patterns = [...]`);
   * `urlpatterns` for the rest (`urlpatterns += [...]`, which the facts do not record as an assignment).
   */
  private patterns(mod: ModuleInfo): Array<{ i: number; variable: string }> {
    const calls = mod.facts.calls;
    const assignments = [...mod.facts.assignments].sort((a, b) => a.line - b.line);
    const out: Array<{ i: number; variable: string }> = [];
    for (let i = 0; i < calls.length; ) {
      const call = calls[i] as CallFact;
      if (call.enclosing !== null || !this.urlKind(call, mod)) {
        i++;
        continue;
      }
      const owner = assignments.filter((a) => a.line <= call.line && call.line <= lastLine(a)).pop();
      out.push({ i, variable: owner?.target ?? "urlpatterns" });
      i = subtreeEnd(calls, i);
    }
    return out;
  }

  private urlKind(call: CallFact, mod: ModuleInfo): "path" | "regex" | undefined {
    return call.qualified ? URL_FUNCTIONS[this.index.resolve(call.qualified, mod.name)] : undefined;
  }

  private resolved(call: CallFact, mod: ModuleInfo): string {
    return call.qualified ? this.index.resolve(call.qualified, mod.name).replace(/\(\)$/, "") : call.callee;
  }

  /** One `path()`/`re_path()`/`url()` pattern. */
  private route(mod: ModuleInfo, i: number, mount: Mount): void {
    const call = mod.facts.calls[i] as CallFact;
    const kind = this.urlKind(call, mod);
    const route = this.routeString(mod, i, argument(call.args, 0, kind === "path" ? "route" : "regex"));
    const view = argument(call.args, 1, "view");
    if (route === null || !view) return;
    const site: Site = {
      prefix: mount.prefix + (kind === "path" ? routeToPath(route) : regexToPath(route)),
      condition: call.guard ?? mount.condition,
      depth: mount.depth + 1,
      module: mod,
      line: call.line,
      wrapper: mount.wrapper ?? null,
    };
    this.view(mod, i, view, site, mount.wrapper ?? null);
  }

  /** A route string: a literal, a constant, or a literal inside `_()`. */
  private routeString(mod: ModuleInfo, i: number, arg: ArgumentFact | undefined): string | null {
    if (!arg) return null;
    if (typeof arg.value === "string") return arg.value;
    if (arg.qualified) {
      // a setting computed at start-up (`settings.BASE_PATH`): unknown, mounted as "" like an unresolved FastAPI prefix
      const value = this.index.constantValue(arg.qualified, mod.name);
      return typeof value === "string" ? value : "";
    }
    const j = argumentCall(mod.facts.calls, i, arg);
    const call = j === null ? null : mod.facts.calls[j];
    const text = call?.args.filter((a) => a.name === null).pop()?.value;
    return call && TRANSLATIONS.has(lastSegment(call.callee)) && typeof text === "string" ? text : null;
  }

  /** The view argument of a pattern (or of a wrapper around it): a call such as `include(...)`, `View.as_view()`, `login_required(...)`, or a name. */
  private view(mod: ModuleInfo, i: number, arg: ArgumentFact, site: Site, wrapper: string | null): void {
    if (arg.kind !== "call") {
      const target = arg.qualified ? this.reference(arg.qualified, mod.name) : null;
      if (target) this.serve(target, site, wrapper);
      return;
    }
    const calls = mod.facts.calls;
    const j = argumentCall(calls, i, arg);
    if (j === null) return;
    const call = calls[j] as CallFact;
    const name = this.resolved(call, mod);
    if (INCLUDE.has(name)) {
      const target = this.includeTarget(mod, j);
      if (target) this.serve(target, site, wrapper);
    } else if (lastSegment(name) === "decorator_include") {
      // django-decorator-include: `decorator_include(login_required, "app.urls")` decorates every included view
      const decorators = argument(call.args, 0, "decorators");
      const auth = decorators ? this.wrapperIn(decorators, mod.name) : null;
      const target = this.includeTarget(mod, j, 1);
      if (target) this.serve(target, site, wrapper ?? auth);
    } else if (name.endsWith(".as_view")) {
      this.serve({ kind: "class", id: name.slice(0, -".as_view".length), args: call.args }, site, wrapper);
    } else {
      // a decorator applied in the URLconf: `login_required(View.as_view())`, `csrf_exempt(view)`, `cache_page(60)(view)`
      const wrapped = argument(call.args, 0, "view_func");
      const auth = authWrapper(this.index, name);
      if (wrapped) this.view(mod, j, wrapped, site, wrapper ?? auth);
    }
  }

  /** What `include(x)` includes: a module by name, a pattern list (inline or a variable), a router, a Ninja API. */
  private includeTarget(mod: ModuleInfo, j: number, position = 0): Target | null {
    const calls = mod.facts.calls;
    const arg = argument((calls[j] as CallFact).args, position, position === 0 ? "arg" : "urlconf");
    if (!arg) return null;
    const inline: Target = { kind: "inline", module: mod, from: j + 1, to: subtreeEnd(calls, j) };
    if (typeof arg.value === "string") {
      const module = this.moduleNamed(arg.value);
      return module ? { kind: "module", module } : null;
    }
    if (arg.kind === "list") return inline;
    if (arg.kind === "tuple") {
      // `include((patterns, "app_name"))`: the patterns are a module path, a list, or a name
      const first = listItems(arg)?.[0] ?? "";
      if (first.startsWith("[")) return inline;
      if (this.index.modules.has(first)) return { kind: "module", module: first };
      const byName = /^[A-Za-z_][\w.]*$/.test(first) ? this.reference(`#${first}`, mod.name) : null;
      const module = byName ? null : this.moduleNamed(first);
      return byName ?? (module ? { kind: "module", module } : null);
    }
    return arg.qualified ? this.reference(arg.qualified, mod.name) : null;
  }

  /** What a name in a URLconf stands for. */
  private reference(qualified: string, module: string, depth = 0): Target | null {
    const id = this.index.resolveSymbol(qualified, module);
    if (this.index.modules.has(id)) return { kind: "module", module: id };
    if (id.endsWith(".urls")) {
      const owner = id.slice(0, -".urls".length);
      if (this.routers.has(owner)) return { kind: "router", id: owner };
      if (this.ninja.isApi(owner)) return { kind: "ninja", id: owner };
      if (this.isAdminSite(owner)) return { kind: "admin", id: owner };
    }
    const symbol = this.index.symbol(id);
    if (symbol?.kind === "function") return { kind: "function", fn: symbol.info };
    if (symbol?.kind !== "assignment") return null;
    const callee = symbol.fact.callee ? this.index.resolve(symbol.fact.callee, symbol.module) : "";
    // `item_list = ItemViewSet.as_view({"get": "list"})` in views.py, routed by name
    if (callee.endsWith(".as_view")) return { kind: "class", id: callee.slice(0, -".as_view".length), args: symbol.fact.args ?? [] };
    // `edit = login_required(edit_item)` in views.py
    const wrapped = symbol.fact.kind === "call" ? argument(symbol.fact.args ?? [], 0, "view_func")?.qualified : undefined;
    const inner = wrapped && depth < 5 ? this.reference(wrapped, symbol.module, depth + 1) : null;
    if (inner?.kind === "function" || inner?.kind === "class") {
      return { ...inner, wrapper: inner.wrapper ?? authWrapper(this.index, callee) ?? undefined };
    }
    // `private = decorate_urlpatterns([...], login_required)`: a helper applying a decorator to every pattern of a list
    const listWrapper = symbol.fact.kind === "call" && symbol.fact.args?.some((a) => a.kind === "list") ? (symbol.fact.args ?? []).filter((a) => a.kind !== "list").map((a) => this.wrapperIn(a, symbol.module)).find((w) => w) : undefined;
    return { kind: "group", module: symbol.module, variable: symbol.fact.target, ...(listWrapper ? { wrapper: listWrapper } : {}) };
  }

  /** An argument naming an authentication decorator (`login_required`, a project decorator that checks the caller), or a list of them. */
  private wrapperIn(arg: ArgumentFact, module: string): string | null {
    const names = arg.qualified ? [arg.qualified] : (arg.items ?? []).map((item) => `#${item.replace(/\(.*$/s, "")}`);
    for (const name of names) {
      const resolved = this.index.resolve(name, module);
      const found = authWrapper(this.index, resolved);
      if (found) return found;
    }
    return null;
  }

  private isAdminSite(owner: string): boolean {
    if (ADMIN_SITE.test(owner)) return true;
    const symbol = this.index.symbol(owner);
    if (symbol?.kind !== "assignment" || !symbol.fact.callee) return false;
    const cls = this.index.resolve(symbol.fact.callee, symbol.module);
    return /AdminSite$/.test(cls) || classView(this.index, cls, { file: "", line: 0 }).external.some((e) => /AdminSite$/.test(e));
  }

  private serve(target: Target, site: Site, wrapper: string | null): void {
    const mount: Mount = { prefix: site.prefix, condition: site.condition, depth: site.depth, wrapper: wrapper ?? site.wrapper ?? null };
    switch (target.kind) {
      case "module":
        this.walkModule(target.module, mount);
        return;
      case "group":
        this.walkGroup(target.module, target.variable, { ...mount, wrapper: mount.wrapper ?? target.wrapper ?? null });
        return;
      case "inline":
        for (let j = target.from; j < target.to; ) {
          const call = target.module.facts.calls[j] as CallFact;
          if (this.urlKind(call, target.module)) {
            this.route(target.module, j, mount);
            j = subtreeEnd(target.module.facts.calls, j);
          } else j++;
        }
        return;
      case "router":
        this.mounted.add(target.id);
        for (const route of this.routers.routesOf(target.id, this.settings)) this.add({ ...route.endpoint, path: `${mount.prefix}/${route.endpoint.path}` }, route.decision, mount.condition);
        return;
      case "ninja":
        this.mounted.add(target.id);
        this.ninjaEndpoints(target.id, mount);
        return;
      case "admin":
        this.add(
          { method: "ANY", path: site.prefix, handler: target.id, file: site.module.file, line: site.line, isAsync: false, framework: "django" },
          { auth: true, reason: "the Django admin requires a staff login on every page but its login page" },
          site.condition,
        );
        return;
      case "function":
        this.functionView(target.fn, site, wrapper ?? target.wrapper ?? null);
        return;
      case "class":
        this.classViewEndpoints(this.index.resolve(target.id, site.module.name), target.args, site, wrapper ?? target.wrapper ?? null);
        return;
    }
  }

  private functionView(fn: FunctionInfo, site: Site, wrapper: string | null): void {
    const { methods, drf } = functionViewMethods(this.index, fn);
    for (const method of methods ?? ["ANY"]) {
      const decision = functionViewAuth(this.index, this.settings, fn, method, { wrapper, drf });
      const details = functionViewDetails(this.index, this.settings.api, fn, method, drf);
      this.add({ method, path: site.prefix, handler: fn.id, file: fn.file, line: fn.fact.line, isAsync: fn.fact.isAsync, framework: drf ? "drf" : "django", ...details }, decision, site.condition);
    }
  }

  /** `View.as_view()`: one endpoint per method the class serves; a viewset's `as_view({"get": "list"})` per mapped action. */
  private classViewEndpoints(classId: string, args: ArgumentFact[], site: Site, wrapper: string | null): void {
    const view = classView(this.index, classId, { file: site.module.file, line: site.line });
    const framework = isDrf(view) ? "drf" : "django";
    if (isViewSet(view)) {
      const actions = [...(argument(args, 0, "actions")?.text ?? "").matchAll(/["'](\w+)["']\s*:\s*["'](\w+)["']/g)];
      const extra = new Map(this.routers.extraActions(view).map((a) => [a.fn.fact.name, a]));
      for (const [, method, action] of actions) {
        const verb = (method as string).toUpperCase();
        const fn = findMethod(this.index, view, action as string);
        const extraAction = extra.get(action as string);
        const decision = classViewAuth(this.index, this.settings, view, verb, fn, { wrapper, permissions: extraAction?.permissions ?? null });
        const details = classViewDetails(this.index, this.settings.api, view, action as string, verb, fn, true, extraAction?.overrides ?? null);
        this.add({ ...handlerOf(view, action as string, fn, framework, verb, site.prefix), ...details }, decision, site.condition);
      }
      return;
    }
    const methods = viewMethods(this.index, view);
    const dispatch = methods.size === 0 ? findMethod(this.index, view, "dispatch") : null;
    if (dispatch) methods.set("ANY", dispatch);
    for (const [method, fn] of methods) {
      const decision = classViewAuth(this.index, this.settings, view, method, fn, { wrapper });
      const details = classViewDetails(this.index, this.settings.api, view, method.toLowerCase(), method, fn, framework === "drf");
      this.add({ ...handlerOf(view, method.toLowerCase(), fn, framework, method, site.prefix), ...details }, decision, site.condition);
    }
  }

  private ninjaEndpoints(apiId: string, mount: Mount): void {
    for (const op of this.ninja.operationsOf(apiId)) {
      const fn = op.fn;
      const details = ninjaDetails(this.index, this.settings.api, op);
      this.add({ method: op.method, path: `${mount.prefix}/${op.path}`, handler: fn.id, file: fn.file, line: fn.fact.line, isAsync: fn.fact.isAsync, framework: "ninja", ...details }, op.decision, mount.condition);
    }
  }

  /**
   * Routers and Ninja APIs no pattern names: `urlpatterns += router.urls` is an augmented
   * assignment, which the facts do not record. Served where a walked URLconf defines or imports them.
   */
  mountUnreferenced(): void {
    const mountables: Array<[string, Target]> = [
      ...this.routers.ids().map((id): [string, Target] => [id, { kind: "router", id }]),
      ...[...this.ninja.owners.keys()].filter((id) => this.ninja.isApi(id)).map((id): [string, Target] => [id, { kind: "ninja", id }]),
    ];
    for (const [id, target] of mountables.sort((a, b) => compareCodeUnits(a[0], b[0]))) {
      if (this.mounted.has(id)) continue;
      for (const [module, mounts] of [...this.walked].sort((a, b) => compareCodeUnits(a[0], b[0]))) {
        const mod = this.index.modules.get(module);
        if (!mod || !this.bindsName(mod, id)) continue;
        for (const mount of mounts) this.serve(target, { ...mount, module: mod, line: 0 }, null);
      }
    }
  }

  private bindsName(mod: ModuleInfo, id: string): boolean {
    if (id.startsWith(`${mod.name}.`) && !id.slice(mod.name.length + 1).includes(".")) return true;
    return mod.facts.imports.some((imp) => !imp.insideFunction && (imp.names ?? []).some((n) => this.index.resolveSymbol(`#${n.alias ?? n.name}`, mod.name) === id));
  }

  private add(endpoint: Omit<Endpoint, "auth" | "authReason">, decision: Decision, condition: string | null): void {
    const path = finalPath(endpoint.path);
    const key = `${endpoint.method} ${path}`;
    if (this.endpoints.has(key)) return;
    const full: Endpoint = { ...endpoint, path, auth: decision.auth, authReason: decision.reason };
    if (decision.declaredPublic) full.declaredPublic = decision.declaredPublic;
    if (condition) full.condition = condition;
    this.endpoints.set(key, full);
    if (decision.exempt) this.exempt.add(key);
  }

  finish(): Endpoint[] {
    const middleware = this.settings.loginRequiredMiddleware;
    if (middleware) {
      for (const [key, e] of this.endpoints) {
        if (e.auth === true || this.exempt.has(key)) continue;
        e.auth = true;
        e.authReason = `LoginRequiredMiddleware (${middleware}) requires a login for every view not marked @login_not_required`;
      }
    }
    // a project middleware whose code checks the caller (and usually exempts some paths): every other view is undecided
    const enforcing = this.projectLoginMiddleware();
    if (!middleware && enforcing) {
      for (const e of this.endpoints.values()) {
        if (e.auth !== false || e.declaredPublic) continue;
        e.auth = null;
        e.authReason = `${e.authReason}, but middleware ${enforcing} may require a login for it`;
      }
    }
    return [...this.endpoints.values()].sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.method, b.method));
  }

  /** The first MIDDLEWARE entry that is a project class whose request hooks check the caller. */
  private projectLoginMiddleware(): string | null {
    for (const entry of this.settings.middleware) {
      const dot = entry.lastIndexOf(".");
      const module = dot > 0 ? this.moduleNamed(entry.slice(0, dot)) : null;
      if (!module) continue;
      const classId = `${module}.${entry.slice(dot + 1)}`;
      for (const hook of ["__call__", "process_request", "process_view"]) {
        const fn = this.index.functions.get(`${classId}.${hook}`);
        const signal = fn ? credentialSignal(this.index, fn) : null;
        if (signal) return `${entry.slice(dot + 1)} (which ${signal})`;
      }
      // a function-style middleware factory: `def login_middleware(get_response): def middleware(request): ...`
      const factory = this.index.functions.get(classId);
      const signal = factory ? credentialSignal(this.index, factory) : null;
      if (signal) return `${entry.slice(dot + 1)} (which ${signal})`;
    }
    return null;
  }

  /** A module by dotted name; when the project's source root differs from Django's, by its unique dotted suffix. */
  private moduleNamed(name: string): string | null {
    if (this.index.modules.has(name)) return name;
    if (!name.includes(".")) return null;
    const matches = this.modules.filter((m) => m.name.endsWith(`.${name}`));
    return matches.length === 1 ? (matches[0] as ModuleInfo).name : null;
  }
}

/** Last line of an assignment's value, from its text (unbounded when the text was cut). */
function lastLine(a: AssignmentFact): number {
  return a.text.endsWith("…") ? Number.POSITIVE_INFINITY : a.line + (a.text.match(/\n/g)?.length ?? 0);
}

function isTestModule(name: string): boolean {
  return name.split(".").some((s) => s === "tests" || s === "test" || s === "conftest" || s.startsWith("test_") || s.endsWith("_tests"));
}
