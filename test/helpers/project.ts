import { CHECKS } from "../../src/checks/registry.js";
import { runChecks } from "../../src/checks/run-checks.js";
import type { Diagnostic } from "../../src/core/diagnostics.js";
import type { Check, Finding } from "../../src/checks/types.js";
import { loadConfig } from "../../src/config/load-config.js";
import { buildSystemModel } from "../../src/model/build-model.js";
import type { SystemModel } from "../../src/model/types.js";
import type { FileFacts } from "../../src/python/facts.js";
import { summariseTestFile } from "../../src/python/parse-files.js";
import { parseFile } from "../../src/python/parser.js";
import { detectSourceRoots, ProjectIndex } from "../../src/python/project-index.js";
import { classifyPath, isMigrationPath, refineYamlKind, wantsText } from "../../src/workspace/classify.js";
import type { FileSet, WorkspaceFile } from "../../src/workspace/types.js";

export interface Analysed {
  model: SystemModel;
  index: ProjectIndex;
  fileSet: FileSet;
  /** Runs checks on the project and returns their findings (unsuppressed and suppressed). */
  run(...checks: Check[]): Finding[];
  /** Runs checks and returns their findings with what the run reported (a check that threw), and what the model and configuration reported. */
  check(...checks: Check[]): { findings: Finding[]; diagnostics: Diagnostic[]; problems: string[] };
}

export interface ProjectOptions {
  context?: Record<string, unknown>;
  /** Env files: which are tracked by git / ignored by .gitignore. */
  tracked?: string[];
  gitignored?: string[];
  isolated?: boolean;
}

/** A small in-memory project: `{ path: content }` through parse, index and model, with no disk I/O. */
export async function project(files: Record<string, string>, options: ProjectOptions = {}): Promise<Analysed> {
  const workspaceFiles: WorkspaceFile[] = [];
  const facts: FileFacts[] = [];
  const tests = [];
  const migrations: string[] = [];
  for (const [path, text] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const kind = refineYamlKind(classifyPath(path), path, text);
    const file: WorkspaceFile = { path, kind, size: text.length };
    if ((kind === "python" || kind === "test") && isMigrationPath(path)) file.migration = true;
    if (wantsText(kind, path)) file.text = text;
    if (kind === "env") {
      file.tracked = options.tracked ? options.tracked.includes(path) : null;
      file.gitignored = options.gitignored?.includes(path) ?? false;
    }
    workspaceFiles.push(file);
    if (kind === "python" && !file.migration) facts.push(await parseFile(text, path));
    if (file.migration) migrations.push(path);
    if (kind === "test") tests.push(summariseTestFile(path, text));
  }
  const fileSet: FileSet = { root: "/virtual", files: workspaceFiles, diagnostics: [], isGitWorkTree: false };
  const index = new ProjectIndex(facts, detectSourceRoots(workspaceFiles.map((f) => f.path)));
  const built = await buildSystemModel(fileSet, index, tests, migrations);
  const { config, problems } = loadConfig(fileSet, CHECKS, { context: options.context ? { source: "test", data: options.context } : null, isolated: options.isolated ?? false, pyprojects: built.pyprojects });
  const { context } = config;
  const check = (...checks: Check[]) => {
    const checked = runChecks(checks, { model: built.model, index, context }, { isolated: options.isolated ?? false });
    return { findings: checked.findings, diagnostics: [...built.diagnostics, ...checked.diagnostics], problems };
  };
  return {
    model: built.model,
    index,
    fileSet,
    run: (...checks) => check(...checks).findings,
    check,
  };
}

/** `[id, file, line]` of each unsuppressed finding, for compact assertions. */
export function locations(findings: Finding[]): Array<[string, string, number | null]> {
  return findings.filter((f) => !f.suppressed).map((f) => [f.id, f.evidence[0]?.file ?? "", f.evidence[0]?.line ?? null]);
}

/** Joins lines so fixtures can be written one line per array item and line numbers stay obvious. */
export function py(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
