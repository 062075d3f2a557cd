import { compareCodeUnits } from "../../core/diagnostics.js";
import type { CallFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";
import { normalisePath } from "./fastapi.js";

const ROUTE = /^starlette\.routing\.Route$|^starlette\.routing\.Route\(\)$/;
const MOUNT = /^starlette\.routing\.Mount$/;
const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head", "options"];
const REQUIRES = /^starlette\.authentication\.requires$/;

/**
 * Starlette routing tables: `Route("/path", endpoint, methods=[...])` inside `Mount("/prefix",
 * routes=[...])` (nesting read from the calls' source ranges), function endpoints and
 * `HTTPEndpoint` classes; auth from `@requires(...)`, undecided under AuthenticationMiddleware.
 */
export function starletteEndpoints(index: ProjectIndex): Endpoint[] {
  const out: Endpoint[] = [];
  for (const mod of index.modules.values()) {
    const resolved = (call: CallFact) => (call.qualified ? index.resolve(call.qualified, mod.name).replace(/\(\)$/, "") : "");
    const mounts = mod.facts.calls.filter((c) => MOUNT.test(resolved(c)));
    for (const call of mod.facts.calls) {
      if (!ROUTE.test(resolved(call))) continue;
      const path = call.args.find((a) => a.name === "path") ?? call.args.filter((a) => a.name === null)[0];
      const endpoint = call.args.find((a) => a.name === "endpoint") ?? call.args.filter((a) => a.name === null)[1];
      if (typeof path?.value !== "string" || !endpoint?.qualified) continue;
      const prefix = mounts
        .filter((m) => encloses(m, call))
        .sort((a, b) => a.line - b.line || a.column - b.column)
        .map((m) => m.args.find((a) => a.name === "path" || a.name === null)?.value)
        .filter((p): p is string => typeof p === "string")
        .join("");
      const target = index.resolve(endpoint.qualified, mod.name);
      const methodsArg = call.args.find((a) => a.name === "methods");
      for (const { fn, method } of handlers(index, target, methodsArg?.items)) {
        out.push(endpointFor(index, mod, fn, method, normalisePath(`${prefix}${path.value}`)));
      }
    }
  }
  return out.sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.method, b.method));
}

/** A function endpoint serves the listed methods (GET by default); an HTTPEndpoint class serves the methods it defines. */
function handlers(index: ProjectIndex, target: string, methods: string[] | undefined): Array<{ fn: FunctionInfo; method: string }> {
  const fn = index.functions.get(target);
  if (fn) return (methods?.length ? methods : ["GET"]).map((m) => ({ fn, method: m.toUpperCase() }));
  const symbol = index.symbol(target);
  if (symbol?.kind !== "class") return [];
  return HTTP_METHODS.flatMap((m) => {
    const method = index.functions.get(`${target}.${m}`);
    return method ? [{ fn: method, method: m.toUpperCase() }] : [];
  });
}

function endpointFor(index: ProjectIndex, mod: ModuleInfo, fn: FunctionInfo, method: string, path: string): Endpoint {
  const requires = fn.fact.decorators.find((d) => d.qualified && REQUIRES.test(index.resolve(d.qualified, fn.module)));
  return {
    method,
    path,
    handler: fn.id,
    file: fn.file,
    line: fn.fact.line,
    isAsync: fn.fact.isAsync,
    framework: "starlette",
    auth: requires !== undefined,
    authReason: requires ? `decorated with requires(${requires.args.map((a) => a.text).join(", ")})` : `no requires() decorator (route declared in ${mod.file})`,
  };
}

function encloses(outer: CallFact, inner: CallFact): boolean {
  if (outer === inner) return false;
  const starts = outer.line < inner.line || (outer.line === inner.line && outer.column < inner.column);
  return starts && inner.endLine <= outer.endLine;
}
