import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { describe, it } from "node:test";
import { main } from "../../src/cli/main.js";
import { ReviewSchema } from "../../src/report/schema.js";
import { tempTrees } from "../helpers/temp-tree.js";

const tree = tempTrees("hostile");

const SECRET = "Zq8wV2mK9xP4rT6yB1nC5hJ3";
const ESC = "\u001b";
/** A repository written to break reports: HTML and Markdown in a file name, a route, a docstring and a string, terminal escapes in code lines, a secret. */
const HOSTILE = {
  "requirements.txt": "fastapi==0.115.0\nrequests==2.32.3\n",
  "app/__init__.py": "",
  "app/<img src=x onerror=alert(1)>|**x**.py": [
    '"""Docstring with <script>alert(3)</script> and \u001b]0;pwned\u0007 and \u001b[31mred."""',
    "import requests",
    "from fastapi import FastAPI",
    "app = FastAPI()",
    `SECRET_KEY = "${SECRET}"`,
    "",
    "@app.post(\"/</script><script>alert(2)</script>`|\")",
    "async def create():",
    '    return requests.get("http://x/\u001b[2J\u001b[31m<b>")',
    "",
  ].join("\n"),
};

describe("hostile repository text in every format", () => {
  it("keeps HTML, Markdown and terminal escape sequences from the repository inert in Markdown, JSON, HTML, SARIF and the terminal, and never prints the secret", async () => {
    const root = await tree(HOSTILE);
    const out = join(root, "..", `${root.split(/[\\/]/).pop()}-reports`);
    let stdout = "";
    let stderr = "";
    const code = await main(["review", root, "--no-cache", "--jobs", "1", "--format", "md,json,html,sarif", "--output", out], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      isTTY: false,
      env: { NO_COLOR: "1" },
    });
    assert.equal(code, 0, stderr);
    const read = (ext: string) => readFile(join(out, `archscope-report.${ext}`), "utf8");
    const [md, json, html, sarif] = await Promise.all([read("md"), read("json"), read("html"), read("sarif")]);
    // the findings this test relies on were made, so the hostile text did reach the reports
    const review = JSON.parse(json);
    const ids = review.findings.map((f: { id: string }) => f.id);
    for (const id of ["SEC001", "PERF001", "RES001"]) assert.ok(ids.includes(id), `${id} reported`);
    assert.ok(review.model.endpoints.some((e: { path: string }) => e.path.includes("<script>")), "the hostile route is in the model");

    for (const [name, text] of Object.entries({ md, json, html, sarif, terminal: stdout + stderr })) {
      assert.ok(!text.includes(SECRET), `${name}: no secret value`);
      assert.ok(!text.includes(ESC) && !text.includes("\u0007"), `${name}: no raw escape or bell character`);
    }
    // JSON and SARIF: valid documents; an escape sequence survives only as inert data, if at all
    assert.ok(ReviewSchema.safeParse(review).success);
    assert.doesNotThrow(() => JSON.parse(sarif));
    // HTML: no element or script from the repository, only entities
    assert.doesNotMatch(html, /<img src=x|<script>alert|<b>"|<\/script><script>/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    // Markdown: rendered the way a viewer would (raw HTML allowed), no element from the repository appears
    const rendered = new MarkdownIt({ html: true }).render(md);
    assert.doesNotMatch(rendered, /<img|<script|<b>/);
    assert.match(rendered, /&lt;img src=x onerror=alert\(1\)&gt;/);
    // and a repository pipe does not split the endpoints table: the hostile route stays in one row of four cells
    const row = rendered.split("<tr>").find((r) => r.includes("alert(2)")) ?? "";
    assert.equal((row.match(/<td/g) ?? []).length, 4, row);
  });
});
