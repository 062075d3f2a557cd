import assert from "node:assert/strict";
import { chmod } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parsePythonFiles, summariseTestFile } from "../../src/python/parse-files.js";
import { scanWorkspace } from "../../src/workspace/scan.js";
import { py } from "../helpers/project.js";
import { tempTrees } from "../helpers/temp-tree.js";

const tree = tempTrees("parse");

describe("parsePythonFiles: bad input is reported, never fatal", () => {
  it("skips a Python file with a NUL byte as binary, with a diagnostic", async () => {
    const root = await tree({
      "app/blob.py": Buffer.from([0x70, 0x72, 0x00, 0x01, 0x02]),
      "app/main.py": "X = 1\n",
    });
    const fileSet = await scanWorkspace(root);
    const result = await parsePythonFiles(fileSet, { cacheDir: null, jobs: 1 });
    assert.deepEqual(
      result.facts.map((f) => f.path),
      ["app/main.py"],
    );
    assert.equal(fileSet.files.find((f) => f.path === "app/blob.py")?.skipped, "binary");
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.file]),
      [["binary-file", "app/blob.py"]],
    );
  });

  it("parses non-UTF-8 Python with replacement characters and a non-utf8 diagnostic", async () => {
    const root = await tree({ "app/legacy.py": Buffer.from("NAME = 'caf\xe9'\ndef f():\n    pass\n", "latin1") });
    const result = await parsePythonFiles(await scanWorkspace(root), { cacheDir: null, jobs: 1 });
    const facts = result.facts[0];
    assert.equal(facts?.assignments[0]?.value, "caf\uFFFD");
    assert.deepEqual(
      facts?.functions.map((f) => f.name),
      ["f"],
    );
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.file]),
      [["non-utf8", "app/legacy.py"]],
    );
  });

  it("reports an unreadable Python file and parses the rest", async (t) => {
    const root = await tree({ "app/locked.py": "X = 1\n", "app/main.py": "Y = 2\n" });
    const locked = join(root, "app", "locked.py");
    await chmod(locked, 0o000);
    try {
      if (process.getuid?.() === 0) {
        t.skip("running as root: chmod 000 does not stop root from reading");
        return;
      }
      const result = await parsePythonFiles(await scanWorkspace(root), { cacheDir: null, jobs: 1 });
      assert.deepEqual(
        result.facts.map((f) => f.path),
        ["app/main.py"],
      );
      assert.deepEqual(
        result.diagnostics.map((d) => [d.level, d.code, d.file]),
        [["warning", "unreadable", "app/locked.py"]],
      );
    } finally {
      await chmod(locked, 0o644);
    }
  });
});

describe("parsePythonFiles: syntax errors", () => {
  it("reports at most three syntax errors per file, with their lines", async () => {
    const root = await tree({ "app/bad.py": py("a = = 1", "b = = 2", "c = = 3", "d = = 4", "def ok():", "    pass") });
    const result = await parsePythonFiles(await scanWorkspace(root), { cacheDir: null, jobs: 1 });
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.file, d.line]),
      [
        ["syntax-error", "app/bad.py", 1],
        ["syntax-error", "app/bad.py", 2],
        ["syntax-error", "app/bad.py", 3],
      ],
    );
    assert.equal(result.facts[0]?.errors.length, 4);
    assert.deepEqual(
      result.facts[0]?.functions.map((f) => f.name),
      ["ok"],
    );
  });
});

describe("summariseTestFile", () => {
  it("counts test functions and the top-level packages a test imports", () => {
    const summary = summariseTestFile(
      "tests/test_users.py",
      py(
        "import pytest",
        "from app.services.users import create",
        "from app import models",
        "",
        "def test_create():",
        "    pass",
        "",
        "async def test_async():",
        "    pass",
        "",
        "def helper():",
        "    pass",
        "",
        "class TestGroup:",
        "    def test_method(self):",
        "        pass",
      ),
    );
    assert.deepEqual(summary, { path: "tests/test_users.py", tests: 3, imports: ["app", "pytest"] });
  });
});
