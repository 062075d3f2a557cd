// Bundles the CLI, the library and the parse worker with esbuild (dependencies stay external).
import { build } from "esbuild";

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
  build({ ...common, entryPoints: { cli: "src/cli/bin.ts" } }),
  build({ ...common, entryPoints: { index: "src/index.ts" } }),
  build({ ...common, entryPoints: { "parse-worker": "src/python/parse-worker.ts" } }),
]);
