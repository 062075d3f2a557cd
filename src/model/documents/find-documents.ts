import type { WorkspaceFile } from "../../workspace/types.js";
import type { DesignDocument } from "../types.js";
import { posix } from "node:path";
import { adrShaped, documentLinks, parseDesignDocument, topicsIn } from "./parse-document.js";

/**
 * Architecture and design documents by name: ARCHITECTURE.md, architecture-overview.md, platform-architecture.md,
 * DESIGN.md, design-doc.md, system-design.md. Not any `design-*` page (design-discussions.md is about UX chat).
 */
const DESIGN_NAME = /(^|\/)([\w-]*[-_])?architecture([-_][\w-]*)?\.(md|markdown|rst|txt|adoc)$|(^|\/)(design|design[-_](doc|document|spec|overview|v\d+)|(system|technical|solution|high[-_]level)[-_]design([-_][\w-]*)?|hld)\.(md|markdown|rst|txt|adoc)$/i;
/** Documents anywhere under an architecture or design folder of the docs (docs/source/architecture/overview.rst); decision records there are ADRs. */
const DESIGN_DIR = /(^|\/)docs?\/(.+\/)?(architecture|design)\/(.+\/)?[^/]+\.(md|markdown|rst|txt)$/i;
/** Files that make a folder a code package or a component of its own (a Rust crate, a JavaScript package). */
const PACKAGE_FILE = /^(__init__\.py|cargo\.toml|package\.json|go\.mod|pom\.xml|build\.gradle(\.kts)?)$/i;
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
      // the title (level 1) names the project, not a section: "Infrastructure as a service" is not about infrastructure
      if (!level && depth > 1 && ARCHITECTURE_HEADING.test(line)) level = depth;
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
    // a decision record stays one when it is given explicitly: it records one decision, not the whole system
    const role = ADR.test(f.path) ? (NOT_OURS.test(f.path) && !explicit.has(f.path) ? null : "adr") : explicit.has(f.path) ? "design" : NOT_OURS.test(f.path) ? null : DESIGN_NAME.test(f.path) || DESIGN_DIR.test(f.path) ? "design" : null;
    if (!role) continue;
    const doc = parseDesignDocument(f.path, f.text, role);
    if (doc.role === "design" && adrShaped(doc.headings)) doc.role = "adr";
    out.push(doc);
  }
  // a design document beside a package's own code describes that component, not the whole system
  const packageDirs = new Set(files.filter((f) => PACKAGE_FILE.test(posix.basename(f.path))).map((f) => posix.dirname(f.path)));
  for (const doc of out) if (doc.role === "design" && !explicit.has(doc.file) && packageDirs.has(posix.dirname(doc.file))) doc.scope = "component";
  // what a design leaves to the pages it links to is covered there (one level of relative links)
  const byPath = new Map(files.filter((f) => f.text !== undefined).map((f) => [f.path, f.text as string]));
  for (const doc of out) {
    if (doc.role !== "design") continue;
    const text = byPath.get(doc.file) ?? "";
    const linked: NonNullable<DesignDocument["linkedTopics"]> = {};
    for (const link of documentLinks(text)) {
      const target = posix.normalize(posix.join(posix.dirname(doc.file), link));
      const content = byPath.get(target);
      if (content === undefined) continue;
      for (const topic of topicsIn(content)) if (!(topic in doc.topics) && !(topic in linked)) linked[topic] = target;
    }
    if (Object.keys(linked).length) doc.linkedTopics = linked;
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
