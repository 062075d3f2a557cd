import type { Diagnostic } from "../core/diagnostics.js";

export type FileKind =
  | "python"
  | "test"
  | "manifest"
  | "dockerfile"
  | "compose"
  | "k8s"
  | "helm"
  | "terraform"
  | "ci"
  | "env"
  | "doc"
  | "openapi"
  | "config"
  | "other";

export interface WorkspaceFile {
  /** Relative POSIX path from the root. */
  path: string;
  kind: FileKind;
  size: number;
  /** Modification time, with the size the stamp by which the cache knows an unchanged file without reading it. */
  mtimeMs?: number;
  /** Python under a migrations folder (Alembic versions, Django migrations): light pass only. */
  migration?: boolean;
  /** Text of non-Python files the model reads (manifests, Dockerfiles, YAML, env, docs); absent for Python and skipped files. */
  text?: string;
  /** Env files only: whether git tracks it (null when the root is not a git work tree). */
  tracked?: boolean | null;
  /** Env files only: whether .gitignore excludes it. */
  gitignored?: boolean;
  /** Python files over the size limit, binary files, unreadable files: listed, not parsed. */
  skipped?: "too-large" | "binary" | "unreadable";
}

export interface FileSet {
  /** Absolute path of the reviewed root. */
  root: string;
  files: WorkspaceFile[];
  diagnostics: Diagnostic[];
  isGitWorkTree: boolean;
  /** Paths (relative to the root) given explicitly as design documents: `--doc FILE`, or a document as the target. */
  explicitDocuments?: string[];
  /** A review of one design document on its own (the target was a document, not a folder). */
  documentOnly?: boolean;
}

export interface ScanOptions {
  exclude?: string[];
  /** Python files larger than this are skipped with a note. */
  maxPythonBytes?: number;
  /** Other text files larger than this are listed but not read. */
  maxTextBytes?: number;
}
