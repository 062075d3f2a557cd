import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHECKS } from "../../src/checks/registry.js";
import { runChecks } from "../../src/checks/run-checks.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderTerminal } from "../../src/report/terminal.js";
import { buildReview } from "../../src/review/build-review.js";
import { project, py } from "../helpers/project.js";

/** A line with its code spans removed, as CommonMark reads them: a run of n backticks (not escaped) up to the next run of exactly n. */
function withoutCodeSpans(line: string): string {
  let out = "";
  let i = 0;
  while (i < line.length) {
    if (line[i] === "\\") {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== "`") {
      out += line[i];
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === "`") n++;
    const fence = "`".repeat(n);
    let found = -1;
    for (let close = line.indexOf(fence, i + n); close >= 0; close = line.indexOf(fence, close + n)) {
      if (line[close + n] !== "`" && line[close - 1] !== "`") {
        found = close;
        break;
      }
    }
    if (found < 0) {
      out += fence;
      i += n;
    } else i = found + n;
  }
  return out;
}

describe("untrusted text in human-readable reports", () => {
  it("cannot inject HTML, Markdown structure or terminal escapes", async () => {
    const evil = "/x`<img src=x onerror=alert(1)>|**bold**\u001b[31m";
    const p = await project({
      "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", `@app.post(${JSON.stringify(evil)})`, "def create(): ..."),
    });
    const { findings } = runChecks(CHECKS, { model: p.model, index: p.index, context: { source: null } }, { isolated: false });
    const review = buildReview({ project: "evil<script>", version: "0", model: p.model, findings, checks: CHECKS, context: { source: null }, diagnostics: [], analysis: { files: 1, pythonFiles: 1, testFiles: 0, migrationFiles: 0, suppressed: 0, checksRun: CHECKS.length } });
    const md = renderMarkdown(review);
    // outside code spans there is no raw HTML, and inside a table a `|` cannot open a new cell
    const outsideCode = md.split("\n").map(withoutCodeSpans).join("\n");
    assert.doesNotMatch(outsideCode, /<img|<script>/, "no raw HTML from the repository");
    const endpointRow = md.split("\n").find((l) => l.startsWith("| POST |"));
    assert.ok(endpointRow?.includes("\\|**bold**"), endpointRow);
    assert.doesNotMatch(md, /\u001b/, "no escape sequences");
    assert.match(md, /evil&lt;script&gt;/);
    const terminal = renderTerminal(review, { color: false });
    assert.doesNotMatch(terminal, /\u001b/);
  });
});

describe("deep dive into one area (--area)", () => {
  it("runs only that area's checks and gives each finding its whole prose, example and references", async () => {
    const { runReview } = await import("../../src/pipeline.js");
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1, area: "resilience" });
    assert.equal(review.focus, "resilience");
    assert.ok(review.findings.length > 0 && review.findings.every((f) => f.area === "resilience"));
    const md = renderMarkdown(review);
    assert.match(md, /### J\. Resilience and error handling/);
    assert.doesNotMatch(md, /### D\. Security/);
    assert.match(md, /\*\*Why it matters:\*\* requests and urllib wait forever by default/);
    assert.match(md, /Instead of:\n\n```python\nrequests\.post\(PAYMENT_URL, json=payload\)\n```/);
    // without --area, the same finding has no example block
    const { review: full } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    assert.doesNotMatch(renderMarkdown(full), /\*\*Why it matters:\*\*/);
  });
});

describe("Markdown prose with code spans", () => {
  it("keeps backtick pairs as inline code and escapes everything around them", async () => {
    const { mdProse } = await import("../../src/report/escape.js");
    assert.equal(mdProse("use `<b>|x` and <i>*not*</i>"), "use `<b>|x` and &lt;i&gt;\\*not\\*&lt;/i&gt;");
    // an unpaired backtick is text, not an open code span
    assert.equal(mdProse("a ` b"), "a \\` b");
  });
});
