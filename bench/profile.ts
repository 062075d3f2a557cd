/**
 * Where a cold review's time goes: `npm run bench:profile -- PATH [--top N]`.
 *
 * Runs one cold review in-process on one thread from the TypeScript sources under `node --cpu-prof` (a child
 * process), then sums the profile's self time by part of the pipeline: tree-sitter's parser (its wasm), the
 * web-tree-sitter glue that hands syntax nodes across the wasm boundary, the extractor, the project index, the
 * system model, the checks, garbage collection and the rest; then the N functions with the most self time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args[topAt + 1]) : 15;
const path = resolve(args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--top") ?? "examples/shop-api");
const repo = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "archscope-profile-"));
try {
  const script = `import { runReview } from ${JSON.stringify(join(repo, "src", "pipeline.ts"))}; await runReview(${JSON.stringify(path)}, { cacheDir: null, jobs: 1 });`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--cpu-prof", "--cpu-prof-dir", dir, "--input-type=module", "-e", script], { stdio: "inherit", cwd: repo });
  if (run.status !== 0) throw new Error(`the profiled review failed (${run.status})`);
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no profile written");
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const part = (n: ProfileNode): string => {
    const { url, functionName } = n.callFrame;
    if (functionName === "(garbage collector)") return "garbage collection";
    if (functionName === "(idle)" || functionName === "(program)") return "idle / runtime";
    if (url.startsWith("wasm://")) return "tree-sitter parser (wasm)";
    if (url.includes("web-tree-sitter")) return "web-tree-sitter glue (nodes across the wasm boundary)";
    if (/\/src\/python\/(extract|names-read|values|scope|effects|known-types|suppressions|syntax-errors)\.ts/.test(url)) return "extraction (src/python)";
    if (url.includes("/src/python/project-index") || url.includes("/src/python/graph")) return "project index";
    if (url.includes("/src/model/")) return "system model";
    if (url.includes("/src/checks/")) return "checks";
    if (url.includes("/src/review/") || url.includes("/src/report/")) return "synthesis";
    if (url.includes("/src/workspace/") || url.includes("/src/python/")) return "scan, read, cache";
    if (url.startsWith("node:") || url === "" || url.includes("node_modules")) return "node and libraries";
    return "other";
  };
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, t] of self) {
    const n = byId.get(id) as ProfileNode;
    total += t;
    parts.set(part(n), (parts.get(part(n)) ?? 0) + t);
    const name = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*\/(src|node_modules)\//, "$1/")}:${n.callFrame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + t);
  }
  console.log(`profile of a cold one-thread review of ${path}: ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [name, t] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(56)} ${(t / 1000).toFixed(0).padStart(6)} ms  ${((100 * t) / total).toFixed(0).padStart(3)} %`);
  console.log(`\ntop ${top} functions by self time`);
  for (const [name, t] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(t / 1000).toFixed(0).padStart(6)} ms  ${name}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
