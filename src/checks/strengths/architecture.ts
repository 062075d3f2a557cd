import importContracts from "../architecture/import-contracts.js";
import { defineCheck } from "../define.js";
import { joinAnd, plural, STRENGTH } from "./shared.js";

export const importContractsConfigured = defineCheck({
  id: "ARCH-S001",
  area: "architecture",
  title: "Import contracts declared",
  ...STRENGTH,
  confidence: "high",
  why: "Contracts on which packages may import which (layers, forbidden imports, independent modules) turn the intended architecture into something a tool checks on every change, so the boundaries survive growth and new people.",
  recommendation: "Run the contracts in CI (archscope ARCH008 or import-linter's `lint-imports`) as a required check, and change a contract on purpose rather than adding ignores.",
  references: ["https://import-linter.readthedocs.io/en/stable/contract_types.html"],
  effort: "S",
  libraries: ["import-linter"],
  run(input) {
    const { model, context } = input;
    const contracts = context.contracts;
    if (contracts) {
      const kinds = ([["layers", contracts.layers], ["forbidden", contracts.forbidden], ["independent", contracts.independent]] as const).filter(([, list]) => list?.length).map(([kind, list]) => `${list?.length} ${kind}`);
      const total = (contracts.layers?.length ?? 0) + (contracts.forbidden?.length ?? 0) + (contracts.independent?.length ?? 0);
      const broken = importContracts.run(input).length;
      const kept = broken ? `; ${plural(broken, "import")} break${broken === 1 ? "s" : ""} them (ARCH008)` : ", and the code keeps them";
      const file = contracts.source.split(" ")[0] ?? "pyproject.toml";
      return [{ message: `The team declares ${plural(total, "import contract")} (${joinAnd(kinds)}) in ${contracts.source}${kept}.`, evidence: [{ file, line: null, snippet: contracts.source }] }];
    }
    // import-linter only runs with its contracts configured (`[tool.importlinter]`, `.importlinter`, `setup.cfg`)
    const linter = model.dependencies.find((d) => d.name === "import-linter");
    if (linter) return [{ message: `import-linter is a declared dependency (${linter.manifest}:${linter.line}): the team keeps import contracts in its configuration and checks them with \`lint-imports\`.`, evidence: [{ file: linter.manifest, line: linter.line, snippet: `${linter.name}${linter.spec}` }], confidence: "medium" }];
    return [];
  },
});

export const ARCHITECTURE_STRENGTHS = [importContractsConfigured];
