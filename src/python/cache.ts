import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
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
 * Built code: the bundled parse worker (which contains the whole extractor), next to the bundle or one folder up
 * from a chunk of it. Source runs
 * (tests under tsx): the TypeScript files of this folder.
 */
export function extractorHash(): Promise<string> {
  extractorHashPromise ??= (async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const hash = createHash("sha256").update(`facts-v${FACTS_VERSION}`);
    const candidates = import.meta.url.endsWith(".ts")
      ? ["extract.ts", "facts.ts", "known-types.ts", "scope.ts", "values.ts", "suppressions.ts", "syntax-errors.ts", "parser.ts"].map((f) => join(here, f))
      : [join(here.endsWith("chunks") ? dirname(here) : here, "parse-worker.js")];
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
      // synchronous: a thousand small reads through the thread pool cost more than they overlap
      const facts = JSON.parse(readFileSync(this.pathFor(hash), "utf8")) as FileFacts;
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

/** What the stamp index remembers of a file: its stamp, and the hash and length of the text it had then. */
interface Stamp {
  size: number;
  mtimeMs: number;
  hash: string;
  chars: number;
}

/**
 * Per reviewed root: the content hash of each Python file as of its size and modification time, so an
 * unchanged file is neither read nor hashed on the next run (as `make` and Ruff trust a file's stamp).
 * Only files read cleanly are stamped: a binary or non-UTF-8 file is read again, and says so again.
 */
export class StampIndex {
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly stamps: Map<string, Stamp>,
  ) {}

  static async open(baseDir: string, root: string): Promise<StampIndex> {
    const file = join(baseDir, "stamps", `${createHash("sha256").update(root).digest("hex").slice(0, 24)}.json`);
    const stamps = new Map<string, Stamp>();
    try {
      const stored = JSON.parse(await readFile(file, "utf8")) as { version: number; stamps: Record<string, Stamp> };
      if (stored.version === FACTS_VERSION) for (const [path, stamp] of Object.entries(stored.stamps)) stamps.set(path, stamp);
    } catch {
      // no index yet, or an unreadable one: every file is read this time
    }
    return new StampIndex(file, stamps);
  }

  /** The remembered hash and length of a file whose size and modification time are unchanged. */
  lookup(path: string, size: number, mtimeMs: number | undefined): Stamp | null {
    const stamp = this.stamps.get(path);
    return stamp && mtimeMs !== undefined && stamp.size === size && stamp.mtimeMs === mtimeMs ? stamp : null;
  }

  record(path: string, size: number, mtimeMs: number | undefined, hash: string, chars: number): void {
    if (mtimeMs === undefined) return;
    const known = this.stamps.get(path);
    if (known && known.size === size && known.mtimeMs === mtimeMs && known.hash === hash) return;
    this.stamps.set(path, { size, mtimeMs, hash, chars });
    this.changed = true;
  }

  /** Forgets files that are gone, then writes the index if anything changed; a failure only costs the next run its reads. */
  async save(present: Set<string>): Promise<void> {
    for (const path of this.stamps.keys()) {
      if (!present.has(path)) {
        this.stamps.delete(path);
        this.changed = true;
      }
    }
    if (!this.changed) return;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify({ version: FACTS_VERSION, stamps: Object.fromEntries(this.stamps) }));
      await rename(temp, this.file);
    } catch {
      // the facts cache reports an unwritable directory; the stamps just start empty next time
    }
  }
}
