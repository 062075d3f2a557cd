import type { ArgumentFact, CallFact } from "../../python/facts.js";

/*
 * URLconfs as the facts show them. A module's calls are recorded in source pre-order (a call,
 * then the calls inside its arguments), with start line/column and end line: enough to tell
 * which calls sit inside `path("api/", include([...]))` and to find the call an argument is.
 */

/** Index just past the calls nested inside `calls[i]`. */
export function subtreeEnd(calls: CallFact[], i: number): number {
  const parent = calls[i];
  if (!parent) return i + 1;
  let j = i + 1;
  while (j < calls.length && isInside(calls[j] as CallFact, parent)) j++;
  return j;
}

function isInside(child: CallFact, parent: CallFact): boolean {
  const after = child.line > parent.line || (child.line === parent.line && child.column > parent.column);
  if (!after || child.line > parent.endLine) return false;
  if (child.line < parent.endLine) return true;
  // on the parent's last line: a multi-line call ends with its closing brackets there; a
  // one-line call ends where its text does, estimated from the argument texts (no end column in facts)
  return parent.line !== parent.endLine || child.column < parent.column + estimatedLength(parent);
}

function estimatedLength(call: CallFact): number {
  const args = call.args.reduce((n, a) => n + a.text.length + (a.name ? a.name.length + 1 : 0), 0);
  return call.callee.length + 2 + args + 2 * Math.max(0, call.args.length - 1);
}

/** The call an argument is (`include("app.urls")`, `View.as_view()`), among the calls nested in `calls[i]`. */
export function argumentCall(calls: CallFact[], i: number, arg: ArgumentFact): number | null {
  if (arg.kind !== "call") return null;
  const text = arg.text.replace(/\s+/g, "");
  const end = subtreeEnd(calls, i);
  for (let j = i + 1; j < end; j++) {
    const call = calls[j] as CallFact;
    if (text.startsWith(`${call.callee}(`)) return j;
  }
  return null;
}

/** The `n`-th positional argument, or the keyword argument of that name. */
export function argument(args: ArgumentFact[], n: number, name: string): ArgumentFact | undefined {
  return args.filter((a) => a.name === null)[n] ?? args.find((a) => a.name === name);
}

/** Elements of a list or tuple argument: its recorded items, else split from its text. */
export function listItems(value: { items?: string[]; text: string; kind: string }): string[] | null {
  if (value.items) return value.items;
  if (value.kind !== "list" && value.kind !== "tuple") return null;
  return splitTopLevel(value.text.trim().slice(1, -1)).map(unquote).filter((s) => s !== "");
}

/** Splits `a, b(c, d), [e]` at top-level commas. */
export function splitTopLevel(text: string, separator = ","): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    else if (ch === separator && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

export function unquote(text: string): string {
  const m = /^[rRuUbB]?(["'])(.*)\1$/s.exec(text.trim());
  return m ? (m[2] as string) : text.trim();
}

/** `items/<int:pk>/` → `items/{pk}/`; `<path:rest>` → `{rest:path}`, a parameter that may hold slashes. */
export function routeToPath(route: string): string {
  return route.replace(/<(?:([^:<>]+):)?([^<>]+)>/g, (_, converter: string | undefined, name: string) => (converter === "path" ? `{${name}:path}` : `{${name}}`));
}

/**
 * A URL regex (`re_path`, `url`, router prefixes) as a path: `^items/(?P<pk>\d+)/$` → `items/{pk}/`.
 * Unnamed groups become `{arg1}`, `{arg2}`…; optional markers are dropped.
 */
export function regexToPath(pattern: string): string {
  const counter = { unnamed: 0 };
  return convertRegex(pattern.replace(/^\^/, "").replace(/(\$|\\Z)$/, ""), counter);
}

function convertRegex(p: string, counter: { unnamed: number }): string {
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] as string;
    if (ch === "\\") {
      const next = p[i + 1] ?? "";
      out += /[A-Za-z0-9]/.test(next) ? `\\${next}` : next;
      i++;
    } else if (ch === "(") {
      const end = closingParen(p, i);
      const inner = p.slice(i + 1, end);
      const named = /^\?P<(\w+)>/.exec(inner);
      // a group that matches slashes (`.*`, `.+`, `[\w/]+`) is a path parameter
      if (named) out += /\.[*+]|\//.test(inner.slice(named[0].length)) ? `{${named[1]}:path}` : `{${named[1]}}`;
      else if (inner.startsWith("?:")) out += convertRegex(inner.slice(2), counter);
      else if (!inner.startsWith("?")) out += `{arg${++counter.unnamed}}`;
      i = end;
      while ("?*+".includes(p[i + 1] ?? "x")) i++;
    } else if (ch !== "?" && ch !== "$" && ch !== "^") out += ch;
  }
  return out;
}

function closingParen(p: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < p.length; i++) {
    const ch = p[i];
    if (ch === "\\") i++;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") inClass = true;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i;
  }
  return p.length;
}

/** Joins with one slash between parts (routers, Ninja), where Django itself concatenates route strings. */
export function joinSlash(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/");
}

/** Paths start with `/`, have no empty segments and no trailing slash; `{type:name}` converters keep the name. */
export function finalPath(path: string): string {
  let p = `/${path}`.replace(/\/{2,}/g, "/");
  p = p.replace(/\{(?:(int|str|slug|uuid|path):)?([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (_, before: string | undefined, name: string, after: string | undefined) => (before === "path" || after === "path" ? `{${name}:path}` : `{${name}}`));
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}
