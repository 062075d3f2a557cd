import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ArgumentFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";

/** A string argument by keyword, or else by position. */
export function stringArg(index: ProjectIndex, args: ArgumentFact[], name: string, position: number | undefined, module: string): string | null {
  const arg = args.find((a) => a.name === name) ?? (position !== undefined ? args.filter((a) => a.name === null)[position] : undefined);
  return arg ? stringValue(index, arg, module) : null;
}

/** A string the code makes plain: a literal, a constant (`API_PREFIX`, `settings.API_V1`), or an f-string or concatenation of those. */
export function stringValue(index: ProjectIndex, arg: ArgumentFact, module: string): string | null {
  if (typeof arg.value === "string") return arg.value;
  if (arg.qualified) {
    const value = index.constantValue(arg.qualified, module);
    return typeof value === "string" ? value : null;
  }
  const constant = (dotted: string) => {
    const name = qualifyName(index, module, dotted.trim());
    const value = name ? index.constantValue(name, module) : undefined;
    return typeof value === "string" ? value : null;
  };
  if (arg.kind === "fstring") {
    const body = /^[fF][rR]?(["'])(.*)\1$/s.exec(arg.text)?.[2];
    if (body === undefined) return null;
    let failed = false;
    const out = body.replace(/\{([^{}]*)\}/g, (_, expr: string) => {
      const value = /^[A-Za-z_][\w.]*$/.test(expr.trim()) ? constant(expr) : null;
      if (value === null) failed = true;
      return value ?? "";
    });
    return failed ? null : out;
  }
  if (arg.kind === "concat") {
    const parts = arg.text.split("+").map((p) => p.trim());
    const values = parts.map((p) => /^(["'])([^"']*)\1$/.exec(p)?.[2] ?? (/^[A-Za-z_][\w.]*$/.test(p) ? constant(p) : null));
    return values.every((v) => v !== null) ? values.join("") : null;
  }
  return null;
}

/** `methods=["GET", "POST"]` (or a module constant list), upper-cased and sorted; GET when absent. */
export function methodsArg(index: ProjectIndex, args: ArgumentFact[], module: string): string[] {
  const arg = args.find((a) => a.name === "methods");
  if (!arg) return ["GET"];
  let items = arg.items;
  if (!items && arg.qualified) {
    const symbol = index.symbol(index.resolve(arg.qualified, module));
    if (symbol?.kind === "assignment") items = symbol.fact.items;
  }
  const methods = items ?? [...arg.text.matchAll(/["']([A-Za-z]+)["']/g)].map((m) => m[1] as string);
  return [...new Set(methods.map((m) => m.toUpperCase()).filter((m) => /^[A-Z]+$/.test(m)))].sort(compareCodeUnits);
}

/** The absolute name a dotted name written in `module` stands for, through the module's own imports and definitions. */
export function qualifyName(index: ProjectIndex, module: string, dotted: string): string | null {
  const mod = index.modules.get(module);
  if (!mod) return null;
  const dot = dotted.indexOf(".");
  const head = dot < 0 ? dotted : dotted.slice(0, dot);
  const rest = dot < 0 ? "" : dotted.slice(dot);
  for (const imp of mod.facts.imports) {
    if (imp.insideFunction) continue;
    const base = imp.level > 0 ? index.absolutize(`${".".repeat(imp.level)}${imp.module}`, module) : imp.module;
    if (imp.names === null) {
      if (imp.alias === head) return index.resolveSymbol(`${base}${rest}`, module);
      if (!imp.alias && imp.module.split(".")[0] === head) return index.resolveSymbol(dotted, module);
      continue;
    }
    const bound = imp.names.find((n) => (n.alias ?? n.name) === head);
    if (bound) return index.resolveSymbol(`${base ? `${base}.` : ""}${bound.name}${rest}`, module);
  }
  return index.symbol(`${module}.${head}`) ? index.resolveSymbol(`#${dotted}`, module) : null;
}
