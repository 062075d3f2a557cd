import { CHECKS } from "../../src/checks/registry.js";
import { runChecks } from "../../src/checks/run-checks.js";
import type { Finding } from "../../src/checks/types.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { Diagnostic } from "../../src/core/diagnostics.js";
import { buildSystemModel } from "../../src/model/build-model.js";
import type { FileFacts } from "../../src/python/facts.js";
import { summariseTestFile, type TestFileSummary } from "../../src/python/parse-files.js";
import { parseFile } from "../../src/python/parser.js";
import { detectSourceRoots, ProjectIndex } from "../../src/python/project-index.js";
import { classifyPath, isMigrationPath, refineYamlKind, wantsText } from "../../src/workspace/classify.js";
import type { FileSet, WorkspaceFile } from "../../src/workspace/types.js";

/**
 * An in-memory project through every stage after the scan (parse, index, model, configuration, all
 * registered checks), keeping what the stages report: the model's diagnostics, configuration problems and
 * checks that threw. Like test/helpers/project.ts, without the disk.
 */
export async function analyse(files: Record<string, string>): Promise<{ findings: Finding[]; diagnostics: Diagnostic[]; problems: string[] }> {
  const workspaceFiles: WorkspaceFile[] = [];
  const facts: FileFacts[] = [];
  const tests: TestFileSummary[] = [];
  const migrations: string[] = [];
  for (const [path, text] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const kind = refineYamlKind(classifyPath(path), path, text);
    const file: WorkspaceFile = { path, kind, size: text.length };
    if ((kind === "python" || kind === "test") && isMigrationPath(path)) file.migration = true;
    if (wantsText(kind, path)) file.text = text;
    workspaceFiles.push(file);
    if (kind === "python" && !file.migration) facts.push(await parseFile(text, path));
    if (file.migration) migrations.push(path);
    if (kind === "test") tests.push(summariseTestFile(path, text));
  }
  const fileSet: FileSet = { root: "/virtual", files: workspaceFiles, diagnostics: [], isGitWorkTree: false };
  const index = new ProjectIndex(facts, detectSourceRoots(workspaceFiles.map((f) => f.path)));
  const built = await buildSystemModel(fileSet, index, tests, migrations);
  const { config, problems } = loadConfig(fileSet, CHECKS, { pyprojects: built.pyprojects });
  const checked = runChecks(CHECKS, { model: built.model, index, context: config.context }, { isolated: false });
  return { findings: checked.findings, diagnostics: [...built.diagnostics, ...checked.diagnostics], problems };
}

/** Diagnostics that say a check threw: a check must cope with whatever the model holds. */
export function checkFailures(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.level === "error" && /^check \S+ failed/.test(d.message)).map((d) => d.message);
}
