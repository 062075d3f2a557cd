import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FileFacts } from "./facts.js";
import { FACTS_VERSION } from "./facts.js";

/** The user's cache directory for archscope: `$XDG_CACHE_HOME/archscope` or `~/.cache/archscope`. */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg?.startsWith("/")) return join(xdg, "archscope");
  if (process.platform === "darwin") return join(homedir(), "Library", "Caches", "archscope");
  if (process.platform === "win32" && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, "archscope", "cache");
  return join(homedir(), ".cache", "archscope");
}

let extractorHashPromise: Promise<string> | null = null;

/**
 * A hash of the extractor's own code, so facts cached by an older extractor are never read.
 * Built code: the bundled parse worker (which contains the whole extractor). Source runs
 * (tests under tsx): the TypeScript files of this folder.
 */
export function extractorHash(): Promise<string> {
  extractorHashPromise ??= (async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const hash = createHash("sha256").update(`facts-v${FACTS_VERSION}`);
    const candidates = import.meta.url.endsWith(".ts")
      ? ["extract.ts", "facts.ts", "known-types.ts", "scope.ts", "values.ts", "suppressions.ts", "syntax-errors.ts", "parser.ts"].map((f) => join(here, f))
      : [join(here, "parse-worker.js")];
    for (const file of candidates) {
      try {
        hash.update(await readFile(file));
      } catch {
        hash.update(`missing:${file}`);
      }
    }
    return hash.digest("hex").slice(0, 16);
  })();
  return extractorHashPromise;
}

export function contentHash(source: string): string {
  return createHash("sha256").update(source).digest("hex");
}

/** On-disk facts cache keyed by (extractor hash, content hash). Failures to write disable it with one warning. */
export class FactsCache {
  private disabledReason: string | null = null;

  private constructor(private readonly dir: string) {}

  static async open(baseDir: string): Promise<FactsCache> {
    return new FactsCache(join(baseDir, "facts", await extractorHash()));
  }

  get warning(): string | null {
    return this.disabledReason;
  }

  private pathFor(hash: string): string {
    return join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }

  async get(hash: string, path: string): Promise<FileFacts | null> {
    if (this.disabledReason) return null;
    try {
      const facts = JSON.parse(await readFile(this.pathFor(hash), "utf8")) as FileFacts;
      return facts.version === FACTS_VERSION ? { ...facts, path } : null;
    } catch {
      return null;
    }
  }

  async set(hash: string, facts: FileFacts): Promise<void> {
    if (this.disabledReason) return;
    const target = this.pathFor(hash);
    try {
      await mkdir(dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(facts));
      await rename(temp, target);
    } catch (error) {
      this.disabledReason = `cache directory ${this.dir} cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"}); continuing without the cache`;
    }
  }
}
