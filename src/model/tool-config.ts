import { parse as parseToml } from "smol-toml";
import type { Diagnostic } from "../core/diagnostics.js";
import type { WorkspaceFile } from "../workspace/types.js";
import { asArray, asRecord, readYamlDocuments } from "./deployment/yaml-documents.js";
import type { CodeTool, CodeToolKind, Dependency, ToolConfig } from "./types.js";

/** What each tool does for the code: lint, format or type-check. */
export const TOOL_KINDS: Record<CodeTool, CodeToolKind> = {
  ruff: "linter",
  flake8: "linter",
  pylint: "linter",
  black: "formatter",
  isort: "formatter",
  mypy: "type-checker",
  pyright: "type-checker",
  pyre: "type-checker",
};

/** `[tool.X]` tables of pyproject.toml, by tool (`basedpyright` is pyright's fork, `pyre` has no table of its own). */
const PYPROJECT_TABLES: Record<string, CodeTool> = { ruff: "ruff", black: "black", pylint: "pylint", mypy: "mypy", pyright: "pyright", basedpyright: "pyright", isort: "isort", flake8: "flake8" };

/** INI sections each file can hold, by tool: `setup.cfg` `[flake8]`, `[mypy]`, `[isort]`/`[tool:isort]`; tox.ini `[flake8]`. */
const INI_SECTIONS: Record<string, Array<[RegExp, CodeTool]>> = {
  "setup.cfg": [[/^flake8$/, "flake8"], [/^mypy(-.*)?$/, "mypy"], [/^(tool:)?isort$/, "isort"], [/^pylint(\.|$)/, "pylint"]],
  "tox.ini": [[/^flake8$/, "flake8"], [/^(tool:)?isort$/, "isort"], [/^pylint(\.|$)/, "pylint"], [/^mypy(-.*)?$/, "mypy"]],
  ".flake8": [[/^flake8$/, "flake8"]],
  "mypy.ini": [[/^mypy(-.*)?$/, "mypy"]],
  ".mypy.ini": [[/^mypy(-.*)?$/, "mypy"]],
  ".isort.cfg": [[/^(settings|isort)$/, "isort"]],
};

/** Files whose presence alone configures a tool (read by name: `.pylintrc` is not text the scan keeps). */
const CONFIG_FILES: Record<string, CodeTool> = {
  "ruff.toml": "ruff",
  ".ruff.toml": "ruff",
  "pyrightconfig.json": "pyright",
  ".pylintrc": "pylint",
  pylintrc: "pylint",
  ".pyre_configuration": "pyre",
};

/** pre-commit hook repositories, by tool; `repo: local` hooks are matched by their id. */
const HOOK_REPOS: Array<[RegExp, CodeTool]> = [
  [/(astral-sh|charliermarsh)\/ruff-pre-commit/i, "ruff"],
  [/psf\/black/i, "black"],
  [/pycqa\/flake8|gitlab\.com\/pycqa\/flake8/i, "flake8"],
  [/mirrors-mypy|python\/mypy/i, "mypy"],
  [/(pycqa|pylint-dev)\/pylint/i, "pylint"],
  [/(pycqa|timothycrosley)\/isort|mirrors-isort/i, "isort"],
  [/pyright-python|mirrors-pyright/i, "pyright"],
];
const HOOK_IDS: Record<string, CodeTool> = { ruff: "ruff", "ruff-check": "ruff", "ruff-format": "ruff", black: "black", flake8: "flake8", mypy: "mypy", pylint: "pylint", isort: "isort", pyright: "pyright", basedpyright: "pyright" };

/** Dependencies that install a tool. */
const TOOL_PACKAGES: Record<string, CodeTool> = { ruff: "ruff", black: "black", flake8: "flake8", pylint: "pylint", isort: "isort", mypy: "mypy", pyright: "pyright", basedpyright: "pyright", "pyre-check": "pyre" };

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).toLowerCase();
}

/**
 * Which linters, formatters and type checkers the repository configures, and where: pyproject `[tool.*]` tables,
 * their own files (ruff.toml, mypy.ini, .flake8, pyrightconfig.json, .pylintrc), setup.cfg/tox.ini sections and
 * pre-commit hooks; dependencies that only install a tool are kept too, as weaker evidence (`source: "dependency"`).
 * Broken TOML or YAML becomes a diagnostic and the file's headers are still read from its text.
 */
export function readToolConfig(files: WorkspaceFile[], dependencies: Dependency[], diagnostics: Diagnostic[]): ToolConfig[] {
  const out: ToolConfig[] = [];
  const add = (tool: CodeTool, source: ToolConfig["source"], file: string, line: number | null, detail: string) => {
    if (out.some((t) => t.tool === tool && t.file === file && t.source === source)) return;
    out.push({ tool, kind: TOOL_KINDS[tool], source, file, line, detail });
  };
  for (const file of files) {
    const base = baseName(file.path);
    const byName = CONFIG_FILES[base];
    if (byName) {
      if ((base === "ruff.toml" || base === ".ruff.toml") && file.text !== undefined) tomlOrNull(file, diagnostics);
      add(byName, "config", file.path, null, base);
      continue;
    }
    if (file.text === undefined) continue;
    if (base === "pyproject.toml") readPyprojectTools(file, diagnostics, add);
    else if (INI_SECTIONS[base]) readIniSections(file, INI_SECTIONS[base] ?? [], add);
    else if (base === ".pre-commit-config.yaml" || base === ".pre-commit-config.yml") readPreCommit(file, diagnostics, add);
  }
  for (const dep of dependencies) {
    const tool = TOOL_PACKAGES[dep.name];
    if (tool && !out.some((t) => t.tool === tool && t.source === "dependency")) add(tool, "dependency", dep.manifest, dep.line, `${dep.name}${dep.spec ? ` ${dep.spec}` : ""}${dep.dev || dep.group ? ` (${dep.group ?? "dev"})` : ""}`);
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0)));
}

type Add = (tool: CodeTool, source: ToolConfig["source"], file: string, line: number | null, detail: string) => void;

function tomlOrNull(file: WorkspaceFile, diagnostics: Diagnostic[]): Record<string, unknown> | null {
  try {
    return parseToml(file.text ?? "") as Record<string, unknown>;
  } catch (error) {
    // pyproject.toml's parse error is reported once, by the manifest reader
    if (baseName(file.path) !== "pyproject.toml") {
      const line = (error as { line?: number }).line;
      diagnostics.push({ level: "warning", code: "invalid-toml", message: `invalid TOML: ${((error as Error).message.split("\n")[0] ?? "").trim()}`, file: file.path, ...(line ? { line } : {}) });
    }
    return null;
  }
}

function readPyprojectTools(file: WorkspaceFile, diagnostics: Diagnostic[], add: Add): void {
  const lines = (file.text ?? "").split("\n");
  const headerLine = (table: string) => {
    const at = lines.findIndex((l) => new RegExp(`^\\s*\\[\\s*tool\\.${table}(\\.[\\w.-]+)?\\s*\\]`).test(l));
    return at >= 0 ? at + 1 : null;
  };
  const data = tomlOrNull(file, diagnostics);
  if (data) {
    const tool = asRecord(data.tool) ?? {};
    for (const [table, name] of Object.entries(PYPROJECT_TABLES)) {
      if (tool[table] !== undefined) add(name, "config", file.path, headerLine(table), `[tool.${table}]`);
    }
    return;
  }
  // broken TOML: the table headers still say which tools the file configures
  for (const [table, name] of Object.entries(PYPROJECT_TABLES)) {
    const line = headerLine(table);
    if (line !== null) add(name, "config", file.path, line, `[tool.${table}]`);
  }
}

function readIniSections(file: WorkspaceFile, sections: Array<[RegExp, CodeTool]>, add: Add): void {
  const lines = (file.text ?? "").split("\n");
  lines.forEach((text, i) => {
    const header = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(text);
    if (!header) return;
    const name = (header[1] ?? "").toLowerCase();
    for (const [pattern, tool] of sections) if (pattern.test(name)) add(tool, "config", file.path, i + 1, `[${header[1]}]`);
  });
}

function readPreCommit(file: WorkspaceFile, diagnostics: Diagnostic[], add: Add): void {
  for (const doc of readYamlDocuments(file.text ?? "", file.path, diagnostics)) {
    asArray(asRecord(doc.data)?.repos).forEach((repoEntry, r) => {
      const repo = asRecord(repoEntry);
      const url = typeof repo?.repo === "string" ? repo.repo : "";
      const byRepo = HOOK_REPOS.find(([pattern]) => pattern.test(url))?.[1];
      asArray(repo?.hooks).forEach((hookEntry, h) => {
        const id = asRecord(hookEntry)?.id;
        if (typeof id !== "string") return;
        const tool = byRepo ?? (url === "local" ? HOOK_IDS[id.toLowerCase()] : undefined);
        if (tool) add(tool, "pre-commit", file.path, doc.line(["repos", r, "hooks", h, "id"]) ?? null, `pre-commit hook ${id}`);
      });
    });
  }
}
