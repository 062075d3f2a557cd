import { main } from "./main.js";
import { progressLine } from "./progress.js";

const progress = process.stderr.isTTY ? progressLine((t) => process.stderr.write(t)) : undefined;

const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  progress,
});
process.exitCode = code;
