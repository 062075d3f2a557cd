import type { Diagnostic } from "../core/diagnostics.js";
import { readSourceFile } from "../workspace/scan.js";
import type { FileSet, WorkspaceFile } from "../workspace/types.js";
import { contentHash, FactsCache, StampIndex } from "./cache.js";
import type { FileFacts } from "./facts.js";
import { parseFile, takeParseClock } from "./parser.js";

const PARALLEL_MIN_BYTES = 1024 * 1024;

export interface ParseOptions {
  /** Cache directory; null disables the cache. */
  cacheDir: string | null;
  /** Worker threads; 1 parses in-process. */
  jobs: number;
  onProgress?: (done: number, total: number) => void;
}

/** What a light pass learns from a test file without parsing it. */
export interface TestFileSummary {
  path: string;
  tests: number;
  /** Top-level project modules the test imports (`app`, `shop`). */
  imports: string[];
}

export interface ParseResult {
  facts: FileFacts[];
  tests: TestFileSummary[];
  migrations: string[];
  diagnostics: Diagnostic[];
  /** Counts, and milliseconds spent reading and hashing, parsing, and extracting (summed over worker threads). */
  stats: { parsed: number; fromCache: number; bytes: number; readMs: number; parseMs: number; extractMs: number };
}

/** Parse stage: facts for application Python files; a light pass for tests and migrations. */
export async function parsePythonFiles(fileSet: FileSet, options: ParseOptions): Promise<ParseResult> {
  const diagnostics: Diagnostic[] = [];
  const app = fileSet.files.filter((f) => f.kind === "python" && !f.migration && !f.skipped);
  const tests = fileSet.files.filter((f) => f.kind === "test" && !f.skipped);
  const migrations = fileSet.files.filter((f) => (f.kind === "python" || f.kind === "test") && f.migration).map((f) => f.path);
  const cache = options.cacheDir ? await FactsCache.open(options.cacheDir) : null;
  const stamps = options.cacheDir ? await StampIndex.open(options.cacheDir, fileSet.root) : null;
  const clock = { readMs: 0, parseMs: 0, extractMs: 0 };

  // an unchanged file (same size and modification time as when its facts were cached) is not even read
  const facts: Array<FileFacts | undefined> = new Array(app.length);
  const pending: Array<{ at: number; file: WorkspaceFile; source: string; hash: string }> = [];
  let bytes = 0;
  let fromCache = 0;
  const t0 = performance.now();
  for (let at = 0; at < app.length; at++) {
    const file = app[at] as WorkspaceFile;
    const stamp = stamps?.lookup(file.path, file.size, file.mtimeMs);
    const stamped = stamp && cache ? await cache.get(stamp.hash, file.path) : null;
    if (stamp && stamped) {
      facts[at] = stamped;
      bytes += stamp.chars;
      fromCache++;
      continue;
    }
    const before = diagnostics.length;
    const source = await readSourceFile(fileSet.root, file, diagnostics);
    if (source === null) continue;
    const tooComplex = pathological(source);
    if (tooComplex) {
      file.skipped = "too-large";
      diagnostics.push({ level: "info", code: "file-too-complex", message: `${tooComplex}: not parsed`, file: file.path });
      continue;
    }
    bytes += source.length;
    const hash = contentHash(source);
    if (diagnostics.length === before) stamps?.record(file.path, file.size, file.mtimeMs, hash, source.length);
    const cached = cache ? await cache.get(hash, file.path) : null;
    if (cached) {
      facts[at] = cached;
      fromCache++;
    } else pending.push({ at, file, source, hash });
  }
  clock.readMs = performance.now() - t0;

  // worker start-up costs more than it saves on small projects: in-process below ~1 MB of Python
  const pendingBytes = pending.reduce((n, p) => n + p.source.length, 0);
  const jobs = Math.max(1, Math.min(options.jobs, pending.length));
  const pooled = jobs > 1 && pendingBytes >= PARALLEL_MIN_BYTES ? await parseInPool(pending, jobs, options.onProgress) : null;
  if (pooled) {
    clock.parseMs = pooled.clock.parseMs;
    clock.extractMs = pooled.clock.extractMs;
  } else takeParseClock();
  let done = 0;
  for (let k = 0; k < pending.length; k++) {
    const item = pending[k] as (typeof pending)[number];
    const result = pooled ? (pooled.facts[k] as FileFacts) : await parseFile(item.source, item.file.path);
    facts[item.at] = result;
    if (cache) await cache.set(item.hash, result);
    if (!pooled) options.onProgress?.(++done, pending.length);
  }
  if (!pooled) Object.assign(clock, takeParseClock());
  if (cache?.warning) diagnostics.push({ level: "warning", code: "cache", message: cache.warning });
  await stamps?.save(new Set(app.map((f) => f.path)));
  const parsedFacts = facts.filter((f): f is FileFacts => f !== undefined);

  for (const f of parsedFacts) {
    for (const error of f.errors.slice(0, 3)) {
      diagnostics.push({ level: "warning", code: "syntax-error", message: `${error.message}: facts extracted from the rest of the file`, file: f.path, line: error.line });
    }
  }

  const testSummaries: TestFileSummary[] = [];
  for (const file of tests) {
    const source = await readSourceFile(fileSet.root, file, diagnostics);
    if (source !== null) testSummaries.push(summariseTestFile(file.path, source));
  }
  if (tests.length || migrations.length) {
    diagnostics.push({
      level: "info",
      code: "light-pass",
      message: `${tests.length} test file(s) and ${migrations.length} migration file(s) got a light pass (counted, not fully analysed)`,
    });
  }
  return { facts: parsedFacts, tests: testSummaries, migrations, diagnostics, stats: { parsed: pending.length, fromCache, bytes, ...clock } };
}

/** Generated modules announce themselves in their first lines (protoc, Thrift, "DO NOT EDIT", `@generated`). */
const GENERATED_HEADER = /generated by|do not edit|@generated|auto-?generated|automatically generated/i;

/**
 * Why a readable Python file is not worth a full pass, if it is not: a minified blob (a line of tens of thousands
 * of characters) or a large generated module. Either costs seconds of extraction and holds no design decision.
 */
export function pathological(source: string): string | null {
  if (source.length < 100 * 1024) return null;
  let longest = 0;
  for (let start = 0; start < source.length; ) {
    const end = source.indexOf("\n", start);
    const stop = end < 0 ? source.length : end;
    if (stop - start > longest) longest = stop - start;
    start = stop + 1;
  }
  if (longest > 20_000) return `minified or generated code (a line of ${longest.toLocaleString("en")} characters)`;
  if (source.length > 512 * 1024 && GENERATED_HEADER.test(source.slice(0, 2000))) return `a generated module of ${Math.round(source.length / 1024).toLocaleString("en")} KB`;
  return null;
}

const TEST_FUNCTION = /^\s*(async\s+)?def\s+test\w*\s*\(/gm;
const IMPORT_LINE = /^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))/gm;

export function summariseTestFile(path: string, source: string): TestFileSummary {
  const tests = source.match(TEST_FUNCTION)?.length ?? 0;
  const imports = new Set<string>();
  for (const m of source.matchAll(IMPORT_LINE)) {
    const head = (m[1] ?? m[2] ?? "").split(".")[0];
    if (head) imports.add(head);
  }
  return { path, tests, imports: [...imports].sort() };
}

/** Set by the worker pool module when it is loaded (keeps this module free of worker code in tests that don't need it). */
async function parseInPool(items: Array<{ file: WorkspaceFile; source: string }>, jobs: number, onProgress?: (done: number, total: number) => void): Promise<{ facts: FileFacts[]; clock: { parseMs: number; extractMs: number } }> {
  const { parseWithWorkers } = await import("./pool.js");
  return parseWithWorkers(items.map((i) => ({ path: i.file.path, source: i.source })), jobs, onProgress);
}
