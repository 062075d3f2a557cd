import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { contentHash, defaultCacheDir, extractorHash, FactsCache } from "../../src/python/cache.js";
import { parsePythonFiles } from "../../src/python/parse-files.js";
import { parseFile } from "../../src/python/parser.js";
import { scanWorkspace } from "../../src/workspace/scan.js";
import { py } from "../helpers/project.js";

let base = "";
let counter = 0;

before(async () => {
  base = await mkdtemp(join(tmpdir(), "archscope-cache-"));
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

async function freshDir(name: string): Promise<string> {
  const dir = join(base, `${name}${counter++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, ...rel.split("/"));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}

/** All files under a directory, relative, for checking what the cache wrote where. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("FactsCache", () => {
  it("round-trips facts by content hash, under the path it is asked for", async () => {
    const dir = await freshDir("cache");
    const source = py("import requests", "def f():", "    requests.get('x')");
    const facts = await parseFile(source, "app/a.py");
    const hash = contentHash(source);

    const cache = await FactsCache.open(dir);
    assert.equal(await cache.get(hash, "app/a.py"), null);
    await cache.set(hash, facts);
    assert.equal(cache.warning, null);
    assert.deepEqual(await cache.get(hash, "app/a.py"), facts);
    // the same content under another name (a copied file) is the same facts with its own path
    assert.deepEqual(await cache.get(hash, "lib/copy.py"), { ...facts, path: "lib/copy.py" });
    assert.equal(await cache.get(contentHash("other"), "app/a.py"), null);

    const reopened = await FactsCache.open(dir);
    assert.deepEqual(await reopened.get(hash, "app/a.py"), facts);
    // nothing is left behind but the entry itself
    const written = await filesUnder(dir);
    assert.equal(written.length, 1);
    assert.ok(written[0]?.endsWith(`${hash}.json`));
  });

  it("ignores entries written for another facts version or that cannot be read as JSON", async () => {
    const dir = await freshDir("cache");
    const cache = await FactsCache.open(dir);
    const facts = await parseFile("x = 1\n", "a.py");
    await cache.set("aa11", { ...facts, version: facts.version + 1 });
    assert.equal(await cache.get("aa11", "a.py"), null);
    const entry = join(dir, "facts", await extractorHash(), "bb", "bb22.json");
    await mkdir(dirname(entry), { recursive: true });
    await writeFile(entry, "{ not json");
    assert.equal(await cache.get("bb22", "a.py"), null);
    assert.equal(cache.warning, null);
  });

  it("turns an unwritable cache directory into a warning, never an exception", async () => {
    const dir = await freshDir("cache");
    await writeFile(join(dir, "file"), "a regular file, not a directory");
    const cache = await FactsCache.open(join(dir, "file", "cache"));
    const facts = await parseFile("x = 1\n", "a.py");
    assert.equal(await cache.get("cc33", "a.py"), null);
    await cache.set("cc33", facts);
    assert.match(cache.warning ?? "", /cannot be written \(ENOTDIR\); continuing without the cache/);
    // disabled from then on: later calls are no-ops, and the warning stays the first one
    const warning = cache.warning;
    await cache.set("dd44", facts);
    assert.equal(await cache.get("cc33", "a.py"), null);
    assert.equal(cache.warning, warning);
  });

  it("keys entries by a stable hash of the extractor code and of the content", async () => {
    assert.match(await extractorHash(), /^[0-9a-f]{16}$/);
    assert.equal(await extractorHash(), await extractorHash());
    assert.equal(contentHash("a"), contentHash("a"));
    assert.notEqual(contentHash("a"), contentHash("b"));
  });

  it("defaults to the user's cache directory, honouring an absolute XDG_CACHE_HOME", () => {
    const saved = process.env.XDG_CACHE_HOME;
    try {
      process.env.XDG_CACHE_HOME = "/var/cache/me";
      assert.equal(defaultCacheDir(), join("/var/cache/me", "archscope"));
      process.env.XDG_CACHE_HOME = "relative/cache";
      assert.ok(!defaultCacheDir().startsWith("relative"));
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });
});

describe("parsePythonFiles with a cache", () => {
  it("reads unchanged files from the cache on the second run and re-parses what changed", async () => {
    const root = await freshDir("project");
    const cacheDir = await freshDir("cache");
    await writeTree(root, {
      "app/main.py": py("from .db import get_session", "def main():", "    get_session()"),
      "app/db.py": py("def get_session():", "    pass"),
      "app/broken.py": py("def ok():", "    pass", "x = = 1"),
      "tests/test_main.py": py("from app.main import main", "def test_main():", "    main()"),
      "app/migrations/0001_initial.py": py("def upgrade():", "    pass"),
    });

    const first = await parsePythonFiles(await scanWorkspace(root), { cacheDir, jobs: 1 });
    assert.deepEqual({ ...first.stats, readMs: 0, parseMs: 0, extractMs: 0 }, { parsed: 3, fromCache: 0, bytes: first.stats.bytes, readMs: 0, parseMs: 0, extractMs: 0 });
    assert.deepEqual(
      first.facts.map((f) => f.path),
      ["app/broken.py", "app/db.py", "app/main.py"],
    );
    assert.deepEqual(first.tests, [{ path: "tests/test_main.py", tests: 1, imports: ["app"] }]);
    assert.deepEqual(first.migrations, ["app/migrations/0001_initial.py"]);
    assert.deepEqual(
      first.diagnostics.map((d) => [d.code, d.file, d.line]),
      [
        ["syntax-error", "app/broken.py", 3],
        ["light-pass", undefined, undefined],
      ],
    );

    const second = await parsePythonFiles(await scanWorkspace(root), { cacheDir, jobs: 1 });
    assert.deepEqual([second.stats.parsed, second.stats.fromCache, second.stats.bytes], [0, 3, first.stats.bytes]);
    assert.deepEqual(second.facts, first.facts);
    // a syntax error read back from the cache is still reported
    assert.deepEqual(second.diagnostics, first.diagnostics);

    await writeFile(join(root, "app", "db.py"), py("def get_session():", "    return None"));
    const third = await parsePythonFiles(await scanWorkspace(root), { cacheDir, jobs: 1 });
    assert.equal(third.stats.parsed, 1);
    assert.equal(third.stats.fromCache, 2);
  });

  it("trusts an unchanged stamp: a file with the same size and modification time is not read again", async () => {
    const root = await freshDir("project");
    const cacheDir = await freshDir("cache");
    await writeTree(root, { "app/a.py": "A = 1\n", "app/b.py": "B = 2\n" });
    // a modification time that utimes can set again exactly (whole seconds)
    const file = join(root, "app", "a.py");
    const mtime = new Date(Math.floor((await stat(file)).mtimeMs / 1000) * 1000 - 60_000);
    await utimes(file, mtime, mtime);
    const first = await parsePythonFiles(await scanWorkspace(root), { cacheDir, jobs: 1 });
    assert.deepEqual(first.facts.find((f) => f.path === "app/a.py")?.assignments.map((a) => a.target), ["A"]);
    // same size, same modification time, other text: only a read would notice
    await writeFile(file, "C = 1\n");
    await utimes(file, mtime, mtime);
    const second = await parsePythonFiles(await scanWorkspace(root), { cacheDir, jobs: 1 });
    assert.equal(second.stats.parsed, 0);
    assert.deepEqual(second.facts.find((f) => f.path === "app/a.py")?.assignments.map((a) => a.target), ["A"]);
    // a new modification time: read, hashed and parsed again
    await utimes(file, new Date(mtime.getTime() + 5000), new Date(mtime.getTime() + 5000));
    const third = await parsePythonFiles(await scanWorkspace(root), { cacheDir, jobs: 1 });
    assert.equal(third.stats.parsed, 1);
    assert.deepEqual(third.facts.find((f) => f.path === "app/a.py")?.assignments.map((a) => a.target), ["C"]);
  });

  it("runs without a cache when the cache directory cannot be written, with one warning", async () => {
    const root = await freshDir("project");
    const blocker = await freshDir("blocker");
    await writeFile(join(blocker, "file"), "");
    await writeTree(root, { "app/a.py": "A = 1\n", "app/b.py": "B = 2\n" });
    const result = await parsePythonFiles(await scanWorkspace(root), { cacheDir: join(blocker, "file", "cache"), jobs: 1 });
    assert.deepEqual(
      result.facts.map((f) => f.path),
      ["app/a.py", "app/b.py"],
    );
    assert.deepEqual(
      result.diagnostics.map((d) => [d.level, d.code]),
      [["warning", "cache"]],
    );
  });

  it("parses everything when the cache is off", async () => {
    const root = await freshDir("project");
    await writeTree(root, { "app/a.py": "A = 1\n" });
    const fileSet = await scanWorkspace(root);
    const once = await parsePythonFiles(fileSet, { cacheDir: null, jobs: 1 });
    const twice = await parsePythonFiles(fileSet, { cacheDir: null, jobs: 1 });
    assert.equal(twice.stats.parsed, 1);
    assert.equal(twice.stats.fromCache, 0);
    assert.deepEqual(twice.facts, once.facts);
  });
});
