import { defineCheck } from "../define.js";

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
    return model.importGraph.cycles.map((cycle) => ({
      message: `Import cycle: ${cycle.modules.join(" → ")}.`,
      evidence: cycle.evidence,
    }));
  },
});
