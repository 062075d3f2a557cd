// The robustness properties (test/robustness/*.test.ts), run longer than `npm test` runs them.
//
//   node scripts/fuzz.mjs [runs-multiplier] [seed]
//
// The multiplier (default 25, or FUZZ_RUNS) scales every property's number of runs; the seed (default a
// fresh one, or FUZZ_SEED) is printed first so that a failure can be replayed with the same seed.
// `npm test` runs the same files with a multiplier of 1 and seed 42.
import { spawnSync } from "node:child_process";
import { glob } from "tinyglobby";

const runs = process.argv[2] ?? process.env.FUZZ_RUNS ?? "25";
const seed = process.argv[3] ?? process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const files = (await glob(["test/robustness/*.test.ts"])).sort();
if (files.length === 0) {
  console.error("fuzz: no test files under test/robustness/");
  process.exit(1);
}
console.log(`fuzz: FUZZ_RUNS=${runs} FUZZ_SEED=${seed} (replay: node scripts/fuzz.mjs ${runs} ${seed})`);
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", "--test-concurrency=1", ...files], {
  stdio: "inherit",
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
