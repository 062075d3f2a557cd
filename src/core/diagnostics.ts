/** Something the run noticed about its input: reported in the review's analysis notes, never fatal. */
export interface Diagnostic {
  level: "error" | "warning" | "info";
  code:
    | "syntax-error"
    | "file-too-large"
    | "file-too-complex"
    | "binary-file"
    | "unreadable"
    | "non-utf8"
    | "symlink-outside-root"
    | "symlink-loop"
    | "invalid-toml"
    | "invalid-yaml"
    | "invalid-dockerfile"
    | "invalid-config"
    | "cache"
    | "light-pass"
    | "reader-failed";
  message: string;
  file?: string;
  line?: number;
}

/**
 * Runs one reader on one file: an exception it throws on input it did not expect (a reader bug, a stack
 * overflow on absurd nesting) becomes a `reader-failed` diagnostic naming the file, and the reader's
 * fallback is used, so one odd file never ends the review nor costs the findings from the others.
 */
export function readGuarded<T>(file: string, reader: string, diagnostics: Diagnostic[], fallback: T, read: () => T): T {
  try {
    return read();
  } catch (error) {
    diagnostics.push(readerFailure(file, reader, error));
    return fallback;
  }
}

/** `readGuarded` for readers that return a promise. */
export async function readGuardedAsync<T>(file: string, reader: string, diagnostics: Diagnostic[], fallback: T, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    diagnostics.push(readerFailure(file, reader, error));
    return fallback;
  }
}

function readerFailure(file: string, reader: string, error: unknown): Diagnostic {
  const reason = (error instanceof Error ? error.message : String(error)).split("\n", 1)[0]?.slice(0, 200) ?? "error";
  return { level: "warning", code: "reader-failed", message: `the ${reader} reader failed on this file (${reason}): left out of the review`, file };
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compareCodeUnits(a.file ?? "", b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compareCodeUnits(a.code, b.code) ||
      compareCodeUnits(a.message, b.message),
  );
}

/** Locale-independent string order (by UTF-16 code unit), so output never depends on the machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
