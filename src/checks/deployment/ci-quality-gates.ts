import type { CiPipeline } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** A task-runner target or script whose body was not read and that may run linters (`make check`, `nox`, `./scripts/verify`). */
const MAY_LINT = /check|quality|verify|validate|static|style|format|fmt|hooks|pre-?commit|\b(ci|qa|all)\b|^(\S*\/)?nox\s*$/;

function files(pipelines: CiPipeline[]): string {
  return pipelines.map((p) => p.file).join(", ");
}

export default defineCheck({
  id: "DEP007",
  area: "deployment",
  title: "CI without lint or type checks, or without security scanning",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "A pipeline that only runs the tests lets through what tests rarely catch: unused imports and shadowed names that hide bugs, type errors on untested paths, and known-vulnerable dependencies or injection-prone code. These are cheap to catch on every pull request and expensive to find in production.",
  recommendation: "Add a lint and type-check job (ruff check, mypy or pyright; pre-commit run --all-files, or pre-commit.ci) and a security job: pip-audit (or Dependabot/Renovate alerts) for dependencies, and bandit, Semgrep or CodeQL for the code. Make them required checks on the main branch.",
  example: { bad: "jobs:\n  test:\n    steps:\n      - run: pytest", good: "jobs:\n  lint:\n    steps:\n      - run: ruff check .\n      - run: mypy app\n  security:\n    steps:\n      - run: pip-audit -r requirements.txt\n      - run: bandit -r app\n  test:\n    steps:\n      - run: pytest" },
  references: ["https://docs.astral.sh/ruff/integrations/#github-actions", "https://github.com/pypa/gh-action-pip-audit", "https://docs.github.com/en/code-security/code-scanning/introduction-to-code-scanning/about-code-scanning-with-codeql", "https://pre-commit.ci/"],
  effort: "S",
  libraries: ["ruff", "mypy", "pip-audit", "bandit"],
  dependsOn: ["DEP006"],
  run({ model }) {
    // DEP006 speaks when there is no CI at all
    if (model.ci.length === 0 || model.importGraph.modules === 0) return [];
    const reports: Report[] = [];
    const jobs = model.ci.flatMap((p) => p.jobs);
    const first = model.ci[0];
    const lints = model.ci.some((p) => p.lints) || jobs.some((j) => j.lint || j.typeCheck);
    // a target or script whose body is unknown may be the lint step (`make check` with a Makefile the scan did not read)
    const unknown = jobs.flatMap((j) => j.unresolved ?? []).filter((c) => MAY_LINT.test(c));
    // with no linter or formatter anywhere, CODE003 reports the missing tool: this would say the same of CI
    const noTools = !(model.toolConfigs ?? []).some((t) => t.kind === "linter" || t.kind === "formatter");
    if (!lints && unknown.length === 0 && first && !noTools) {
      reports.push({
        message: `CI (${files(model.ci)}) runs no lint or type check: no ruff, flake8, pylint, mypy or pyright, no pre-commit run and no make/tox/nox lint target in any job.`,
        evidence: [{ file: first.file, line: null }],
      });
    }
    const audits = jobs.some((j) => j.audit) || (model.securityConfig?.dependencyScanning.length ?? 0) > 0;
    // without the deployment files read, scanning configured outside CI (Dependabot, Renovate) cannot be seen
    if (!audits && model.securityConfig && first) {
      reports.push({
        message: `CI (${files(model.ci)}) runs no security scanning: no dependency audit (pip-audit, safety, osv-scanner, Trivy, Snyk; no Dependabot or Renovate configuration) and no static security analysis (bandit, Semgrep, CodeQL). GitHub's default CodeQL setup leaves no file in the repository; if it is on, the code half of this does not apply.`,
        evidence: [{ file: first.file, line: null }],
      });
    }
    return reports;
  },
});
