import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";

const ROOT = process.cwd();
const BIN = join(ROOT, "bin", "archscope.js");
let tmp = "";
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "archscope-integrations-"));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("GitHub Action (action.yml)", () => {
  it("is a composite action whose review step is a script that runs here: reports, job summary, outputs, and no failure of its own", async () => {
    const action = parse(await readFile("action.yml", "utf8")) as { runs: { using: string; steps: Array<{ id?: string; run?: string; uses?: string; env?: Record<string, string> }> }; inputs: Record<string, unknown> };
    assert.equal(action.runs.using, "composite");
    assert.deepEqual(Object.keys(action.inputs).sort(), ["baseline", "fail-on", "fail-on-new", "formats", "output", "path", "upload-sarif"]);
    const uses = action.runs.steps.map((s) => s.uses?.split("@")[0]).filter(Boolean);
    assert.deepEqual(uses, ["actions/setup-node", "github/codeql-action/upload-sarif", "actions/upload-artifact"]);
    const review = action.runs.steps.find((s) => s.id === "review");
    assert.match(review?.run ?? "", /scripts\/action\/review\.sh/);

    const out = join(tmp, "reports");
    const summary = join(tmp, "summary.md");
    const outputs = join(tmp, "outputs.txt");
    const run = spawnSync("bash", ["scripts/action/review.sh"], {
      encoding: "utf8",
      env: { ...process.env, INPUT_PATH: "examples/shop-api", INPUT_OUTPUT: out, INPUT_FORMATS: "json", INPUT_FAIL_ON: "high", GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputs, ARCHSCOPE: `${process.execPath} ${BIN}` },
    });
    assert.equal(run.status, 0, run.stderr);
    const recorded = await readFile(outputs, "utf8");
    assert.match(recorded, /^exit-code=1$/m, "the example has high concerns: the last step fails the job");
    assert.match(recorded, new RegExp(`^sarif=${out}/archscope-report.sarif$`, "m"));
    // md and sarif are always written, whatever formats were asked for
    const sarif = JSON.parse(await readFile(join(out, "archscope-report.sarif"), "utf8"));
    assert.equal(sarif.version, "2.1.0");
    assert.ok(JSON.parse(await readFile(join(out, "archscope-report.json"), "utf8")).findings.length > 0);
    assert.match(await readFile(summary, "utf8"), /^# Architecture review: shop-api/);
  });
});

describe("pre-commit hooks (.pre-commit-hooks.yaml)", () => {
  it("fail on an open high concern, and with a baseline only on a new one", async () => {
    const hooks = parse(await readFile(".pre-commit-hooks.yaml", "utf8")) as Array<{ id: string; entry: string; language: string; pass_filenames: boolean }>;
    assert.deepEqual(hooks.map((h) => [h.id, h.language, h.pass_filenames]), [
      ["archscope", "node", false],
      ["archscope-new", "node", false],
    ]);
    // a copy of the example as the repository the hooks run in
    const repo = join(tmp, "repo");
    await cp(resolve("examples/shop-api"), repo, { recursive: true });
    const hook = (id: string) => {
      const words = (hooks.find((h) => h.id === id)?.entry ?? "").split(/\s+/);
      assert.equal(words[0], "archscope");
      return spawnSync(process.execPath, [BIN, ...words.slice(1), "--no-cache"], { cwd: repo, encoding: "utf8" });
    };
    assert.equal(hook("archscope").status, 1);
    const first = spawnSync(process.execPath, [BIN, "review", ".", "--format", "json", "--quiet", "--no-cache"], { cwd: repo, encoding: "utf8" });
    await mkdir(join(repo, ".archscope"));
    await writeFile(join(repo, ".archscope", "baseline.json"), first.stdout);
    const adopted = hook("archscope-new");
    assert.equal(adopted.status, 0, adopted.stderr);
  });
});

describe("skill for AI assistants", () => {
  it("has a SKILL.md with name and description front matter, and the reference it links exists", async () => {
    const text = await readFile("skill/SKILL.md", "utf8");
    const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
    const meta = parse(front?.[1] ?? "") as { name?: string; description?: string };
    assert.equal(meta.name, "archscope-review");
    assert.ok((meta.description ?? "").length > 50);
    for (const [, link] of text.matchAll(/\]\(([^)]+\.md)\)/g)) await readFile(join("skill", link as string), "utf8");
    // every MCP tool the skill names is one the server has
    for (const tool of ["review", "findings", "endpoints", "explain", "diff"]) assert.match(text, new RegExp(`\`${tool}\``));
  });
});
