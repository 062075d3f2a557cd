import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { familyOfBanditTest, familyOfCheck, familyOfRuffCode, familyOfRule } from "../../bench/accuracy-families.js";
import { beats, type Hit, labelSpans, parseLabels, score, tables, unitsOf } from "../../bench/accuracy-score.js";
import { py } from "../helpers/project.js";

// a tiny semgrep-rules-like test file: one ruleid line flagged, one ok line flagged, one ruleid line missed
const FILE = "python/lang/security/audit/subprocess-shell-true.py";
const TEXT = py(
  "import subprocess", //                                          1
  "", //                                                           2
  "# ruleid: subprocess-shell-true", //                            3
  "subprocess.call(cmd, shell=True)", //                           4
  "# ok: subprocess-shell-true", //                                5
  "", //                                                           6
  "# a comment between the label and its line", //                 7
  "subprocess.call(['ls'], shell=False)", //                       8
  "# ruleid: subprocess-shell-true", //                            9
  "subprocess.run(", //                                            10
  "    cmd,", //                                                   11
  "    shell=True)", //                                            12
  "# todoruleid: subprocess-shell-true", //                        13
  "subprocess.run(x, shell=True)", //                              14
  "# ruleid: formatted-sql-query, subprocess-shell-true", //       15
  "os.system('ls ' + x)", //                                       16
);

async function units() {
  const labels = parseLabels(FILE, TEXT);
  return unitsOf(labels, await labelSpans(TEXT, labels.map((l) => l.line))).units;
}

describe("accuracy benchmark: labels", () => {
  it("labels the next code line, skipping blank and comment lines, and leaves todo labels out", () => {
    const labels = parseLabels(FILE, TEXT);
    assert.deepEqual(
      labels.map((l) => [l.line, l.kind, l.rules]),
      [
        [4, "ruleid", ["subprocess-shell-true"]],
        [8, "ok", ["subprocess-shell-true"]],
        [10, "ruleid", ["subprocess-shell-true"]],
        [16, "ruleid", ["formatted-sql-query", "subprocess-shell-true"]],
      ],
    );
  });

  it("a label covers the whole statement that starts on its line; a definition with its body; a compound statement by its header", async () => {
    const text = py("def handler(x):", "    return run(x)", "", "with open(p) as f:", "    f.read()", "call(a,", "     b)");
    const spans = await labelSpans(text, [1, 4, 6, 2]);
    assert.deepEqual(spans.get(1), [1, 2]);
    assert.deepEqual(spans.get(4), [4, 4]);
    assert.deepEqual(spans.get(6), [6, 7]);
    assert.deepEqual(spans.get(2), [2, 2]);
  });

  it("a label inside a statement covers the innermost statement around it", async () => {
    const text = py("def setup(app):", "    app.add_middleware(", "        CORSMiddleware,", "        allow_origins=['*'],", "    )", "    return app");
    const spans = await labelSpans(text, [4, 6]);
    assert.deepEqual(spans.get(4), [2, 5]);
    assert.deepEqual(spans.get(6), [6, 6]);
  });

  it("maps one label to each family its rules belong to", async () => {
    const all = await units();
    assert.deepEqual(
      all.map((u) => [u.line, u.kind, u.family]),
      [
        [4, "ruleid", "command"],
        [8, "ok", "command"],
        [10, "ruleid", "command"],
        [16, "ruleid", "sql"],
        [16, "ruleid", "command"],
      ],
    );
    assert.deepEqual(all[2]?.span, [10, 12]);
  });
});

describe("accuracy benchmark: scoring", () => {
  it("counts a covered ruleid line as found, a covered ok line as a false positive, and an uncovered ruleid line as missed", async () => {
    const hits: Hit[] = [
      { file: FILE, start: 4, end: 4, family: "command", rule: "SEC004" }, // ruleid line 4: found
      { file: FILE, start: 8, end: 8, family: "command", rule: "SEC004" }, // ok line 8: false positive
      { file: FILE, start: 16, end: 16, family: "sql", rule: "SEC003" }, // the sql label of line 16: found
      { file: FILE, start: 10, end: 10, family: "eval", rule: "SEC005" }, // another family: does not count for command
      { file: "python/other.py", start: 10, end: 10, family: "command", rule: "SEC004" }, // another file
    ];
    const scores = score(await units(), hits);
    const command = scores.get("command");
    assert.ok(command);
    assert.deepEqual([command.must, command.ok, command.tp, command.fp], [3, 1, 1, 1]);
    assert.deepEqual(
      command.missed.map((u) => u.line),
      [10, 16],
    );
    assert.deepEqual(
      command.flagged.map((f) => f.unit.line),
      [8],
    );
    const sql = scores.get("sql");
    assert.deepEqual([sql?.must, sql?.tp, sql?.fp], [1, 1, 0]);
  });

  it("a hit anywhere in a multi-line statement's span covers its label", async () => {
    const scores = score(await units(), [{ file: FILE, start: 12, end: 12, family: "command", rule: "S604" }]);
    assert.equal(scores.get("command")?.tp, 1);
    assert.deepEqual(
      scores.get("command")?.missed.map((u) => u.line),
      [4, 16],
    );
  });

  it("beats: higher recall at no higher FP rate, or the same recall at a lower one", () => {
    const s = (must: number, tp: number, ok: number, fp: number) => ({ must, ok, tp, fp, missed: [], flagged: [] });
    assert.equal(beats(s(10, 6, 10, 1), s(10, 5, 10, 1)), true);
    assert.equal(beats(s(10, 6, 10, 2), s(10, 5, 10, 1)), false);
    assert.equal(beats(s(10, 5, 10, 0), s(10, 5, 10, 1)), true);
    assert.equal(beats(s(10, 5, 10, 1), s(10, 5, 10, 1)), false);
    assert.equal(beats(s(2, 2, 2, 0), s(2, 2, 2, 0)), true);
  });

  it("prints covered families with an overall row, and the others as not covered", async () => {
    const all = await units();
    const archscope = score(all, [{ file: FILE, start: 4, end: 4, family: "command", rule: "SEC004" }]);
    const ruff = score(all, [
      { file: FILE, start: 4, end: 4, family: "command", rule: "S602" },
      { file: FILE, start: 8, end: 8, family: "command", rule: "S603" },
    ]);
    const table = tables({ archscope, covered: new Set(["command"]), registered: new Map([["command", ["SEC004"]]]), others: [{ name: "Ruff", scores: ruff }, { name: "Bandit", scores: null }] });
    assert.deepEqual(table.header.slice(0, 6), ["family", "checks", "must", "ok", "archscope recall", "archscope FP"]);
    assert.deepEqual(table.covered[0], ["command", "SEC004", "3", "1", "33% (1/3)", "0% (0/1)", "33% (1/3)", "100% (1/1)", "not run", "", "yes"]);
    assert.deepEqual(table.covered[1]?.slice(0, 6), ["overall (covered)", "", "3", "1", "33% (1/3)", "0% (0/1)"]);
    assert.deepEqual(table.notCovered[0]?.slice(0, 5), ["sql", "SEC003 (not registered)", "1", "0", "not covered"]);
  });
});

describe("accuracy benchmark: families", () => {
  it("maps semgrep rule ids, short or long, Ruff codes, Bandit tests and archscope checks to one family", () => {
    assert.equal(familyOfRule("python.lang.security.audit.subprocess-shell-true.subprocess-shell-true")?.id, "command");
    assert.equal(familyOfRule("dangerous-system-call-tainted-env-args")?.id, "command");
    assert.equal(familyOfRule("insecure-hash-algorithm-md5")?.id, "weak-crypto");
    assert.equal(familyOfRule("use-raise-for-status"), null);
    assert.equal(familyOfRuffCode("S608")?.id, "sql");
    assert.equal(familyOfRuffCode("ASYNC251")?.id, "blocking-async");
    assert.equal(familyOfBanditTest("B506")?.id, "deserialization");
    assert.equal(familyOfCheck("DB006")?.id, "blocking-async");
    assert.equal(familyOfCheck("OBS001"), null);
  });
});
