import type { Node } from "web-tree-sitter";
import { BUILTINS, FACTORY_RESULTS } from "./known-types.js";

/** A function being walked: its qualname, parameters and what its local names are known to hold. */
export interface FunctionScope {
  qualname: string;
  className: string | null;
  isMethod: boolean;
  params: Set<string>;
  /** Local name → qualified type or value, null when bound to something unknown. */
  locals: Map<string, string | null>;
  parent: FunctionScope | null;
}

/**
 * Name resolution for one file: module-level bindings from imports, definitions and typed
 * assignments, plus the function scopes being walked.
 */
export class FileScope {
  /** Module-level name → qualified name (`requests`, `.db.get_session`, `#helper`, `redis.Redis`). */
  readonly bindings = new Map<string, string>();
  /** Classes defined at module level in this file: calling one gives an instance (`#Service`). */
  readonly localClasses = new Set<string>();

  bindImport(module: string, level: number, names: Array<{ name: string; alias: string | null }> | null, alias: string | null, target: Map<string, string | null> | null): void {
    const prefix = ".".repeat(level) + module;
    const bind = (name: string, value: string) => {
      if (target) target.set(name, value);
      else this.bindings.set(name, value);
    };
    if (names === null) {
      if (alias) bind(alias, prefix);
      else {
        const head = module.split(".")[0] ?? module;
        bind(head, head);
      }
      return;
    }
    for (const { name, alias: asName } of names) {
      if (name === "*") continue;
      const joined = prefix.endsWith(".") || prefix === "" ? `${prefix}${name}` : `${prefix}.${name}`;
      bind(asName ?? name, joined);
    }
  }

  /** The qualified name of an identifier as seen from `fn` (innermost scope first). */
  lookup(name: string, fn: FunctionScope | null): string | null {
    for (let s = fn; s; s = s.parent) {
      if (s.locals.has(name)) return s.locals.get(name) ?? null;
      if (s.params.has(name)) {
        if ((name === "self" || name === "cls") && s.isMethod && s.className) return `#${s.className}`;
        return null;
      }
    }
    const bound = this.bindings.get(name);
    if (bound !== undefined) return bound;
    return BUILTINS.has(name) ? name : null;
  }

  /** Qualified name of an expression: identifiers, attribute chains and calls on them. */
  qualify(node: Node | null, fn: FunctionScope | null): string | null {
    if (!node) return null;
    switch (node.type) {
      case "identifier":
        return this.lookup(node.text, fn);
      case "attribute": {
        const object = this.qualify(node.childForFieldName("object"), fn);
        const attr = node.childForFieldName("attribute")?.text;
        return object && attr ? `${object}.${attr}` : null;
      }
      case "call": {
        const callee = this.qualify(node.childForFieldName("function"), fn);
        if (!callee) return null;
        if (callee.startsWith("#") && this.localClasses.has(callee.slice(1))) return callee;
        return resultOfCall(callee);
      }
      case "await":
      case "parenthesized_expression": {
        const inner = node.namedChildren[0] ?? null;
        return this.qualify(inner, fn);
      }
      default:
        return null;
    }
  }
}

/**
 * What calling a qualified name gives: a known factory's result, else `name()`. Whether `name`
 * is a class (so `name()` is an instance, written `name`) is decided by the project index,
 * which knows the project's classes; see `ProjectIndex.resolve`.
 */
export function resultOfCall(callee: string): string {
  return FACTORY_RESULTS[callee] ?? `${callee}()`;
}
