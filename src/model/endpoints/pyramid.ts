import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact, ClassFact, DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Endpoint } from "../types.js";
import { qualifyName, stringArg, stringValue } from "./argument-values.js";
import { credentialSignal } from "./auth-behaviour.js";
import { normalisePath } from "./fastapi.js";

const VIEW_CONFIG = /^pyramid\.view\.view_config$/;
const VIEW_DEFAULTS = /^pyramid\.view\.view_defaults$/;
const CONFIGURATOR = /^pyramid\.config\.Configurator$/;
/** `set_security_policy`, `set_authentication_policy`, `set_authorization_policy`, add-on directives such as pyramid_jwt's `set_jwt_authentication_policy`. */
const POLICY_DIRECTIVE = /\.(set_security_policy|set_\w*authentication_policy|set_authorization_policy)$/;
const POLICY_ARG = /^(security_policy|authentication_policy|authorization_policy)$/;
const NO_PERMISSION = /NO_PERMISSION_REQUIRED|__no_permission_required__/;

interface RouteDecl {
  name: string;
  pattern: string;
  methods: string[] | null;
  module: string;
}

/** View arguments that matter here, merged from `@view_defaults` and the view's own `@view_config`/`add_view`. */
interface ViewArgs {
  routeName: string | null;
  methods: string[] | null;
  /** `permission=` as written, null when not given. */
  permission: { text: string; value: string | null } | null;
}

interface ViewDecl extends ViewArgs {
  fn: FunctionInfo;
}

interface Setting {
  text: string;
  where: string;
}

/**
 * Pyramid endpoints: routes from `config.add_route(name, pattern)` (under `config.include(..., route_prefix=)`),
 * views from `@view_config(route_name=...)` on functions and on methods of `@view_defaults` classes, and from
 * `config.add_view(view, route_name=...)`. Auth from the view's `permission=` (or `set_default_permission`),
 * which Pyramid enforces only when a security (or authorization) policy is set; `NO_PERMISSION_REQUIRED` is public.
 */
export function pyramidEndpoints(index: ProjectIndex, files: WorkspaceFile[]): { endpoints: Endpoint[]; appFiles: string[] } {
  const tests = new Set(files.filter((f) => f.kind === "test").map((f) => f.path));
  const modules = [...index.modules.values()].filter((m) => !tests.has(m.file)).sort((a, b) => compareCodeUnits(a.name, b.name));
  if (!modules.some(importsPyramid)) return { endpoints: [], appFiles: [] };
  const prefixes = includePrefixes(index, modules);
  const routes = new Map<string, RouteDecl>();
  const views: ViewDecl[] = [];
  const policies: Setting[] = [];
  let defaultPermission: Setting | null = null;
  const appFiles = new Set<string>();
  const directives = customDirectives(index, modules);
  for (const mod of modules) {
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
      const where = `${mod.file}:${call.line}`;
      if (CONFIGURATOR.test(resolved)) {
        appFiles.add(mod.file);
        for (const a of call.args) if (POLICY_ARG.test(a.name ?? "")) policies.push({ text: `${a.name}=${a.text}`, where });
        const dp = call.args.find((a) => a.name === "default_permission");
        if (dp) defaultPermission ??= { text: dp.text, where };
      }
      if (!isConfigCall(call.callee, resolved)) continue;
      const verb = call.callee.slice(call.callee.lastIndexOf(".") + 1);
      const directive = directives.get(verb);
      if (verb === "add_route" || directive) {
        const prefix = prefixes.get(mod.name) ?? "";
        const declared = directive ? directive.flatMap((inner) => routeThroughDirective(index, inner, call.args, mod.name)) : [routeOf(index, call.args, mod.name, () => null)];
        for (const route of declared) if (route && !routes.has(route.name)) routes.set(route.name, { ...route, pattern: joinPath(prefix, route.pattern) });
      } else if (verb === "add_view") {
        views.push(...addViewCall(index, mod, call.args));
      } else if (POLICY_DIRECTIVE.test(call.callee)) {
        policies.push({ text: `${verb}(${call.args[0]?.text.split("(")[0] ?? ""})`, where });
      } else if (verb === "set_default_permission") {
        const arg = call.args.find((a) => a.name === "permission") ?? call.args[0];
        if (arg) defaultPermission ??= { text: arg.text, where };
      }
    }
    for (const cls of mod.facts.classes) views.push(...classViews(index, mod, cls));
  }
  for (const fn of index.sortedFunctions()) {
    if (fn.fact.className || tests.has(fn.file)) continue;
    for (const d of fn.fact.decorators) if (isViewConfig(index, d, fn.module)) views.push({ fn, ...viewArgs(index, d.args, fn.module) });
  }
  const acl = everyoneGrants(modules);
  const endpoints = new Map<string, Endpoint>();
  const sorted = [...views].sort((a, b) => compareCodeUnits(a.fn.file, b.fn.file) || a.fn.fact.line - b.fn.fact.line);
  for (const view of sorted) {
    const route = view.routeName ? routes.get(view.routeName) : undefined;
    if (!route) continue;
    const [pattern = "", query] = route.pattern.split("?");
    const path = `${normalisePath(pyramidPattern(pattern))}${query ? `?${query}` : ""}`;
    const auth = decideAuth(index, view, defaultPermission, policies, acl);
    for (const method of view.methods ?? route.methods ?? ["ANY"]) {
      const key = `${method} ${path}`;
      if (endpoints.has(key)) continue;
      const endpoint: Endpoint = { method, path, handler: view.fn.id, file: view.fn.file, line: view.fn.fact.line, isAsync: view.fn.fact.isAsync, framework: "pyramid", auth: auth.auth, authReason: auth.reason };
      if (auth.declaredPublic) endpoint.declaredPublic = auth.declaredPublic;
      endpoints.set(key, endpoint);
    }
  }
  const list = [...endpoints.values()].sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.method, b.method));
  return { endpoints: list, appFiles: [...appFiles].sort(compareCodeUnits) };
}

/** Arguments of `add_route` Pyramid itself reads; any other keyword is a route predicate (`pypi_action="file_upload"`). */
const ROUTE_ARGS = new Set(["name", "pattern", "path", "factory", "request_method", "request_param", "domain", "traverse", "xhr", "accept", "header", "path_info", "custom_predicates", "use_global_views", "static", "pregenerator", "effective_principals", "is_authenticated", "inherit_slash"]);

/** `add_route(name, pattern, request_method=...)`, each argument read as a literal or, in a directive, from what its caller passed. */
function routeOf(index: ProjectIndex, args: ArgumentFact[], module: string, bound: (arg: ArgumentFact | undefined) => string | null): RouteDecl | null {
  const positional = args.filter((a) => a.name === null);
  const value = (name: string, position?: number) => {
    const arg = args.find((a) => a.name === name) ?? (position !== undefined ? positional[position] : undefined);
    return arg ? (bound(arg) ?? stringValue(index, arg, module)) : null;
  };
  const name = value("name", 0);
  let pattern = value("pattern", 1) ?? value("path");
  if (name === null || pattern === null) return null;
  const predicates = args.filter((a) => a.name !== null && !ROUTE_ARGS.has(a.name)).map((a) => [a.name, bound(a) ?? (typeof a.value === "string" ? a.value : null)] as const).filter(([, v]) => v !== null);
  if (predicates.length) pattern = `${pattern}?${predicates.map(([k, v]) => `${k}=${v}`).join("&")}`;
  return { name, pattern, methods: methodsOf(index, args, module), module };
}

/** A route a custom directive adds (`config.add_directive("add_action_route", fn)`; `fn(config, name, action)` calling `config.add_route(name, "/legacy/", action=action)`). */
function routeThroughDirective(index: ProjectIndex, inner: { fn: FunctionInfo; args: ArgumentFact[] }, callArgs: ArgumentFact[], module: string): Array<RouteDecl> {
  const params = inner.fn.fact.params.slice(1).map((p) => p.name);
  const positional = callArgs.filter((a) => a.name === null);
  const bound = (arg: ArgumentFact | undefined): string | null => {
    if (!arg || !/^[A-Za-z_]\w*$/.test(arg.text)) return null;
    const i = params.indexOf(arg.text);
    if (i < 0) return null;
    const given = callArgs.find((a) => a.name === arg.text) ?? positional[i];
    return given ? stringValue(index, given, module) : null;
  };
  const route = routeOf(index, inner.args, inner.fn.module, bound);
  return route ? [route] : [];
}

/** Directives the project adds whose function calls `add_route`. */
function customDirectives(index: ProjectIndex, modules: ModuleInfo[]): Map<string, Array<{ fn: FunctionInfo; args: ArgumentFact[] }>> {
  const out = new Map<string, Array<{ fn: FunctionInfo; args: ArgumentFact[] }>>();
  for (const mod of modules) {
    for (const call of mod.facts.calls) {
      if (!call.callee.endsWith(".add_directive")) continue;
      const name = stringArg(index, call.args, "name", 0, mod.name);
      const target = call.args.find((a) => a.name === "directive") ?? call.args.filter((a) => a.name === null)[1];
      const symbol = target?.qualified ? index.symbol(index.resolveSymbol(target.qualified, mod.name)) : undefined;
      if (!name || symbol?.kind !== "function") continue;
      const adds = index.callsIn(symbol.info.id).filter(({ call: c }) => c.callee.endsWith(".add_route")).map(({ call: c }) => ({ fn: symbol.info, args: c.args }));
      if (adds.length) out.set(name, adds);
    }
  }
  return out;
}

function importsPyramid(mod: ModuleInfo): boolean {
  return mod.facts.imports.some((i) => /^pyramid(\.|$)/.test(i.module));
}

/**
 * A configurator directive: resolved through `Configurator`, or called on an object named like one
 * (`config.add_route` inside `includeme(config)`, which imports nothing from Pyramid). An aiohttp
 * `app.router.add_route` is not one.
 */
function isConfigCall(callee: string, resolved: string): boolean {
  if (/^pyramid\.config\.Configurator\.\w+$/.test(resolved)) return true;
  const object = callee.slice(0, callee.lastIndexOf("."));
  return /(^|\.)(config|configurator|cfg)$/i.test(object);
}

function isViewConfig(index: ProjectIndex, d: DecoratorFact, module: string): boolean {
  return d.qualified !== null && VIEW_CONFIG.test(index.resolve(d.qualified, module));
}

function viewArgs(index: ProjectIndex, args: ArgumentFact[], module: string): ViewArgs {
  const permission = args.find((a) => a.name === "permission");
  return {
    routeName: stringArg(index, args, "route_name", undefined, module),
    methods: methodsOf(index, args, module),
    permission: permission ? { text: permission.text, value: stringValue(index, permission, module) } : null,
  };
}

/** The view's own arguments over its class's `@view_defaults`. */
function merge(defaults: ViewArgs | null, own: ViewArgs): ViewArgs {
  return { routeName: own.routeName ?? defaults?.routeName ?? null, methods: own.methods ?? defaults?.methods ?? null, permission: own.permission ?? defaults?.permission ?? null };
}

/** `request_method="POST"`, `request_method=("GET", "HEAD")`; null when not given (any method). */
function methodsOf(index: ProjectIndex, args: ArgumentFact[], module: string): string[] | null {
  const arg = args.find((a) => a.name === "request_method");
  if (!arg) return null;
  const single = stringValue(index, arg, module);
  const items = single !== null ? [single] : (arg.items ?? [...arg.text.matchAll(/["']([A-Za-z]+)["']/g)].map((m) => m[1] as string));
  const methods = [...new Set(items.map((m) => m.toUpperCase()).filter((m) => /^[A-Z]+$/.test(m)))].sort(compareCodeUnits);
  return methods.length ? methods : null;
}

function classDefaults(index: ProjectIndex, module: string, cls: ClassFact): ViewArgs | null {
  const d = cls.decorators.find((x) => x.qualified !== null && VIEW_DEFAULTS.test(index.resolve(x.qualified, module)));
  return d ? viewArgs(index, d.args, module) : null;
}

/** Methods decorated with `@view_config` in a class (under its `@view_defaults`), and `@view_config(attr=...)` on the class itself. */
function classViews(index: ProjectIndex, mod: ModuleInfo, cls: ClassFact): ViewDecl[] {
  const defaults = classDefaults(index, mod.name, cls);
  const out: ViewDecl[] = [];
  for (const f of mod.facts.functions) {
    if (f.qualname !== `${cls.qualname}.${f.name}`) continue;
    const fn = index.functions.get(`${mod.name}.${f.qualname}`);
    if (!fn) continue;
    for (const d of f.decorators) if (isViewConfig(index, d, mod.name)) out.push({ fn, ...merge(defaults, viewArgs(index, d.args, mod.name)) });
  }
  for (const d of cls.decorators) {
    if (!isViewConfig(index, d, mod.name)) continue;
    const attr = stringArg(index, d.args, "attr", undefined, mod.name) ?? "__call__";
    const fn = index.functions.get(`${mod.name}.${cls.qualname}.${attr}`);
    if (fn) out.push({ fn, ...merge(defaults, viewArgs(index, d.args, mod.name)) });
  }
  return out;
}

/** `config.add_view(view, route_name=..., permission=...)`: a function, or a class and its `attr=` method (`__call__` by default). */
function addViewCall(index: ProjectIndex, mod: ModuleInfo, args: ArgumentFact[]): ViewDecl[] {
  const viewArg = args.find((a) => a.name === "view") ?? args.find((a) => a.name === null);
  if (!viewArg) return [];
  const dotted = typeof viewArg.value === "string" ? viewArg.value.replace(":", ".") : null;
  const target = dotted ? index.resolveSymbol(dotted.startsWith(".") ? index.absolutize(dotted, mod.name) : dotted, mod.name) : viewArg.qualified ? index.resolveSymbol(viewArg.qualified, mod.name) : (qualifyName(index, mod.name, viewArg.text) ?? "");
  const symbol = index.symbol(target);
  const own = viewArgs(index, args, mod.name);
  if (symbol?.kind === "function") return [{ fn: symbol.info, ...own }];
  if (symbol?.kind !== "class") return [];
  const attr = stringArg(index, args, "attr", undefined, mod.name) ?? "__call__";
  const fn = index.functions.get(`${target}.${attr}`);
  return fn ? [{ fn, ...merge(classDefaults(index, symbol.module, symbol.fact), own) }] : [];
}

/**
 * Route prefixes per module from `config.include(target, route_prefix="/api")`, nested includes adding up.
 * A target is a dotted name (relative ones from the including module's package, `pkg.mod:func` form too) or a function.
 */
function includePrefixes(index: ProjectIndex, modules: ModuleInfo[]): Map<string, string> {
  const edges: Array<{ from: string; to: string; prefix: string }> = [];
  for (const mod of modules) {
    for (const call of mod.facts.calls) {
      if (!call.callee.endsWith(".include") || !isConfigCall(call.callee, call.qualified ? index.resolve(call.qualified, mod.name) : "")) continue;
      const target = call.args.find((a) => a.name === "callable") ?? call.args.find((a) => a.name === null);
      if (!target) continue;
      const to = includedModule(index, mod, target);
      if (to) edges.push({ from: mod.name, to, prefix: stringArg(index, call.args, "route_prefix", undefined, mod.name) ?? "" });
    }
  }
  const prefixes = new Map<string, string>();
  for (let pass = 0; pass < 6; pass++) {
    let changed = false;
    for (const e of edges) {
      const full = joinPath(prefixes.get(e.from) ?? "", e.prefix);
      if (full && prefixes.get(e.to) !== full && !prefixes.has(e.to)) {
        prefixes.set(e.to, full);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return prefixes;
}

function includedModule(index: ProjectIndex, mod: ModuleInfo, arg: ArgumentFact): string | null {
  if (typeof arg.value === "string") {
    const dotted = (arg.value.split(":")[0] ?? "").trim();
    if (!dotted.startsWith(".")) return index.modules.has(dotted) ? dotted : null;
    const level = /^\.+/.exec(dotted)?.[0].length ?? 1;
    const parts = mod.name.split(".");
    const base = parts.slice(0, parts.length - (mod.isPackage ? level - 1 : level));
    const name = [...base, dotted.slice(level)].filter(Boolean).join(".");
    return index.modules.has(name) ? name : null;
  }
  const target = arg.qualified ? index.resolveSymbol(arg.qualified, mod.name) : null;
  const symbol = target ? index.symbol(target) : undefined;
  if (symbol?.kind === "function") return symbol.info.module;
  return target && index.modules.has(target) ? target : null;
}

/** Permissions an `__acl__` grants to `Everyone` (`(Allow, Everyone, "view")`), with where. */
function everyoneGrants(modules: ModuleInfo[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const mod of modules) {
    const acls = [...mod.facts.assignments, ...mod.facts.classes.flatMap((c) => c.assignments)].filter((a) => a.target === "__acl__");
    for (const a of acls) {
      for (const m of a.text.matchAll(/\(\s*Allow\s*,\s*Everyone\s*,\s*(["'][^"']+["']|\([^)]*\)|\[[^\]]*\]|[\w.]+)/g)) {
        for (const p of (m[1] as string).matchAll(/["']([^"']+)["']|([A-Za-z_][\w.]*)/g)) {
          const name = p[1] ?? p[2];
          if (name && !out.has(name)) out.set(name, `${mod.file}:${a.line}`);
        }
      }
    }
  }
  return out;
}

function decideAuth(index: ProjectIndex, view: ViewDecl, defaultPermission: Setting | null, policies: Setting[], everyone: Map<string, string>): { auth: boolean | null; reason: string; declaredPublic?: string } {
  const policy = policies[0] ? `${policies[0].text} (${policies[0].where})` : null;
  const permission = view.permission ? { name: view.permission.value ?? view.permission.text, how: `permission=${view.permission.text}` } : defaultPermission ? { name: stringLiteral(defaultPermission.text), how: `default permission ${defaultPermission.text} (${defaultPermission.where})` } : null;
  if (permission && NO_PERMISSION.test(permission.name)) {
    const where = `${view.fn.file}:${view.fn.fact.line}`;
    return { auth: false, reason: `${permission.how}: public on purpose`, declaredPublic: `${permission.how} (${where})` };
  }
  if (permission) {
    const open = everyone.get(permission.name);
    if (open) return { auth: null, reason: `${permission.how}, which an __acl__ grants to Everyone (${open})` };
    if (policy) return { auth: true, reason: `${permission.how}, checked by ${policy}` };
    return { auth: null, reason: `${permission.how}, but no security or authorization policy was found, and Pyramid checks no permission without one` };
  }
  const own = credentialSignal(index, view.fn);
  if (own) return { auth: null, reason: `no permission= on the view, but it checks the caller itself: it ${own}` };
  return { auth: false, reason: `no permission= on the view and no default permission${policy ? `; ${policy} identifies callers but asks nothing of this view` : ""}` };
}

function stringLiteral(text: string): string {
  return /^(["'])(.*)\1$/.exec(text.trim())?.[2] ?? text;
}

/** Pyramid patterns as `{name}`: `{id:\d+}` and a `*subpath` remainder. */
function pyramidPattern(pattern: string): string {
  return pattern.replace(/\{([A-Za-z_]\w*):(?:[^{}]|\{[^{}]*\})*\}/g, "{$1}").replace(/\*([A-Za-z_]\w*)$/, "{$1}");
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return `${prefix.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
