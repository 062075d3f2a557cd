import ignore from "ignore";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { type ContextInput, ContextSchema, type ReviewContext } from "../checks/context.js";
import type { Check, Finding } from "../checks/types.js";
import { validSelector } from "./selectors.js";
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
  /** Import contracts the team declared (`[tool.archscope.contracts]`), checked by ARCH008; null when none. */
  contracts: ImportContracts | null;
}

const moduleList = z.array(z.string().regex(/^[A-Za-z_][\w.]*(\s*\|\s*[A-Za-z_][\w.]*)*$/, "a dotted module name")).min(1);
/** `ignore_imports = ["shop.api.deps -> shop.db.session"]`: import-linter's syntax, `*` matching one name segment. */
const ignoreImports = z.array(z.string().regex(/^\s*[\w.*]+\s*->\s*[\w.*]+\s*$/, 'an import written as "importer -> imported"')).optional();
/**
 * Import contracts in import-linter's spirit: `layers` (higher first; a lower layer may not import a higher one, `a | b`
 * puts siblings on one layer), `forbidden` (source modules may not import the forbidden ones, project or third-party),
 * `independent` (the modules may not import each other). Direct and indirect imports count.
 */
export const ContractsSchema = z
  .object({
    layers: z.array(z.object({ name: z.string().optional(), layers: moduleList.min(2), containers: z.array(z.string()).optional(), ignore_imports: ignoreImports }).strict()).optional(),
    forbidden: z.array(z.object({ name: z.string().optional(), source_modules: moduleList, forbidden_modules: moduleList, ignore_imports: ignoreImports }).strict()).optional(),
    independent: z.array(z.object({ name: z.string().optional(), modules: moduleList.min(2), ignore_imports: ignoreImports }).strict()).optional(),
  })
  .strict();
export type ImportContracts = z.infer<typeof ContractsSchema> & { source: string };

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

const KNOWN_KEYS = new Set(["context", "select", "ignore", "per-file-ignores", "per_file_ignores", "contracts"]);

/** The configuration for a scanned repository; problems are reported and the run goes on without the bad part. */
export function loadConfig(fileSet: FileSet, checks: readonly Check[], options: ConfigOptions = {}): { config: ArchscopeConfig; problems: string[] } {
  const problems: string[] = [];
  const repo = options.isolated ? null : repositoryConfig(fileSet, problems, options.pyprojects);
  const table = repo?.table ?? {};
  const source = repo?.source ?? null;
  for (const key of Object.keys(table)) if (!KNOWN_KEYS.has(key)) problems.push(`${source}: unknown key "${key}" (known: context, select, ignore, per-file-ignores, contracts)`);

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
  const contracts = table.contracts === undefined ? null : validateContracts(table.contracts, `${source} contracts`, problems);
  if (contracts) context.contracts = contracts;
  return {
    config: {
      context,
      contracts,
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
export { validSelector };

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

/** Validates the contracts (keys with `-` read as `_`); a contract with a bad field is reported and left out, the others kept. */
function validateContracts(data: unknown, source: string, problems: string[]): ImportContracts | null {
  const normalised = underscoreKeys(data);
  if (!normalised || typeof normalised !== "object" || Array.isArray(normalised)) {
    problems.push(`${source} must be a table of layers, forbidden and independent contracts`);
    return null;
  }
  const out: Record<string, unknown[]> = {};
  for (const [kind, list] of Object.entries(normalised as Record<string, unknown>)) {
    const shape = ContractsSchema.shape[kind as keyof typeof ContractsSchema.shape];
    if (!shape) {
      problems.push(`${source}: unknown contract type "${kind}" (known: layers, forbidden, independent)`);
      continue;
    }
    const items = Array.isArray(list) ? list : [list];
    const valid = items.filter((item, i) => {
      const one = shape.safeParse([item]);
      if (!one.success) problems.push(`${source}: ${kind}[${i}]${(item as { name?: unknown })?.name ? ` "${String((item as { name?: unknown }).name)}"` : ""}: ${one.error.issues.map((x) => `${x.path.slice(1).join(".") || "contract"}: ${x.message}`).join("; ")}`);
      return one.success;
    });
    if (valid.length) out[kind] = valid;
  }
  const parsed = ContractsSchema.safeParse(out);
  if (!parsed.success) return null;
  const count = (parsed.data.layers?.length ?? 0) + (parsed.data.forbidden?.length ?? 0) + (parsed.data.independent?.length ?? 0);
  return count ? { ...parsed.data, source } : null;
}

function underscoreKeys(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(underscoreKeys);
  if (!data || typeof data !== "object") return data;
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k.replace(/-/g, "_"), underscoreKeys(v)]));
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
