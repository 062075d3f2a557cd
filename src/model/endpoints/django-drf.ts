import type { AssignmentFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";
import { type ActionOverrides, classViewDetails } from "./django-details.js";
import { argument, listItems, regexToPath } from "./django-routes.js";
import type { DjangoSettings } from "./django-settings.js";
import {
  allowsMethod,
  type ClassView,
  classAttribute,
  classView,
  classViewAuth,
  type Decision,
  handlerOf,
  lastSegment,
  type PermissionSource,
  permissionSource,
  ROUTER_ACTIONS,
  viewSetActions,
} from "./django-views.js";

const ROUTER_CLASS = /^rest_framework\.routers\.\w*Router$/;
const NESTED_ROUTER_CLASS = /^rest_framework_nested\.routers\.\w*Router$/;
const ACTION_DECORATORS = new Set(["action", "detail_route", "list_route"]);

interface DrfRouter {
  /** Route below the mount point every registration starts with (a nested router's `clients/{client_pk}`). */
  base: string;
  registrations: Array<{ prefix: string; viewset: string; file: string; line: number }>;
}

/** An `@action` of a viewset: its route below the viewset's and the methods it answers, each with its handler. */
export interface ExtraAction {
  fn: FunctionInfo;
  detail: boolean;
  urlPath: string;
  methods: Map<string, FunctionInfo>;
  permissions: PermissionSource | null;
  /** `serializer_class=`, `throttle_classes=`, `pagination_class=` given to `@action`. */
  overrides: ActionOverrides;
}

/** A route of a router, its path below the router's mount point. */
export interface RouterRoute {
  endpoint: Omit<Endpoint, "auth" | "authReason">;
  decision: Decision;
}

/** DRF routers (`DefaultRouter()`, `SimpleRouter()`, drf-nested-routers) and what is registered on them, by symbol id. */
export class DrfRouters {
  private readonly routers = new Map<string, DrfRouter>();
  private methodsByClass: Map<string, FunctionInfo[]> | null = null;

  constructor(
    private readonly index: ProjectIndex,
    modules: ModuleInfo[],
  ) {
    for (const mod of modules) {
      for (const a of mod.facts.assignments) {
        if (a.kind !== "call" || !a.callee) continue;
        const callee = index.resolve(a.callee, mod.name);
        if (this.extends(callee, ROUTER_CLASS)) this.routers.set(`${mod.name}.${a.target}`, { base: "", registrations: [] });
        else if (this.extends(callee, NESTED_ROUTER_CLASS)) this.routers.set(`${mod.name}.${a.target}`, { base: nestedRouterBase(a), registrations: [] });
      }
    }
    if (this.routers.size === 0) return;
    for (const mod of modules) {
      for (const call of mod.facts.calls) {
        if (!call.qualified || !call.callee.endsWith(".register")) continue;
        const router = this.routers.get(index.resolveSymbol(call.qualified, mod.name).replace(/\.register$/, ""));
        const prefix = argument(call.args, 0, "prefix")?.value;
        const viewset = argument(call.args, 1, "viewset")?.qualified;
        if (!router || typeof prefix !== "string" || !viewset) continue;
        router.registrations.push({ prefix, viewset: index.resolve(viewset, mod.name), file: mod.file, line: call.line });
      }
    }
  }

  has(id: string): boolean {
    return this.routers.has(id);
  }

  /** Whether a class is one of DRF's routers or a project subclass of one (`class NetBoxRouter(DefaultRouter)`). */
  private extends(qualified: string, pattern: RegExp, depth = 0): boolean {
    if (pattern.test(qualified)) return true;
    if (depth > 5) return false;
    const symbol = this.index.symbol(qualified);
    return symbol?.kind === "class" && symbol.fact.bases.some((b) => b.qualified !== null && this.extends(this.index.resolve(b.qualified, symbol.module), pattern, depth + 1));
  }

  ids(): string[] {
    return [...this.routers.keys()];
  }

  /** A router's routes: list/create on the prefix, retrieve/update/partial_update/destroy on `{lookup}`, and `@action`s. */
  routesOf(routerId: string, settings: DjangoSettings): RouterRoute[] {
    const router = this.routers.get(routerId);
    const out: RouterRoute[] = [];
    for (const reg of router?.registrations ?? []) {
      const view = classView(this.index, reg.viewset, reg);
      if (view.chain.length === 0) continue;
      const base = `${router?.base ?? ""}/${regexToPath(reg.prefix)}`;
      const lookup = `{${stringAttribute(view, "lookup_url_kwarg") ?? stringAttribute(view, "lookup_field") ?? "pk"}}`;
      const actions = viewSetActions(this.index, view);
      const allowed = allowsMethod(view);
      for (const { action, method, detail } of ROUTER_ACTIONS) {
        if (!actions.has(action) || !allowed(method)) continue;
        const fn = actions.get(action) ?? null;
        const decision = classViewAuth(this.index, settings, view, method, fn, { wrapper: null, action });
        const details = classViewDetails(this.index, settings.api, view, action, method, fn, true);
        out.push({ endpoint: { ...handlerOf(view, action, fn, "drf", method, detail ? `${base}/${lookup}` : base), ...details }, decision });
      }
      for (const extra of this.extraActions(view)) {
        const path = `${base}/${extra.detail ? `${lookup}/` : ""}${regexToPath(extra.urlPath)}`;
        for (const [method, fn] of extra.methods) {
          if (!allowed(method)) continue;
          const decision = classViewAuth(this.index, settings, view, method, fn, { wrapper: null, permissions: extra.permissions });
          const details = classViewDetails(this.index, settings.api, view, fn.fact.name, method, fn, true, extra.overrides);
          out.push({ endpoint: { ...handlerOf(view, fn.fact.name, fn, "drf", method, path), ...details }, decision });
        }
      }
    }
    return out;
  }

  /** `@action(detail=..., methods=[...], url_path=...)` methods of a viewset (own and inherited), with `@x.mapping.delete` extra methods. */
  extraActions(view: ClassView): ExtraAction[] {
    const out = new Map<string, ExtraAction>();
    const mappings: Array<{ action: string; method: string; fn: FunctionInfo }> = [];
    for (const c of view.chain) {
      for (const fn of this.methodsOf(c.id)) {
        for (const d of fn.fact.decorators) {
          const mapping = /^(\w+)\.mapping\.(\w+)$/.exec(d.name);
          if (mapping) mappings.push({ action: mapping[1] as string, method: (mapping[2] as string).toUpperCase(), fn });
          const name = lastSegment(d.qualified ? this.index.resolve(d.qualified, fn.module) : d.name);
          if (!ACTION_DECORATORS.has(name) || out.has(fn.fact.name)) continue;
          const methods = listItems(d.args.find((a) => a.name === "methods") ?? { text: "", kind: "other" }) ?? ["get"];
          const urlPath = d.args.find((a) => a.name === "url_path")?.value;
          const permissions = d.args.find((a) => a.name === "permission_classes");
          const kwarg = (key: string) => d.args.find((a) => a.name === key);
          out.set(fn.fact.name, {
            fn,
            detail: name === "detail_route" || (name === "action" && d.args.find((a) => a.name === "detail")?.value === true),
            urlPath: typeof urlPath === "string" ? urlPath : fn.fact.name,
            methods: new Map(methods.map((m) => [m.toUpperCase(), fn])),
            permissions: permissions ? permissionSource(permissions, fn.module, `${fn.file}:${d.line}`) : null,
            overrides: { serializer: kwarg("serializer_class"), throttles: kwarg("throttle_classes"), pagination: kwarg("pagination_class"), module: fn.module },
          });
        }
      }
    }
    for (const m of mappings) {
      const action = out.get(m.action);
      if (action && !action.methods.has(m.method)) action.methods.set(m.method, m.fn);
    }
    return [...out.values()];
  }

  /** Methods defined in a class body, in source order. */
  private methodsOf(classId: string): FunctionInfo[] {
    if (!this.methodsByClass) {
      this.methodsByClass = new Map();
      for (const fn of this.index.sortedFunctions()) {
        if (!fn.fact.className || fn.fact.qualname !== `${fn.fact.className}.${fn.fact.name}`) continue;
        const id = `${fn.module}.${fn.fact.className}`;
        this.methodsByClass.set(id, [...(this.methodsByClass.get(id) ?? []), fn]);
      }
    }
    return this.methodsByClass.get(classId) ?? [];
  }
}

function stringAttribute(view: ClassView, name: string): string | null {
  const value = classAttribute(view, name)?.fact.value;
  return typeof value === "string" ? value : null;
}

/** `NestedSimpleRouter(router, r"clients", lookup="client")` → `clients/{client_pk}`. */
function nestedRouterBase(a: AssignmentFact): string {
  const parentPrefix = argument(a.args ?? [], 1, "parent_prefix")?.value;
  const lookup = a.args?.find((x) => x.name === "lookup")?.value;
  if (typeof parentPrefix !== "string") return "";
  return `${regexToPath(parentPrefix)}/{${typeof lookup === "string" ? lookup : "parent"}_pk}`;
}
