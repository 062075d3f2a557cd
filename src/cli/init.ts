import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { CONTEXT_QUESTIONS, type ContextInput, ContextSchema, STAGES } from "../checks/context.js";
import { writeContextTable } from "../config/write-context.js";

/** `archscope init` flags: one per context field (kebab case), plus where to write and whether to ask. */
export interface InitFlags {
  yes: boolean;
  [field: string]: unknown;
}

const CHOICES: Partial<Record<keyof ContextInput, readonly string[]>> = {
  stage: STAGES,
  exposure: ["public", "internal"],
  team_experience: ["junior", "mixed", "senior"],
};
const NUMBERS = new Set<keyof ContextInput>(["users", "peak_rps", "data_volume_gb", "latency_p99_ms", "availability_target", "team_size"]);
const LISTS = new Set<keyof ContextInput>(["compliance", "integrations"]);

/** The flag name of a context field: `peak_rps` → `peakRps` (commander's camel case of `--peak-rps`). */
export function flagKey(field: string): string {
  return field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A raw answer (flag or prompt text) as the field's value; "" is no answer. */
function answerValue(field: keyof ContextInput, raw: string): unknown {
  const text = raw.trim();
  if (!text) return undefined;
  if (NUMBERS.has(field)) return Number(text.replace(/%$/, ""));
  if (LISTS.has(field)) return text.split(",").map((v) => v.trim()).filter(Boolean);
  return CHOICES[field] ? text.toLowerCase() : text;
}

/** One answer checked against the schema: the error message naming the field and value, or null. */
function problem(field: keyof ContextInput, value: unknown): string | null {
  const result = ContextSchema.safeParse({ [field]: value });
  return result.success ? null : `${field} = ${JSON.stringify(value)}: ${result.error.issues[0]?.message ?? "invalid"}`;
}

/**
 * Asks the clarifying questions (or takes them from flags with `--yes` or without a terminal) and writes
 * `[tool.archscope.context]` into pyproject.toml, or `[context]` into archscope.toml when the project keeps its
 * configuration there or has no pyproject.toml. Every other byte of the file is kept.
 */
export async function initCommand(path: string, flags: InitFlags, interactive: boolean, say: (text: string) => void): Promise<{ file: string; context: ContextInput }> {
  const answers: Record<string, unknown> = {};
  for (const q of CONTEXT_QUESTIONS) {
    const raw = flags[flagKey(q.field)];
    if (typeof raw !== "string") continue;
    const value = answerValue(q.field, raw);
    const bad = problem(q.field, value);
    if (bad) throw new Error(`--${q.field.replace(/_/g, "-")}: ${bad}`);
    answers[q.field] = value;
  }
  const archscopeToml = join(path, "archscope.toml");
  const pyproject = join(path, "pyproject.toml");
  const useArchscope = existsSync(archscopeToml) || !existsSync(pyproject);
  const file = useArchscope ? archscopeToml : pyproject;
  const before = existsSync(file) ? await readFile(file, "utf8") : "";
  // answers already in the file stay, unless a flag or an answer replaces them
  const existing = existingContext(before, useArchscope);
  if (interactive && !flags.yes) Object.assign(answers, await ask({ ...existing, ...answers }));
  if (!Object.keys(answers).length) throw new Error("no context to write: answer the questions, or give flags such as --stage production (see archscope init --help)");
  const context = ContextSchema.parse({ ...existing, ...answers });
  const after = writeContextTable(before, useArchscope ? "context" : "tool.archscope.context", context, CONTEXT_QUESTIONS.map((q) => q.field));
  await writeFile(file, after);
  say(`archscope: wrote ${Object.keys(answers).length} context answer(s) to ${file} (${Object.keys(context).length} in all)\n`);
  return { file, context };
}

/** The valid context answers the file holds already (an invalid table is replaced whole). */
function existingContext(text: string, archscopeToml: boolean): Record<string, unknown> {
  try {
    const data = parseToml(text) as Record<string, unknown>;
    const table = archscopeToml ? data.context : ((data.tool as Record<string, unknown> | undefined)?.archscope as Record<string, unknown> | undefined)?.context;
    const result = ContextSchema.safeParse(table);
    return result.success ? result.data : {};
  } catch {
    return {};
  }
}

/** The questions in a terminal, each with one line on why it matters; Enter skips one (it stays open in the review). */
async function ask(given: Record<string, unknown>): Promise<Record<string, unknown>> {
  const prompts = await import("@clack/prompts");
  prompts.intro("archscope init: the context a reviewer would ask about");
  const out: Record<string, unknown> = {};
  for (const q of CONTEXT_QUESTIONS) {
    if (given[q.field] !== undefined) continue;
    const message = `${q.question}\n  ${q.why ?? ""}`;
    const choices = CHOICES[q.field];
    const answer = choices
      ? await prompts.select({ message, options: [{ value: "", label: "skip (leave it open)" }, ...choices.map((c) => ({ value: c, label: c }))] })
      : await prompts.text({
          message,
          placeholder: LISTS.has(q.field) ? "comma-separated, Enter to skip" : "Enter to skip",
          validate: (text) => {
            const value = answerValue(q.field, text ?? "");
            return value === undefined ? undefined : (problem(q.field, value) ?? undefined);
          },
        });
    if (prompts.isCancel(answer)) {
      prompts.cancel("Nothing written.");
      throw new Error("cancelled: nothing written");
    }
    const value = answerValue(q.field, String(answer ?? ""));
    if (value !== undefined) out[q.field] = value;
  }
  prompts.outro("Answers collected.");
  return out;
}
