import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact, DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";

/** An app the code names only through a parameter (`def register_blueprints(app):`): served at the root, like any app. */
export const UNBOUND = "<flask app>";

export type Details = Pick<Endpoint, "pagination" | "requestSchema" | "responseSchema" | "rateLimit">;

/** Resolves an expression to the Flask node (app, blueprint, API) it names, as `FlaskScan.refOf` does. */
export type NodeResolver = (qualified: string | undefined, module: string, scope: string | null) => string | null;

/** Classes whose decorators describe a view, by resolved class name, with what each member means. */
const DECORATOR_OWNERS: Array<{ owner: RegExp; members: Record<string, Role> }> = [
  { owner: /^flask_smorest(\.blueprint)?\.Blueprint$/, members: { arguments: "smorest-arguments", response: "smorest-response", paginate: "smorest-paginate" } },
  { owner: /^flask_rest(x|plus)(\.namespace|\.api)?\.(Namespace|Api)$|^flask_rest(x|plus)\.Api\.namespace\(\)$/, members: { expect: "expect", marshal_with: "marshal", marshal_list_with: "marshal-list" } },
  { owner: /^apiflask(\.app|\.blueprint)?\.(APIFlask|APIBlueprint)$/, members: { input: "apiflask-input", output: "apiflask-output" } },
  { owner: /^flask_limiter(\.extension)?\.Limiter$/, members: { limit: "limit", shared_limit: "limit", exempt: "exempt" } },
];
type Role = "smorest-arguments" | "smorest-response" | "smorest-paginate" | "expect" | "marshal" | "marshal-list" | "apiflask-input" | "apiflask-output" | "limit" | "exempt" | "use-args" | "marshal-function";
/** Decorators that are module functions: webargs' `use_args`/`use_kwargs`, Flask-RESTful/RESTX `marshal_with`. */
const FUNCTION_DECORATORS: Array<[RegExp, Role]> = [
  [/^webargs\.flaskparser\.(\w+\.)?use_(args|kwargs)$/, "use-args"],
  [/^flask_rest(ful|x|plus)\.marshal_with$/, "marshal-function"],
];
const LIMITER = /^flask_limiter(\.extension)?\.Limiter$/;
const REQUEST_ARGS_GET = /^flask(\.globals)?\.request\.args\.get$/;
const PAGE_ARGS = new Set(["page", "per_page", "page_size", "limit", "offset", "cursor"]);

interface LimiterInfo {
  defaults: string | null;
  where: string;
  /** Nodes it is attached to (`Limiter(app=app)`, `limiter.init_app(app)`). */
  apps: Set<string>;
}

/**
 * Route details of Flask views: flask-smorest, Flask-RESTX, APIFlask and webargs decorators for
 * schemas and pagination, Flask-Limiter limits (and the default limits of a limiter attached to
 * the serving app, unless the view or its blueprint is exempt), and page/per_page query arguments
 * the handler reads with `request.args.get`.
 */
export class FlaskDetails {
  private readonly limiters = new Map<string, LimiterInfo>();
  /** Nodes whose routes are exempt from default limits (`limiter.exempt(bp)`). */
  private readonly exemptNodes = new Set<string>();

  constructor(
    private readonly index: ProjectIndex,
    modules: ModuleInfo[],
    private readonly nodeOf: NodeResolver,
  ) {
    for (const mod of modules) {
      if (!mod.facts.imports.some((i) => i.module.startsWith("flask_limiter"))) continue;
      const byLine = new Map(mod.facts.assignments.map((a) => [a.line, a.target]));
      for (const call of mod.facts.calls) {
        if (!call.qualified || !LIMITER.test(index.resolve(call.qualified, mod.name).replace(/\(\)$/, ""))) continue;
        const target = call.enclosing === null ? byLine.get(call.line) : undefined;
        const id = target ? `${mod.name}.${target}` : `${mod.name}.${call.enclosing ?? ""}()#limiter`;
        const defaults = call.args.find((a) => a.name === "default_limits");
        const info: LimiterInfo = { defaults: defaults ? (defaults.items?.join(", ") ?? defaults.text) : null, where: `${mod.file}:${call.line}`, apps: new Set() };
        this.limiters.set(id, info);
        this.attach(info, call.args.find((a) => a.name === "app") ?? call.args.find((a) => a.name === null), mod.name, call.enclosing);
      }
    }
    if (this.limiters.size === 0) return;
    for (const mod of modules) {
      for (const call of mod.facts.calls) {
        const verb = /\.(init_app|exempt)$/.exec(call.callee)?.[1];
        const limiter = verb && call.qualified ? this.limiters.get(index.resolveSymbol(call.qualified, mod.name).replace(/\.\w+$/, "")) : undefined;
        const arg = call.args.find((a) => a.name === "app" || a.name === "obj") ?? call.args.find((a) => a.name === null);
        if (!limiter || !arg) continue;
        if (verb === "init_app") this.attach(limiter, arg, mod.name, call.enclosing);
        else {
          const node = this.nodeOf(arg.qualified, mod.name, call.enclosing);
          if (node) this.exemptNodes.add(node);
        }
      }
    }
  }

  private attach(limiter: LimiterInfo, arg: ArgumentFact | undefined, module: string, scope: string | null): void {
    const node = arg ? this.nodeOf(arg.qualified, module, scope) : null;
    if (node) limiter.apps.add(node);
  }

  /** Details of a view served through `chain` (the nodes from the app down to the route's owner). */
  of(handler: FunctionInfo, chain: string[]): Details {
    const out: Details = {};
    const limits: string[] = [];
    let exempt = chain.some((n) => this.exemptNodes.has(n));
    for (const d of handler.fact.decorators) {
      const role = this.roleOf(d, handler.module);
      const first = d.args.find((a) => a.name === null);
      switch (role) {
        case "smorest-arguments":
        case "apiflask-input":
        case "use-args":
        case "expect":
          if (first) out.requestSchema ??= requestText(first, d.args);
          if (role === "use-args" && first?.kind === "dict") {
            const paging = pageArguments(dictKeys(first.text), "webargs arguments");
            if (paging) out.pagination ??= paging;
          }
          break;
        case "smorest-response":
        case "apiflask-output": {
          const schema = d.args.find((a) => a.name === "schema") ?? d.args.filter((a) => a.name === null)[role === "smorest-response" ? 1 : 0];
          if (schema && schema.kind !== "none") out.responseSchema ??= schema.text;
          break;
        }
        case "marshal":
        case "marshal-function":
        case "marshal-list": {
          const many = role === "marshal-list" || d.args.some((a) => a.name === "as_list" && a.value === true);
          if (first) out.responseSchema ??= many ? `list[${first.text}]` : first.text;
          break;
        }
        case "smorest-paginate":
          out.pagination ??= first ? `flask-smorest paginate: ${first.text}` : "flask-smorest paginate (page/page_size query arguments)";
          break;
        case "limit":
          limits.push(`${d.name}(${d.args.map((a) => (a.name ? `${a.name}=${a.text}` : a.text)).join(", ")})`);
          break;
        case "exempt":
          exempt = true;
          break;
      }
    }
    const paging = out.pagination ?? pageArguments(this.pageArgsRead(handler), "query arguments");
    if (paging) out.pagination = paging;
    else delete out.pagination;
    if (limits.length) out.rateLimit = limits.join(", ");
    else if (!exempt) {
      const fallback = this.defaultLimits(chain);
      if (fallback) out.rateLimit = fallback;
    }
    return out;
  }

  private roleOf(d: DecoratorFact, module: string): Role | null {
    if (!d.qualified) return null;
    const resolved = this.index.resolve(d.qualified, module);
    for (const [pattern, role] of FUNCTION_DECORATORS) if (pattern.test(resolved)) return role;
    const dot = resolved.lastIndexOf(".");
    const owner = resolved.slice(0, dot);
    const member = resolved.slice(dot + 1);
    for (const known of DECORATOR_OWNERS) if (known.members[member] && this.isClass(owner, known.owner, 0)) return known.members[member] ?? null;
    return null;
  }

  /** Whether a resolved class is one of `pattern`, or a project class built on one. */
  private isClass(name: string, pattern: RegExp, depth: number): boolean {
    if (pattern.test(name)) return true;
    const symbol = depth < 6 ? this.index.symbol(name) : undefined;
    return symbol?.kind === "class" && symbol.fact.bases.some((b) => b.qualified !== null && this.isClass(this.index.resolve(b.qualified, symbol.module), pattern, depth + 1));
  }

  /** `request.args.get("page")` and the like in the handler or a project function it calls. */
  private pageArgsRead(handler: FunctionInfo): string[] {
    const names: string[] = [];
    for (const id of [handler.id, ...(this.index.callGraph.get(handler.id) ?? []).map((e) => e.target)]) {
      for (const { call, resolved } of this.index.callsIn(id)) {
        const name = call.args[0]?.value;
        if (resolved && REQUEST_ARGS_GET.test(resolved) && typeof name === "string" && PAGE_ARGS.has(name) && !names.includes(name)) names.push(name);
      }
    }
    return names;
  }

  /** `Limiter(default_limits=[...])` attached to the app serving the route (an app known only as a parameter stands for any). */
  private defaultLimits(chain: string[]): string | null {
    for (const [, limiter] of [...this.limiters].sort(([a], [b]) => compareCodeUnits(a, b))) {
      if (!limiter.defaults) continue;
      if ([...limiter.apps].some((app) => chain.includes(app) || app === UNBOUND)) return `default: ${limiter.defaults} (Limiter at ${limiter.where})`;
    }
    return null;
  }
}

/** The schema a request decorator names, with its location when it is not the body (`ArgsSchema (query)`). */
function requestText(first: ArgumentFact, args: ArgumentFact[]): string {
  const location = args.find((a) => a.name === "location")?.value;
  const schema = first.kind === "dict" ? `{${dictKeys(first.text).join(", ")}}` : first.text;
  return typeof location === "string" && location !== "json" && location !== "json_or_form" ? `${schema} (${location})` : schema;
}

function dictKeys(text: string): string[] {
  return [...text.matchAll(/["'](\w+)["']\s*:/g)].map((m) => m[1] as string);
}

function pageArguments(names: string[], what: string): string | undefined {
  const paging = [...PAGE_ARGS].filter((n) => names.includes(n));
  return paging.length ? `${paging.join("/")} ${what}` : undefined;
}
