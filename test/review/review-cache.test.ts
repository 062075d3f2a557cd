import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { runReview } from "../../src/pipeline.js";

const made: string[] = [];
after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "archscope-review-cache-"));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const APP = {
  "requirements.txt": "flask==3.0.0\n",
  "app.py": 'from flask import Flask\napp = Flask(__name__)\napp.config["SECRET_KEY"] = "s3cr3t-value-for-tests"\n\n@app.route("/")\ndef index():\n    return "ok"\n',
};

describe("review cache", () => {
  it("reuses the whole review of an unchanged tree, and makes a new one when a file changes", async () => {
    const root = await tree(APP);
    const cacheDir = await tree({});
    const first = await runReview(root, { cacheDir, jobs: 1 });
    assert.equal(first.stats.reused, false);
    assert.ok(first.review.findings.some((f) => f.id === "SEC001"));

    const second = await runReview(root, { cacheDir, jobs: 1 });
    assert.equal(second.stats.reused, true);
    assert.deepEqual(JSON.parse(JSON.stringify(second.review)), JSON.parse(JSON.stringify(first.review)));
    // the stored review is the user's only
    const stored = await readdir(join(cacheDir, "reviews"));
    assert.equal(stored.length, 1);

    // the secret moves to the environment: a new review, without the finding
    const later = new Date(Date.now() + 10_000);
    await writeFile(join(root, "app.py"), APP["app.py"].replace('"s3cr3t-value-for-tests"', 'os.environ["SECRET_KEY"]').replace("from flask", "import os\nfrom flask"));
    await utimes(join(root, "app.py"), later, later);
    const third = await runReview(root, { cacheDir, jobs: 1 });
    assert.equal(third.stats.reused, false);
    assert.ok(!third.review.findings.some((f) => f.id === "SEC001"));
  });

  it("does not reuse a review made with other options", async () => {
    const root = await tree(APP);
    const cacheDir = await tree({});
    await runReview(root, { cacheDir, jobs: 1 });
    const selected = await runReview(root, { cacheDir, jobs: 1, select: ["SEC001"] });
    assert.equal(selected.stats.reused, false);
    assert.ok(selected.review.findings.every((f) => f.id === "SEC001" || f.kind !== "concern"));
  });

  it("makes no cache without a cache directory", async () => {
    const root = await tree(APP);
    const run = await runReview(root, { cacheDir: null, jobs: 1 });
    const again = await runReview(root, { cacheDir: null, jobs: 1 });
    assert.equal(run.stats.reused, false);
    assert.equal(again.stats.reused, false);
  });
});
