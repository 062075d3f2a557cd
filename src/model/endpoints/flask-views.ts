import type { ArgumentFact, ClassFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { type AuthMark, markFromDecorator, markFromText } from "./flask-auth.js";

export type ClassRef = { module: string; file: string; fact: ClassFact };

/** What `view_func=` registers: a function or a class-based view, and the calls wrapped around it (`login_required(...)`). */
export interface ViewTarget {
  fn?: FunctionInfo;
  cls?: ClassRef;
  wrappers: AuthMark[];
}

/** Methods a `MethodView`/`Resource` serves when it defines them (Flask's `http_method_funcs`). */
const VIEW_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

/**
 * The view an argument names: a project function, `ItemAPI.as_view("item")`, a module variable
 * holding one, or either inside wrapper calls. Calls inside an argument are found among the
 * module's calls on the argument's lines (`from`..`to`), by their callee text.
 */
export function viewOf(index: ProjectIndex, arg: ArgumentFact, module: string, from: number, to: number, depth = 0): ViewTarget | null {
  if (depth > 4) return null;
  if (arg.qualified) {
    const symbol = index.symbol(index.resolveSymbol(arg.qualified, module));
    if (symbol?.kind === "function") return { fn: symbol.info, wrappers: [] };
    // `item_view = ItemAPI.as_view("item")` at module level
    if (symbol?.kind === "assignment" && symbol.fact.kind === "call" && symbol.fact.callee) {
      const name = symbol.fact.text.slice(0, symbol.fact.text.indexOf("(")).replace(/\s+/g, "");
      const lines = symbol.fact.text.split("\n").length - 1;
      return viewOfCall(index, name, symbol.fact.callee, symbol.fact.args ?? [], symbol.module, symbol.fact.line, symbol.fact.line + lines, depth);
    }
    return null;
  }
  if (arg.kind !== "call") return null;
  const compact = arg.text.replace(/\s+/g, "");
  const call = index.modules.get(module)?.facts.calls.find((c) => c.line >= from && c.line <= to && compact.startsWith(`${c.callee}(`));
  return call?.qualified ? viewOfCall(index, call.callee, call.qualified, call.args, module, from, to, depth) : null;
}

function viewOfCall(index: ProjectIndex, name: string, qualified: string, args: ArgumentFact[], module: string, from: number, to: number, depth: number): ViewTarget | null {
  const target = index.resolveSymbol(qualified, module);
  if (target.endsWith(".as_view")) {
    const symbol = index.symbol(target.slice(0, -".as_view".length));
    return symbol?.kind === "class" ? { cls: symbol, wrappers: [] } : null;
  }
  const inner = args.find((a) => a.name === null);
  const view = inner ? viewOf(index, inner, module, from, to, depth + 1) : null;
  view?.wrappers.unshift({ name, resolved: target, optional: false, via: "view_func is wrapped in %s" });
  return view;
}

/**
 * The methods a class-based view serves, each with the function that handles it and what wraps
 * it: `methods` given to `add_url_rule`, else the class's `methods` attribute, else the HTTP
 * methods it (or a project base class) defines; `dispatch_request` for plain `View`s. Auth marks
 * come from `decorators = [...]`, Flask-RESTful's `method_decorators` (list or per-method dict)
 * and the method's own decorators.
 */
export function classViewMethods(index: ProjectIndex, cls: ClassRef, methods: string[] | null): Array<{ method: string; fn: FunctionInfo; marks: AuthMark[] }> {
  const lineage = classLineage(index, cls);
  const fnOf = (name: string) => lineage.map((c) => index.functions.get(`${c.module}.${c.fact.qualname}.${name}`)).find((f) => f !== undefined);
  const attrOf = (name: string) => {
    for (const c of lineage) {
      const fact = c.fact.assignments.find((a) => a.target === name);
      if (fact) return { module: c.module, fact };
    }
    return null;
  };
  const declared = attrOf("methods")?.fact.items?.map((m) => m.toUpperCase());
  let verbs = methods ?? declared ?? VIEW_METHODS.filter((v) => fnOf(v)).map((v) => v.toUpperCase());
  if (verbs.length === 0 && fnOf("dispatch_request")) verbs = ["GET"];
  const classDecorators = attrOf("decorators");
  const classMarks = (classDecorators?.fact.items ?? []).map((t) => markFromText(index, t, classDecorators?.module ?? cls.module, "view class decorators include %s"));
  const methodDecorators = attrOf("method_decorators");
  const out: Array<{ method: string; fn: FunctionInfo; marks: AuthMark[] }> = [];
  for (const verb of verbs) {
    const fn = fnOf(verb.toLowerCase()) ?? fnOf("dispatch_request");
    if (!fn) continue;
    const perMethod = methodDecorators ? methodDecoratorTexts(methodDecorators.fact.items ?? null, methodDecorators.fact.text, verb.toLowerCase()) : [];
    const marks = [
      ...classMarks,
      ...perMethod.map((t) => markFromText(index, t, methodDecorators?.module ?? cls.module, "method_decorators include %s")),
      ...fn.fact.decorators.map((d) => markFromDecorator(index, d, fn.module)),
    ];
    out.push({ method: verb, fn, marks });
  }
  return out;
}

/** The class and its project base classes, depth first (Python's MRO for the usual single-inheritance views). */
function classLineage(index: ProjectIndex, cls: ClassRef): ClassRef[] {
  const out: ClassRef[] = [];
  const walk = (c: ClassRef, depth: number) => {
    if (depth > 6 || out.some((o) => o.module === c.module && o.fact.qualname === c.fact.qualname)) return;
    out.push(c);
    for (const base of c.fact.bases) {
      const symbol = base.qualified ? index.symbol(index.resolve(base.qualified, c.module)) : undefined;
      if (symbol?.kind === "class") walk(symbol, depth + 1);
    }
  };
  walk(cls, 0);
  return out;
}

/** `method_decorators = [auth]` (every method) or `{"post": [auth]}` (that method only), as source texts. */
function methodDecoratorTexts(items: string[] | null, text: string, verb: string): string[] {
  if (items) return items;
  const out: string[] = [];
  for (const m of text.matchAll(/["'](\w+)["']\s*:\s*(\[[^\]]*\]|[\w.]+(?:\([^)]*\))?)/g)) {
    if ((m[1] as string).toLowerCase() !== verb) continue;
    const value = m[2] as string;
    out.push(...(value.startsWith("[") ? splitTopLevel(value.slice(1, -1)) : [value]));
  }
  return out;
}

/** Splits `a, b(x, y), c` at the commas outside brackets. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(" || ch === "[") depth++;
    if (ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}
