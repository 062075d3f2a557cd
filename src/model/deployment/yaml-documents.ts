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

/** Budget of nodes visited while indexing lines, so that alias bombs cannot blow up. */
const MAX_INDEXED_NODES = 200_000;

/**
 * Every document of a (possibly multi-document) YAML file. A document with a syntax error becomes an
 * `invalid-yaml` diagnostic at its first error's line and is left out; the others are still read.
 */
export function readYamlDocuments(text: string, file: string, diagnostics: Diagnostic[], options: YamlReadOptions = {}): YamlDocument[] {
  const lineCounter = new LineCounter();
  const toOriginal = options.originalLine ?? ((line: number) => line);
  const docs = parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: false, prettyErrors: false });
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
      diagnostics.push({ level: "warning", code: "invalid-yaml", message: `invalid YAML: ${(error as Error).message.split("\n")[0]}`, file });
      continue;
    }
    if (data === null || data === undefined) continue;
    const lines = indexLines(doc, (offset) => toOriginal(lineCounter.linePos(offset).line));
    out.push({ data, line: (path) => lines.get(pathKey(path)) });
  }
  return out;
}

function pathKey(path: YamlPath): string {
  return JSON.stringify(path);
}

/** Line of every map key and sequence item, by path; explicit keys win over merged ones, as in the data. */
function indexLines(doc: Document, lineAt: (offset: number) => number): Map<string, number> {
  const lines = new Map<string, number>();
  let budget = MAX_INDEXED_NODES;
  const record = (path: Array<string | number>, offset: number | undefined) => {
    const key = pathKey(path);
    if (offset !== undefined && !lines.has(key)) lines.set(key, lineAt(offset));
  };
  const walk = (node: unknown, path: Array<string | number>, depth: number): void => {
    if (--budget < 0 || depth > 64) return;
    const target = isAlias(node) ? node.resolve(doc) : node;
    if (isMap(target)) {
      const merges: unknown[] = [];
      for (const pair of target.items) {
        if (isScalar(pair.key) && typeof pair.key.value === "symbol") {
          merges.push(pair.value);
          continue;
        }
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (key === null) continue;
        record([...path, key], (pair.key as Node).range?.[0]);
        walk(pair.value, [...path, key], depth + 1);
      }
      for (const merged of merges) {
        const sources = isSeq(merged) ? merged.items : [merged];
        for (const source of sources) walk(source, path, depth + 1);
      }
    } else if (isSeq(target)) {
      target.items.forEach((item, index) => {
        record([...path, index], (item as Node | null)?.range?.[0]);
        walk(item, [...path, index], depth + 1);
      });
    }
  };
  walk(doc.contents, [], 0);
  return lines;
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
