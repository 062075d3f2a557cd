import { readFileSync } from "node:fs";

/** archscope's version, from its package.json: one level above src/ and dist/, two above dist/chunks/. */
export const VERSION: string = (() => {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as { name?: string; version: string };
      if (manifest.name === "archscope") return manifest.version;
    } catch {
      // not there: the next candidate
    }
  }
  return "0.0.0";
})();
