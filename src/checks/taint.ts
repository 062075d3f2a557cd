import type { Endpoint, SystemModel } from "../model/types.js";
import type { ArgumentFact, CallFact, FlowFact, ParameterFact } from "../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../python/project-index.js";

/** Where request-controlled data entered the code, and the project calls it crossed to get where it is. */
export interface TaintOrigin {
  /** What the client controls, as written: `request.args`, or `path parameter \`filename\``. */
  source: string;
  file: string;
  line: number;
  /** Project functions the value was passed into on its way, outermost first (`app.files.read_upload`). */
  via: string[];
  /**
   * For a string built around the request value: the fixed text it begins with (`https://api.example.com/`), or
   * `(configured)` when it begins with a value the client does not control (`f"{settings.API_URL}/{x}"`).
   */
  anchor?: string;
}

/** Parameters that never carry client text: framework objects, sessions, dependencies. */
const FRAMEWORK_PARAMS = /^(self|cls|request|req|websocket|ws|background_tasks|response|db|session|conn|connection|info|context|scope|receive|send)$/;
const FRAMEWORK_TYPES = /(^|\.)(Request|HTTPConnection|WebSocket|Response|BackgroundTasks|Session|AsyncSession|Connection|AsyncConnection|SecurityScopes|HttpRequest|WSGIRequest|ASGIRequest|Info|GraphQLResolveInfo)$/;
const NUMERIC_TYPES = /^(int|float|bool|UUID|uuid\.UUID|datetime|date|Decimal|PositiveInt|NonNegativeInt|conint\(.*\)|Optional\[(int|float|bool|UUID)\]|(int|float|bool|UUID) \| None)$/;
const MAX_ROUNDS = 8;

/**
 * Request taint across the project: which names in which functions hold data a client controls.
 *
 * Sources are handler parameters filled from the request (path, query, body, header, cookie) and request
 * attributes read anywhere (`request.args`, `request.GET`, `await request.json()`). Values move through
 * assignments, string building, containers, `for` and `with` targets, arguments into project functions
 * (through the call graph) and project functions' returns. Sanitising calls (`int()`, `len()`, `UUID()`) stop them.
 * The analysis is flow-insensitive within a function: a name tainted anywhere in it is tainted everywhere.
 */
export class TaintAnalysis {
  private readonly tainted = new Map<string, Map<string, TaintOrigin>>();
  private readonly flowsByFunction = new Map<string, { mod: ModuleInfo; flows: FlowFact[] }>();

  constructor(
    private readonly index: ProjectIndex,
    endpoints: readonly Endpoint[],
  ) {
    for (const mod of index.modules.values()) {
      for (const flow of mod.facts.flows ?? []) {
        const id = `${mod.name}.${flow.enclosing}`;
        const entry = this.flowsByFunction.get(id);
        if (entry) entry.flows.push(flow);
        else this.flowsByFunction.set(id, { mod, flows: [flow] });
      }
    }
    for (const endpoint of endpoints) this.seedHandler(endpoint);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let changed = false;
      for (const id of this.flowsByFunction.keys()) if (this.propagateLocally(id)) changed = true;
      if (this.propagateIntoCalls()) changed = true;
      if (!changed) break;
    }
  }

  /** The origin of request data held by `name` in function `functionId`, if any. */
  name(functionId: string, name: string): TaintOrigin | undefined {
    return this.tainted.get(functionId)?.get(name);
  }

  /** Whether an argument of a call carries request data, and from where. */
  argument(mod: ModuleInfo, call: CallFact, arg: ArgumentFact): TaintOrigin | undefined {
    const names = call.enclosing ? this.tainted.get(`${mod.name}.${call.enclosing}`) : undefined;
    let origin: TaintOrigin | undefined;
    if (arg.sources?.length) origin = { source: arg.sources[0] as string, file: mod.file, line: call.line, via: [] };
    else origin = (arg.reads ?? []).map((read) => names?.get(read)).find((o) => o !== undefined);
    return origin ? anchored(origin, arg, names) : undefined;
  }

  private seedHandler(endpoint: Endpoint): void {
    const fn = this.index.functions.get(endpoint.handler);
    if (!fn) return;
    const params = fn.fact.params.filter((p, i) => !(i === 0 && fn.fact.className && /^(self|cls)$/.test(p.name)));
    // Django, DRF and aiohttp pass the request first, whatever it is named
    const requestFirst = endpoint.framework === "django" || endpoint.framework === "drf" || endpoint.framework === "aiohttp";
    for (const [i, param] of params.entries()) {
      if (requestFirst && i === 0) continue;
      if (!clientControlled(param)) continue;
      this.set(fn.id, param.name, { source: `${kindOfParameter(endpoint, param)} \`${param.name}\` of ${endpoint.method} ${endpoint.path}`, file: fn.file, line: fn.fact.line, via: [] });
    }
  }

  private set(functionId: string, name: string, origin: TaintOrigin): boolean {
    let names = this.tainted.get(functionId);
    if (!names) {
      names = new Map();
      this.tainted.set(functionId, names);
    }
    if (names.has(name)) return false;
    names.set(name, origin);
    return true;
  }

  private propagateLocally(functionId: string): boolean {
    const entry = this.flowsByFunction.get(functionId);
    if (!entry) return false;
    let changed = false;
    for (let pass = 0; pass < 6; pass++) {
      let passChanged = false;
      for (const flow of entry.flows) {
        const origin = this.originOf(functionId, entry.mod, flow);
        if (!origin) continue;
        for (const target of flow.targets) if (this.set(functionId, target, origin)) passChanged = true;
      }
      if (!passChanged) break;
      changed = true;
    }
    return changed;
  }

  private originOf(functionId: string, mod: ModuleInfo, flow: FlowFact): TaintOrigin | undefined {
    const names = this.tainted.get(functionId);
    if (flow.sources?.length) return anchored({ source: flow.sources[0] as string, file: mod.file, line: flow.line, via: [] }, flow, names);
    if (names) {
      for (const read of flow.reads) {
        const origin = names.get(read);
        if (origin) return anchored(origin, flow, names);
      }
    }
    if (flow.call) {
      const callee = this.index.resolve(flow.call, mod.name);
      const returned = this.tainted.get(callee)?.get("return");
      if (returned) return { ...returned, via: [callee, ...returned.via] };
    }
    return undefined;
  }

  /** Tainted arguments into project functions taint the parameters they fill. */
  private propagateIntoCalls(): boolean {
    let changed = false;
    for (const [callerId, edges] of this.index.callGraph) {
      const caller = this.index.functions.get(callerId);
      const mod = caller ? this.index.modules.get(caller.module) : undefined;
      if (!caller || !mod || !this.tainted.has(callerId)) continue;
      for (const { target, call } of edges) {
        const callee = this.index.functions.get(target);
        if (!callee) continue;
        const positional = positionalParams(callee);
        let position = 0;
        for (const arg of call.args) {
          const param = arg.name === null ? positional[position++] : callee.fact.params.find((p) => p.name === arg.name)?.name;
          if (!param) continue;
          const origin = this.argument(mod, call, arg);
          if (origin && origin.via.length < 4 && this.set(target, param, { ...origin, via: [target, ...origin.via] })) changed = true;
        }
      }
    }
    return changed;
  }
}

/** The origin as seen through a string built around it: what the string begins with decides what the client can choose. */
function anchored(origin: TaintOrigin, built: { prefix?: string; leadingReads?: string[] }, names: Map<string, TaintOrigin> | undefined): TaintOrigin {
  if (built.prefix !== undefined) return { ...origin, anchor: built.prefix };
  if (built.leadingReads) {
    const leadingTainted = built.leadingReads.some((name) => name === "<request>" || names?.has(name));
    if (leadingTainted) {
      const { anchor: _, ...rest } = origin;
      return rest;
    }
    return { ...origin, anchor: "(configured)" };
  }
  return origin;
}

/** Parameters filled by position, without `self`/`cls` of methods called on an instance or class. */
function positionalParams(fn: FunctionInfo): string[] {
  const names = fn.fact.params.map((p) => p.name);
  return fn.fact.className && /^(self|cls)$/.test(names[0] ?? "") ? names.slice(1) : names;
}

function clientControlled(param: ParameterFact): boolean {
  if (param.dependency || FRAMEWORK_PARAMS.test(param.name)) return false;
  if (param.default && /^(Depends|Security|Provide)\(/.test(param.default)) return false;
  if (param.annotationQualified && FRAMEWORK_TYPES.test(param.annotationQualified)) return false;
  if (param.annotation && NUMERIC_TYPES.test(param.annotation.replace(/\s+/g, " "))) return false;
  return true;
}

function kindOfParameter(endpoint: Endpoint, param: ParameterFact): string {
  if (endpoint.path.includes(`{${param.name}`) || endpoint.path.includes(`<${param.name}>`) || new RegExp(`<\\w+:${param.name}>`).test(endpoint.path)) return "path parameter";
  if (param.default && /^(Header|Cookie|Form|File|Body|Query)\(/.test(param.default)) return `${param.default.slice(0, param.default.indexOf("(")).toLowerCase()} parameter`;
  return "request parameter";
}

const CACHE = new WeakMap<ProjectIndex, TaintAnalysis>();

/** The project's taint analysis, computed once per index and shared by every check that asks. */
export function taintOf(model: SystemModel, index: ProjectIndex): TaintAnalysis {
  let analysis = CACHE.get(index);
  if (!analysis) {
    analysis = new TaintAnalysis(index, model.endpoints);
    CACHE.set(index, analysis);
  }
  return analysis;
}

/** "`request.args` (app/views.py:12), passed through app.files.read" for a finding's message. */
export function describeOrigin(origin: TaintOrigin): string {
  const via = origin.via.length ? `, passed through ${origin.via.map((v) => `\`${v.slice(v.lastIndexOf(".", v.lastIndexOf(".") - 1) + 1)}()\``).join(" → ")}` : "";
  return `${origin.source.startsWith("request") || origin.source.startsWith("self.") ? `\`${origin.source}\`` : origin.source} (${origin.file}:${origin.line}${via})`;
}
