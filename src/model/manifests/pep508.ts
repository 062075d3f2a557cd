/** PEP 503 normalised name. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

const REQUIREMENT = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(\([^)]*\)|[^;@]*)?\s*(@\s*\S+)?\s*(;.*)?$/;

/** Parses a PEP 508 requirement string: name, version spec and marker. Null for what is not one. */
export function parseRequirement(text: string): { name: string; spec: string; marker: string | null } | null {
  const match = REQUIREMENT.exec(text.trim());
  if (!match?.[1]) return null;
  const spec = (match[3] ?? "").replace(/[()\s]/g, "");
  return { name: normaliseName(match[1]), spec: match[4] ? match[4].trim() : spec, marker: match[5]?.slice(1).trim() ?? null };
}

/** `==1.2.3` (no wildcard) or `===`; a direct URL reference counts as pinned too. */
export function isPinned(spec: string): boolean {
  if (spec.startsWith("@")) return true;
  return /^===?[^,*]+$/.test(spec.trim());
}

const DEV_GROUP = /^(dev|develop|development|test|tests|testing|lint|linting|typing|types|docs?|qa|ci|check|style)(-.*)?$/i;

export function isDevGroup(group: string): boolean {
  return DEV_GROUP.test(group);
}
