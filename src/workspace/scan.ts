import { closeSync, type Dirent, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, type Stats } from "node:fs";
import { lstat, readFile, realpath } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import type { Diagnostic } from "../core/diagnostics.js";
import { compareCodeUnits } from "../core/diagnostics.js";
import { classifyPath, DEFAULT_EXCLUDES, isMigrationPath, refineYamlKind, wantsText } from "./classify.js";
import { readTrackedPaths } from "./git-index.js";
import { decodeText, isBinary } from "./text.js";
import type { FileSet, ScanOptions, WorkspaceFile } from "./types.js";

const MB = 1024 * 1024;
/** Lock files: their presence is what the review uses. */
const LOCK_FILE = /(^|\/)(poetry|uv|pdm|pipfile)\.lock$/i;

interface IgnoreLayer {
  /** Directory (relative POSIX, "" for root) the .gitignore sits in. */
  dir: string;
  rules: Ignore;
}

/** Walks the root, honouring .gitignore files and default excludes, and classifies every file. */
export async function scanWorkspace(rootPath: string, options: ScanOptions = {}): Promise<FileSet> {
  const root = resolve(rootPath);
  const realRoot = await realpath(root);
  const maxPython = options.maxPythonBytes ?? 2 * MB;
  const maxText = options.maxTextBytes ?? 1 * MB;
  const diagnostics: Diagnostic[] = [];
  const files: WorkspaceFile[] = [];
  const defaults = ignore().add(DEFAULT_EXCLUDES);
  const userExcludes = ignore().add(options.exclude ?? []);
  const tracked = await readTrackedPaths(root);

  // as git does: the deepest .gitignore with a rule about the path decides, so `!keep.md` in a
  // subfolder re-includes what a parent's `*.md` ignores
  const isIgnored = (rel: string, isDir: boolean, layers: IgnoreLayer[]): boolean => {
    const probe = isDir ? `${rel}/` : rel;
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i] as IgnoreLayer;
      const sub = layer.dir === "" ? probe : probe.slice(layer.dir.length + 1);
      if (!sub) continue;
      const verdict = layer.rules.test(sub);
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  };

  const walk = async (absDir: string, relDir: string, layers: IgnoreLayer[]): Promise<void> => {
    let entries: Dirent[];
    try {
      // synchronous: a thousand folders each awaited through the thread pool leave the process idle between them
      entries = readdirSync(absDir, { withFileTypes: true });
    } catch (error) {
      diagnostics.push({ level: "warning", code: "unreadable", message: `directory could not be read (${errorCode(error)})`, file: relDir || "." });
      return;
    }
    const local = [...layers];
    if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      try {
        local.push({ dir: relDir, rules: ignore().add(readFileSync(join(absDir, ".gitignore"), "utf8")) });
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    entries.sort((a, b) => compareCodeUnits(a.name, b.name));
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const abs = join(absDir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await resolveLink(abs, realRoot, rel, diagnostics);
        if (!target) continue;
        // a linked directory is not walked: its files are reachable through their real path (no loops)
        if (target.isDir) continue;
        isFile = target.isFile;
        isDir = false;
      }
      if (defaults.ignores(isDir ? `${rel}/` : rel) || userExcludes.ignores(isDir ? `${rel}/` : rel)) continue;
      const gitignored = isIgnored(rel, isDir, local);
      if (isDir) {
        if (!gitignored) await walk(abs, rel, local);
        continue;
      }
      if (!isFile) continue;
      const kind = classifyPath(rel);
      // env files are inspected even when ignored: a committed .env and an ignored one are different findings
      if (gitignored && kind !== "env") continue;
      const file = await readWorkspaceFile(abs, rel, kind, maxPython, maxText, diagnostics, entry.isSymbolicLink());
      if (!file) continue;
      if (kind === "env") {
        file.gitignored = gitignored;
        file.tracked = tracked ? tracked.has(rel) : null;
      }
      files.push(file);
    }
  };

  await walk(root, "", []);
  files.sort((a, b) => compareCodeUnits(a.path, b.path));
  return { root, files, diagnostics, isGitWorkTree: tracked !== null };
}

async function resolveLink(abs: string, realRoot: string, rel: string, diagnostics: Diagnostic[]): Promise<{ isDir: boolean; isFile: boolean } | null> {
  let target: string;
  try {
    target = await realpath(abs);
  } catch (error) {
    const code = errorCode(error);
    diagnostics.push(
      code === "ELOOP"
        ? { level: "warning", code: "symlink-loop", message: "symbolic link loop: skipped", file: rel }
        : { level: "info", code: "unreadable", message: `broken symbolic link (${code}): skipped`, file: rel },
    );
    return null;
  }
  if (target !== realRoot && !target.startsWith(realRoot + sep)) {
    diagnostics.push({ level: "warning", code: "symlink-outside-root", message: "symbolic link points outside the reviewed root: not followed", file: rel });
    return null;
  }
  const info = await lstat(target);
  return { isDir: info.isDirectory(), isFile: info.isFile() };
}

/**
 * Stats and, for the kinds the model reads, reads one file. Synchronous on purpose: thousands of small
 * reads through the thread pool cost more than they overlap, and nothing else runs during the scan.
 */
async function readWorkspaceFile(abs: string, rel: string, initialKind: WorkspaceFile["kind"], maxPython: number, maxText: number, diagnostics: Diagnostic[], viaLink: boolean): Promise<WorkspaceFile | null> {
  let info: Stats;
  try {
    info = lstatSync(viaLink ? realpathSync(abs) : abs);
  } catch (error) {
    diagnostics.push({ level: "warning", code: "unreadable", message: `file could not be read (${errorCode(error)})`, file: rel });
    return { path: rel, kind: initialKind, size: 0, skipped: "unreadable" };
  }
  const size = info.size;
  const file: WorkspaceFile = { path: rel, kind: initialKind, size, mtimeMs: info.mtimeMs };
  const isPython = initialKind === "python" || initialKind === "test";
  if (isPython && isMigrationPath(rel)) file.migration = true;
  if (size === 0) return file;
  if (isPython && size > maxPython) {
    file.skipped = "too-large";
    diagnostics.push({ level: "info", code: "file-too-large", message: `Python file of ${describeSize(size)} is over the ${describeSize(maxPython)} limit: not parsed`, file: rel });
    return file;
  }
  // Python files are read (and checked for binary content) once, by the parse stage
  if (isPython) return file;
  if (!wantsText(initialKind, rel)) return file;
  if (size > maxText) {
    // a lock file counts by its presence; YAML and JSON of no known kind (fixtures, data) is noted only when it is Kubernetes
    const kind = initialKind === "other" ? refineYamlKind(initialKind, rel, readHead(abs)) : initialKind;
    if (kind !== "other" && !LOCK_FILE.test(rel)) {
      file.skipped = "too-large";
      diagnostics.push({ level: "info", code: "file-too-large", message: `${kind} file of ${describeSize(size)} is over the ${describeSize(maxText)} limit for text files: not read`, file: rel });
    }
    return file;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (error) {
    file.skipped = "unreadable";
    diagnostics.push({ level: "warning", code: "unreadable", message: `file could not be read (${errorCode(error)})`, file: rel });
    return file;
  }
  if (isBinary(bytes.subarray(0, 8192))) {
    file.skipped = "binary";
    // a Kubernetes manifest is known by its text: one with NUL bytes in it is still named
    const kind = initialKind === "other" ? refineYamlKind(initialKind, rel, bytes.subarray(0, 8192).toString("latin1")) : initialKind;
    if (kind !== "other") diagnostics.push({ level: "info", code: "binary-file", message: "binary content: not read", file: rel });
    return file;
  }
  const { text, lossy } = decodeText(bytes);
  if (lossy) diagnostics.push({ level: "info", code: "non-utf8", message: "not valid UTF-8: read with replacement characters", file: rel });
  file.kind = refineYamlKind(initialKind, rel, text);
  file.text = text;
  return file;
}

/** The first 8 KB of a file as Latin-1 (enough to tell a Kubernetes manifest), "" when it cannot be read. */
function readHead(abs: string): string {
  try {
    const fd = openSync(abs, "r");
    try {
      const head = Buffer.alloc(8192);
      return head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString("latin1");
    } finally {
      closeSync(fd);
    }
  } catch {
    return "";
  }
}

/** Reads one Python file of the set as text; null (with a diagnostic) when it cannot be read. */
export async function readSourceFile(root: string, file: WorkspaceFile, diagnostics: Diagnostic[]): Promise<string | null> {
  try {
    // synchronous, as the scan: a thousand awaited small reads cost more than they overlap
    const bytes = readFileSync(join(root, ...file.path.split("/")));
    if (isBinary(bytes.subarray(0, 8192))) {
      file.skipped = "binary";
      diagnostics.push({ level: "info", code: "binary-file", message: "binary content: not parsed", file: file.path });
      return null;
    }
    const { text, lossy } = decodeText(bytes);
    if (lossy) diagnostics.push({ level: "info", code: "non-utf8", message: "not valid UTF-8: parsed with replacement characters", file: file.path });
    return text;
  } catch (error) {
    diagnostics.push({ level: "warning", code: "unreadable", message: `file could not be read (${errorCode(error)})`, file: file.path });
    return null;
  }
}

export function toPosix(path: string): string {
  return path.split(sep).join("/");
}

export function relativePosix(root: string, abs: string): string {
  return toPosix(relative(root, abs));
}

function describeSize(bytes: number): string {
  if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? "error";
}

/** Extensions of text a design document is written in. */
export const DOCUMENT_FILE = /\.(md|markdown|rst|txt|adoc)$/i;

/**
 * Reads one design document for review: as a file of the reviewed root when it lies inside it (`--doc
 * docs/x.md`), otherwise under its path relative to the root. Binary, huge or unreadable files become a
 * diagnostic, never an exception.
 */
export async function readDocument(root: string, path: string, diagnostics: Diagnostic[]): Promise<WorkspaceFile | null> {
  const absolute = resolve(path);
  const rel = relative(root, absolute).split(sep).join("/") || absolute;
  try {
    const bytes = await readFile(absolute);
    if (isBinary(bytes.subarray(0, 8192))) {
      diagnostics.push({ level: "warning", code: "binary-file", message: `${rel} is binary, not a design document; skipped`, file: rel });
      return null;
    }
    if (bytes.length > 2 * MB) {
      diagnostics.push({ level: "warning", code: "file-too-large", message: `${rel} is larger than 2 MB; skipped`, file: rel });
      return null;
    }
    return { path: rel, kind: "doc", size: bytes.length, text: decodeText(bytes).text };
  } catch (error) {
    diagnostics.push({ level: "warning", code: "unreadable", message: `cannot read ${rel} (${(error as NodeJS.ErrnoException).code ?? "error"})`, file: rel });
    return null;
  }
}

/** The file set of a review of one design document on its own: the document and nothing else. */
export async function documentFileSet(path: string): Promise<FileSet> {
  const root = resolve(path, "..");
  const diagnostics: Diagnostic[] = [];
  const file = await readDocument(root, path, diagnostics);
  return { root, files: file ? [file] : [], diagnostics, isGitWorkTree: false, explicitDocuments: file ? [file.path] : [], documentOnly: true };
}
