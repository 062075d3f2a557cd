/** Something the run noticed about its input: reported in the review's analysis notes, never fatal. */
export interface Diagnostic {
  level: "error" | "warning" | "info";
  code:
    | "syntax-error"
    | "file-too-large"
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
    | "light-pass";
  message: string;
  file?: string;
  line?: number;
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
