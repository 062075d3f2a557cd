import type { WorkspaceFile } from "../../workspace/types.js";
import type { ConfigValue } from "../types.js";
import { unquote } from "./dockerfile.js";

/** `KEY=value` lines of .env files (with `export`, quotes and trailing comments handled). */
export function readEnvFile(file: WorkspaceFile): ConfigValue[] {
  if (file.text === undefined) return [];
  const out: ConfigValue[] = [];
  const lines = file.text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(lines[i] ?? "");
    if (!m) continue;
    let value = (m[2] ?? "").trim();
    if (!value.startsWith('"') && !value.startsWith("'")) value = value.replace(/\s+#.*$/, "");
    out.push({ file: file.path, line: i + 1, key: m[1] as string, value: unquote(value), origin: "env" });
  }
  return out;
}
