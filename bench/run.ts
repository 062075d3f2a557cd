/**
 * Benchmark: `npm run bench -- PATH [--jobs N]`. Prints files, MB of Python, wall time and peak
 * memory of a full review, and its ratio to a parse-only pass over the same files in the same run.
 */
import { availableParallelism } from "node:os";
import { runReview } from "../src/pipeline.js";
import { parseOnly } from "../src/python/parser.js";
import { readSourceFile, scanWorkspace } from "../src/workspace/scan.js";

const args = process.argv.slice(2);
const path = args.find((a) => !a.startsWith("--")) ?? "examples/shop-api";
const jobsFlag = args.indexOf("--jobs");
const jobs = jobsFlag >= 0 ? Number(args[jobsFlag + 1]) : availableParallelism();

async function parseOnlyPass(root: string): Promise<{ ms: number; files: number; bytes: number }> {
  const fileSet = await scanWorkspace(root);
  const files = fileSet.files.filter((f) => f.kind === "python" && !f.migration && !f.skipped);
  const sources: string[] = [];
  for (const f of files) {
    const s = await readSourceFile(fileSet.root, f, []);
    if (s !== null) sources.push(s);
  }
  await parseOnly(""); // warm the parser, as the review's own parser is warm after its first file
  const start = performance.now();
  for (const s of sources) await parseOnly(s);
  return { ms: performance.now() - start, files: sources.length, bytes: sources.reduce((n, s) => n + Buffer.byteLength(s), 0) };
}

const baseline = await parseOnlyPass(path);
const single = await runReview(path, { cacheDir: null, jobs: 1 });
const parallel = jobs > 1 ? await runReview(path, { cacheDir: null, jobs }) : null;
const peakMb = process.resourceUsage().maxRSS / 1024;

const mb = baseline.bytes / 1024 / 1024;
const rows: Array<[string, string]> = [
  ["path", path],
  ["files scanned", String(single.review.analysis.files)],
  ["python files analysed", `${baseline.files} (${mb.toFixed(2)} MB)`],
  ["test / migration files (light pass)", `${single.review.analysis.testFiles} / ${single.review.analysis.migrationFiles}`],
  ["parse-only pass, 1 thread", `${baseline.ms.toFixed(0)} ms (${(mb / (baseline.ms / 1000)).toFixed(1)} MB/s)`],
  ["full review, 1 thread", `${single.stats.totalMs.toFixed(0)} ms (scan ${single.stats.scanMs.toFixed(0)}, parse+extract ${single.stats.parseMs.toFixed(0)}, index+model+checks ${single.stats.checkMs.toFixed(0)})`],
  ["ratio full review / parse-only", `${(single.stats.totalMs / baseline.ms).toFixed(2)}×`],
];
if (parallel) {
  rows.push([`full review, ${jobs} threads`, `${parallel.stats.totalMs.toFixed(0)} ms (parse+extract ${parallel.stats.parseMs.toFixed(0)})`]);
  rows.push([`ratio ${jobs}-thread review / parse-only`, `${(parallel.stats.totalMs / baseline.ms).toFixed(2)}×`]);
}
rows.push(["peak memory (RSS)", `${peakMb.toFixed(0)} MB`]);
rows.push(["findings", String(single.review.findings.length)]);
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
