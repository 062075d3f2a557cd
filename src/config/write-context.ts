import { parse as parseToml } from "smol-toml";
import { type ContextInput, ContextSchema } from "../checks/context.js";

/** A TOML value for a context field: a basic string, a number, or an array of strings. */
function tomlValue(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(", ")}]`;
  // TOML basic strings share JSON's escapes for quotes, backslashes and control characters
  return JSON.stringify(String(value));
}

/** The table's text: a header and one `key = value` line per answered field, in the questions' order. */
export function contextTable(header: string, context: ContextInput, order: readonly string[]): string {
  const lines = [`[${header}]`];
  for (const key of order) {
    const value = (context as Record<string, unknown>)[key];
    if (value !== undefined) lines.push(`${key} = ${tomlValue(value)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `text` with the context table set: an existing `[header]` table is replaced in place (up to the next table
 * header), otherwise the table is appended; every other byte of the file stays as it was, comments and
 * formatting included. Throws when the result would not be valid TOML or valid context.
 */
export function writeContextTable(text: string, header: string, context: ContextInput, order: readonly string[]): string {
  const table = contextTable(header, context, order);
  const escaped = header.replace(/[.[\]]/g, (c) => `\\${c}`);
  const start = new RegExp(`^[ \\t]*\\[[ \\t]*${escaped.replace(/\\\./g, "[ \\t]*\\.[ \\t]*")}[ \\t]*\\][ \\t]*(#.*)?$`, "m").exec(text);
  let result: string;
  if (start) {
    const after = start.index + start[0].length;
    const next = /^[ \t]*\[/m.exec(text.slice(after + 1));
    const end = next ? after + 1 + next.index : text.length;
    // keep the blank lines that separated the old table from the next one
    const tail = text.slice(start.index, end).match(/\n(\s*\n)*$/)?.[0] ?? "\n";
    result = `${text.slice(0, start.index)}${table.replace(/\n$/, "")}${next ? tail : "\n"}${text.slice(end)}`;
  } else {
    const separator = text.length === 0 ? "" : text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
    result = `${text}${separator}${table}`;
  }
  const parsed = parseToml(result) as Record<string, unknown>;
  const written = header.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], parsed);
  const check = ContextSchema.safeParse(written);
  if (!check.success) throw new Error(`the context written would be invalid: ${check.error.issues[0]?.message}`);
  return result;
}
