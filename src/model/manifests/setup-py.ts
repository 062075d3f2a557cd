import type { ArgumentFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import type { Dependency } from "../types.js";
import { isDevGroup, isPinned, parseRequirement } from "./pep508.js";

const SETUP = /^(setuptools\.setup|distutils\.core\.setup|setuptools\.setup\(\))$/;

/**
 * setup.py read statically from its facts, never executed: `setup(install_requires=[...],
 * extras_require={...})` with literal lists, or lists held in module constants.
 */
export function readSetupPy(index: ProjectIndex): Dependency[] {
  const out: Dependency[] = [];
  for (const mod of index.modules.values()) {
    if (!mod.file.endsWith("setup.py")) continue;
    for (const call of mod.facts.calls) {
      if (!call.qualified || !SETUP.test(index.resolve(call.qualified, mod.name))) continue;
      const add = (requirement: string, group: string | null) => {
        const parsed = parseRequirement(requirement);
        if (!parsed) return;
        const dependency: Dependency = { name: parsed.name, spec: parsed.spec, pinned: isPinned(parsed.spec), dev: group !== null && isDevGroup(group), group, manifest: mod.file, line: call.line };
        if (parsed.marker) dependency.marker = parsed.marker;
        out.push(dependency);
      };
      for (const requirement of listOf(index, mod.name, call.args.find((a) => a.name === "install_requires"))) add(requirement, null);
      const extras = call.args.find((a) => a.name === "extras_require");
      const text = extras?.kind === "dict" ? extras.text : extras?.qualified ? symbolText(index, mod.name, extras.qualified) : null;
      for (const m of (text ?? "").matchAll(/["']([\w.-]+)["']\s*:\s*\[([^\]]*)\]/g)) {
        for (const item of (m[2] ?? "").matchAll(/["']([^"']+)["']/g)) add(item[1] as string, m[1] as string);
      }
    }
  }
  return out;
}

function listOf(index: ProjectIndex, module: string, arg: ArgumentFact | undefined): string[] {
  if (!arg) return [];
  if (arg.items) return arg.items;
  if (!arg.qualified) return [];
  const symbol = index.symbol(index.resolve(arg.qualified, module));
  return symbol?.kind === "assignment" ? (symbol.fact.items ?? []) : [];
}

function symbolText(index: ProjectIndex, module: string, qualified: string): string | null {
  const symbol = index.symbol(index.resolve(qualified, module));
  return symbol?.kind === "assignment" ? symbol.fact.text : null;
}
