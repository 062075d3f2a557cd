import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FileSet } from "../workspace/types.js";
import { VERSION } from "../version.js";
import type { Review } from "./types.js";

/**
 * The whole review of a tree none of whose inputs changed since the last run: the same files (by path,
 * size and modification time, the stamps the facts cache trusts), the same options and configuration,
 * the same archscope. Reused as it was, so an unchanged push costs a directory walk.
 */

let codeIdentityMemo: string | null = null;

/**
 * What identifies the running archscope's code: a hash of its bundle when built, or of the stamps of its
 * TypeScript sources when run from them (under tsx, in tests and during development).
 */
export function codeIdentity(): string {
  if (codeIdentityMemo) return codeIdentityMemo;
  const here = fileURLToPath(import.meta.url);
  const hash = createHash("sha256").update(VERSION);
  if (here.endsWith(".ts")) {
    const src = dirname(dirname(here));
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(".ts")) {
          const info = statSync(path);
          hash.update(`${path}\0${info.size}\0${info.mtimeMs}\n`);
        }
      }
    };
    walk(src);
  } else {
    hash.update(readFileSync(here));
  }
  codeIdentityMemo = hash.digest("hex");
  return codeIdentityMemo;
}

/** The key of a review: the code, the options that shape it, and every scanned file's stamp (or text, when it has no stamp). */
export function reviewKey(fileSet: FileSet, options: unknown): string {
  const hash = createHash("sha256").update(codeIdentity()).update("\0").update(JSON.stringify(options ?? null)).update("\0").update(fileSet.root);
  for (const f of fileSet.files) {
    hash.update(`\n${f.path}\0${f.kind}\0${f.size}\0${f.mtimeMs ?? ""}\0${f.skipped ?? ""}\0${f.migration ? 1 : 0}\0${f.tracked ?? ""}\0${f.gitignored ?? ""}`);
    if (f.mtimeMs === undefined && f.text !== undefined) hash.update(f.text);
  }
  for (const d of fileSet.diagnostics) hash.update(`\n${d.code}\0${d.file ?? ""}\0${d.message}`);
  hash.update(`\n${(fileSet.explicitDocuments ?? []).join("\0")}\0${fileSet.documentOnly ? 1 : 0}`);
  return hash.digest("hex");
}

function cacheFile(cacheDir: string, root: string): string {
  return join(cacheDir, "reviews", `${createHash("sha256").update(root).digest("hex").slice(0, 24)}.json`);
}

/** The review stored for this root under this key, or null. */
export async function cachedReview(cacheDir: string, root: string, key: string): Promise<Review | null> {
  try {
    const stored = JSON.parse(await readFile(cacheFile(cacheDir, root), "utf8")) as { key: string; review: Review };
    return stored.key === key ? stored.review : null;
  } catch {
    return null;
  }
}

/** Stores the review of this root (one per root: the next run's key replaces it). Readable by the user only: it holds the model. */
export async function storeReview(cacheDir: string, root: string, key: string, review: Review): Promise<void> {
  const file = cacheFile(cacheDir, root);
  try {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify({ key, review }), { mode: 0o600 });
    await rename(temp, file);
  } catch {
    // the facts cache already reports an unwritable directory; this only costs the next run its reuse
  }
}
