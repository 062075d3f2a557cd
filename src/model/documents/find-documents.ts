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

/** The root README, or the backend's own (`backend/README.md`, `server/`, `api/`, `src/`). */
const README = /^((backend|server|api|src|service|app)\/)?readme\.(md|markdown|rst)$/i;
/** Headings of the sections of a README that describe the architecture. */
const ARCHITECTURE_HEADING = /^(#{1,6})\s+(.*\b(architecture|system design|design overview|system overview|how it works|components|infrastructure|tech(?:nology)? stack)\b.*)$/i;

/**
 * The architecture sections of a README (a heading such as "Architecture" or "System overview", down to the
 * next heading of the same or a higher level), with every other line blanked so that lines keep their numbers.
 * Null when the README has no such section.
 */
export function architectureSection(text: string): string | null {
  const lines = text.split("\n");
  const keep = new Array<boolean>(lines.length).fill(false);
  let level = 0;
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s/.exec(line);
    if (heading) {
      const depth = (heading[1] as string).length;
      if (level && depth <= level) level = 0;
      if (!level && ARCHITECTURE_HEADING.test(line)) level = depth;
    }
    keep[i] = level > 0;
  }
  if (!keep.some(Boolean)) return null;
  return lines.map((l, i) => (keep[i] ? l : "")).join("\n");
}

/**
 * The design documents of a repository, read into facts: named architecture and design documents anywhere
 * (or under docs/architecture, docs/design), decision records, and the architecture sections of a README. Files given explicitly (`--doc`, or a
 * document as the review's target) are design documents whatever their name.
 */
export function readDesignDocuments(files: WorkspaceFile[], explicit: ReadonlySet<string> = new Set()): DesignDocument[] {
  const out: DesignDocument[] = [];
  for (const f of files) {
    if (f.text === undefined) continue;
    if (README.test(f.path) && !explicit.has(f.path) && !NOT_OURS.test(f.path)) {
      const section = architectureSection(f.text);
      if (section) out.push(parseDesignDocument(f.path, section, "readme"));
      continue;
    }
    const named = f.kind === "doc" || /\.txt$/i.test(f.path);
    if (!named) continue;
    const role = explicit.has(f.path) ? "design" : NOT_OURS.test(f.path) ? null : ADR.test(f.path) ? "adr" : DESIGN_NAME.test(f.path) || DESIGN_DIR.test(f.path) ? "design" : null;
    if (!role) continue;
    out.push(parseDesignDocument(f.path, f.text, role));
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
