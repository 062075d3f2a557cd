import { parse as parseToml } from "smol-toml";
import { type Diagnostic, readGuarded } from "../../core/diagnostics.js";
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
  const constraintFiles = new Map<string, string[]>();
  for (const file of files) {
    if (file.kind !== "manifest" || file.text === undefined) continue;
    const base = file.path.slice(file.path.lastIndexOf("/") + 1).toLowerCase();
    if (LOCK_FILES.has(base)) {
      out.lockFiles.push(file.path);
      continue;
    }
    const reader: ((into: ManifestResult) => void) | null =
      base === "pyproject.toml"
        ? (into) => readPyproject(file, into)
        : base === "pipfile"
          ? (into) => readPipfile(file, into)
          : base === "setup.cfg"
            ? (into) => readSetupCfg(file, into)
            : base.endsWith(".txt") || base.endsWith(".in")
              ? (into) => readRequirements(file, into, constraintFiles)
              : null;
    if (!reader) continue;
    // what a file yields is kept only when the reader gets through it
    const own: ManifestResult = { dependencies: [], lockFiles: [], pyprojects: [], diagnostics: [] };
    const read = readGuarded(file.path, "dependency manifest", out.diagnostics, false, () => {
      reader(own);
      return true;
    });
    if (!read) continue;
    out.dependencies.push(...own.dependencies);
    out.lockFiles.push(...own.lockFiles);
    out.pyprojects.push(...own.pyprojects);
    out.diagnostics.push(...own.diagnostics);
  }
  applyConstraints(out, constraintFiles);
  return out;
}

/** A requirement left open in its file but pinned by a `-c constraints.txt` it names counts as pinned. */
function applyConstraints(out: ManifestResult, constraintFiles: Map<string, string[]>): void {
  for (const dep of out.dependencies) {
    if (dep.pinned) continue;
    const constraints = constraintFiles.get(dep.manifest) ?? [];
    if (constraints.some((c) => out.dependencies.some((d) => d.manifest === c && d.name === dep.name && d.pinned))) dep.pinned = true;
  }
}

function joinRelative(from: string, target: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const segment of target.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== ".") parts.push(segment);
  }
  return parts.join("/");
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
  const add = (requirement: string, group: string | null, dev: boolean) => addRequirement(out, file.path, lines, requirement, group, dev);
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
  const tool = asRecord(data.tool);
  // PDM: [tool.pdm.dev-dependencies] groups; uv: [tool.uv] dev-dependencies (before PEP 735 groups)
  for (const [group, reqs] of Object.entries(asRecord(asRecord(tool?.pdm)?.["dev-dependencies"]) ?? {})) {
    for (const req of asStrings(reqs)) add(req, group, true);
  }
  for (const req of asStrings(asRecord(tool?.uv)?.["dev-dependencies"])) add(req, "dev", true);
}

function addRequirement(out: ManifestResult, manifest: string, lines: string[], requirement: string, group: string | null, dev: boolean): void {
  const parsed = parseRequirement(requirement);
  if (!parsed || parsed.name === "python") return;
  const dependency: Dependency = { name: parsed.name, spec: parsed.spec, pinned: isPinned(parsed.spec), dev, group, manifest, line: findLine(lines, parsed.name) };
  if (parsed.marker) dependency.marker = parsed.marker;
  out.dependencies.push(dependency);
}

/** Pipfile (TOML): `[packages]` and `[dev-packages]`, values `"*"`, `"==1.2"` or `{version = ...}`. */
function readPipfile(file: WorkspaceFile, out: ManifestResult): void {
  let data: Record<string, unknown>;
  try {
    data = parseToml(file.text ?? "") as Record<string, unknown>;
  } catch (error) {
    out.diagnostics.push({ level: "warning", code: "invalid-toml", message: `invalid TOML: ${firstLine((error as Error).message)}`, file: file.path });
    return;
  }
  const lines = (file.text ?? "").split("\n");
  for (const [table, dev] of [["packages", false], ["dev-packages", true]] as const) {
    for (const [name, value] of Object.entries(asRecord(data[table]) ?? {})) {
      const raw = typeof value === "string" ? value : typeof asRecord(value)?.version === "string" ? (asRecord(value)?.version as string) : "";
      const spec = raw === "*" ? "" : raw;
      out.dependencies.push({ name: normaliseName(name), spec, pinned: isPinned(spec), dev, group: dev ? "dev-packages" : null, manifest: file.path, line: findLine(lines, name) });
    }
  }
}

/** setup.cfg: `[options] install_requires` and `[options.extras_require]`, one requirement per continuation line. */
function readSetupCfg(file: WorkspaceFile, out: ManifestResult): void {
  const lines = (file.text ?? "").split("\n");
  let section = "";
  let key: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = (header[1] ?? "").trim();
      key = null;
      continue;
    }
    const assignment = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(raw);
    let value: string | null = null;
    if (assignment) {
      key = assignment[1] ?? null;
      value = assignment[2] ?? "";
    } else if (/^\s+\S/.test(raw) && key) value = raw.trim();
    if (value === null || key === null || value === "" || value.startsWith("#")) continue;
    const isInstall = section === "options" && key === "install_requires";
    const isExtra = section === "options.extras_require";
    if (!isInstall && !isExtra) continue;
    const parsed = parseRequirement(value);
    if (!parsed) continue;
    const group = isExtra ? key : null;
    const dependency: Dependency = { name: parsed.name, spec: parsed.spec, pinned: isPinned(parsed.spec), dev: group !== null && isDevGroup(group), group, manifest: file.path, line: i + 1 };
    if (parsed.marker) dependency.marker = parsed.marker;
    out.dependencies.push(dependency);
  }
}

/** `constraintFiles`: requirements file → the constraint files it names with `-c`, filled as files are read. */
function readRequirements(file: WorkspaceFile, out: ManifestResult, constraintFiles: Map<string, string[]>): void {
  const base = file.path.slice(file.path.lastIndexOf("/") + 1).toLowerCase();
  const dev = /(dev|test|lint|doc|ci|typing)/.test(base);
  const lines = (file.text ?? "").split("\n");
  let hashed = false;
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? "").replace(/\s+#.*$/, "").trim();
    if (line.includes("--hash=")) hashed = true;
    line = line.replace(/\s*\\$/, "").replace(/\s+--hash=\S+/g, "").trim();
    const constraint = /^(-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (constraint?.[2]) constraintFiles.set(file.path, [...(constraintFiles.get(file.path) ?? []), joinRelative(file.path, constraint[2])]);
    if (!line || line.startsWith("#") || line.startsWith("-") || line.startsWith("--")) continue;
    const parsed = parseRequirement(line);
    if (!parsed) continue;
    const dependency: Dependency = { name: parsed.name, spec: parsed.spec, pinned: isPinned(parsed.spec), dev, group: dev ? base.replace(/\.(txt|in)$/, "") : null, manifest: file.path, line: i + 1 };
    if (parsed.marker) dependency.marker = parsed.marker;
    out.dependencies.push(dependency);
  }
  // hashes, or `==` on every line (pip-compile style), make a requirements file a lock file
  const own = out.dependencies.filter((d) => d.manifest === file.path);
  if (hashed || (own.length >= 3 && own.every((d) => d.pinned))) out.lockFiles.push(file.path);
}

function findLine(lines: string[], name: string): number {
  // a name is any TOML key (`"a(b" = "1"` in a Poetry table): only `-`, `_` and `.` are read as one another
  const escaped = name.replace(/[\\^$*+?()[\]{}|/]/g, "\\$&").replace(/[-_.]/g, "[-_.]");
  const pattern = new RegExp(`(^|["'\\s])${escaped}(\\s*[\\[=<>!~;"'@]|\\s*$)`, "i");
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
