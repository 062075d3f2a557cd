import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { serviceCalls } from "../code-paths.js";

/** Outbound HTTP client calls: requests, httpx, aiohttp sessions, urllib. */
const HTTP_CALL = /^(requests\.(api\.)?(get|post|put|patch|delete|head|request)|requests\.Session\.(get|post|put|patch|delete|head|request)|httpx\.(get|post|put|patch|delete|head|request|stream)|httpx\.(Client|AsyncClient)\.(get|post|put|patch|delete|head|request|stream|send)|aiohttp\.ClientSession\.(get|post|put|patch|delete|head|request)|urllib\.request\.urlopen|urllib3\.PoolManager\.(request|urlopen))$/;

export interface OutboundCall {
  evidence: Evidence;
  callee: string;
  where: string;
}

/** Outbound HTTP calls in application code that runs in production (not tests, scripts, CLIs or migrations). */
export function outboundHttpCalls(index: ProjectIndex): OutboundCall[] {
  const out: OutboundCall[] = [];
  const imported = new Set(index.imports.map((e) => e.to));
  for (const { mod, call, resolved } of serviceCalls(index)) {
    if (!resolved || !HTTP_CALL.test(resolved) || !runsInProduction(fileRole(mod.file))) continue;
    // a script run by hand: a `__main__` guard, or a module nothing imports (`themes/build_emoji_set.py`)
    if (mod.facts.hasMainGuard || !imported.has(mod.name)) continue;
    out.push({ evidence: { file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }, callee: call.callee, where: call.enclosing ? `${mod.name.split(".").pop()}.${call.enclosing}` : mod.name });
  }
  return out;
}

/** Whether the project declares or imports any of `packages` (PyPI names; modules with `-` read as `_`). */
export function usesPackage(model: SystemModel, index: ProjectIndex, packages: string[]): string | null {
  const dep = model.dependencies.find((d) => packages.includes(d.name));
  if (dep) return dep.name;
  const modules = packages.map((p) => p.replace(/-/g, "_"));
  for (const mod of index.modules.values()) {
    for (const imp of mod.facts.imports) {
      const top = imp.module.split(".")[0] ?? "";
      if (imp.level === 0 && modules.includes(top)) return top;
    }
  }
  return null;
}

/** Short list of call sites for a message: "requests.get in billing.charge, httpx.post in sync.push". */
export function describeCalls(calls: OutboundCall[], max = 3): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const c of calls) {
    const s = `${c.callee}() in ${c.where}`;
    if (seen.has(s)) continue;
    seen.add(s);
    parts.push(s);
    if (parts.length === max) break;
  }
  return parts.join(", ");
}
