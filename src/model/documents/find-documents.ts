import type { WorkspaceFile } from "../../workspace/types.js";
import type { DesignDocument } from "../types.js";
import { parseDesignDocument } from "./parse-document.js";

/** Architecture and design documents by name: ARCHITECTURE.md, DESIGN.md, docs/architecture/*.md, docs/system-design.md. */
const DESIGN_NAME = /(^|\/)(architecture|design|system[-_ ]design|technical[-_ ]design|solution[-_ ]design|high[-_ ]level[-_ ]design|hld)([-_.][\w-]*)?\.(md|markdown|rst|txt|adoc)$/i;
const DESIGN_DIR = /(^|\/)docs?\/(architecture|design)\/[^/]+\.(md|markdown|rst|txt)$/i;
/** Architecture decision records: docs/adr/0001-*.md, doc/decisions/*.md, docs/architecture/decisions/*.md. */
const ADR = /(^|\/)(adrs?|decisions|architecture[-_]decisions?)\/[^/]+\.(md|markdown|rst|txt)$/i;
/**
 * Not this backend's design: vendored and generated documentation, tool folders (`.github/`, `.claude/`,
 * `.cursor/`: any dot-directory) and the front-end or mobile clients' own documents.
 */
const NOT_OURS = /(^|\/)(node_modules|vendor|third[-_]party|site-packages|changelog|changes|release[-_]notes|frontend|front-end|client|clients|web-?app|webui|ui|mobile|ios|android)(\/|$)|(^|\/)\.[^/]+\//i;

/**
 * The design documents of a repository, read into facts: named architecture and design documents anywhere
 * (or under docs/architecture, docs/design), and decision records. Files given explicitly (`--doc`, or a
 * document as the review's target) are design documents whatever their name.
 */
export function readDesignDocuments(files: WorkspaceFile[], explicit: ReadonlySet<string> = new Set()): DesignDocument[] {
  const out: DesignDocument[] = [];
  for (const f of files) {
    if (f.text === undefined) continue;
    const named = f.kind === "doc" || /\.txt$/i.test(f.path);
    if (!named) continue;
    const role = explicit.has(f.path) ? "design" : NOT_OURS.test(f.path) ? null : ADR.test(f.path) ? "adr" : DESIGN_NAME.test(f.path) || DESIGN_DIR.test(f.path) ? "design" : null;
    if (!role) continue;
    out.push(parseDesignDocument(f.path, f.text, role));
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
