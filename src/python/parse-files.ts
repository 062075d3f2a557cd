import type { Diagnostic } from "../core/diagnostics.js";
import { readSourceFile } from "../workspace/scan.js";
import type { FileSet, WorkspaceFile } from "../workspace/types.js";
import { contentHash, FactsCache } from "./cache.js";
import type { FileFacts } from "./facts.js";
import { parseFile } from "./parser.js";

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
  stats: { parsed: number; fromCache: number; bytes: number };
}

/** Parse stage: facts for application Python files; a light pass for tests and migrations. */
export async function parsePythonFiles(fileSet: FileSet, options: ParseOptions): Promise<ParseResult> {
  const diagnostics: Diagnostic[] = [];
  const app = fileSet.files.filter((f) => f.kind === "python" && !f.migration && !f.skipped);
  const tests = fileSet.files.filter((f) => f.kind === "test" && !f.skipped);
  const migrations = fileSet.files.filter((f) => (f.kind === "python" || f.kind === "test") && f.migration).map((f) => f.path);
  const cache = options.cacheDir ? await FactsCache.open(options.cacheDir) : null;

  const sources: Array<{ file: WorkspaceFile; source: string; hash: string }> = [];
  let bytes = 0;
  for (const file of app) {
    const source = await readSourceFile(fileSet.root, file, diagnostics);
    if (source === null) continue;
    bytes += source.length;
    sources.push({ file, source, hash: contentHash(source) });
  }

  const facts: FileFacts[] = new Array(sources.length);
  const pending: number[] = [];
  let fromCache = 0;
  for (let i = 0; i < sources.length; i++) {
    const item = sources[i] as (typeof sources)[number];
    const cached = cache ? await cache.get(item.hash, item.file.path) : null;
    if (cached) {
      facts[i] = cached;
      fromCache++;
    } else pending.push(i);
  }

  // worker start-up costs more than it saves on small projects: in-process below ~1 MB of Python
  const pendingBytes = pending.reduce((n, i) => n + (sources[i]?.source.length ?? 0), 0);
  const jobs = Math.max(1, Math.min(options.jobs, pending.length));
  const parsed = jobs > 1 && pendingBytes >= PARALLEL_MIN_BYTES ? await parseInPool(pending.map((i) => sources[i] as (typeof sources)[number]), jobs, options.onProgress) : null;
  let done = 0;
  for (let k = 0; k < pending.length; k++) {
    const index = pending[k] as number;
    const item = sources[index] as (typeof sources)[number];
    const result = parsed ? (parsed[k] as FileFacts) : await parseFile(item.source, item.file.path);
    facts[index] = result;
    if (cache) await cache.set(item.hash, result);
    if (!parsed) options.onProgress?.(++done, pending.length);
  }
  if (cache?.warning) diagnostics.push({ level: "warning", code: "cache", message: cache.warning });

  for (const f of facts) {
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
  return { facts, tests: testSummaries, migrations, diagnostics, stats: { parsed: pending.length, fromCache, bytes } };
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
async function parseInPool(items: Array<{ file: WorkspaceFile; source: string }>, jobs: number, onProgress?: (done: number, total: number) => void): Promise<FileFacts[]> {
  const { parseWithWorkers } = await import("./pool.js");
  return parseWithWorkers(items.map((i) => ({ path: i.file.path, source: i.source })), jobs, onProgress);
}
