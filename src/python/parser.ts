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

/** Parses one file and extracts its facts; the tree is deleted before returning. */
export async function parseFile(source: string, path: string): Promise<FileFacts> {
  const parser = await pythonParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${path}`);
  try {
    return extractFacts(tree, source, path);
  } catch (error) {
    // an extractor bug on one file must not end the review: the file counts as unreadable
    return failedFacts(path, source, `archscope could not extract facts from this file (${(error as Error).message})`);
  } finally {
    tree.delete();
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
