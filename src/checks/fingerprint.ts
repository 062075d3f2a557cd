import { createHash } from "node:crypto";

/**
 * Stable across unrelated edits: check id, file, the whitespace-collapsed (already redacted)
 * snippet, and which occurrence of that snippet in the file it is. Never the line number.
 */
export function fingerprint(id: string, file: string, snippet: string, occurrence: number): string {
  const normalised = snippet.replace(/\s+/g, " ").trim();
  return createHash("sha256").update(`${id}\0${file}\0${normalised}\0${occurrence}`).digest("hex").slice(0, 16);
}
