import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";
import { qualifyName } from "./argument-values.js";
import { subtreeEnd } from "./django-routes.js";
import { normalisePath } from "./fastapi.js";
import { authFromMarks, markFromDecorator } from "./flask-auth.js";

const APPLICATION = /^aiohttp\.web(_app)?\.Application$/;
const ROUTE_TABLE = /^aiohttp\.web(_routedef)?\.RouteTableDef$/;
/** `web.get("/a", handler)` and friends: route definitions handed to `add_routes`. */
const ROUTE_DEF = /^aiohttp\.web(_routedef)?\.(get|post|put|patch|delete|head|route|view)$/;
const TABLE_VERBS = new Set(["get", "post", "put", "patch", "delete", "head", "route", "view"]);
/** `app.router.add_get(...)`, `app.add_routes(...)`, `app.add_subapp(...)`, `app.middlewares.append(...)`. */
const APP_CALL = /^(.+?)\.(router\.add_(get|post|put|patch|delete|head|route|view)|(?:router\.)?add_routes|add_subapp|middlewares\.append)$/;
const VIEW_METHODS = ["get", "post", "put", "patch", "delete", "head", "options"];
const SECURITY_CHECK = /^aiohttp_security(\.api)?\.(check_authorized|check_permission)$/;
const AUTH_MIDDLEWARE = /auth|jwt|token|login|api_?key|bearer|oauth|permission/i;
const NOT_AUTH_MIDDLEWARE = /csrf|cors/i;

/** Something routes hang off: an Application, a RouteTableDef, a module-level list of route definitions, or an app passed in as a parameter. */
interface RouteNode {
  kind: "app" | "table" | "list" | "param";
  /** Middlewares as written (`auth_middleware`, `JWTMiddleware(secret)`). */
  middlewares: string[];
}

/** A handler function, or a class-based view by class id. */
type Target = { fn: FunctionInfo } | { cls: string };

interface Registration {
  owner: string;
  /** Upper-case method, `*` for any (or every method a class-based view defines). */
  method: string;
  path: string;
  target: Target;
  file: string;
  line: number;
}

/**
 * aiohttp endpoints: `RouteTableDef` decorators (`@routes.get`, `@routes.view` on `web.View`
 * classes), `app.router.add_get/add_route/add_view`, `app.add_routes([web.get(...), ...])`, sub-apps
 * mounted with `add_subapp(prefix, app)` and apps passed to `setup_routes(app)` helpers. Auth from
 * an awaited aiohttp_security `check_authorized`/`check_permission` (or an auth decorator) in the
 * handler; undecided under an auth-named middleware on the serving app or a parent app.
 */
export function aiohttpEndpoints(index: ProjectIndex): { endpoints: Endpoint[]; appFiles: string[] } {
  return new AiohttpScan(index).run();
}

class AiohttpScan {
  private readonly nodes = new Map<string, RouteNode>();
  private readonly edges = new Map<string, Array<{ child: string; prefix: string }>>();
  private readonly registrations: Registration[] = [];
  /** Factory function id → middlewares of the Applications it creates (which variable holds which is not in the facts). */
  private readonly factoryMiddlewares = new Map<string, string[]>();
  private readonly appFiles = new Set<string>();
  /** `add_subapp(prefix, app)` and `add_routes(routes)` calls, linked once every module's nodes are known. */
  private readonly pending: Array<{ owner: string; arg: ArgumentFact; prefix: string; mod: ModuleInfo; enclosing: string | null }> = [];

  constructor(private readonly index: ProjectIndex) {}

  run(): { endpoints: Endpoint[]; appFiles: string[] } {
    this.collectNodes();
    if (this.nodes.size === 0 && this.factoryMiddlewares.size === 0) return { endpoints: [], appFiles: [] };
    for (const mod of this.index.modules.values()) this.collectCalls(mod);
    for (const { owner, arg, prefix, mod, enclosing } of this.pending) {
      const child = this.nodeOf(arg.text, arg.qualified, mod, enclosing, false) ?? this.factoryApp(arg, mod);
      if (child) this.addEdge(owner, child, prefix);
    }
    this.collectDecorators();
    this.linkParameters();
    const endpoints = new Map<string, Endpoint>();
    const mounts = this.mounts();
    const registrations = [...this.registrations].sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line || compareCodeUnits(a.method, b.method));
    for (const reg of registrations) {
      for (const mount of mounts.get(reg.owner) ?? []) {
        const path = normalisePath(joinPath(mount.prefix, reg.path));
        for (const { method, fn } of this.handlers(reg)) {
          const key = `${method} ${path}`;
          if (endpoints.has(key)) continue;
          const auth = this.decideAuth(fn, mount.chain);
          endpoints.set(key, { method, path, handler: fn.id, file: fn.file, line: fn.fact.line, isAsync: fn.fact.isAsync, framework: "aiohttp", auth: auth.auth, authReason: auth.reason });
        }
      }
    }
    const list = [...endpoints.values()].sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.method, b.method));
    return { endpoints: list, appFiles: [...this.appFiles].sort(compareCodeUnits) };
  }

  /** Module-level Applications, RouteTableDefs and lists of route definitions; Applications created inside factories. */
  private collectNodes(): void {
    for (const mod of this.index.modules.values()) {
      if (!importsAiohttp(mod)) continue;
      for (const a of mod.facts.assignments) {
        const callee = a.kind === "call" && a.callee ? this.index.resolve(a.callee, mod.name).replace(/\(\)$/, "") : "";
        if (APPLICATION.test(callee)) {
          this.nodes.set(`${mod.name}.${a.target}`, { kind: "app", middlewares: middlewaresArg(a.args ?? []) });
          this.appFiles.add(mod.file);
        } else if (ROUTE_TABLE.test(callee)) this.nodes.set(`${mod.name}.${a.target}`, { kind: "table", middlewares: [] });
      }
      for (const call of mod.facts.calls) {
        if (!call.enclosing || !call.qualified || !APPLICATION.test(this.index.resolve(call.qualified, mod.name).replace(/\(\)$/, ""))) continue;
        const id = `${mod.name}.${call.enclosing}`;
        this.factoryMiddlewares.set(id, [...(this.factoryMiddlewares.get(id) ?? []), ...middlewaresArg(call.args)]);
        this.appFiles.add(mod.file);
      }
    }
  }

  /**
   * The node an expression names: a module-level node (wherever imported from), a parameter of the
   * enclosing function used as an app, or an Application held by a local variable of a factory.
   */
  private nodeOf(text: string, qualified: string | null | undefined, mod: ModuleInfo, enclosing: string | null, create: boolean): string | null {
    if (qualified) {
      const id = this.index.resolveSymbol(qualified, mod.name);
      if (this.nodes.has(id)) return id;
    }
    const head = /^[A-Za-z_]\w*/.exec(text)?.[0];
    if (!enclosing || !head) return null;
    const fn = this.index.functions.get(`${mod.name}.${enclosing}`);
    const param = `${mod.name}.${enclosing}#${head}`;
    if (fn?.fact.params.some((p) => p.name === head)) {
      if (!this.nodes.has(param) && create && importsAiohttp(mod)) this.nodes.set(param, { kind: "param", middlewares: [] });
      return this.nodes.has(param) ? param : null;
    }
    if (!qualified || !APPLICATION.test(this.index.resolve(qualified, mod.name).replace(/\(\)$/, ""))) return null;
    const local = `${mod.name}.${enclosing}()#${head}`;
    if (!this.nodes.has(local)) this.nodes.set(local, { kind: "app", middlewares: this.factoryMiddlewares.get(`${mod.name}.${enclosing}`) ?? [] });
    return local;
  }

  /** `add_subapp("/api", create_api())`: the one Application the factory builds routes on. */
  private factoryApp(arg: ArgumentFact, mod: ModuleInfo): string | null {
    const name = arg.kind === "call" ? /^([A-Za-z_][\w.]*)\(\)$/.exec(arg.text)?.[1] : undefined;
    const factory = name ? qualifyName(this.index, mod.name, name) : null;
    const locals = factory ? [...this.nodes.keys()].filter((id) => id.startsWith(`${factory}()#`) && this.nodes.get(id)?.kind === "app") : [];
    return locals.length === 1 ? (locals[0] as string) : null;
  }

  /** Router calls on apps, and `web.get(...)` definitions inside `add_routes([...])` or a module-level list. */
  private collectCalls(mod: ModuleInfo): void {
    const calls = mod.facts.calls;
    const containers: Array<{ from: number; to: number; owner: string }> = [];
    calls.forEach((call, i) => {
      const m = APP_CALL.exec(call.callee);
      if (!m) return;
      const objectText = m[1] as string;
      const member = m[2] as string;
      const objectQualified = call.qualified?.endsWith(`.${member}`) ? call.qualified.slice(0, -member.length - 1) : null;
      const owner = this.nodeOf(objectText, objectQualified, mod, call.enclosing, true);
      if (!owner) return;
      const positional = call.args.filter((a) => a.name === null);
      const at = { file: mod.file, line: call.line };
      if (member === "add_subapp") {
        const arg = positional[1] ?? call.args.find((a) => a.name === "subapp");
        if (arg) this.pending.push({ owner, arg, prefix: stringOf(positional[0] ?? call.args.find((a) => a.name === "prefix")) ?? "", mod, enclosing: call.enclosing });
      } else if (member === "middlewares.append") {
        if (positional[0]) this.nodes.get(owner)?.middlewares.push(positional[0].text);
      } else if (member.endsWith("add_routes")) {
        const arg = positional[0] ?? call.args.find((a) => a.name === "routes");
        if (arg?.kind === "list" || arg?.kind === "tuple") containers.push({ from: i + 1, to: subtreeEnd(calls, i), owner });
        else if (arg) this.pending.push({ owner, arg, prefix: "", mod, enclosing: call.enclosing });
      } else {
        const verb = (m[3] as string).toUpperCase();
        this.register(owner, verb, call.args, mod, at);
      }
    });
    // a list's span from its text; one cut short (2,000 characters) runs on to the next list
    const lists = mod.facts.assignments.filter((a) => a.kind === "list" || a.kind === "tuple").sort((a, b) => a.line - b.line);
    const lastLine = (text: string, line: number) => (text.endsWith("…") ? Number.POSITIVE_INFINITY : line + (text.match(/\n/g)?.length ?? 0));
    if (!importsAiohttp(mod)) return;
    calls.forEach((call, j) => {
      const resolved = call.qualified ? this.index.resolve(call.qualified, mod.name) : "";
      if (!ROUTE_DEF.test(resolved)) return;
      const verb = resolved.slice(resolved.lastIndexOf(".") + 1).toUpperCase();
      let owner = containers.find((c) => c.from <= j && j < c.to)?.owner ?? null;
      if (!owner && call.enclosing === null) {
        const list = lists.filter((a) => a.line <= call.line && call.line <= lastLine(a.text, a.line)).pop();
        if (list) {
          owner = `${mod.name}.${list.target}`;
          if (!this.nodes.has(owner)) this.nodes.set(owner, { kind: "list", middlewares: [] });
        }
      }
      if (owner) this.register(owner, verb, call.args, mod, { file: mod.file, line: call.line });
    });
  }

  /** `add_get(path, handler)`, `add_route(method, path, handler)`, `add_view(path, View)` and the `web.*` forms of the same. */
  private register(owner: string, verb: string, args: ArgumentFact[], mod: ModuleInfo, at: { file: string; line: number }): void {
    const { method, path, handler } = routeArgs(verb, args);
    const target = handler?.qualified ? this.targetOf(handler.qualified, mod.name) : null;
    if (method && path !== null && target) this.registrations.push({ owner, method, path, target, ...at });
  }

  private targetOf(qualified: string, module: string): Target | null {
    for (const name of [this.index.resolve(qualified, module), this.index.resolveSymbol(qualified, module)]) {
      const fn = this.index.functions.get(name);
      if (fn) return { fn };
      const symbol = this.index.symbol(name);
      if (symbol?.kind === "class") return { cls: name };
    }
    return null;
  }

  /** `@routes.get("/path")` on functions and `@routes.view("/path")` on `web.View` classes. */
  private collectDecorators(): void {
    for (const fn of this.index.sortedFunctions()) {
      for (const d of fn.fact.decorators) {
        const owner = this.tableVerb(d.qualified, fn.module);
        const { method, path } = owner && owner.verb !== "VIEW" ? routeArgs(owner.verb, d.args) : { method: null, path: null };
        if (owner && method && path !== null) this.registrations.push({ owner: owner.table, method, path, target: { fn }, file: fn.file, line: fn.fact.line });
      }
    }
    for (const mod of this.index.modules.values()) {
      for (const cls of mod.facts.classes) {
        for (const d of cls.decorators) {
          const owner = this.tableVerb(d.qualified, mod.name);
          const path = stringOf(d.args.find((a) => a.name === null) ?? d.args.find((a) => a.name === "path"));
          if (owner?.verb === "VIEW" && path !== null) this.registrations.push({ owner: owner.table, method: "*", path, target: { cls: `${mod.name}.${cls.qualname}` }, file: mod.file, line: cls.line });
        }
      }
    }
  }

  private tableVerb(qualified: string | null, module: string): { table: string; verb: string } | null {
    if (!qualified) return null;
    const resolved = this.index.resolveSymbol(qualified, module);
    const dot = resolved.lastIndexOf(".");
    const verb = resolved.slice(dot + 1);
    const table = resolved.slice(0, dot);
    return this.nodes.get(table)?.kind === "table" && TABLE_VERBS.has(verb) ? { table, verb: verb.toUpperCase() } : null;
  }

  /** `setup_routes(app)`: the app passed in serves the routes its parameter registers. */
  private linkParameters(): void {
    const params = [...this.nodes].filter(([, n]) => n.kind === "param").map(([id]) => id);
    if (params.length === 0) return;
    const names = new Set(params.map((id) => /\.(\w+)#/.exec(id)?.[1]));
    for (const mod of this.index.modules.values()) {
      for (const call of mod.facts.calls) {
        if (!names.has(call.callee.slice(call.callee.lastIndexOf(".") + 1))) continue;
        const target = call.qualified ? this.index.resolve(call.qualified, mod.name) : null;
        const fn = target ? this.index.functions.get(target) : undefined;
        if (!fn) continue;
        for (const id of params) {
          if (!id.startsWith(`${fn.id}#`)) continue;
          const name = id.slice(fn.id.length + 1);
          const position = fn.fact.params.findIndex((p) => p.name === name);
          const arg = call.args.find((a) => a.name === name) ?? call.args.filter((a) => a.name === null)[position];
          const parent = arg ? this.nodeOf(arg.text, arg.qualified, mod, call.enclosing, false) : null;
          if (parent && parent !== id) this.addEdge(parent, id, "");
        }
      }
    }
  }

  private addEdge(parent: string, child: string, prefix: string): void {
    const list = this.edges.get(parent) ?? [];
    list.push({ child, prefix });
    this.edges.set(parent, list);
  }

  /** Every place a node is served: from the apps nobody mounts, and from tables, lists and parameters nobody adds (at the root). */
  private mounts(): Map<string, Array<{ prefix: string; chain: string[] }>> {
    const mounts = new Map<string, Array<{ prefix: string; chain: string[] }>>();
    const children = new Set([...this.edges.values()].flat().map((e) => e.child));
    const visit = (id: string, prefix: string, chain: string[]) => {
      if (chain.length > 12 || chain.includes(id)) return;
      const here = [...chain, id];
      mounts.set(id, [...(mounts.get(id) ?? []), { prefix, chain: here }]);
      for (const edge of this.edges.get(id) ?? []) visit(edge.child, joinPath(prefix, edge.prefix), here);
    };
    for (const id of [...this.nodes.keys()].sort(compareCodeUnits)) if (!children.has(id)) visit(id, "", []);
    return mounts;
  }

  /** A function handler serves its method; a class-based view one endpoint per method it (or a project base) defines. */
  private handlers(reg: Registration): Array<{ method: string; fn: FunctionInfo }> {
    if ("fn" in reg.target) return [{ method: reg.method === "*" ? "ANY" : reg.method, fn: reg.target.fn }];
    const lineage = this.lineage(reg.target.cls, 0);
    const methodFn = (m: string) => lineage.map((c) => this.index.functions.get(`${c}.${m}`)).find((f) => f !== undefined);
    const methods = reg.method === "*" ? VIEW_METHODS : [reg.method.toLowerCase()];
    return methods.flatMap((m) => {
      const fn = methodFn(m);
      return fn ? [{ method: m.toUpperCase(), fn }] : [];
    });
  }

  private lineage(classId: string, depth: number): string[] {
    const symbol = depth < 6 ? this.index.symbol(classId) : undefined;
    if (symbol?.kind !== "class") return [];
    const bases = symbol.fact.bases.flatMap((b) => (b.qualified ? this.lineage(this.index.resolve(b.qualified, symbol.module), depth + 1) : []));
    return [classId, ...bases];
  }

  private decideAuth(fn: FunctionInfo, chain: string[]): { auth: boolean | null; reason: string } {
    const decorated = authFromMarks(this.index, fn.fact.decorators.map((d) => markFromDecorator(this.index, d, fn.module)));
    if (decorated) return decorated;
    const check = this.securityCheck(fn, 0, new Set());
    if (check) return { auth: true, reason: check };
    const middleware = chain.flatMap((id) => this.nodes.get(id)?.middlewares ?? []).find((m) => {
      const name = m.replace(/\(.*$/s, "");
      return AUTH_MIDDLEWARE.test(name) && !NOT_AUTH_MIDDLEWARE.test(name);
    });
    if (middleware) return { auth: null, reason: `no check_authorized/check_permission in the handler, but middleware ${middleware} may authenticate` };
    return { auth: false, reason: "no check_authorized/check_permission in the handler and no auth middleware" };
  }

  /** An awaited `check_authorized(request)`/`check_permission(request, ...)` in the handler or a project function it awaits (two levels). */
  private securityCheck(fn: FunctionInfo, depth: number, seen: Set<string>): string | null {
    if (seen.has(fn.id) || depth > 2) return null;
    seen.add(fn.id);
    for (const { call, resolved } of this.index.callsIn(fn.id)) {
      if (resolved && SECURITY_CHECK.test(resolved) && call.awaited) return `awaits ${call.callee} (${fn.file}:${call.line})`;
    }
    for (const edge of this.index.callGraph.get(fn.id) ?? []) {
      const target = this.index.functions.get(edge.target);
      if (!target || (target.fact.isAsync && !edge.call.awaited)) continue;
      const inner = this.securityCheck(target, depth + 1, seen);
      if (inner) return `${edge.call.callee} ${inner}`;
    }
    return null;
  }
}

/** Method, path and handler of `add_get(path, handler)`, `add_route(method, path, handler)`, `add_view(path, View)` and their `web.*`/decorator forms. */
function routeArgs(verb: string, args: ArgumentFact[]): { method: string | null; path: string | null; handler: ArgumentFact | undefined } {
  const positional = args.filter((a) => a.name === null);
  const withMethod = verb === "ROUTE";
  const method = withMethod ? stringOf(positional[0] ?? args.find((a) => a.name === "method")) : verb === "VIEW" ? "*" : verb;
  const path = stringOf(positional[withMethod ? 1 : 0] ?? args.find((a) => a.name === "path"));
  return { method: method?.toUpperCase() ?? null, path, handler: positional[withMethod ? 2 : 1] ?? args.find((a) => a.name === "handler") };
}

function middlewaresArg(args: ArgumentFact[]): string[] {
  const arg = args.find((a) => a.name === "middlewares");
  return arg ? (arg.items ?? [arg.text]) : [];
}

function importsAiohttp(mod: ModuleInfo): boolean {
  return mod.facts.imports.some((i) => /^aiohttp(\.|$)/.test(i.module));
}

function stringOf(arg: ArgumentFact | undefined): string | null {
  return typeof arg?.value === "string" ? arg.value : null;
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return `${prefix.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
