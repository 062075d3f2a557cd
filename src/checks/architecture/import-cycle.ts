import { layerOf } from "../../model/import-graph.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** A cycle made of a package and modules inside it only: `app.api → app.api.users → app.api`. */
function isPackageInitCycle(modules: string[]): boolean {
  const nodes = [...new Set(modules)];
  return nodes.some((root) => nodes.every((m) => m === root || m.startsWith(`${root}.`)));
}

/** The package below the top level that holds every module of a cycle (`saleor.graphql.product`), if there is one. */
function subPackageOf(modules: string[]): string | null {
  const parts = modules.map((m) => m.split("."));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length - 1 && p[i] === parts[0]?.[i]); i++) common.push(parts[0]?.[i] as string);
  // a layer package (`app.services`, `app.models`) holds separate features side by side: a cycle there crosses features
  if (common.length < 2 || layerOf(common[common.length - 1] as string) !== null) return null;
  return common.join(".");
}

/** A cycle of two modules of one package where each imports the other as a module object (`from pkg import mod`, `import pkg.mod`). */
function isSiblingModuleCycle(index: ProjectIndex, modules: string[]): boolean {
  const nodes = [...new Set(modules)];
  if (nodes.length !== 2) return false;
  const parent = (m: string) => m.slice(0, m.lastIndexOf("."));
  if (parent(nodes[0] as string) !== parent(nodes[1] as string)) return false;
  return nodes.every((from) => {
    const to = nodes.find((n) => n !== from) as string;
    const facts = index.modules.get(from)?.facts;
    const imports = (facts?.imports ?? []).filter((imp) => !imp.insideFunction && !imp.typeCheckingOnly);
    const base = (imp: (typeof imports)[number]) => (imp.level ? index.absolutize(`${".".repeat(imp.level)}${imp.module}`, from) : imp.module);
    const reaching = imports.filter((imp) => base(imp) === to || (imp.names ?? []).some((n) => `${base(imp)}.${n.name}` === to));
    return reaching.length > 0 && reaching.every((imp) => imp.names === null || imp.names.every((n) => index.modules.has(`${base(imp)}.${n.name}`)));
  });
}

/** Below this many lines of code each, two modules in a cycle are small enough to be one unit. */
const SMALL_MODULE_LINES = 120;

/** A two-module cycle whose modules both have fewer than SMALL_MODULE_LINES lines of code: their sizes, or null. */
function smallPair(index: ProjectIndex, modules: string[]): [number, number] | null {
  const distinct = [...new Set(modules)];
  if (distinct.length !== 2) return null;
  const sizes = distinct.map((m) => index.modules.get(m)?.facts.codeLines ?? Number.POSITIVE_INFINITY);
  return sizes.every((n) => n < SMALL_MODULE_LINES) ? [sizes[0] as number, sizes[1] as number] : null;
}

export default defineCheck({
  id: "ARCH003",
  area: "architecture",
  title: "Import cycle between project modules",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "Modules that import each other cannot be understood, tested or extracted separately; the cycle breaks at import time as soon as one side uses the other at module level, and it usually means two responsibilities have leaked into each other.",
  recommendation: "Break the cycle by moving what both need into a lower module, inverting the dependency (pass a callable or an interface in), or merging the two if they are one concept; then keep it broken with an import-linter contract in CI.",
  example: { bad: "# services/orders.py\nfrom app.services.inventory import reserve\n# services/inventory.py\nfrom app.services.orders import Order", good: "# domain/orders.py holds Order; both services import it" },
  references: ["https://import-linter.readthedocs.io/", "https://docs.python.org/3/faq/programming.html#what-are-the-best-practices-for-using-import-in-a-module"],
  effort: "M",
  libraries: ["import-linter", "pydeps"],
  run({ model, index }) {
    const reports: Report[] = [];
    const packageInit: typeof model.importGraph.cycles = [];
    for (const cycle of model.importGraph.cycles) {
      if (isPackageInitCycle(cycle.modules)) packageInit.push(cycle);
      else if (subPackageOf(cycle.modules)) {
        // `saleor.graphql.product.types` ↔ `saleor.graphql.product.filters`: coupling inside one feature package
        reports.push({ message: `Import cycle inside ${subPackageOf(cycle.modules)}: ${cycle.modules.join(" → ")}. It stays within one feature package, where the parts are changed together; untangle it when the package is split.`, evidence: cycle.evidence, severity: "low" });
      } else if (isSiblingModuleCycle(index, cycle.modules)) {
        // `from sse import tasks` ↔ `from sse import sse_service`: two modules of one feature importing each other as objects
        reports.push({ message: `Import cycle: ${cycle.modules.join(" → ")}. Both modules sit in one package and import each other as module objects, so it cannot fail on a missing name at import time; it still couples them both ways.`, evidence: cycle.evidence, severity: "low" });
      } else if (smallPair(index, cycle.modules)) {
        // two small modules (a glossary's terms and definitions) tied both ways are one unit in all but name: cheap to merge or split
        const [a, b] = smallPair(index, cycle.modules) as [number, number];
        reports.push({ message: `Import cycle: ${cycle.modules.join(" → ")}. The two modules are small (${a} and ${b} lines of code) and tied only to each other: one unit in all but name, cheap to merge or to split when either grows.`, evidence: cycle.evidence, severity: "low" });
      } else reports.push({ message: `Import cycle: ${cycle.modules.join(" → ")}.`, evidence: cycle.evidence });
    }
    // `bp = Blueprint(...)` then `from . import routes` at the end of __init__.py: the documented
    // Flask idiom, which works by import order; worth knowing, not worth one finding each
    if (packageInit.length) {
      reports.push({
        message: `${packageInit.length} package${packageInit.length === 1 ? "" : "s"} import${packageInit.length === 1 ? "s" : ""} ${packageInit.length === 1 ? "its own submodule" : "their own submodules"}, which import back from the package (${packageInit.map((c) => c.modules[0]).join(", ")}): this works only because of import order in __init__.py.`,
        evidence: packageInit.flatMap((c) => c.evidence),
        severity: "low",
        confidence: "medium",
      });
    }
    return reports;
  },
});
