import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";
import { applicationModules } from "./application-code.js";

/** A handful of modules is a script, not a codebase whose style drifts. */
const MIN_MODULES = 5;

export default defineCheck({
  id: "CODE003",
  area: "code",
  title: "No linter or formatter configured",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Without a linter, unused imports, shadowed names, bare excepts and mutable defaults accumulate and real bugs hide among them; without a formatter, reviews spend their time on layout and diffs mix style with behaviour.",
  recommendation: "Configure Ruff in pyproject.toml (`[tool.ruff]` with a rule selection such as `E`, `F`, `I`, `B`, `UP`, and `ruff format` as the formatter), run it as a pre-commit hook and in CI. flake8, pylint and black work too, but Ruff replaces them in one fast tool.",
  example: {
    bad: "# no [tool.ruff], no .flake8, no pre-commit hooks, nothing in CI",
    good: '[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nselect = ["E", "F", "I", "B", "UP"]\n\n# .pre-commit-config.yaml: astral-sh/ruff-pre-commit hooks ruff and ruff-format',
  },
  references: ["https://docs.astral.sh/ruff/configuration/", "https://pre-commit.com/"],
  effort: "S",
  libraries: ["ruff", "black", "flake8", "pylint", "pre-commit"],
  run({ model, index }) {
    if (applicationModules(index).length < MIN_MODULES) return [];
    const tools = model.toolConfigs ?? [];
    // a linter or formatter installed, even without configuration, runs with its defaults (ruff, black and flake8 need none)
    if (tools.some((t) => t.kind === "linter" || t.kind === "formatter")) return [];
    const ci = model.ci.find((c) => c.lints || c.jobs.some((j) => j.lint));
    if (ci) return [];
    const typeChecker = tools.find((t) => t.kind === "type-checker");
    const pyproject = model.manifests.find((m) => m === "pyproject.toml") ?? model.manifests.find((m) => m.endsWith("pyproject.toml"));
    return [
      {
        message: `No linter or formatter is configured, installed or run in CI: no Ruff, flake8, pylint, black or isort in pyproject.toml, setup.cfg, tox.ini, their own config files, pre-commit hooks or the dependencies${typeChecker ? ` (only the type checker ${typeChecker.tool}, ${typeChecker.file})` : ""}.`,
        evidence: [{ file: pyproject ?? model.manifests[0] ?? appFile(model), line: null }],
      },
    ];
  },
});
