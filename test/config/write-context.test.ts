import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CONTEXT_QUESTIONS } from "../../src/checks/context.js";
import { initCommand } from "../../src/cli/init.js";
import { writeContextTable } from "../../src/config/write-context.js";
import { tempTrees } from "../helpers/temp-tree.js";

const tree = tempTrees("init");
const ORDER = CONTEXT_QUESTIONS.map((q) => q.field);

const PYPROJECT = [
  "# Shop service",
  "[project]",
  'name = "shop"   # keep this comment',
  'dependencies = [',
  '  "fastapi>=0.115",  # pinned by the lock',
  "]",
  "",
  "[tool.archscope.context]",
  'stage = "prototype"',
  "",
  "[tool.ruff]",
  "line-length = 100",
  "",
].join("\n");

describe("writing the context into pyproject.toml", () => {
  it("replaces an existing table in place and keeps every other byte, comments and formatting included", () => {
    const out = writeContextTable(PYPROJECT, "tool.archscope.context", { stage: "production", compliance: ["GDPR"] }, ORDER);
    const [head, rest] = PYPROJECT.split('[tool.archscope.context]\nstage = "prototype"\n');
    assert.equal(out, `${head}[tool.archscope.context]\nstage = "production"\ncompliance = ["GDPR"]\n${rest}`);
  });

  it("appends the table to a file without one, with a blank line before it, and escapes text", () => {
    const text = '[project]\nname = "shop"\n';
    const out = writeContextTable(text, "tool.archscope.context", { budget: 'say "hi"\\n' }, ORDER);
    assert.equal(out, `${text}\n[tool.archscope.context]\nbudget = "say \\"hi\\"\\\\n"\n`);
  });

  it("init merges flags with the answers already there, and writes archscope.toml when the project has no pyproject.toml", async () => {
    const root = await tree({ "pyproject.toml": PYPROJECT, "app/main.py": "x = 1\n" });
    const said: string[] = [];
    await initCommand(root, { yes: true, exposure: "public", peakRps: "150", integrations: "Stripe, SendGrid" }, false, (t) => said.push(t));
    const written = await readFile(join(root, "pyproject.toml"), "utf8");
    assert.match(written, /\[tool\.archscope\.context\]\nstage = "prototype"\nexposure = "public"\npeak_rps = 150\nintegrations = \["Stripe", "SendGrid"\]\n\n\[tool\.ruff\]/);
    assert.ok(written.startsWith('# Shop service\n[project]\nname = "shop"   # keep this comment\n'));
    assert.match(said.join(""), /wrote 3 context answer\(s\)/);
    await assert.rejects(initCommand(root, { yes: true, stage: "beta" }, false, () => {}), /stage = "beta"/);
    await assert.rejects(initCommand(root, { yes: true }, false, () => {}), /no context to write/);
    const bare = await tree({ "app/main.py": "x = 1\n" });
    await initCommand(bare, { yes: true, stage: "mvp" }, false, () => {});
    assert.equal(await readFile(join(bare, "archscope.toml"), "utf8"), '[context]\nstage = "mvp"\n');
    await writeFile(join(bare, "archscope.toml"), 'select = ["SEC"]\n');
    await initCommand(bare, { yes: true, teamSize: "4" }, false, () => {});
    assert.equal(await readFile(join(bare, "archscope.toml"), "utf8"), 'select = ["SEC"]\n\n[context]\nteam_size = 4\n');
  });
});
