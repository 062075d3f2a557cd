import { compareCodeUnits } from "../core/diagnostics.js";
import { type Effect, effectOf } from "./effects.js";
import type { AssignmentFact, CallFact, ClassFact, FileFacts, FunctionFact, ImportFact } from "./facts.js";
import { findCycles } from "./graph.js";
import { resultOfCall } from "./scope.js";

export interface ModuleInfo {
  name: string;
  file: string;
  isPackage: boolean;
  facts: FileFacts;
}

export interface FunctionInfo {
  /** `app.services.orders.create_order`, `app.services.Orders.create`. */
  id: string;
  module: string;
  file: string;
  fact: FunctionFact;
}

export interface ImportEdge {
  from: string;
  to: string;
  line: number;
  file: string;
}

/** One step of a call chain: the call made in `function`, at `file:line`. */
export interface ChainStep {
  function: string;
  file: string;
  line: number;
  snippet: string;
  callee: string;
}

export interface EffectChain {
  effect: Effect;
  /** From the function's own call down to the call that has the effect. */
  steps: ChainStep[];
  /** The parameter of the chain's first function whose truth guards its first step (`if save_consent: self._save()`). */
  flag?: string;
}

export interface FunctionSummary {
  isAsync: boolean;
  /** Shortest chain to a blocking call other than a sync database call, if any. */
  blocking: EffectChain | null;
  /** Shortest chain to a sync database call, if any. */
  syncDb: EffectChain | null;
  /** The shortest chains that no flag parameter guards, when the shortest ones are guarded. */
  blockingUnflagged?: EffectChain | null;
  syncDbUnflagged?: EffectChain | null;
}

export type SymbolRef =
  | { kind: "function"; info: FunctionInfo }
  | { kind: "class"; module: string; file: string; fact: ClassFact }
  | { kind: "assignment"; module: string; file: string; fact: AssignmentFact };

/** The shortest chain offered, and the shortest one that no flag parameter guards. */
class Chains {
  any: EffectChain | null = null;
  unflagged: EffectChain | null = null;
  offer(chain: EffectChain): void {
    if (!this.any || this.any.steps.length > chain.steps.length) this.any = chain;
    if (!chain.flag && (!this.unflagged || this.unflagged.steps.length > chain.steps.length)) this.unflagged = chain;
  }
}

/** The project's Python code as one connected whole: modules, imports, symbols, call graph, summaries. */
export class ProjectIndex {
  readonly modules = new Map<string, ModuleInfo>();
  readonly moduleByFile = new Map<string, string>();
  readonly functions = new Map<string, FunctionInfo>();
  readonly imports: ImportEdge[] = [];
  readonly cycles: string[][];
  /** function id → resolved project function ids it calls, with the call. */
  readonly callGraph = new Map<string, Array<{ target: string; call: CallFact }>>();
  /** module → name → what an import binds it to (absolute). */
  private readonly importBindings = new Map<string, Map<string, string>>();
  /** module → modules it star-imports (`from .columns import *`), searched for names it does not bind itself. */
  private readonly wildcards = new Map<string, string[]>();
  /** module → name → the type of a module variable assigned from a call (`sqlalchemy.Engine`). */
  private readonly valueTypes = new Map<string, Map<string, string>>();
  private readonly symbols = new Map<string, SymbolRef>();
  private readonly summaries = new Map<string, FunctionSummary>();

  constructor(
    readonly files: FileFacts[],
    sourceRoots: string[],
  ) {
    for (const facts of files) {
      const { name, isPackage } = moduleNameFor(facts.path, sourceRoots);
      if (!name || this.modules.has(name)) continue;
      this.modules.set(name, { name, file: facts.path, isPackage, facts });
      this.moduleByFile.set(facts.path, name);
    }
    for (const mod of this.modules.values()) this.indexModule(mod);
    for (const mod of this.modules.values()) this.linkImports(mod);
    for (const fn of this.functions.values()) this.linkCalls(fn);
    this.cycles = findCycles(
      [...this.modules.keys()],
      this.imports.map((e) => [e.from, e.to]),
    );
  }

  private indexModule(mod: ModuleInfo): void {
    const names = new Map<string, string>();
    const types = new Map<string, string>();
    for (const imp of mod.facts.imports) {
      if (imp.insideFunction) continue;
      const base = this.absoluteModule(imp, mod);
      if (imp.names === null) {
        if (imp.alias) names.set(imp.alias, base);
        continue;
      }
      for (const { name, alias } of imp.names) {
        if (name !== "*") names.set(alias ?? name, base ? `${base}.${name}` : name);
        else if (base) this.wildcards.set(mod.name, [...(this.wildcards.get(mod.name) ?? []), base]);
      }
    }
    for (const a of mod.facts.assignments) {
      this.symbols.set(`${mod.name}.${a.target}`, { kind: "assignment", module: mod.name, file: mod.file, fact: a });
      if (a.kind === "call" && a.callee) types.set(a.target, resultOfCall(this.absolutize(a.callee, mod.name)));
    }
    for (const c of mod.facts.classes) this.symbols.set(`${mod.name}.${c.qualname}`, { kind: "class", module: mod.name, file: mod.file, fact: c });
    for (const f of mod.facts.functions) {
      const info: FunctionInfo = { id: `${mod.name}.${f.qualname}`, module: mod.name, file: mod.file, fact: f };
      this.functions.set(info.id, info);
      this.symbols.set(info.id, { kind: "function", info });
    }
    this.importBindings.set(mod.name, names);
    this.valueTypes.set(mod.name, types);
  }

  private linkImports(mod: ModuleInfo): void {
    const seen = new Set<string>();
    for (const imp of mod.facts.imports) {
      if (imp.insideFunction || imp.typeCheckingOnly) continue;
      const base = this.absoluteModule(imp, mod);
      const targets: string[] = [];
      if (imp.names === null) targets.push(base);
      else {
        for (const { name } of imp.names) {
          if (this.modules.has(`${base}.${name}`)) targets.push(`${base}.${name}`);
          // `from pkg import Name` where pkg/__init__.py re-exports Name: the edge goes to the module defining it
          else if (name !== "*" && this.modules.get(base)?.isPackage) targets.push(this.resolveSymbol(`${base}.${name}`, mod.name));
          else targets.push(base);
        }
      }
      for (const target of targets) {
        const resolved = this.projectModuleOf(target);
        if (!resolved || resolved === mod.name || seen.has(resolved)) continue;
        seen.add(resolved);
        this.imports.push({ from: mod.name, to: resolved, line: imp.line, file: mod.file });
      }
    }
  }

  private linkCalls(fn: FunctionInfo): void {
    const facts = this.modules.get(fn.module)?.facts;
    if (!facts) return;
    const edges: Array<{ target: string; call: CallFact }> = [];
    for (const call of facts.calls) {
      if (call.enclosing !== fn.fact.qualname || !call.qualified) continue;
      const target = this.resolve(call.qualified, fn.module);
      const symbol = this.symbols.get(target);
      if (symbol?.kind === "function" && target !== fn.id) edges.push({ target, call });
    }
    this.callGraph.set(fn.id, edges);
  }

  /** `app.services`, `.db`, `..core.config` → absolute module name, as Python would resolve it from `mod`. */
  private absoluteModule(imp: ImportFact, mod: ModuleInfo): string {
    if (imp.level === 0) return imp.module;
    const parts = mod.name.split(".");
    const packageParts = mod.isPackage ? parts : parts.slice(0, -1);
    const base = packageParts.slice(0, Math.max(0, packageParts.length - (imp.level - 1)));
    return [...base, ...(imp.module ? [imp.module] : [])].join(".");
  }

  /** Turns a file-level qualified name (`#x`, `.db.get`, `requests.get`) into an absolute one. */
  absolutize(qualified: string, moduleName: string): string {
    if (qualified.startsWith("#")) return `${moduleName}.${qualified.slice(1)}`;
    if (qualified.startsWith(".")) {
      const level = qualified.length - qualified.replace(/^\.+/, "").length;
      const rest = qualified.slice(level);
      const mod = this.modules.get(moduleName);
      const parts = moduleName.split(".");
      const packageParts = mod?.isPackage ? parts : parts.slice(0, -1);
      const base = packageParts.slice(0, Math.max(0, packageParts.length - (level - 1)));
      return [...base, rest].filter(Boolean).join(".");
    }
    return qualified;
  }

  /**
   * Fully resolves a qualified name through project re-exports and typed module variables:
   * `app.db.SessionLocal()` → `sqlalchemy.orm.Session`, `app.api.deps.get_db` (re-exported) → its definition.
   */
  resolve(qualified: string, fromModule: string): string {
    // every check resolves the same calls: remember each answer (the index does not change once built)
    // two levels, so the lookup hashes strings the facts already hold instead of building a key per call
    let inModule = this.resolved.get(fromModule);
    if (!inModule) {
      inModule = new Map();
      this.resolved.set(fromModule, inModule);
    }
    let resolved = inModule.get(qualified);
    if (resolved === undefined) {
      resolved = this.follow(qualified, fromModule, true);
      inModule.set(qualified, resolved);
    }
    return resolved;
  }

  private readonly resolved = new Map<string, Map<string, string>>();

  /**
   * Resolves through imports and re-exports only, keeping the identity of module variables:
   * `#router.get` → `app.api.routes.items.router.get`, where `resolve` would give `fastapi.APIRouter.get`.
   */
  resolveSymbol(qualified: string, fromModule: string): string {
    return this.follow(qualified, fromModule, false);
  }

  private follow(qualified: string, fromModule: string, throughTypes: boolean): string {
    let current = this.absolutize(qualified, fromModule);
    for (let guard = 0; guard < 10; guard++) {
      const next = this.resolveStep(current, throughTypes);
      if (next === current) break;
      current = next;
    }
    return throughTypes ? this.instancesOfClasses(current) : current;
  }

  /**
   * `X()` where X is a class means "an instance of X", written `X` so its methods read
   * `X.method`: project classes by the symbol table, third-party ones by their CapWords name
   * (`requests.Session().get` → `requests.Session.get`).
   */
  private instancesOfClasses(name: string): string {
    if (!name.includes("()")) return name;
    const segments = name.split(".");
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      if (!segment.endsWith("()")) continue;
      const bare = segment.slice(0, -2);
      const prefix = [...segments.slice(0, i), bare].join(".");
      const isClass = this.projectModuleOf(prefix) !== null ? this.symbols.get(prefix)?.kind === "class" : /^[A-Z]/.test(bare) && !/^[A-Z0-9_]+$/.test(bare);
      if (isClass) segments[i] = bare;
    }
    return segments.join(".");
  }

  private resolveStep(name: string, throughTypes: boolean): string {
    const segments = name.split(".");
    for (let i = segments.length - 1; i >= 1; i--) {
      const mod = segments.slice(0, i).join(".");
      if (!this.modules.has(mod)) continue;
      const raw = segments[i] as string;
      const isCall = raw.endsWith("()");
      const head = isCall ? raw.slice(0, -2) : raw;
      const bound = this.importBindings.get(mod)?.get(head) ?? (throughTypes && (isCall || i < segments.length - 1) ? this.valueTypes.get(mod)?.get(head) : undefined) ?? this.fromWildcard(mod, head);
      if (bound === undefined || bound === `${mod}.${head}`) return name;
      const replaced = isCall ? resultOfCall(bound) : bound;
      return [replaced, ...segments.slice(i + 1)].join(".");
    }
    return name;
  }

  /** A name a module does not define but star-imports from a project module that defines or binds it. */
  private fromWildcard(module: string, name: string, depth = 0): string | undefined {
    if (this.symbols.has(`${module}.${name}`) || depth > 4) return undefined;
    for (const source of this.wildcards.get(module) ?? []) {
      if (!this.modules.has(source)) continue;
      if (this.symbols.has(`${source}.${name}`) || this.importBindings.get(source)?.has(name)) return `${source}.${name}`;
      const deeper = this.fromWildcard(source, name, depth + 1);
      if (deeper) return deeper;
    }
    return undefined;
  }

  /** The project module a dotted name points into (the longest module prefix), or null for third-party names. */
  projectModuleOf(name: string): string | null {
    const segments = name.split(".");
    for (let i = segments.length; i >= 1; i--) {
      const mod = segments.slice(0, i).join(".");
      if (this.modules.has(mod)) return mod;
    }
    return null;
  }

  /**
   * The literal value a name stands for, when the code makes it plain: a module constant
   * (`API_PREFIX = "/api"`) or a class attribute default reached through an instance
   * (`settings.API_V1_STR` with `settings = Settings()` and `API_V1_STR: str = "/api/v1"`).
   */
  constantValue(qualified: string, fromModule: string): string | number | boolean | null | undefined {
    const resolved = this.resolve(qualified, fromModule);
    const direct = this.symbols.get(resolved);
    if (direct?.kind === "assignment") return direct.fact.value;
    const dot = resolved.lastIndexOf(".");
    if (dot < 0) return undefined;
    const owner = this.symbols.get(resolved.slice(0, dot));
    if (owner?.kind !== "class") return undefined;
    const attribute = resolved.slice(dot + 1);
    return owner.fact.assignments.find((a) => a.target === attribute)?.value;
  }

  symbol(absoluteName: string): SymbolRef | undefined {
    return this.symbols.get(absoluteName);
  }

  /** Top-level project package names (`app`), used to tell project imports from third-party ones. */
  topLevelPackages(): Set<string> {
    return new Set([...this.modules.keys()].map((m) => m.split(".")[0] as string));
  }

  /** Per-function summary, propagated through the call graph (sync project helpers only). */
  summary(functionId: string): FunctionSummary {
    const cached = this.summaries.get(functionId);
    if (cached) return cached;
    const info = this.functions.get(functionId);
    const placeholder: FunctionSummary = { isAsync: info?.fact.isAsync ?? false, blocking: null, syncDb: null };
    this.summaries.set(functionId, placeholder); // cycle guard
    if (!info) return placeholder;
    const facts = this.modules.get(info.module)?.facts;
    const step = (call: CallFact): ChainStep => ({ function: functionId, file: info.file, line: call.line, snippet: call.snippet, callee: call.callee });
    const params = new Set(info.fact.params.map((p) => p.name));
    // a step under `if flag:` where `flag` is a parameter runs only when the caller passes a true value
    const flagOf = (call: CallFact): string | undefined => (call.guard && params.has(call.guard) ? call.guard : undefined);
    const best = { blocking: new Chains(), syncDb: new Chains() };
    for (const call of facts?.calls ?? []) {
      if (call.enclosing !== info.fact.qualname || call.awaited) continue;
      const effect = effectOf(call.qualified ? this.resolve(call.qualified, info.module) : null);
      if (!effect?.blocking) continue;
      const flag = flagOf(call);
      best[effect.kind === "sync-db" ? "syncDb" : "blocking"].offer({ effect, steps: [step(call)], ...(flag ? { flag } : {}) });
    }
    for (const edge of this.callGraph.get(functionId) ?? []) {
      if (edge.call.awaited) continue;
      const target = this.summary(edge.target);
      if (target.isAsync) continue;
      const flag = flagOf(edge.call);
      for (const kind of ["blocking", "syncDb"] as const) {
        const inner = this.chainThrough(edge.call, edge.target, target, kind);
        if (inner) best[kind].offer({ effect: inner.effect, steps: [step(edge.call), ...inner.steps], ...(flag ? { flag } : {}) });
      }
    }
    const summary: FunctionSummary = {
      isAsync: info.fact.isAsync,
      blocking: best.blocking.any,
      syncDb: best.syncDb.any,
      ...(best.blocking.any?.flag ? { blockingUnflagged: best.blocking.unflagged } : {}),
      ...(best.syncDb.any?.flag ? { syncDbUnflagged: best.syncDb.unflagged } : {}),
    };
    this.summaries.set(functionId, summary);
    return summary;
  }

  /**
   * The shortest chain of `kind` in a sync project function, as a call to it with these arguments can run: a chain
   * guarded by a flag parameter is skipped when the call passes that flag as a false constant (`save_consent=False`).
   */
  chainThrough(call: CallFact, targetId: string, target: FunctionSummary, kind: "blocking" | "syncDb"): EffectChain | null {
    const chain = target[kind];
    if (!chain?.flag) return chain;
    const fn = this.functions.get(targetId);
    const named = call.args.find((a) => a.name === chain.flag);
    const position = fn ? fn.fact.params.filter((p) => p.name !== "self" && p.name !== "cls").findIndex((p) => p.name === chain.flag) : -1;
    const positional = position >= 0 ? call.args.filter((a) => a.name === null)[position] : undefined;
    const passed = named ?? positional;
    const off = passed !== undefined && (passed.value === false || passed.value === null || passed.value === 0 || passed.text === "False" || passed.text === "None");
    return off ? (kind === "blocking" ? (target.blockingUnflagged ?? null) : (target.syncDbUnflagged ?? null)) : chain;
  }

  /** The calls a function makes (not those of nested functions), with their fully resolved callee. */
  callsIn(functionId: string): Array<{ call: CallFact; resolved: string | null }> {
    const info = this.functions.get(functionId);
    const facts = info ? this.modules.get(info.module)?.facts : undefined;
    if (!info || !facts) return [];
    return facts.calls
      .filter((c) => c.enclosing === info.fact.qualname)
      .map((call) => ({ call, resolved: call.qualified ? this.resolve(call.qualified, info.module) : null }));
  }

  /** Every function reachable from `roots` through the call graph, roots included. */
  reachableFrom(roots: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const edge of this.callGraph.get(id) ?? []) stack.push(edge.target);
    }
    return seen;
  }

  /** Functions in a stable order (by file, then line). */
  sortedFunctions(): FunctionInfo[] {
    return [...this.functions.values()].sort((a, b) => compareCodeUnits(a.file, b.file) || a.fact.line - b.fact.line);
  }
}

/**
 * Module name of a file under the deepest source root containing it: `backend/app/api/deps.py`
 * with root `backend` → `app.api.deps`; `pkg/__init__.py` → `pkg` (a package).
 */
export function moduleNameFor(path: string, sourceRoots: string[]): { name: string; isPackage: boolean } {
  let best = "";
  for (const root of sourceRoots) {
    if (root === "" || path.startsWith(`${root}/`)) {
      if (root.length >= best.length) best = root;
    }
  }
  const rel = best ? path.slice(best.length + 1) : path;
  const parts = rel.replace(/\.py$/, "").split("/");
  const isPackage = parts[parts.length - 1] === "__init__";
  if (isPackage) parts.pop();
  if (parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return { name: parts.join("."), isPackage };
  return { name: parts.join("."), isPackage };
}

/** Source roots: the repository root, `src/` folders, and folders holding a project manifest or manage.py. */
export function detectSourceRoots(paths: string[]): string[] {
  const roots = new Set<string>([""]);
  const pathSet = new Set(paths);
  for (const p of paths) {
    const slash = p.lastIndexOf("/");
    const dir = slash < 0 ? "" : p.slice(0, slash);
    const base = p.slice(slash + 1);
    if (base === "pyproject.toml" || base === "setup.py" || base === "setup.cfg") roots.add(dir);
    // a manage.py inside a package (`src/app/database/manage.py`) is a CLI module, not a Django project root
    if (base === "manage.py" && !pathSet.has(dir ? `${dir}/__init__.py` : "__init__.py")) roots.add(dir);
    if (dir === "src" || dir.endsWith("/src")) roots.add(dir);
    const srcIndex = p.indexOf("src/");
    if (srcIndex === 0 || (srcIndex > 0 && p[srcIndex - 1] === "/")) roots.add(p.slice(0, srcIndex + 3));
  }
  return [...roots].sort(compareCodeUnits);
}
