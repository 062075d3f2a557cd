import type { Endpoint, SystemModel } from "../model/types.js";
import type { ArgumentFact, CallFact, FlowFact, ParameterFact } from "../python/facts.js";
import { requestSources } from "../python/names-read.js";
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
   * For a string built around the request value: the fixed text it begins with (`https://api.example.com/`), with
   * `{…}` for values the client does not control (`f"{settings.API_URL}/{x}"` → `{…}/`).
   */
  anchor?: string;
  /** A path parameter whose converter stops at `/` (`{name}`, not `{name:path}`): it cannot climb folders. */
  singleSegment?: boolean;
  /** Data as the client sent it, with whatever keys it chose: a request attribute or a `dict`/`Any` body, not a declared schema. */
  raw?: boolean;
  /** Filled from the route's path (`{slug}`). */
  pathParameter?: boolean;
  /** Kept only where it matched a collection the code holds (`[f for f in names if f in ALLOWED]`). */
  allowListed?: boolean;
  /** Passed through URL or HTML encoding (`quote`, `urlencode`): `<`, `>` and quotes cannot reach a page as markup. */
  htmlSafe?: boolean;
  /** Where the value was last built into a string (`url = f"https://{host}/x"`), when that is not at the sink. */
  builtAt?: { file: string; line: number };
}

/** Parameters that never carry client text: framework objects, sessions, dependencies. */
const FRAMEWORK_PARAMS = /^(self|cls|request|req|websocket|ws|background_tasks|response|db|session|conn|connection|info|context|scope|receive|send)$/;
const FRAMEWORK_TYPES = /(^|\.)(Request|HTTPConnection|WebSocket|Response|BackgroundTasks|Session|AsyncSession|Connection|AsyncConnection|SecurityScopes|HttpRequest|WSGIRequest|ASGIRequest|Info|GraphQLResolveInfo)$/;
const NUMERIC_TYPES = /^(int|float|bool|UUID|uuid\.UUID|datetime|date|Decimal|PositiveInt|NonNegativeInt|conint\(.*\)|Optional\[(int|float|bool|UUID)\]|(int|float|bool|UUID) \| None)$/;
const MAX_ROUNDS = 8;
/** Library functions whose result carries their arguments' text: string, path and URL building, decoding, copying. */
const PASSTHROUGH = /^(str|repr|format|list|tuple|dict|set|frozenset|sorted|reversed|min|max|next|iter|bytes|bytearray|getattr|os\.path\.\w+|os\.fspath|posixpath\.\w+|ntpath\.\w+|path\.(join|normpath|abspath|expanduser)|pathlib\.(Pure)?(Posix)?Path|Path|PurePath|urllib\.parse\.\w+|urljoin|urlunparse|urlunsplit|quote|quote_plus|unquote|unquote_plus|json\.loads|base64\.\w+|binascii\.\w+|copy\.(deep)?copy|shlex\.split|html\.unescape|codecs\.decode|yaml\.safe_load|yarl\.URL|httpx\.URL|furl\.furl)$/;
/** URL encoders: what they return carries the client's text, but never markup. */
const ENCODER = /(^|\.)(quote|quote_plus|urlencode)$/;
/** Functions that say they make a value safe (zulip's `mark_sanitized`, a project's `sanitize_path`). */
const SANITISING_NAME = /(^|\.)(mark_sanitized|\w*sanitize\w*|secure_filename|get_valid_filename)$/;
/** Methods that return (part of) the text they are called on or given: `"/".join(parts)`, `template.format(x)`. */
const STRING_METHOD = /\.(format|join|strip|lstrip|rstrip|lower|upper|replace|split|rsplit|removeprefix|removesuffix|decode|encode|casefold|title|zfill|ljust|rjust|expandtabs|format_map)$/;
/** A call ending in a text method applied to another call's result: `_("...").format(x)`, `gettext("...").format(x)`. */
const TEXT_METHOD_LAST = /^[A-Za-z_][\w.]*\([^()]*\)\s*\.(format|format_map)\([^()]*(\([^()]*\)[^()]*)*\)\s*$/;
/** Functions that build a URL of this site from a route name: what they return stays on the site. */
const URL_BUILDERS = /(^|\.)(url_for|url_path_for|reverse|reverse_lazy|resolve_url)$/;

/** An origin read straight from the request; the request's own path always begins with `/`. */
function sourceOrigin(source: string, file: string, line: number): TaintOrigin {
  const origin: TaintOrigin = { source, file, line, via: [], raw: true };
  if (/\.(path|full_path)$/.test(source)) origin.anchor = "/(this request's path)";
  return origin;
}

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
    for (const endpoint of routedFunctions(index, new Set(endpoints.map((e) => e.handler)))) this.seedHandler(endpoint);
    // callers of each function: when what a function holds changes, what its callers get back from it may too
    const callers = new Map<string, string[]>();
    for (const [caller, edges] of index.callGraph) {
      for (const { target } of edges) {
        const list = callers.get(target);
        if (list) list.push(caller);
        else callers.set(target, [caller]);
      }
    }
    // a worklist: the first round visits every function, later rounds only those whose inputs changed
    let dirty: Set<string> | null = null;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const next = new Set<string>();
      const visited = dirty ?? new Set([...this.flowsByFunction.keys(), ...index.callGraph.keys(), ...this.tainted.keys()]);
      for (const id of visited) {
        if (!this.propagateLocally(id)) continue;
        next.add(id);
        for (const caller of callers.get(id) ?? []) next.add(caller);
      }
      for (const target of this.propagateIntoCalls(dirty === null ? null : visited)) {
        next.add(target);
        for (const caller of callers.get(target) ?? []) next.add(caller);
      }
      if (next.size === 0) break;
      dirty = next;
    }
  }

  /** The origin of request data held by `name` in function `functionId`, if any. */
  name(functionId: string, name: string): TaintOrigin | undefined {
    return this.tainted.get(functionId)?.get(name);
  }

  /** Whether the value a flow moves (an assignment's right side, a returned expression) carries request data. */
  flow(mod: ModuleInfo, flow: FlowFact): TaintOrigin | undefined {
    return this.originOf(`${mod.name}.${flow.enclosing}`, mod, flow);
  }

  /** Whether an argument of a call carries request data, and from where. */
  argument(mod: ModuleInfo, call: CallFact, arg: ArgumentFact): TaintOrigin | undefined {
    const names = call.enclosing ? this.tainted.get(`${mod.name}.${call.enclosing}`) : undefined;
    // `_("user {} not found").format(name)`, `", ".join(names)` on a call's result: the text method decides, not the inner call
    if (arg.kind === "call" && TEXT_METHOD_LAST.test(arg.text)) return this.fromValue(mod, call.line, arg, names);
    if (arg.kind === "call") {
      const callee = /^([A-Za-z_][\w.]*|[rbuf]*(?:"[^"]*"|'[^']*')\.\w+)\s*\(/i.exec(arg.text)?.[1];
      if (callee) return this.originOfCall(mod, call.line, callee, this.resolveCallee(mod, call, callee), arg, names);
    }
    return this.fromValue(mod, call.line, arg, names);
  }

  /** The qualified name of a call written inside another call's argument, through the module's imports. */
  private resolveCallee(mod: ModuleInfo, call: CallFact, callee: string): string | null {
    if (!/^[A-Za-z_][\w.]*$/.test(callee)) return null;
    const nested = mod.facts.calls.find((c) => c.callee === callee && c.line >= call.line && c.line <= call.endLine && c.qualified);
    return nested?.qualified ? this.index.resolve(nested.qualified, mod.name) : null;
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
      const kind = kindOfParameter(endpoint, param);
      const origin: TaintOrigin = { source: `${kind} \`${param.name}\` of ${endpoint.method} ${endpoint.path}`, file: fn.file, line: fn.fact.line, via: [] };
      if (kind === "path parameter") origin.pathParameter = true;
      if (kind === "path parameter" && !endpoint.path.includes(`{${param.name}:path}`)) origin.singleSegment = true;
      if (param.annotation && /^(dict|Dict|Mapping|MutableMapping|Any|Json|JSON|typing\.Any)\b/.test(param.annotation)) origin.raw = true;
      this.set(fn.id, param.name, origin);
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
    if (flow.callee !== undefined) return this.originOfCall(mod, flow.line, flow.callee, flow.call ? this.index.resolve(flow.call, mod.name) : null, flow, names);
    const origin = this.fromValue(mod, flow.line, flow, names);
    return origin && flow.allowListed ? { ...origin, allowListed: true } : origin;
  }

  /**
   * What a call gives back. Request data read by the callee itself (`request.args.get`) or a method of a tainted value
   * (`url.strip()`) is tainted; a project function's result is tainted when it returns request data; a library call
   * passes its arguments' taint on only when it transforms text or paths (`os.path.join`, `urljoin`, `str`). Anything
   * else (an ORM lookup by a client id, a parser, a sanitiser) returns the library's value, not the client's.
   */
  private originOfCall(mod: ModuleInfo, line: number, callee: string, resolved: string | null, value: { reads?: string[]; sources?: string[]; prefix?: string; leadingReads?: string[] }, names: Map<string, TaintOrigin> | undefined): TaintOrigin | undefined {
    if (resolved && URL_BUILDERS.test(resolved)) return undefined;
    // request data the call chain itself reads (`request.args.get`), not what its inner calls are given
    const own = requestSources(withoutArguments(callee));
    if (own.length) return sourceOrigin(own[0] as string, mod.file, line);
    const head = /^[A-Za-z_]\w*/.exec(callee)?.[0];
    if (head && callee.includes(".") && names?.has(head)) return names.get(head);
    if (resolved && SANITISING_NAME.test(resolved)) return undefined;
    if (resolved && this.index.functions.has(resolved)) {
      const returned = this.tainted.get(resolved)?.get("return");
      if (!returned) return undefined;
      // request data the function reads itself comes back from every call; data that came in through its
      // parameters comes back only from calls that pass some (`mark_sanitized(x)` returns whatever it is given)
      if (returned.via[0] !== resolved) return { ...returned, via: [resolved, ...returned.via] };
      const passed = this.fromValue(mod, line, value, names);
      // the function's own string building decides what its result begins with (`f"{settings.BASE}{path}"`)
      return passed ? { ...passed, ...(returned.anchor !== undefined ? { anchor: returned.anchor } : {}), via: [resolved, ...passed.via] } : undefined;
    }
    if (!PASSTHROUGH.test(resolved ?? callee) && !/^[rbuf]*["']/i.test(callee) && !STRING_METHOD.test(callee)) return undefined;
    const passed = this.fromValue(mod, line, value, names);
    return passed && ENCODER.test(resolved ?? callee) ? { ...passed, htmlSafe: true } : passed;
  }

  /** Request data an expression reads directly or through a tainted name, seen through the string it builds. */
  private fromValue(mod: ModuleInfo, line: number, value: { reads?: string[]; sources?: string[]; prefix?: string; leadingReads?: string[] }, names: Map<string, TaintOrigin> | undefined): TaintOrigin | undefined {
    const at = { file: mod.file, line };
    if (value.sources?.length) return anchored(sourceOrigin(value.sources[0] as string, mod.file, line), value, names, at);
    const reads = value.reads ?? [];
    const read = reads.filter((name) => !name.startsWith("~")).map((name) => names?.get(name)).find((o) => o !== undefined);
    if (read) return anchored(read, value, names, at);
    // read only through an encoder (`escape(name)`, `quote(url)`): the text goes on, but not as markup
    const encoded = reads.filter((name) => name.startsWith("~")).map((name) => names?.get(name.slice(1))).find((o) => o !== undefined);
    return encoded ? anchored({ ...encoded, htmlSafe: true }, value, names, at) : undefined;
  }

  /**
   * Tainted arguments into project functions taint the parameters they fill. Looks at the calls made by `callers`
   * (every function when null) and returns the functions whose parameters were newly tainted.
   */
  private propagateIntoCalls(callers: Set<string> | null): Set<string> {
    const changed = new Set<string>();
    for (const [callerId, edges] of this.index.callGraph) {
      if (callers && !callers.has(callerId)) continue;
      const caller = this.index.functions.get(callerId);
      const mod = caller ? this.index.modules.get(caller.module) : undefined;
      if (!caller || !mod) continue;
      // with no tainted name, only an argument reading the request itself can carry request data
      const anyTainted = this.tainted.has(callerId);
      for (const { target, call } of edges) {
        const callee = this.index.functions.get(target);
        if (!callee) continue;
        const positional = positionalParams(callee);
        let position = 0;
        for (const arg of call.args) {
          const param = arg.name === null ? positional[position++] : callee.fact.params.find((p) => p.name === arg.name)?.name;
          if (!param || (!anyTainted && !arg.sources?.length)) continue;
          const origin = this.argument(mod, call, arg);
          if (origin && origin.via.length < 4 && this.set(target, param, { ...origin, via: [target, ...origin.via] })) changed.add(target);
        }
      }
    }
    return changed;
  }
}

/** The origin as seen through a string built around it: what the string begins with decides what the client can choose. */
function anchored(origin: TaintOrigin, built: { prefix?: string; leadingReads?: string[] }, names: Map<string, TaintOrigin> | undefined, at: { file: string; line: number }): TaintOrigin {
  if (built.prefix === undefined) return origin;
  // `f"/{query}"` where the query begins with `?`: a local path, whatever follows
  if (built.prefix === "/" && origin.anchor && /^[?#]/.test(origin.anchor)) return { ...origin, anchor: `/${origin.anchor}`, builtAt: at };
  if (built.leadingReads?.some((name) => name === "<request>" || names?.has(name))) {
    const { anchor: _, ...rest } = origin;
    return { ...rest, builtAt: at };
  }
  return { ...origin, anchor: built.prefix, builtAt: at };
}

/** A call chain without what its calls are given: `Topic.query.filter_by(id=request.form["id"]).first` → `Topic.query.filter_by().first`. */
function withoutArguments(chain: string): string {
  let out = chain;
  for (let guard = 0; guard < 6; guard++) {
    const next = out.replace(/\([^()]*\)|\[[^[\]]*\]/g, "()");
    if (next === out) break;
    out = next;
  }
  return out;
}

const ROUTE_DECORATOR = /\.(route|get|post|put|patch|delete|api_route)$/;

/**
 * Functions routed by a decorator that the endpoint inventory does not list because another handler already
 * serves the same method and path (test modules, versioned duplicates): their parameters still come from requests.
 */
export function* routedFunctions(index: ProjectIndex, listed: Set<string>): Generator<Endpoint> {
  for (const fn of index.functions.values()) {
    if (listed.has(fn.id)) continue;
    for (const decorator of fn.fact.decorators) {
      const path = decorator.args[0];
      if (!ROUTE_DECORATOR.test(decorator.name) || typeof path?.value !== "string" || !path.value.startsWith("/")) continue;
      const qualified = decorator.qualified ? index.resolve(decorator.qualified, fn.module) : "";
      const framework = /^(fastapi|starlette)\./.test(qualified) ? "fastapi" : "flask";
      const route = framework === "flask" ? path.value.replace(/<(?:([^<>:]*):)?(\w+)>/g, (_, converter: string | undefined, name: string) => (converter === "path" ? `{${name}:path}` : `{${name}}`)) : path.value;
      yield { method: "ANY", path: route, handler: fn.id, file: fn.file, line: fn.fact.line, isAsync: fn.fact.isAsync, framework, auth: null, authReason: "" };
      break;
    }
  }
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
  if (endpoint.path.includes(`{${param.name}}`) || endpoint.path.includes(`{${param.name}:`)) return "path parameter";
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

/** Names of functions that check a URL or a path before it is used: `is_safe_url`, `validate_crawlable_url`, `_allow_redirect`. */
export const SAFETY_CHECK = /(^|\.)(url_has_allowed_host_and_scheme|\w*(safe|allow|valid|trusted|whitelist|ssrf|same_?(origin|site|host)|is_local)\w*)$/i;

/**
 * Whether the function holding a sink, or a project function the value went through, calls a check by its name
 * (`validate_crawlable_url(url)`, `is_safe_url(target)`): the code vets the value, so a finding would second-guess it.
 */
export function vettedOnTheWay(index: ProjectIndex, functionId: string | null, origin: TaintOrigin, check: RegExp = SAFETY_CHECK): boolean {
  const functions = [...(functionId ? [functionId] : []), ...origin.via];
  return functions.some((id) => index.callsIn(id).some(({ call }) => check.test(call.callee)));
}

/** "`request.args` (app/views.py:12), passed through app.files.read" for a finding's message. */
export function describeOrigin(origin: TaintOrigin): string {
  const via = origin.via.length ? `, passed through ${origin.via.map((v) => `\`${v.slice(v.lastIndexOf(".", v.lastIndexOf(".") - 1) + 1)}()\``).join(" → ")}` : "";
  return `${/^(self\.|flask\.)?(request|req)\./.test(origin.source) ? `\`${origin.source}\`` : origin.source} (${origin.file}:${origin.line}${via})`;
}
