import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact, DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Endpoint } from "../types.js";
import { methodsArg, qualifyName, stringArg, stringValue } from "./argument-values.js";
import { type ConnexionApi, connexionEndpoints } from "./connexion.js";
import { normalisePath } from "./fastapi.js";
import { type AuthMark, authFromMarks, authHit, credentialSignal, markFromDecorator, markFromText } from "./flask-auth.js";
import { FlaskDetails, UNBOUND } from "./flask-details.js";
import { type ClassRef, classViewMethods, viewOf } from "./flask-views.js";

/** What an object that routes live on is: an app, a blueprint, a Flask-RESTful/RESTX/smorest `Api`, a RESTX namespace, a Connexion app. */
type NodeKind = "app" | "blueprint" | "api" | "namespace" | "connexion";

const CLASS_KINDS: Readonly<Record<string, NodeKind>> = {
  "flask.Flask": "app",
  "flask.app.Flask": "app",
  "apiflask.APIFlask": "app",
  "flask.Blueprint": "blueprint",
  "flask.blueprints.Blueprint": "blueprint",
  "apiflask.APIBlueprint": "blueprint",
  "flask_smorest.Blueprint": "blueprint",
  "flask_restful.Api": "api",
  "flask_restx.Api": "api",
  "flask_restplus.Api": "api",
  "flask_smorest.Api": "api",
  "flask_restx.Namespace": "namespace",
  "flask_restplus.Namespace": "namespace",
  "connexion.App": "connexion",
  "connexion.FlaskApp": "connexion",
  "connexion.apps.flask_app.FlaskApp": "connexion",
  "connexion.apps.flask.FlaskApp": "connexion",
  "quart.Quart": "app",
  "quart.app.Quart": "app",
  "quart.Blueprint": "blueprint",
  "quart.blueprints.Blueprint": "blueprint",
};
/** Quart keeps Flask's API (apps, blueprints, `@bp.get`, `add_url_rule`), served over ASGI. */
const QUART_CLASS = /^quart(\.app|\.blueprints)?\.(Quart|Blueprint)$/;
/** Flask 2 shortcuts: `@app.get(...)` is `@app.route(..., methods=["GET"])`. */
const SHORTCUTS = new Set(["get", "post", "put", "patch", "delete"]);
const DECORATOR_VERBS = new Set([...SHORTCUTS, "route", "before_request", "before_app_request"]);
/** Methods called on an app or blueprint passed in as a parameter (`def register_blueprints(app): ...`). */
const APP_VERBS = new Set([...DECORATOR_VERBS, "add_url_rule", "register_blueprint"]);
const CALL_VERBS = new Set(["register_blueprint", "add_namespace", "init_app", "add_url_rule", "add_resource", "before_request", "before_app_request", "add_api"]);

interface MountNode {
  id: string;
  kind: NodeKind;
  module: string;
  file: string;
  /** Where it was created: the enclosing function's qualname, null at module level. */
  scope: string | null;
  args: ArgumentFact[];
  /** Its own prefix (`Blueprint(url_prefix=)`, `Api(prefix=)`, `Namespace(path=)`), used when whoever registers it gives none. */
  prefix: string;
  /** `Api(decorators=[...])`, `Namespace(decorators=[...])`: wrap every resource added to it. */
  marks: AuthMark[];
}

interface Edge {
  child: string;
  /** `register_blueprint(url_prefix=)` / `add_namespace(path=)`: replaces the child's own prefix, as Flask does. */
  prefix: string | null;
  condition: string | null;
}

interface Route {
  owner: string;
  rule: string;
  method: string;
  handler: FunctionInfo;
  /** Decorators and wrappers around the view Flask registers. */
  marks: AuthMark[];
  /** Auth decorators written above the route decorator: they wrap the function after Flask registered it. */
  misplaced: string[];
}

interface Mount {
  prefix: string;
  /** Nodes from the root down to the route's owner. */
  chain: string[];
  condition: string | null;
}

/**
 * Flask endpoints: `@app.route`/`@bp.get`, `add_url_rule` (functions and `MethodView.as_view`),
 * blueprints with their `url_prefix` through (nested) `register_blueprint`, Flask-RESTful/RESTX
 * `add_resource` and namespaces, flask-smorest blueprints of `MethodView`s, and Connexion
 * `add_api` specs. Auth from the decorators that wrap each view, class `decorators`/
 * `method_decorators`, and `before_request` hooks that read credentials (undecided then).
 */
export function flaskEndpoints(index: ProjectIndex, files: WorkspaceFile[]): { endpoints: Endpoint[]; appFiles: string[] } {
  return new FlaskScan(index, files).run();
}

class FlaskScan {
  private readonly nodes = new Map<string, MountNode>();
  /** Other names for a node: `app = create_app()` (a factory's app), `api = UserDto.api`. */
  private readonly aliases = new Map<string, string>();
  private readonly edges = new Map<string, Edge[]>();
  private readonly routes: Route[] = [];
  /** Owner node → `before_request` hook reading credentials; `*` for `before_app_request` hooks. */
  private readonly hooks = new Map<string, string>();
  private readonly connexionApis: ConnexionApi[] = [];
  /** Nodes created from Quart's classes. */
  private readonly quartNodes = new Set<string>();
  private readonly modules: ModuleInfo[];

  constructor(
    private readonly index: ProjectIndex,
    private readonly files: WorkspaceFile[],
  ) {
    const tests = new Set(files.filter((f) => f.kind === "test").map((f) => f.path));
    this.modules = [...index.modules.values()].filter((m) => !tests.has(m.file));
  }

  run(): { endpoints: Endpoint[]; appFiles: string[] } {
    this.collectNodes();
    if (this.nodes.size === 0) return { endpoints: [], appFiles: [] };
    this.collectCalls();
    this.collectDecoratedFunctions();
    this.collectDecoratedClasses();
    const mounts = this.mounts();
    const details = new FlaskDetails(this.index, this.modules, (q, module, scope) => this.refOf(q, module, scope));
    const endpoints = new Map<string, Endpoint>();
    const routes = [...this.routes].sort(
      (a, b) => compareCodeUnits(a.handler.file, b.handler.file) || a.handler.fact.line - b.handler.fact.line || compareCodeUnits(a.method, b.method) || compareCodeUnits(a.rule, b.rule),
    );
    for (const route of routes) {
      for (const mount of mounts.get(route.owner) ?? []) {
        const path = normalisePath(flaskRule(joinPath(mount.prefix, route.rule)));
        const key = `${route.method} ${path}`;
        if (endpoints.has(key)) continue;
        const auth = this.decideAuth(route, mount);
        const endpoint: Endpoint = {
          method: route.method,
          path,
          handler: route.handler.id,
          file: route.handler.file,
          line: route.handler.fact.line,
          isAsync: route.handler.fact.isAsync,
          framework: this.frameworkOf(mount.chain, route.handler.module),
          auth: auth.auth,
          authReason: auth.reason,
          ...details.of(route.handler, mount.chain),
        };
        if (mount.condition) endpoint.condition = mount.condition;
        endpoints.set(key, endpoint);
      }
    }
    for (const endpoint of connexionEndpoints(this.index, this.files, this.connexionApis)) {
      const key = `${endpoint.method} ${endpoint.path}`;
      if (!endpoints.has(key)) endpoints.set(key, endpoint);
    }
    const list = [...endpoints.values()].sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.method, b.method));
    const appFiles = [...this.nodes.values()].filter((n) => (n.kind === "app" || n.kind === "connexion") && n.id !== UNBOUND).map((n) => n.file);
    return { endpoints: list, appFiles: [...new Set(appFiles)].sort(compareCodeUnits) };
  }

  /** `quart` for routes served by a Quart app or blueprint (or, on an app passed in as a parameter, written in a module importing Quart). */
  private frameworkOf(chain: string[], module: string): "flask" | "quart" {
    if (chain.some((id) => this.quartNodes.has(id))) return "quart";
    const importsQuart = (this.index.modules.get(module)?.facts.imports ?? []).some((i) => /^quart(\.|$)/.test(i.module));
    return chain[0] === UNBOUND && importsQuart ? "quart" : "flask";
  }

  /** Apps, blueprints, APIs and namespaces: module variables, and objects created inside functions (one of each kind per function). */
  private collectNodes(): void {
    for (const mod of this.modules) {
      const assignments = [
        ...mod.facts.assignments.map((fact) => ({ id: `${mod.name}.${fact.target}`, fact })),
        // `class UserDto: api = Namespace("user")` (the flask-restplus boilerplate)
        ...mod.facts.classes.flatMap((c) => c.assignments.map((fact) => ({ id: `${mod.name}.${c.qualname}.${fact.target}`, fact }))),
      ];
      for (const { id, fact } of assignments) {
        if (fact.kind !== "call" || !fact.callee) continue;
        const resolved = this.index.resolve(fact.callee, mod.name);
        const kind = this.kindOf(resolved);
        if (kind) this.addNode(id, kind, mod, fact.args ?? [], null);
        if (kind && QUART_CLASS.test(resolved)) this.quartNodes.add(id);
      }
      for (const call of mod.facts.calls) {
        if (!call.enclosing || !call.qualified) continue;
        const resolved = this.index.resolve(call.qualified, mod.name);
        const kind = this.kindOf(resolved);
        const id = kind ? localId(mod.name, call.enclosing, kind) : null;
        if (kind && id && !this.nodes.has(id)) this.addNode(id, kind, mod, call.args, call.enclosing);
        if (kind && id && QUART_CLASS.test(resolved)) this.quartNodes.add(id);
      }
    }
    for (const mod of this.modules) {
      for (const a of mod.facts.assignments) {
        if (a.kind !== "call" || !a.callee) continue;
        const target = this.index.resolveSymbol(a.callee, mod.name);
        // `ns = api.namespace("todos")`: a RESTX namespace mounted on that API
        const owner = target.endsWith(".namespace") ? this.nodes.get(target.slice(0, -".namespace".length)) : undefined;
        if (owner?.kind === "api") {
          const ns = this.addNode(`${mod.name}.${a.target}`, "namespace", mod, a.args ?? [], null);
          this.addEdge(owner.id, { child: ns.id, prefix: null, condition: null });
        }
        // `app = create_app()` in wsgi.py
        const factory = this.index.functions.get(target);
        const factoryApp = factory ? localId(factory.module, factory.fact.qualname, "app") : null;
        if (factoryApp && this.nodes.has(factoryApp)) this.aliases.set(`${mod.name}.${a.target}`, factoryApp);
      }
    }
    // `api = UserDto.api`, `bp = api_bp`: another name for a node
    for (const mod of this.modules) {
      for (const a of mod.facts.assignments) {
        if (a.kind !== "name" && a.kind !== "attribute") continue;
        const named = qualifyName(this.index, mod.name, a.text);
        const target = named ? (this.nodes.has(named) ? named : this.aliases.get(named)) : undefined;
        if (target && !this.nodes.has(`${mod.name}.${a.target}`)) this.aliases.set(`${mod.name}.${a.target}`, target);
      }
    }
    // `Api(app)`, `Api(bp, prefix="/api")`: the API hangs off whatever it is created with
    for (const node of [...this.nodes.values()]) {
      if (node.kind !== "api") continue;
      const parentArg = node.args.find((a) => a.name === "app") ?? node.args.find((a) => a.name === null);
      const parent = parentArg ? this.refOf(parentArg.qualified, node.module, node.scope) : null;
      if (parent) this.addEdge(parent, { child: node.id, prefix: null, condition: null });
    }
  }

  private addNode(id: string, kind: NodeKind, mod: ModuleInfo, args: ArgumentFact[], scope: string | null): MountNode {
    const prefixArg = kind === "blueprint" ? "url_prefix" : kind === "api" ? "prefix" : kind === "namespace" ? "path" : null;
    let prefix = prefixArg ? (stringArg(this.index, args, prefixArg, undefined, mod.name) ?? "") : "";
    if (kind === "namespace" && !args.some((a) => a.name === "path")) prefix = `/${stringArg(this.index, args, "name", 0, mod.name) ?? ""}`;
    const marks = (args.find((a) => a.name === "decorators")?.items ?? []).map((text) => markFromText(this.index, text, mod.name, `${kind === "api" ? "Api" : "Namespace"} decorators include %s`));
    const node: MountNode = { id, kind, module: mod.name, file: mod.file, scope, args, prefix, marks };
    this.nodes.set(id, node);
    return node;
  }

  private addEdge(parent: string, edge: Edge): void {
    const list = this.edges.get(parent) ?? [];
    list.push(edge);
    this.edges.set(parent, list);
  }

  /** Whether a (resolved) class is an app, blueprint, API or namespace class, project subclasses included. */
  private kindOf(name: string, depth = 0): NodeKind | null {
    const known = CLASS_KINDS[name];
    if (known) return known;
    const symbol = depth < 6 ? this.index.symbol(name) : undefined;
    if (symbol?.kind !== "class") return null;
    for (const base of symbol.fact.bases) {
      const kind = base.qualified ? this.kindOf(this.index.resolve(base.qualified, symbol.module), depth + 1) : null;
      if (kind) return kind;
    }
    return null;
  }

  /** The node an expression names: a module variable (wherever imported from), or the object of that kind created in an enclosing function. */
  private refOf(qualified: string | null | undefined, module: string, scope: string | null): string | null {
    if (!qualified) return null;
    const id = this.index.resolveSymbol(qualified, module);
    if (this.nodes.has(id)) return id;
    const alias = this.aliases.get(id);
    if (alias) return alias;
    // Connexion's underlying Flask app: `connexion_app.app.register_blueprint(bp)`
    if (id.endsWith(".app") && this.nodes.get(id.slice(0, -4))?.kind === "connexion") return id.slice(0, -4);
    const kind = this.kindOf(this.index.resolve(qualified, module));
    if (!kind) return null;
    for (let s = scope; s; s = parentScope(s)) {
      const local = localId(module, s, kind);
      if (this.nodes.has(local)) return local;
    }
    // a parameter annotated `app: Flask`
    return kind === "app" ? this.unbound(module) : null;
  }

  /** The owner of `owner.verb(...)`/`@owner.verb`, including an unannotated parameter named in a module that imports Flask. */
  private ownerOf(qualified: string | null, calleeText: string, module: string, scope: string | null, verb: string): string | null {
    if (qualified) return this.refOf(objectOf(qualified), module, scope);
    const object = objectOf(calleeText);
    if (!object || !/^[A-Za-z_]\w*$/.test(object) || !APP_VERBS.has(verb) || !this.importsFlask(module)) return null;
    for (let s = scope; s; s = parentScope(s)) {
      if (this.index.functions.get(`${module}.${s}`)?.fact.params.some((p) => p.name === object)) return this.unbound(module);
    }
    return null;
  }

  private unbound(module: string): string {
    if (!this.nodes.has(UNBOUND)) this.nodes.set(UNBOUND, { id: UNBOUND, kind: "app", module, file: "", scope: null, args: [], prefix: "", marks: [] });
    return UNBOUND;
  }

  private importsFlask(module: string): boolean {
    return (this.index.modules.get(module)?.facts.imports ?? []).some((i) => /^flask(_|\.|$)|^apiflask|^quart(_|\.|$)/.test(i.module) || i.names?.some((n) => n.name === "Flask" || n.name === "Quart"));
  }

  /** `register_blueprint`, `add_namespace`, `init_app`, `add_url_rule`, `add_resource`, `before_request(f)`, `add_api`. */
  private collectCalls(): void {
    for (const mod of this.modules) {
      for (const call of mod.facts.calls) {
        const verb = call.callee.slice(call.callee.lastIndexOf(".") + 1);
        if (!CALL_VERBS.has(verb) || !call.callee.includes(".")) continue;
        const owner = this.ownerOf(call.qualified, call.callee, mod.name, call.enclosing, verb);
        const ownerKind = owner ? this.nodes.get(owner)?.kind : undefined;
        if (!owner || !ownerKind) continue;
        const positional = call.args.filter((a) => a.name === null);
        const named = (name: string) => call.args.find((a) => a.name === name);
        switch (verb) {
          case "register_blueprint":
          case "add_namespace": {
            const child = this.refOf((named(verb === "add_namespace" ? "ns" : "blueprint") ?? positional[0])?.qualified, mod.name, call.enclosing);
            const childKind = child ? this.nodes.get(child)?.kind : undefined;
            if (!child || childKind !== (verb === "add_namespace" ? "namespace" : "blueprint")) break;
            const prefixName = verb === "add_namespace" ? "path" : "url_prefix";
            const prefix = named(prefixName) ? (stringArg(this.index, call.args, prefixName, undefined, mod.name) ?? "") : null;
            this.addEdge(owner, { child, prefix, condition: call.guard });
            break;
          }
          case "init_app": {
            if (ownerKind !== "api") break;
            const parent = this.refOf((named("app") ?? positional[0])?.qualified, mod.name, call.enclosing);
            if (parent) this.addEdge(parent, { child: owner, prefix: null, condition: call.guard });
            break;
          }
          case "add_url_rule":
            if (ownerKind === "app" || ownerKind === "blueprint" || ownerKind === "connexion") this.addUrlRule(owner, call.args, mod.name, call.line, call.endLine);
            break;
          case "add_resource": {
            const resource = positional[0]?.qualified ? this.index.symbol(this.index.resolveSymbol(positional[0].qualified, mod.name)) : undefined;
            if (resource?.kind !== "class" || ownerKind !== "api") break;
            for (const arg of positional.slice(1)) {
              const rule = stringValue(this.index, arg, mod.name);
              if (rule !== null) this.addClassRoutes(owner, rule, resource, null, []);
            }
            break;
          }
          case "before_request":
          case "before_app_request": {
            const target = positional[0]?.qualified ? this.index.functions.get(this.index.resolveSymbol(positional[0].qualified, mod.name)) : undefined;
            if (target) this.addHook(verb === "before_app_request" || owner === UNBOUND ? "*" : owner, target);
            break;
          }
          case "add_api": {
            const node = this.nodes.get(owner);
            if (node?.kind !== "connexion") break;
            const specArg = named("specification") ?? positional[0];
            const spec = specArg ? (stringValue(this.index, specArg, mod.name) ?? /["']([^"']+\.(?:ya?ml|json))["']/.exec(specArg.text)?.[1] ?? null) : null;
            if (!spec) break;
            const basePath = named("base_path") ? stringArg(this.index, call.args, "base_path", undefined, mod.name) : null;
            const specificationDir = stringArg(this.index, node.args, "specification_dir", undefined, node.module) ?? "";
            this.connexionApis.push({ appFile: node.file, spec, specificationDir, basePath, condition: call.guard });
            break;
          }
        }
      }
    }
  }

  /** `add_url_rule(rule, endpoint, view_func, methods=...)`, the view a function, `View.as_view(...)`, or either wrapped in decorators. */
  private addUrlRule(owner: string, args: ArgumentFact[], module: string, from: number, to: number): void {
    const rule = stringArg(this.index, args, "rule", 0, module);
    const viewArg = args.find((a) => a.name === "view_func") ?? args.filter((a) => a.name === null)[2];
    if (rule === null || !viewArg) return;
    const view = viewOf(this.index, viewArg, module, from, to);
    if (!view) return;
    const methods = args.some((a) => a.name === "methods") ? methodsArg(this.index, args, module) : null;
    if (view.cls) {
      this.addClassRoutes(owner, rule, view.cls, methods, view.wrappers);
      return;
    }
    if (!view.fn) return;
    const fn = view.fn;
    const marks = [...view.wrappers, ...fn.fact.decorators.map((d) => markFromDecorator(this.index, d, fn.module))];
    for (const method of methods ?? ["GET"]) this.routes.push({ owner, rule, method, handler: fn, marks, misplaced: [] });
  }

  /** One route per method a class-based view serves, under the wrappers given to `add_url_rule`. */
  private addClassRoutes(owner: string, rule: string, cls: ClassRef, methods: string[] | null, wrappers: AuthMark[]): void {
    for (const { method, fn, marks } of classViewMethods(this.index, cls, methods)) {
      this.routes.push({ owner, rule, method, handler: fn, marks: [...wrappers, ...marks], misplaced: [] });
    }
  }

  /** `@app.route`, `@bp.get`, `@app.before_request` on functions; auth from the decorators below each route decorator. */
  private collectDecoratedFunctions(): void {
    const served = new Set(this.modules.map((m) => m.name));
    for (const fn of this.index.sortedFunctions()) {
      if (!served.has(fn.module)) continue;
      const decorators = fn.fact.decorators;
      const scope = parentScope(fn.fact.qualname);
      const roles = decorators.map((d) => this.decoratorRole(d, fn.module, scope));
      decorators.forEach((decorator, i) => {
        const role = roles[i];
        if (!role) return;
        if (role.verb === "before_request" || role.verb === "before_app_request") {
          this.addHook(role.verb === "before_app_request" || role.owner === UNBOUND ? "*" : role.owner, fn);
          return;
        }
        const rule = stringArg(this.index, decorator.args, "rule", 0, fn.module);
        if (rule === null) return;
        const methods = role.verb === "route" ? methodsArg(this.index, decorator.args, fn.module) : [role.verb.toUpperCase()];
        const others = (from: number, to: number) =>
          decorators
            .slice(from, to)
            .filter((_, j) => !roles[from + j])
            .map((d) => markFromDecorator(this.index, d, fn.module));
        const marks = others(i + 1, decorators.length);
        const misplaced = others(0, i)
          .filter((m) => authHit(this.index, m))
          .map((m) => m.name);
        for (const method of methods) this.routes.push({ owner: role.owner, rule, method, handler: fn, marks, misplaced });
      });
    }
  }

  private decoratorRole(decorator: DecoratorFact, module: string, scope: string | null): { owner: string; verb: string } | null {
    const verb = decorator.name.slice(decorator.name.lastIndexOf(".") + 1);
    if (!DECORATOR_VERBS.has(verb) || !decorator.name.includes(".")) return null;
    const owner = this.ownerOf(decorator.qualified, decorator.name, module, scope, verb);
    const kind = owner ? this.nodes.get(owner)?.kind : undefined;
    // Connexion's FlaskApp hands `route` and `add_url_rule` on to its Flask app
    return owner && (kind === "app" || kind === "blueprint" || kind === "connexion") ? { owner, verb } : null;
  }

  /** `@blp.route("/pets")` (flask-smorest), `@ns.route("/todos")` (RESTX) and `@api.resource("/todos")` (Flask-RESTful) on view classes. */
  private collectDecoratedClasses(): void {
    for (const mod of this.modules) {
      for (const cls of mod.facts.classes) {
        for (const decorator of cls.decorators) {
          if (!decorator.qualified || !/\.(route|resource)$/.test(decorator.name)) continue;
          const owner = this.refOf(objectOf(decorator.qualified), mod.name, null);
          const kind = owner ? this.nodes.get(owner)?.kind : undefined;
          if (!owner || (kind !== "blueprint" && kind !== "api" && kind !== "namespace")) continue;
          const methods = decorator.args.some((a) => a.name === "methods") ? methodsArg(this.index, decorator.args, mod.name) : null;
          for (const arg of decorator.args.filter((a) => a.name === null)) {
            const rule = stringValue(this.index, arg, mod.name);
            if (rule !== null) this.addClassRoutes(owner, rule, { module: mod.name, file: mod.file, fact: cls }, methods, []);
          }
        }
      }
    }
  }

  private addHook(owner: string, fn: FunctionInfo): void {
    const signal = credentialSignal(this.index, fn);
    if (signal && !this.hooks.has(owner)) this.hooks.set(owner, `before_request hook ${fn.fact.name} (${fn.file}:${fn.fact.line}) may authenticate`);
  }

  /** Every place each node is served: from the apps down, and from blueprints and APIs nobody registers. */
  private mounts(): Map<string, Mount[]> {
    const mounts = new Map<string, Mount[]>();
    const children = new Set([...this.edges.values()].flat().map((e) => e.child));
    const visit = (id: string, prefix: string, chain: string[], condition: string | null) => {
      if (chain.length > 12 || chain.includes(id)) return;
      const here = [...chain, id];
      const list = mounts.get(id) ?? [];
      list.push({ prefix, chain: here, condition });
      mounts.set(id, list);
      for (const edge of this.edges.get(id) ?? []) {
        visit(edge.child, joinPath(prefix, edge.prefix ?? this.nodes.get(edge.child)?.prefix ?? ""), here, edge.condition ?? condition);
      }
    };
    const nodes = [...this.nodes.values()].sort((a, b) => compareCodeUnits(a.id, b.id));
    for (const node of nodes) if (node.kind === "app" || node.kind === "connexion") visit(node.id, "", [], null);
    for (const node of nodes) if (node.kind !== "app" && node.kind !== "connexion" && !children.has(node.id)) visit(node.id, node.prefix, [], null);
    return mounts;
  }

  /** Decorators wrapping the view first; then a `before_request` hook that may authenticate (undecided); else no auth. */
  private decideAuth(route: Route, mount: Mount): { auth: boolean | null; reason: string } {
    const chainMarks = mount.chain.flatMap((id) => this.nodes.get(id)?.marks ?? []);
    const explicit = authFromMarks(this.index, [...chainMarks, ...route.marks]);
    if (explicit) return explicit;
    const hook = this.hookFor(mount);
    if (hook) return { auth: null, reason: `no authentication decorator, but ${hook}` };
    if (route.misplaced.length) {
      return { auth: false, reason: `${route.misplaced.join(", ")} sits above the route decorator, so Flask registers the undecorated view` };
    }
    return { auth: false, reason: "no authentication decorator" };
  }

  /** A hook on the route's own chain, on the app it is served by, or app-wide; an app's hooks do not cover another known app's routes. */
  private hookFor(mount: Mount): string | null {
    const root = this.nodes.get(mount.chain[0] ?? "");
    const rootIsKnownApp = root !== undefined && root.id !== UNBOUND && (root.kind === "app" || root.kind === "connexion");
    for (const [owner, reason] of [...this.hooks].sort(([a], [b]) => compareCodeUnits(a, b))) {
      if (owner === "*" || mount.chain.includes(owner)) return reason;
      const kind = this.nodes.get(owner)?.kind;
      if ((kind === "app" || kind === "connexion") && !rootIsKnownApp) return reason;
    }
    return null;
  }
}

/** The node id of an object of `kind` created inside function `scope` (apps keep FastAPI's `module.factory()` form). */
function localId(module: string, scope: string, kind: NodeKind): string {
  return kind === "app" ? `${module}.${scope}()` : `${module}.${scope}()#${kind}`;
}

function parentScope(qualname: string): string | null {
  const dot = qualname.lastIndexOf(".");
  return dot > 0 ? qualname.slice(0, dot) : null;
}

function objectOf(qualified: string): string | null {
  const dot = qualified.lastIndexOf(".");
  return dot > 0 ? qualified.slice(0, dot) : null;
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return `${prefix.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Werkzeug rule parameters as `{name}`: `<int:id>`, `<any(a, b):kind>`, `<id>`; `<path:file>` as `{file:path}`, which may hold slashes. */
function flaskRule(rule: string): string {
  return rule.replace(/<(?:([^<>:]*):)?([A-Za-z_]\w*)>/g, (_, converter: string | undefined, name: string) => (converter === "path" ? `{${name}:path}` : `{${name}}`));
}
