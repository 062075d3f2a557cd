import { main } from "./main.js";

let lastDraw = 0;
const progress = process.stderr.isTTY
  ? (line: string) => {
      const now = Date.now();
      if (line && now - lastDraw < 100) return;
      lastDraw = now;
      process.stderr.write(`\r\u001b[2K${line ? `archscope: ${line}` : ""}`);
    }
  : undefined;

const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  progress,
});
process.exitCode = code;
