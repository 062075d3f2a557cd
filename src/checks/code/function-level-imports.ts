import type { Evidence } from "../../model/types.js";
import type { ImportFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { plural } from "../../core/prose.js";
import { isOwnApplicationModule } from "./application-code.js";

const MAX_LISTED = 6;
/**
 * Functions where a late import is the framework's documented idiom: Flask application factories registering
 * blueprints, extension `init_app`, Django `AppConfig.ready()` connecting signals.
 */
const IDIOMATIC_HOSTS = /^(create_app|make_app|build_app|get_app|init_app|setup_app|create_application|register_\w+|ready)$/;

/** The innermost function whose lines hold `line`. */
function enclosingFunction(mod: ModuleInfo, line: number): string | null {
  let best: { name: string; span: number } | null = null;
  for (const fn of mod.facts.functions) if (fn.line <= line && line <= fn.endLine && (!best || fn.endLine - fn.line < best.span)) best = { name: fn.name, span: fn.endLine - fn.line };
  return best?.name ?? null;
}

/** The absolute module a (possibly relative) import names, as the index resolves relative imports. */
function importedModule(imp: ImportFact, mod: ModuleInfo): string {
  if (imp.level === 0) return imp.module;
  const parts = mod.name.split(".");
  const packageParts = mod.isPackage ? parts : parts.slice(0, -1);
  const base = packageParts.slice(0, Math.max(0, packageParts.length - (imp.level - 1)));
  return [...base, ...(imp.module ? [imp.module] : [])].join(".");
}

/** Project modules a function-level import brings in: `from app import orders` names the module `app.orders`. */
function importedProjectModules(index: ProjectIndex, imp: ImportFact, mod: ModuleInfo): string[] {
  const base = importedModule(imp, mod);
  const names = imp.names === null ? [base] : imp.names.filter((n) => n.name !== "*").map((n) => (index.modules.has(`${base}.${n.name}`) ? `${base}.${n.name}` : base));
  if (imp.names?.some((n) => n.name === "*")) names.push(base);
  return [...new Set(names.map((n) => index.projectModuleOf(n)).filter((n): n is string => n !== null && n !== mod.name))];
}

/** Module-level import paths: from `start`, the shortest chain of modules that reaches `goal`, or null. */
function importPath(edges: Map<string, string[]>, start: string, goal: string): string[] | null {
  const previous = new Map<string, string>([[start, start]]);
  let frontier = [start];
  while (frontier.length) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const to of edges.get(node) ?? []) {
        if (previous.has(to)) continue;
        previous.set(to, node);
        if (to === goal) {
          const path = [goal];
          let at = goal;
          while (at !== start) {
            at = previous.get(at) as string;
            path.unshift(at);
          }
          return path;
        }
        next.push(to);
      }
    }
    frontier = next;
  }
  return null;
}

interface Dodge {
  mod: ModuleInfo;
  imp: ImportFact;
  /** The module-level chain from the imported module back to the importer. */
  cycle: string[];
}

export default defineCheck({
  id: "CODE011",
  area: "code",
  title: "Function-level imports used to dodge import cycles",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "An import moved inside a function because the module-level one failed with a circular import hides the cycle instead of removing it: the two modules still depend on each other, the dependency no longer shows at the top of the file, the first call pays for the import, and the next refactor moves the crash somewhere else.",
  recommendation: "Break the cycle: move what both modules need into a third, lower module; depend on an interface or pass the collaborator in (dependency injection, FastAPI `Depends`); use a signal or event for callbacks. For imports needed only by type hints, use `from __future__ import annotations` with `if TYPE_CHECKING:`. Keep the layers with an import-linter contract.",
  example: {
    bad: "# app/orders.py\ndef notify(order):\n    from app.users import send_mail  # app.users imports app.orders\n    send_mail(order.user)",
    good: "# app/mail.py holds send_mail; app/orders.py and app/users.py both import it at the top",
  },
  references: ["https://docs.python.org/3/faq/programming.html#what-are-the-best-practices-for-using-import-in-a-module", "https://import-linter.readthedocs.io/", "https://peps.python.org/pep-0563/"],
  effort: "M",
  libraries: ["import-linter", "pydeps"],
  dependsOn: ["ARCH003"],
  run({ index }) {
    const edges = new Map<string, string[]>();
    for (const edge of index.imports) edges.set(edge.from, [...(edges.get(edge.from) ?? []), edge.to]);
    const dodges: Dodge[] = [];
    for (const mod of [...index.modules.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
      if (!isOwnApplicationModule(mod)) continue;
      for (const imp of mod.facts.imports) {
        if (!imp.insideFunction || imp.typeCheckingOnly || IDIOMATIC_HOSTS.test(enclosingFunction(mod, imp.line) ?? "")) continue;
        for (const target of importedProjectModules(index, imp, mod)) {
          const cycle = importPath(edges, target, mod.name);
          if (cycle) {
            dodges.push({ mod, imp, cycle: [mod.name, ...cycle] });
            break;
          }
        }
      }
    }
    if (!dodges.length) return [];
    const text = (imp: ImportFact) => (imp.names === null ? `import ${imp.module}` : `from ${".".repeat(imp.level)}${imp.module} import ${imp.names.map((n) => n.name).join(", ")}`).slice(0, 120);
    const files = new Set(dodges.map((d) => d.mod.file)).size;
    const listed = dodges.slice(0, MAX_LISTED).map(({ mod, imp, cycle }) => `\`${text(imp)}\` at ${mod.file}:${imp.line} (module-level cycle ${cycle.join(" -> ")})`);
    const evidence: Evidence[] = dodges.slice(0, MAX_LISTED).map(({ mod, imp }) => ({ file: mod.file, line: imp.line, snippet: text(imp) }));
    return [
      {
        message: `${plural(dodges.length, "import")} inside functions in ${plural(files, "module")} close an import cycle that a module-level import would make: ${listed.join("; ")}${dodges.length > MAX_LISTED ? `, and ${dodges.length - MAX_LISTED} more` : ""}. Each target imports the importing module back at module level, so the import was most likely moved to dodge the cycle.`,
        evidence,
      },
    ];
  },
});
