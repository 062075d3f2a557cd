#!/usr/bin/env node
// Loads the built CLI (npm's `prepare` builds it on `npm ci`).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("archscope: dist/cli.js is missing; run `npm run build` (npm ci runs it for you)\n");
  process.exit(2);
}
await import(entry.href);
