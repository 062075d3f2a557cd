/**
 * Scaling curve: `npm run bench:scale -- PATH PACKAGE [--max N] [--jobs N]`.
 *
 * Builds synthetic trees outside the repository from a real backend: the tree itself plus k-1 copies of its main
 * package under new names (hard links, so nothing is copied or touched), for k = 1, 2, 4, ... up to N (default 10),
 * and reviews each cold through the built CLI. Prints, per size, the Python files and MB reviewed, the wall time, the
 * time per MB and the peak memory: time growing linearly shows as a flat time per MB.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith("--") && !["--max", "--jobs"].includes(args[i - 1] ?? ""));
const source = resolve(positional[0] ?? "");
const pkg = positional[1];
if (!positional[0] || !pkg) {
  console.error("usage: npm run bench:scale -- PATH PACKAGE [--max N] [--jobs N]   (PACKAGE: the top-level package to replicate, e.g. saleor)");
  process.exit(2);
}
const max = Number(flag("--max") ?? 10);
const jobs = Number(flag("--jobs") ?? availableParallelism());
const repo = resolve(import.meta.dirname, "..");
spawnSync(process.execPath, [join(repo, "scripts", "build.mjs")], { stdio: "inherit" });

const sizes = [1, 2, 4, 6, 8, 10, 15, 20].filter((k) => k <= max);
if (!sizes.includes(max)) sizes.push(max);
const work = mkdtempSync(join(tmpdir(), "archscope-scale-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const tree = join(work, basename(source));
// the original, linked file by file (same inodes: nothing of the source is written)
spawnSync("cp", ["-al", source, tree], { stdio: "inherit" });
let copies = 1;
console.log("copies  python files  MB     wall      ms/MB   peak RSS   parse+extract (thread) / index / model / checks, ms per MB");
for (const k of sizes) {
  for (; copies < k; copies++) spawnSync("cp", ["-al", join(source, pkg), join(tree, `${pkg}_copy${copies}`)], { stdio: "inherit" });
  const statsFile = join(work, "stats.json");
  const out = join(work, "out");
  const start = performance.now();
  const run = spawnSync(process.execPath, [join(repo, "bin", "archscope.js"), "review", tree, "--no-cache", "-q", "-j", String(jobs), "--format", "json", "--output", out], {
    env: { ...process.env, ARCHSCOPE_STATS_FILE: statsFile },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const wall = performance.now() - start;
  if (run.status !== 0 && run.status !== 1) {
    console.log(`${String(k).padStart(6)}  failed (exit ${run.status ?? run.signal})`);
    break;
  }
  const stats = JSON.parse(readFileSync(statsFile, "utf8")) as { pythonBytes: number; maxRssMb: number; stages: { parse: number; extract: number; index: number; model: number; checks: Record<string, number> } };
  const review = JSON.parse(readFileSync(join(out, "archscope-report.json"), "utf8")) as { analysis: { pythonFiles: number } };
  const mb = stats.pythonBytes / 1024 / 1024;
  const { stages } = stats;
  const checks = Object.values(stages.checks).reduce((a, b) => a + b, 0);
  const perMb = [stages.parse + stages.extract, stages.index, stages.model, checks].map((t) => (t / mb).toFixed(0)).join(" / ");
  console.log(`${String(k).padStart(6)}  ${String(review.analysis.pythonFiles).padStart(12)}  ${mb.toFixed(1).padStart(5)}  ${(wall / 1000).toFixed(1).padStart(6)} s  ${(wall / mb).toFixed(0).padStart(6)}  ${stats.maxRssMb.toFixed(0).padStart(5)} MB   ${perMb}`);
}
