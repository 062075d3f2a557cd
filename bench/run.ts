/**
 * Benchmark: `npm run bench -- PATH [--vs ruff] [--ruff BIN|VENV] [--rounds N] [--jobs N]`.
 *
 * Runs the built CLI on PATH as a user would (a fresh process each time) and prints medians over the rounds:
 * - cold: `--no-cache`, everything parsed;
 * - warm, facts only: the facts cache filled, the stored review dropped (what a run after an edit costs, less the
 *   edited files' parse);
 * - warm: nothing changed since the last run (the stored review is reused);
 * - a parse-only pass over the same Python files, in this process, as the floor of any tree-sitter based tool;
 * - with `--vs ruff`, Ruff `check --no-cache --isolated --select S,ASYNC` on the same tree, and every ratio to it.
 * Then the cold run's stage breakdown (scan, read, parse, extract, index, model, each check family, synthesis,
 * render) and the peak memory of each mode. The reviewed tree is only read: nothing in it is touched.
 *
 * `--cli DIR` measures another build of archscope (a checkout with its own `bin/archscope.js`), for before/after
 * figures in one run; a build older than the stage breakdown reports wall times only.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { parseOnly } from "../src/python/parser.js";
import { readSourceFile, scanWorkspace } from "../src/workspace/scan.js";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const valued = new Set(["--ruff", "--rounds", "--jobs", "--vs", "--cli"]);
const path = resolve(args.find((a, i) => !a.startsWith("--") && !valued.has(args[i - 1] ?? "")) ?? "examples/shop-api");
const rounds = Number(flag("--rounds") ?? 3);
const jobs = Number(flag("--jobs") ?? availableParallelism());
const versus = (flag("--vs") ?? "").split(",").filter(Boolean);
const repo = resolve(import.meta.dirname, "..");
const cli = join(resolve(flag("--cli") ?? repo), "bin", "archscope.js");

interface CliStats {
  totalMs: number;
  renderMs: number;
  maxRssMb: number;
  parsed: number;
  fromCache: number;
  reused: boolean;
  stages: { scan: number; read: number; parse: number; extract: number; index: number; model: number; checks: Record<string, number>; synthesis: number };
}

/** What an older build that writes no stats is credited with: nothing but its wall time. */
const NO_STATS: CliStats = { totalMs: 0, renderMs: 0, maxRssMb: 0, parsed: 0, fromCache: 0, reused: false, stages: { scan: 0, read: 0, parse: 0, extract: 0, index: 0, model: 0, checks: {}, synthesis: 0 } };

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const ms = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`);

/** Ruff from `--ruff` (a binary, or a virtual environment holding bin/ruff), else from PATH. */
function findRuff(): string | null {
  const given = flag("--ruff");
  const candidates = given ? [given, join(given, "bin", "ruff")] : (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "ruff"));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** One timed run of a command, wall clock around the whole process. */
function timed(command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = performance.now();
  const result = spawnSync(command, argv, { env, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  const elapsed = performance.now() - start;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${argv.join(" ")} failed (${result.status}): ${result.stderr?.toString().slice(0, 500)}`);
  return elapsed;
}

/** One archscope run through the CLI; its own stats come back through ARCHSCOPE_STATS_FILE. */
function archscope(cache: string | null, out: string): { wallMs: number; stats: CliStats } {
  const statsFile = join(out, "stats.json");
  const cacheArgs = cache ? ["--cache-dir", cache] : ["--no-cache"];
  const wallMs = timed(process.execPath, [cli, "review", path, "--format", "json", "--output", out, "-q", "-j", String(jobs), ...cacheArgs], { ...process.env, ARCHSCOPE_STATS_FILE: statsFile });
  const stats = existsSync(statsFile) ? (JSON.parse(readFileSync(statsFile, "utf8")) as CliStats) : null;
  rmSync(statsFile, { force: true });
  return { wallMs, stats: stats ?? NO_STATS };
}

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

// the bench measures the code as built now
if (!flag("--cli")) spawnSync(process.execPath, [join(repo, "scripts", "build.mjs")], { stdio: "inherit" });
const ruff = versus.includes("ruff") ? findRuff() : null;
if (versus.includes("ruff") && !ruff) console.error("bench: Ruff not found (give --ruff BIN or a virtual environment, or put it on PATH); continuing without it");

const work = mkdtempSync(join(tmpdir(), "archscope-bench-"));
const cache = join(work, "cache");
const out = join(work, "out");
const cold: Array<{ wallMs: number; stats: CliStats }> = [];
const factsOnly: Array<{ wallMs: number; stats: CliStats }> = [];
const warm: Array<{ wallMs: number; stats: CliStats }> = [];
const ruffMs: number[] = [];
try {
  archscope(cache, out); // fills the cache
  for (let round = 0; round < rounds; round++) {
    if (ruff) ruffMs.push(timed(ruff, ["check", "--no-cache", "--isolated", "--select", "S,ASYNC", "--exit-zero", "-q", path]));
    cold.push(archscope(null, out));
    rmSync(join(cache, "reviews"), { recursive: true, force: true });
    factsOnly.push(archscope(cache, out));
    warm.push(archscope(cache, out));
  }
} finally {
  // the cache and reports are the bench's own: the reviewed tree was never written
  process.on("exit", () => rmSync(work, { recursive: true, force: true }));
}
const baseline = await parseOnlyPass(path);

const coldMs = median(cold.map((r) => r.wallMs));
const factsMs = median(factsOnly.map((r) => r.wallMs));
const warmMs = median(warm.map((r) => r.wallMs));
const ruffMedian = ruffMs.length ? median(ruffMs) : null;
const mb = baseline.bytes / 1024 / 1024;
const versusRuff = (value: number) => (ruffMedian ? ` (${(value / ruffMedian).toFixed(2)}× Ruff)` : "");
const peak = (runs: Array<{ stats: CliStats }>) => {
  const mb = Math.max(...runs.map((r) => r.stats.maxRssMb));
  return mb > 0 ? `${mb.toFixed(0)} MB` : "not reported";
};

const rows: Array<[string, string]> = [
  ["path", path],
  ["python files fully analysed", `${baseline.files} (${mb.toFixed(2)} MB)`],
  ["rounds, parser threads", `${rounds}, ${jobs}`],
];
if (ruffMedian) rows.push(["Ruff --select S,ASYNC --no-cache", ms(ruffMedian)]);
rows.push(
  ["archscope cold (--no-cache)", `${ms(coldMs)}${versusRuff(coldMs)}, peak ${peak(cold)}`],
  ["archscope warm, facts cached", `${ms(factsMs)}${versusRuff(factsMs)}, peak ${peak(factsOnly)}`],
  ["archscope warm, nothing changed", `${ms(warmMs)}${versusRuff(warmMs)}, peak ${peak(warm)}`],
  ["parse-only pass, 1 thread, in-process", `${ms(baseline.ms)} (${(mb / (baseline.ms / 1000)).toFixed(1)} MB/s)`],
  ["cold / parse-only", `${(coldMs / baseline.ms).toFixed(2)}×`],
);
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

// the cold run's stages, medians over the rounds (read, parse and extract summed over the parser threads)
const stage = (pick: (s: CliStats) => number) => median(cold.map((r) => pick(r.stats)));
const families = new Map<string, number[]>();
for (const run of cold) {
  const perFamily = new Map<string, number>();
  for (const [id, t] of Object.entries(run.stats.stages.checks)) {
    const family = id.replace(/(-S)?\d+$/, "");
    perFamily.set(family, (perFamily.get(family) ?? 0) + t);
  }
  for (const [family, t] of perFamily) families.set(family, [...(families.get(family) ?? []), t]);
}
const stages: Array<[string, number]> = [
  ["scan", stage((s) => s.stages.scan)],
  ["read + hash", stage((s) => s.stages.read)],
  ["parse (thread time)", stage((s) => s.stages.parse)],
  ["extract (thread time)", stage((s) => s.stages.extract)],
  ["index", stage((s) => s.stages.index)],
  ["model", stage((s) => s.stages.model)],
  ...[...families].sort((a, b) => median(b[1]) - median(a[1])).map(([family, times]): [string, number] => [`checks ${family}`, median(times)]),
  ["synthesis", stage((s) => s.stages.synthesis)],
  ["render (json)", stage((s) => s.renderMs)],
];
console.log("\ncold run by stage (median ms)");
const stageWidth = Math.max(...stages.map(([k]) => k.length));
for (const [k, v] of stages) console.log(`  ${k.padEnd(stageWidth)}  ${v.toFixed(0).padStart(6)}`);
const slowest = Object.entries(cold[0]?.stats.stages.checks ?? {})
  .sort((a, b) => b[1] - a[1])
  .slice(0, 8);
console.log(`  slowest checks: ${slowest.map(([id, t]) => `${id} ${t.toFixed(0)}`).join(", ")}`);
