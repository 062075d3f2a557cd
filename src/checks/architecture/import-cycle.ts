import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** A cycle made of a package and modules inside it only: `app.api → app.api.users → app.api`. */
function isPackageInitCycle(modules: string[]): boolean {
  const nodes = [...new Set(modules)];
  return nodes.some((root) => nodes.every((m) => m === root || m.startsWith(`${root}.`)));
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
  run({ model }) {
    const reports: Report[] = [];
    const packageInit: typeof model.importGraph.cycles = [];
    for (const cycle of model.importGraph.cycles) {
      if (isPackageInitCycle(cycle.modules)) packageInit.push(cycle);
      else reports.push({ message: `Import cycle: ${cycle.modules.join(" → ")}.`, evidence: cycle.evidence });
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
