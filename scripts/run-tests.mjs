// Collects test files explicitly (node --test with a shell glob misses nested folders on Node 20)
// and runs them with node's test runner under tsx. Fails when no test file is found.
import { spawnSync } from "node:child_process";
import { glob } from "tinyglobby";

const build = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const files = (await glob(["test/**/*.test.ts"], { ignore: ["test/fixtures/**"] })).sort();
if (files.length === 0) {
  console.error("run-tests: no test files found under test/");
  process.exit(1);
}
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((p) => f.includes(p))) : files;
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...selected], { stdio: "inherit" });
process.exit(result.status ?? 1);
