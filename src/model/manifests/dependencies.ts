import { parse as parseToml } from "smol-toml";
import type { Diagnostic } from "../../core/diagnostics.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Dependency } from "../types.js";
import { isDevGroup, isPinned, normaliseName, parseRequirement } from "./pep508.js";

const LOCK_FILES = new Set(["poetry.lock", "uv.lock", "pdm.lock", "pipfile.lock"]);

export interface ManifestResult {
  dependencies: Dependency[];
  lockFiles: string[];
  /** pyproject.toml documents, parsed once, for readers of other tables (`[tool.archscope]`). */
  pyprojects: Array<{ file: string; data: Record<string, unknown> }>;
  diagnostics: Diagnostic[];
}

/** Dependencies from pyproject.toml (PEP 621, PEP 735 groups, Poetry) and requirements files. */
export function readManifests(files: WorkspaceFile[]): ManifestResult {
  const out: ManifestResult = { dependencies: [], lockFiles: [], pyprojects: [], diagnostics: [] };
  for (const file of files) {
    if (file.kind !== "manifest" || file.text === undefined) continue;
    const base = file.path.slice(file.path.lastIndexOf("/") + 1).toLowerCase();
    if (LOCK_FILES.has(base)) {
      out.lockFiles.push(file.path);
      continue;
    }
    if (base === "pyproject.toml") readPyproject(file, out);
    else if (base.endsWith(".txt") || base.endsWith(".in")) readRequirements(file, out);
  }
  return out;
}

function readPyproject(file: WorkspaceFile, out: ManifestResult): void {
  let data: Record<string, unknown>;
  try {
    data = parseToml(file.text ?? "") as Record<string, unknown>;
  } catch (error) {
    const line = (error as { line?: number }).line;
    out.diagnostics.push({ level: "warning", code: "invalid-toml", message: `invalid TOML: ${firstLine((error as Error).message)}`, file: file.path, ...(line ? { line } : {}) });
    return;
  }
  out.pyprojects.push({ file: file.path, data });
  const lines = (file.text ?? "").split("\n");
  const add = (requirement: string, group: string | null, dev: boolean) => {
    const parsed = parseRequirement(requirement);
    if (!parsed || parsed.name === "python") return;
    out.dependencies.push({ name: parsed.name, spec: parsed.spec, pinned: isPinned(parsed.spec), dev, group, manifest: file.path, line: findLine(lines, parsed.name) });
  };
  const project = asRecord(data.project);
  for (const req of asStrings(project?.dependencies)) add(req, null, false);
  for (const [extra, reqs] of Object.entries(asRecord(project?.["optional-dependencies"]) ?? {})) {
    for (const req of asStrings(reqs)) add(req, extra, isDevGroup(extra));
  }
  for (const [group, reqs] of Object.entries(asRecord(data["dependency-groups"]) ?? {})) {
    for (const req of asStrings(reqs)) add(req, group, true);
  }
  const poetry = asRecord(asRecord(data.tool)?.poetry);
  const addPoetry = (table: unknown, group: string | null, dev: boolean) => {
    for (const [name, value] of Object.entries(asRecord(table) ?? {})) {
      if (name.toLowerCase() === "python") continue;
      const spec = typeof value === "string" ? value : typeof asRecord(value)?.version === "string" ? (asRecord(value)?.version as string) : "";
      const normalised = normaliseName(name);
      out.dependencies.push({ name: normalised, spec, pinned: /^(==)?\d[\w.]*$/.test(spec.trim()), dev, group, manifest: file.path, line: findLine(lines, name) });
    }
  };
  if (poetry) {
    addPoetry(poetry.dependencies, null, false);
    addPoetry(poetry["dev-dependencies"], "dev", true);
    for (const [group, table] of Object.entries(asRecord(poetry.group) ?? {})) addPoetry(asRecord(table)?.dependencies, group, group !== "main");
  }
}

function readRequirements(file: WorkspaceFile, out: ManifestResult): void {
  const base = file.path.slice(file.path.lastIndexOf("/") + 1).toLowerCase();
  const dev = /(dev|test|lint|doc|ci|typing)/.test(base);
  const lines = (file.text ?? "").split("\n");
  let hashed = false;
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? "").replace(/\s+#.*$/, "").trim();
    if (line.includes("--hash=")) hashed = true;
    line = line.replace(/\s*\\$/, "").replace(/\s+--hash=\S+/g, "").trim();
    if (!line || line.startsWith("#") || line.startsWith("-") || line.startsWith("--")) continue;
    const parsed = parseRequirement(line);
    if (!parsed) continue;
    out.dependencies.push({ name: parsed.name, spec: parsed.spec, pinned: isPinned(parsed.spec), dev, group: dev ? base.replace(/\.(txt|in)$/, "") : null, manifest: file.path, line: i + 1 });
  }
  if (hashed) out.lockFiles.push(file.path);
}

function findLine(lines: string[], name: string): number {
  const pattern = new RegExp(`(^|["'\\s])${name.replace(/[-_.]/g, "[-_.]")}(\\s*[\\[=<>!~;"'@]|\\s*$)`, "i");
  const index = lines.findIndex((l) => pattern.test(l));
  return index < 0 ? 1 : index + 1;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? text;
}
