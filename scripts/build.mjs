// Bundles the CLI, the library and the parse worker with esbuild (dependencies stay external).
import { rmSync } from "node:fs";
import { build } from "esbuild";

// chunk names carry content hashes: stale ones from an earlier build must not linger
rmSync("dist", { recursive: true, force: true });

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  outdir: "dist",
};

await Promise.all([
  // split: what only one command needs (the MCP SDK for `mcp`) is a chunk loaded when that command runs
  build({ ...common, entryPoints: { cli: "src/cli/bin.ts" }, splitting: true, chunkNames: "chunks/[name]-[hash]" }),
  build({ ...common, entryPoints: { index: "src/index.ts" } }),
  build({ ...common, entryPoints: { "parse-worker": "src/python/parse-worker.ts" } }),
]);
