import { type ContextInput, ContextSchema, type ReviewContext } from "./context.js";

/**
 * The review context: `--context FILE` (already parsed by the CLI) wins; otherwise
 * `[tool.archscope.context]` in the reviewed project's pyproject.toml unless `isolated`.
 * Invalid values are reported and ignored, never fatal.
 */
export function resolveContext(
  explicit: { source: string; data: unknown } | null,
  pyprojects: Array<{ file: string; data: Record<string, unknown> }>,
  isolated: boolean,
): { context: ReviewContext; problems: string[] } {
  if (explicit) return validate(explicit.data, explicit.source);
  if (!isolated) {
    const root = pyprojects.find((p) => p.file === "pyproject.toml") ?? pyprojects[0];
    const tool = root?.data.tool as Record<string, unknown> | undefined;
    const archscope = tool?.archscope as Record<string, unknown> | undefined;
    if (archscope?.context !== undefined) return validate(archscope.context, `${root?.file} [tool.archscope.context]`);
  }
  return { context: { source: null }, problems: [] };
}

function validate(data: unknown, source: string): { context: ReviewContext; problems: string[] } {
  const normalised = normaliseKeys(data);
  const result = ContextSchema.safeParse(normalised);
  if (result.success) return { context: { ...result.data, source }, problems: [] };
  // keep the valid fields, report the rest
  const problems: string[] = [];
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((normalised as Record<string, unknown>) ?? {})) {
    const one = ContextSchema.safeParse({ [key]: value });
    if (one.success) Object.assign(kept, one.data);
    else problems.push(`${source}: ${key}: ${one.error.issues[0]?.message ?? "invalid"}`);
  }
  return { context: { ...(kept as ContextInput), source }, problems };
}

function normaliseKeys(data: unknown): unknown {
  if (!data || typeof data !== "object" || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k.replace(/-/g, "_"), typeof v === "string" && k !== "data_volume" && k !== "budget" && k !== "timeline" ? v.toLowerCase() : v]));
}
