import type { ArgumentFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { argument, joinSlash, listItems } from "./django-routes.js";
import type { Decision } from "./django-views.js";

const API_CLASSES = /^(ninja(\.main)?\.NinjaAPI|ninja_extra\.NinjaExtraAPI)$/;
const ROUTER_CLASSES = /^ninja(\.router)?\.Router$/;
const OPERATIONS = new Set(["get", "post", "put", "patch", "delete"]);

interface Owner {
  kind: "api" | "router";
  file: string;
  line: number;
  /** The `auth=` argument, when given. */
  auth: ArgumentFact | undefined;
  /** The `throttle=` argument, when given. */
  throttle: ArgumentFact | undefined;
}

export interface NinjaOperation {
  method: string;
  /** Path below the API's mount point. */
  path: string;
  fn: FunctionInfo;
  decision: Decision;
  /** The operation decorator's arguments (`response=`, `throttle=`). */
  args: ArgumentFact[];
  /** The `throttle=` that covers it: the operation's, else the nearest router's, else the API's. */
  throttle: { arg: ArgumentFact; where: string } | null;
}

/** Django Ninja APIs (`NinjaAPI()`), routers, `add_router` edges and operations, by symbol id. */
export class NinjaApis {
  readonly owners = new Map<string, Owner>();
  private readonly children = new Map<string, Array<{ child: string; prefix: string; auth: { arg: ArgumentFact; where: string } | null }>>();
  private readonly operations = new Map<string, Array<{ methods: string[]; path: string; fn: FunctionInfo; args: ArgumentFact[] }>>();

  constructor(index: ProjectIndex) {
    for (const mod of index.modules.values()) {
      for (const a of mod.facts.assignments) {
        if (a.kind !== "call" || !a.callee) continue;
        const callee = index.resolve(a.callee, mod.name);
        const kind = API_CLASSES.test(callee) ? "api" : ROUTER_CLASSES.test(callee) ? "router" : null;
        if (kind) this.owners.set(`${mod.name}.${a.target}`, { kind, file: mod.file, line: a.line, auth: a.args?.find((x) => x.name === "auth"), throttle: a.args?.find((x) => x.name === "throttle") });
      }
    }
    if (this.owners.size === 0) return;
    for (const mod of index.modules.values()) {
      for (const call of mod.facts.calls) {
        if (!call.qualified || !call.callee.endsWith(".add_router")) continue;
        const parent = index.resolveSymbol(call.qualified, mod.name).replace(/\.add_router$/, "");
        const routerArg = argument(call.args, 1, "router");
        const child = typeof routerArg?.value === "string" ? routerArg.value : routerArg?.qualified ? index.resolveSymbol(routerArg.qualified, mod.name) : null;
        if (!this.owners.has(parent) || !child || this.owners.get(child)?.kind !== "router") continue;
        const prefix = argument(call.args, 0, "prefix")?.value;
        const list = this.children.get(parent) ?? [];
        const auth = call.args.find((a) => a.name === "auth");
        list.push({ child, prefix: typeof prefix === "string" ? prefix : "", auth: auth ? { arg: auth, where: `add_router (${mod.file}:${call.line})` } : null });
        this.children.set(parent, list);
      }
    }
    for (const fn of index.sortedFunctions()) {
      for (const d of fn.fact.decorators) {
        if (!d.qualified) continue;
        const resolved = index.resolveSymbol(d.qualified, fn.module);
        const dot = resolved.lastIndexOf(".");
        const owner = resolved.slice(0, dot);
        const verb = resolved.slice(dot + 1);
        if (!this.owners.has(owner)) continue;
        const methods = OPERATIONS.has(verb) ? [verb.toUpperCase()] : verb === "api_operation" ? (listItems(argument(d.args, 0, "methods") ?? { text: "", kind: "other" }) ?? []).map((m) => m.toUpperCase()) : [];
        const path = argument(d.args, OPERATIONS.has(verb) ? 0 : 1, "path")?.value;
        if (methods.length === 0 || typeof path !== "string") continue;
        const list = this.operations.get(owner) ?? [];
        list.push({ methods, path, fn, args: d.args });
        this.operations.set(owner, list);
      }
    }
  }

  isApi(id: string): boolean {
    return this.owners.get(id)?.kind === "api";
  }

  /** Every operation reachable from an API, with its path below the API and its auth (operation, then routers, then API `auth=`). */
  operationsOf(apiId: string): NinjaOperation[] {
    const out: NinjaOperation[] = [];
    type Auth = { arg: ArgumentFact; where: string } | null;
    // `add_router(..., auth=)` replaces the router's own `auth=`, which replaces the parent's; `throttle=` likewise, without the add_router step
    const visit = (id: string, prefix: string, inherited: Auth, override: Auth, throttled: Auth, depth: number) => {
      const owner = this.owners.get(id);
      if (!owner || depth > 10) return;
      const where = `${owner.kind === "api" ? "the NinjaAPI" : "the Router"} (${owner.file}:${owner.line})`;
      const own = override ?? (owner.auth ? { arg: owner.auth, where } : inherited);
      const throttle = owner.throttle ? { arg: owner.throttle, where } : throttled;
      for (const op of this.operations.get(id) ?? []) {
        const opAuth = op.args.find((a) => a.name === "auth");
        const opThrottle = op.args.find((a) => a.name === "throttle");
        const decision = opAuth ? authOf(opAuth, `the operation (${op.fn.file}:${op.fn.fact.line})`) : own ? authOf(own.arg, own.where) : { auth: false, reason: "no auth= on the operation, its routers or the NinjaAPI" };
        const covering = opThrottle ? { arg: opThrottle, where: "the operation" } : throttle;
        for (const method of op.methods) out.push({ method, path: joinSlash(prefix, op.path), fn: op.fn, decision, args: op.args, throttle: covering });
      }
      for (const edge of this.children.get(id) ?? []) visit(edge.child, joinSlash(prefix, edge.prefix), own, edge.auth, throttle, depth + 1);
    };
    visit(apiId, "", null, null, null, 0);
    return out;
  }
}

/** `auth=None` (or an empty list) makes an operation public; any other value requires it to authenticate. */
function authOf(arg: ArgumentFact, where: string): Decision {
  const empty = arg.kind === "none" || ((arg.kind === "list" || arg.kind === "tuple") && (listItems(arg) ?? []).length === 0);
  if (empty) return { auth: false, reason: `auth=${arg.text} on ${where}` };
  return { auth: true, reason: `auth=${arg.text} on ${where}` };
}
