import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { Diagnostic } from "../../core/diagnostics.js";

/** A path into a YAML document: map keys and sequence indexes. */
export type YamlPath = ReadonlyArray<string | number>;

/** One parsed YAML document as plain data, with the line of every key and sequence item. */
export interface YamlDocument {
  /** Plain data: aliases resolved, `<<` merge keys applied. */
  data: unknown;
  /** 1-based line (in the original file) of the map key or sequence item at `path`. */
  line(path: YamlPath): number | undefined;
}

export interface YamlReadOptions {
  /** Maps a line of the parsed text back to the original file (Helm templates are rewritten before parsing). */
  originalLine?: (line: number) => number;
  /** Appended to the diagnostic's message. */
  note?: string;
}

/**
 * Every document of a (possibly multi-document) YAML file. A document with a syntax error becomes an
 * `invalid-yaml` diagnostic at its first error's line and is left out; the others are still read.
 */
export function readYamlDocuments(text: string, file: string, diagnostics: Diagnostic[], options: YamlReadOptions = {}): YamlDocument[] {
  const lineCounter = new LineCounter();
  const toOriginal = options.originalLine ?? ((line: number) => line);
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: false, prettyErrors: false, logLevel: "error" });
  } catch (error) {
    // the YAML parser recurses once per level of block nesting: thousands of levels overflow the stack
    diagnostics.push({ level: "warning", code: "invalid-yaml", message: `invalid YAML: ${yamlFailure(error)}${options.note ? ` (${options.note})` : ""}`, file });
    return [];
  }
  if (!Array.isArray(docs)) return [];
  const out: YamlDocument[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
      diagnostics.push({
        level: "warning",
        code: "invalid-yaml",
        message: `invalid YAML: ${error.message.split("\n")[0] ?? "parse error"}${options.note ? ` (${options.note})` : ""}`,
        file,
        line: toOriginal(at),
      });
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      diagnostics.push({ level: "warning", code: "invalid-yaml", message: `invalid YAML: ${yamlFailure(error)}`, file });
      continue;
    }
    if (data === null || data === undefined) continue;
    out.push({
      data,
      line: (path) => {
        const offset = offsetOf(doc, path);
        return offset === undefined ? undefined : toOriginal(lineCounter.linePos(offset).line);
      },
    });
  }
  return out;
}

/** Why the YAML library gave up on a file, in one line. */
export function yamlFailure(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return "nested too deeply to read";
  return (error instanceof Error ? error.message : String(error)).split("\n", 1)[0] ?? "parse error";
}

/** Offset of the key (map entry) or item (sequence entry) at `path`, following aliases and merge keys. */
function offsetOf(doc: Document, path: YamlPath): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const step of path) {
    const found = childOf(doc, node, step, 0);
    if (!found) return undefined;
    [node, offset] = found;
  }
  return offset;
}

function childOf(doc: Document, parent: unknown, step: string | number, depth: number): [unknown, number | undefined] | undefined {
  const node = isAlias(parent) ? parent.resolve(doc) : parent;
  if (depth > 16) return undefined;
  if (isSeq(node)) {
    const item = typeof step === "number" ? node.items[step] : undefined;
    return item === undefined ? undefined : [item, (item as Node | null)?.range?.[0]];
  }
  if (!isMap(node)) return undefined;
  const merges: unknown[] = [];
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    if (typeof pair.key.value === "symbol") merges.push(pair.value);
    else if (String(pair.key.value) === String(step)) return [pair.value, pair.key.range?.[0]];
  }
  // Explicit keys win over merged ones, as in the data
  for (const merged of merges) {
    for (const source of isSeq(merged) ? merged.items : [merged]) {
      const found = childOf(doc, source, step, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** `value` as a plain object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `value` as an array, or an empty one. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Strings in a value that may be a string or a (nested) list of strings, as CI `script:` keys are. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  return [];
}
