import { isSettingsModule } from "../../model/infrastructure.js";
import type { Evidence } from "../../model/types.js";
import type { ImportFact } from "../../python/facts.js";
import type { ModuleInfo } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { plural } from "../../core/prose.js";
import { applicationModules } from "./application-code.js";

const MAX_LISTED = 6;

/**
 * Idioms where a wildcard is the convention: Django settings layered with `from .base import *`; a package's
 * `__init__.py` re-exporting its own submodules (`from .models import *`), whose names `__all__` usually limits; and
 * modules that only re-export (`_all_models.py` gathering models for Alembic, a compatibility shim).
 */
function isIdiomatic(mod: ModuleInfo, imp: ImportFact): boolean {
  if (isSettingsModule(mod.name) || /(^|\/)(settings|config|conf)(\/|\.py$)|settings\.py$/.test(mod.file)) return true;
  if (mod.isPackage && (imp.level > 0 || imp.module.startsWith(`${mod.name}.`))) return true;
  const { facts } = mod;
  return facts.functions.length === 0 && facts.classes.length === 0 && facts.imports.every((i) => i.names?.some((n) => n.name === "*"));
}

export default defineCheck({
  id: "CODE008",
  area: "code",
  title: "Wildcard imports in application code",
  severity: "low",
  kind: "concern",
  confidence: "high",
  why: "`from module import *` hides where names come from: readers and reviewers cannot tell what a module depends on, a later definition in either module silently shadows another, linters and type checkers cannot flag undefined names, and the import graph (and any layer contract) loses the edges that matter.",
  recommendation: "Import the names used (`from app.models import Order, Customer`) or the module (`from app import models`). Ruff's `F403`/`F405` rules find them and keep them out; where a package re-exports on purpose, declare `__all__`.",
  example: { bad: "from app.utils import *\n\ndef total(order):\n    return money(order.amount)  # where does money come from?", good: "from app.utils import money\n\ndef total(order):\n    return money(order.amount)" },
  references: ["https://peps.python.org/pep-0008/#imports", "https://docs.astral.sh/ruff/rules/undefined-local-with-import-star/"],
  effort: "S",
  libraries: ["ruff", "flake8"],
  run({ index }) {
    const found: Array<{ mod: ModuleInfo; imp: ImportFact }> = [];
    for (const mod of applicationModules(index)) {
      for (const imp of mod.facts.imports) {
        if (!imp.names?.some((n) => n.name === "*") || isIdiomatic(mod, imp)) continue;
        found.push({ mod, imp });
      }
    }
    if (!found.length) return [];
    const text = (imp: ImportFact) => `from ${".".repeat(imp.level)}${imp.module} import *`;
    const files = new Set(found.map((f) => f.mod.file)).size;
    const listed = found.slice(0, MAX_LISTED).map(({ mod, imp }) => `\`${text(imp)}\` (${mod.file}:${imp.line})`);
    const evidence: Evidence[] = found.slice(0, MAX_LISTED).map(({ mod, imp }) => ({ file: mod.file, line: imp.line, snippet: text(imp) }));
    return [
      {
        message: `${plural(found.length, "wildcard import")} in ${plural(files, "application module")}: ${listed.join(", ")}${found.length > MAX_LISTED ? `, and ${found.length - MAX_LISTED} more` : ""}. Django settings layering and package re-exports are not counted.`,
        evidence,
      },
    ];
  },
});
