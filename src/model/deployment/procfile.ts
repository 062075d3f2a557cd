import { compareCodeUnits } from "../../core/diagnostics.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { ProcfileEntry } from "../types.js";
import { parseServerCommand } from "./server-command.js";

/** `web: gunicorn app:app`: a process type, a colon, the command (Heroku, Dokku, honcho, foreman). */
const ENTRY = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(\S.*)$/;

/** Process types declared in every file named Procfile, each with its line. */
export function readProcfiles(files: WorkspaceFile[]): ProcfileEntry[] {
  const entries: ProcfileEntry[] = [];
  for (const file of files) {
    const base = file.path.slice(file.path.lastIndexOf("/") + 1);
    if (base.toLowerCase() !== "procfile" || file.text === undefined) continue;
    file.text.split(/\r?\n/).forEach((raw, index) => {
      const match = ENTRY.exec(raw.trim());
      if (!match?.[1] || !match[2]) return;
      entries.push({ file: file.path, line: index + 1, process: match[1], command: match[2].trim(), server: parseServerCommand(match[2]) });
    });
  }
  return entries.sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line);
}
