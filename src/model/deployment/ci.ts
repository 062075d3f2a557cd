import type { WorkspaceFile } from "../../workspace/types.js";
import type { CiPipeline } from "../types.js";

const TEST_COMMAND = /\b(pytest|py\.test|tox|nox|manage\.py\s+test|unittest|make\s+test|coverage\s+run|hatch\s+(run\s+)?test|uv\s+run\s+pytest|poetry\s+run\s+pytest)\b/;
const LINT_COMMAND = /\b(ruff|flake8|pylint|black\s+--check|mypy|pyright|pre-commit)\b/;

/** CI pipelines and whether they run tests and linters (from the commands they contain). */
export function readCi(files: WorkspaceFile[]): CiPipeline[] {
  return files
    .filter((f) => f.kind === "ci" && f.text !== undefined)
    .map((f) => ({ file: f.path, provider: "other" as const, runsTests: TEST_COMMAND.test(f.text ?? ""), lints: LINT_COMMAND.test(f.text ?? ""), jobs: [] }));
}
