import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import type { FileFacts } from "./facts.js";
import { emptyFacts } from "./facts.js";
import { extractFacts } from "./extract.js";

const require = createRequire(import.meta.url);

let ready: Promise<Parser> | null = null;

/** The tree-sitter-python grammar's wasm file, as shipped in its npm package. */
export function grammarPath(): string {
  return require.resolve("tree-sitter-python/tree-sitter-python.wasm");
}

/** One warm parser per thread. */
export function pythonParser(): Promise<Parser> {
  ready ??= (async () => {
    await Parser.init();
    const language = await Language.load(grammarPath());
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return ready;
}

/** Milliseconds this thread spent parsing and extracting since the clock was last taken (for the benchmark's stage breakdown). */
const clock = { parseMs: 0, extractMs: 0 };

/** Reads and resets this thread's parse and extraction clock. */
export function takeParseClock(): { parseMs: number; extractMs: number } {
  const taken = { ...clock };
  clock.parseMs = 0;
  clock.extractMs = 0;
  return taken;
}

/** How long one file may take to parse before it is given up, so a pathological file cannot stall the run. */
export const PARSE_TIME_LIMIT_MS = 10_000;

/** Parses one file and extracts its facts; the tree is deleted before returning. */
export async function parseFile(source: string, path: string, limitMs = PARSE_TIME_LIMIT_MS): Promise<FileFacts> {
  const parser = await pythonParser();
  const t0 = performance.now();
  const deadline = t0 + limitMs;
  // tree-sitter calls back as it goes; answering true cancels the parse
  const tree = parser.parse(source, null, { progressCallback: (() => performance.now() > deadline) as () => void });
  const t1 = performance.now();
  clock.parseMs += t1 - t0;
  if (!tree) {
    // a cancelled parse would otherwise resume on the next file's call
    parser.reset();
    return failedFacts(path, source, `parsing took longer than ${limitMs / 1000} s: not analysed`);
  }
  try {
    return extractFacts(tree, source, path);
  } catch (error) {
    // an extractor bug on one file must not end the review: the file counts as unreadable
    return failedFacts(path, source, `archscope could not extract facts from this file (${(error as Error).message})`);
  } finally {
    tree.delete();
    clock.extractMs += performance.now() - t1;
  }
}

/** Parse only, no extraction: the baseline the benchmark compares against. */
export async function parseOnly(source: string): Promise<void> {
  const parser = await pythonParser();
  parser.parse(source)?.delete();
}

function failedFacts(path: string, source: string, message: string): FileFacts {
  return { ...emptyFacts(path, source.split("\n").length), errors: [{ line: 1, column: 1, message }] };
}
