import ignore from "ignore";
import { parse as parseToml } from "smol-toml";
import { type ContextInput, ContextSchema, type ReviewContext } from "../checks/context.js";
import { AREAS, type Check, type Finding } from "../checks/types.js";
import type { FileSet } from "../workspace/types.js";

/**
 * The configuration a review runs with, read once by the pipeline and handed to the stages: the review
 * context, which checks run (`select`/`ignore`, by id, id prefix or area, in Ruff's style) and which
 * findings are silenced for which files (`per-file-ignores`). It comes from `--context`/`--select`/`--ignore`
 * and from the reviewed repository's `archscope.toml` (top-level keys) or `pyproject.toml` (`[tool.archscope]`),
 * which `--isolated` ignores because the repository is untrusted input.
 */
export interface ArchscopeConfig {
  context: ReviewContext;
  /** Selectors of the checks to run; null runs them all. */
  select: string[] | null;
  ignore: string[];
  perFileIgnores: Array<{ pattern: string; selectors: string[] }>;
  /** Where the repository's configuration came from (`pyproject.toml [tool.archscope]`), null when none. */
  source: string | null;
}

export interface ConfigOptions {
  /** `--context FILE`, already parsed. */
  context?: { source: string; data: unknown } | null;
  /** `--select` and `--ignore` from the command line (already validated). */
  select?: string[];
  ignore?: string[];
  isolated?: boolean;
  /** pyproject.toml files the model stage parsed already: read from here, not parsed again (a broken one was reported then). */
  pyprojects?: Array<{ file: string; data: Record<string, unknown> }>;
}

const KNOWN_KEYS = new Set(["context", "select", "ignore", "per-file-ignores", "per_file_ignores"]);

/** The configuration for a scanned repository; problems are reported and the run goes on without the bad part. */
export function loadConfig(fileSet: FileSet, checks: readonly Check[], options: ConfigOptions = {}): { config: ArchscopeConfig; problems: string[] } {
  const problems: string[] = [];
  const repo = options.isolated ? null : repositoryConfig(fileSet, problems, options.pyprojects);
  const table = repo?.table ?? {};
  const source = repo?.source ?? null;
  for (const key of Object.keys(table)) if (!KNOWN_KEYS.has(key)) problems.push(`${source}: unknown key "${key}" (known: context, select, ignore, per-file-ignores)`);

  const selectors = (key: string, value: unknown): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      problems.push(`${source}: ${key} must be a list of rule ids, prefixes or areas, not ${JSON.stringify(value)}`);
      return [];
    }
    const bad = (value as string[]).filter((v) => !validSelector(v, checks));
    for (const v of bad) problems.push(`${source}: ${key}: unknown rule selector "${v}"`);
    return (value as string[]).filter((v) => validSelector(v, checks));
  };
  const perFile: ArchscopeConfig["perFileIgnores"] = [];
  const perFileTable = table["per-file-ignores"] ?? table.per_file_ignores;
  if (perFileTable !== undefined) {
    if (!perFileTable || typeof perFileTable !== "object" || Array.isArray(perFileTable)) problems.push(`${source}: per-file-ignores must be a table of glob = [rule selectors]`);
    else for (const [pattern, value] of Object.entries(perFileTable)) perFile.push({ pattern, selectors: selectors(`per-file-ignores "${pattern}"`, value) });
  }
  const repoSelect = table.select === undefined ? null : selectors("select", table.select);
  const repoIgnore = selectors("ignore", table.ignore);

  const context = options.context
    ? validateContext(options.context.data, options.context.source, problems)
    : table.context !== undefined
      ? validateContext(table.context, `${source} context`, problems)
      : { source: null };
  return {
    config: {
      context,
      select: options.select?.length ? options.select : repoSelect,
      ignore: [...repoIgnore, ...(options.ignore ?? [])],
      perFileIgnores: perFile.filter((p) => p.selectors.length),
      source,
    },
    problems,
  };
}

/** `archscope.toml` at the root (top-level keys) wins over `pyproject.toml` `[tool.archscope]`, as ruff.toml does over pyproject. */
function repositoryConfig(fileSet: FileSet, problems: string[], pyprojects?: ConfigOptions["pyprojects"]): { table: Record<string, unknown>; source: string } | null {
  for (const name of ["archscope.toml", ".archscope.toml", "pyproject.toml"]) {
    const file = fileSet.files.find((f) => f.path === name);
    if (file?.text === undefined) continue;
    let data: Record<string, unknown>;
    try {
      const parsed = name === "pyproject.toml" && pyprojects ? pyprojects.find((p) => p.file === name)?.data : undefined;
      if (name === "pyproject.toml" && pyprojects && !parsed) continue;
      data = parsed ?? (parseToml(file.text) as Record<string, unknown>);
    } catch (error) {
      problems.push(`${name} is not valid TOML, its archscope configuration is ignored: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    if (name !== "pyproject.toml") return { table: data, source: name };
    const table = (data.tool as Record<string, unknown> | undefined)?.archscope;
    if (table && typeof table === "object" && !Array.isArray(table)) return { table: table as Record<string, unknown>, source: "pyproject.toml [tool.archscope]" };
  }
  return null;
}

/** `SEC001`, a prefix of ids (`SEC`, `SEC00`), an area (`security`), or `ALL`. */
export function validSelector(selector: string, checks: readonly Check[]): boolean {
  const s = selector.trim();
  if (s.toUpperCase() === "ALL" || (AREAS as readonly string[]).includes(s.toLowerCase())) return true;
  return /^[A-Za-z]+\d*$/.test(s) && checks.some((c) => c.id.startsWith(s.toUpperCase()));
}

function matches(check: { id: string; area: string }, selector: string): boolean {
  const s = selector.trim();
  return s.toUpperCase() === "ALL" || s.toLowerCase() === check.area || check.id.startsWith(s.toUpperCase());
}

/** The checks the configuration runs: those selected (all when nothing is), minus those ignored. */
export function selectChecks<T extends Check>(checks: readonly T[], config: Pick<ArchscopeConfig, "select" | "ignore">): T[] {
  return checks.filter((c) => (config.select === null || config.select.some((s) => matches(c, s))) && !config.ignore.some((s) => matches(c, s)));
}

/** Marks findings whose primary evidence is in a file a `per-file-ignores` pattern names as suppressed, saying why. */
export function applyPerFileIgnores(findings: Finding[], config: Pick<ArchscopeConfig, "perFileIgnores" | "source">): void {
  if (!config.perFileIgnores.length) return;
  const rules = config.perFileIgnores.map((p) => ({ ...p, matcher: ignore().add(p.pattern) }));
  for (const f of findings) {
    const file = f.evidence[0]?.file;
    if (!file || f.suppressed) continue;
    const rule = rules.find((r) => r.matcher.ignores(file) && r.selectors.some((s) => matches(f, s)));
    if (!rule) continue;
    f.suppressed = true;
    f.suppressionReason = `per-file-ignores "${rule.pattern}" in ${config.source}`;
  }
}

/** Validates the context; keeps the valid fields and reports each bad key with its value. */
function validateContext(data: unknown, source: string, problems: string[]): ReviewContext {
  const normalised = normaliseKeys(data);
  const result = ContextSchema.safeParse(normalised);
  if (result.success) return { ...result.data, source };
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((normalised as Record<string, unknown>) ?? {})) {
    const one = ContextSchema.safeParse({ [key]: value });
    if (one.success) Object.assign(kept, one.data);
    else problems.push(`${source}: ${key} = ${JSON.stringify(value)}: ${one.error.issues[0]?.message ?? "invalid"}`);
  }
  return { ...(kept as ContextInput), source };
}

const FREE_TEXT = new Set(["budget", "timeline"]);

function normaliseKeys(data: unknown): unknown {
  if (!data || typeof data !== "object" || Array.isArray(data)) return data;
  // `latency-target-ms` is the older name of `latency_p99_ms`; free text keeps its case
  const renamed: Record<string, string> = { latency_target_ms: "latency_p99_ms" };
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>).map(([k, v]) => {
      const key = k.replace(/-/g, "_");
      return [renamed[key] ?? key, typeof v === "string" && !FREE_TEXT.has(key) ? v.toLowerCase() : v];
    }),
  );
}
