import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const BIN = join(process.cwd(), "bin", "archscope.js");
const EXAMPLE = "examples/shop-api";

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("archscope CLI", () => {
  let tmp = "";
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "archscope-cli-"));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("prints the version of package.json, from the built and split bundle, and writes it into the JSON report", async () => {
    const { version } = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
    assert.equal(cli("--version").stdout.trim(), version);
    const report = JSON.parse(cli("review", EXAMPLE, "--format", "json", "--quiet", "--no-cache").stdout);
    assert.equal(report.tool.version, version);
  });

  it("prints the terminal summary on stdout and writes no file without --format", () => {
    const r = cli("review", EXAMPLE, "--no-cache");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /archscope \d+\.\d+\.\d+: shop-api/);
    assert.match(r.stdout, /HIGH \d+ +MEDIUM \d+ +LOW \d+/);
  });

  it("writes one format to stdout and the summary to stderr", () => {
    const r = cli("review", EXAMPLE, "--format", "json", "--no-cache");
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout);
    assert.equal(report.schemaVersion, "1.0");
    assert.equal(report.tool.name, "archscope");
    assert.ok(report.findings.length > 0);
    assert.ok(Array.isArray(report.model.endpoints) && Array.isArray(report.model.technologies));
    assert.match(r.stderr, /Top findings/);
    assert.equal(cli("review", EXAMPLE, "--format", "json", "--quiet", "--no-cache").stderr, "");
  });

  it("never prints a secret's value", () => {
    const r = cli("review", EXAMPLE, "--format", "md", "--no-cache");
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout + r.stderr, /fQ4E[A-Za-z0-9_-]{10,}/);
    assert.match(r.stdout, /fQ4E… \(48 chars, redacted\)/);
  });

  it("writes archscope-report.<ext> files into --output, creating it", async () => {
    const out = join(tmp, "nested", "reports");
    const r = cli("review", EXAMPLE, "--format", "md,json", "--output", out, "--no-cache");
    assert.equal(r.code, 0);
    assert.deepEqual((await readdir(out)).sort(), ["archscope-report.json", "archscope-report.md"]);
    const md = await readFile(join(out, "archscope-report.md"), "utf8");
    const sections = ["## 1. Executive summary", "## 2. Context and assumptions", "## 3. System overview", "## 4. Detailed findings", "## 5. Architecture patterns", "## 6. Technology stack assessment", "## 7. Scalability roadmap", "## 8. Security checklist", "## 9. Next steps and priorities", "## 10. References and analysis notes"];
    let last = -1;
    for (const s of sections) {
      const at = md.indexOf(s);
      assert.ok(at > last, `${s} in order`);
      last = at;
    }
    assert.match(r.stdout, /archscope-report\.md/);
  });

  it("gives byte-identical reports on two runs", async () => {
    const a = join(tmp, "a");
    const b = join(tmp, "b");
    assert.equal(cli("review", EXAMPLE, "--format", "md,json", "--output", a, "--no-cache").code, 0);
    assert.equal(cli("review", EXAMPLE, "--format", "md,json", "--output", b, "--cache-dir", join(tmp, "cache")).code, 0);
    assert.equal(cli("review", EXAMPLE, "--format", "md,json", "--output", b, "--cache-dir", join(tmp, "cache")).code, 0);
    for (const f of ["archscope-report.json", "archscope-report.md"]) {
      assert.equal(await readFile(join(a, f), "utf8"), await readFile(join(b, f), "utf8"), f);
    }
  });

  it("never writes a cache inside the reviewed repository", async () => {
    const { existsSync } = await import("node:fs");
    const inside = join(EXAMPLE, ".archscope-cache");
    const r = cli("review", EXAMPLE, "--cache-dir", inside, "--quiet");
    assert.equal(r.code, 0);
    assert.match(r.stderr, /inside the reviewed repository; continuing without the cache/);
    assert.equal(existsSync(inside), false);
  });

  it("exits 2 with a clear message on usage errors", () => {
    const several = cli("review", EXAMPLE, "--format", "md,json");
    assert.equal(several.code, 2);
    assert.match(several.stderr, /several formats need --output/);
    const unknown = cli("review", EXAMPLE, "--format", "docx");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown format docx; available: md, json, sarif, html/);
    assert.equal(cli("review", EXAMPLE, "--format", "pdf").code, 2);
    const selector = cli("review", EXAMPLE, "--select", "SEC,NOPE9");
    assert.equal(selector.code, 2);
    assert.match(selector.stderr, /unknown rule selector "NOPE9"/);
    assert.equal(cli("review", EXAMPLE, "--bogus").code, 2);
    assert.equal(cli("review", EXAMPLE, "--fail-on", "critical").code, 2);
    assert.equal(cli("explain", "NOPE999").code, 2);
    assert.equal(cli("review", EXAMPLE, "--context", join(tmp, "missing.toml")).code, 2);
  });

  it("gives no verdict on a target that is not a Python backend: exit 2 with a plain message", async () => {
    const empty = join(tmp, "empty");
    await mkdir(empty);
    const none = cli("review", empty);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no Python backend found/);
    assert.doesNotMatch(none.stdout, /Ready for production/);
    // a folder that holds only a design document: pointed at the document
    const docsOnly = join(tmp, "docs-only");
    await mkdir(docsOnly);
    await writeFile(join(docsOnly, "ARCHITECTURE.md"), "# Design\n");
    const pointed = cli("review", docsOnly);
    assert.equal(pointed.code, 2);
    assert.match(pointed.stderr, /no Python backend found .*to review its design document on its own, give the file \(archscope review .*ARCHITECTURE\.md\)/);
    const file = cli("review", "package.json");
    assert.equal(file.code, 2);
    assert.match(file.stderr, /is a file: archscope reviews a repository or folder/);
    const missing = cli("review", join(tmp, "nope"));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*: no such file or directory/);
  });

  it("reviews a design document on its own, and holds a document given with --doc against the code", async () => {
    const doc = join(tmp, "DESIGN.md");
    await writeFile(doc, "# Design\n\nOrders live in PostgreSQL; search runs on Elasticsearch.\n\nWe promise 99.99 % uptime.\n");
    const alone = cli("review", doc, "--format", "json", "--quiet");
    assert.equal(alone.code, 0, alone.stderr);
    const review = JSON.parse(alone.stdout);
    assert.equal(review.documentOnly, true);
    // only the design-document checks ran: no code check reports the absent code
    assert.deepEqual([...new Set(review.findings.map((f: { id: string }) => f.id))].sort(), ["DOC001", "DOC005"]);
    assert.equal(review.summary.maturity.level, null);
    // the same document next to the example's code: drift, with the document's path relative to the root
    const withCode = cli("review", EXAMPLE, "--doc", doc, "--format", "json", "--quiet", "--no-cache");
    assert.equal(withCode.code, 0, withCode.stderr);
    const drift = JSON.parse(withCode.stdout).findings.filter((f: { id: string; evidence: Array<{ file: string }> }) => f.id === "DOC004" && f.evidence[0]?.file.endsWith("DESIGN.md"));
    assert.equal(drift.length, 1);
    assert.match(drift[0].message, /names Elasticsearch, but nothing in the code/);
    const missing = cli("review", EXAMPLE, "--doc", join(tmp, "nope.md"));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--doc .*nope\.md: no such file/);
  });

  it("compares with a baseline: --fail-on-new fails only on new concerns, and diff lists new and fixed", async () => {
    const old = join(tmp, "old.json");
    const first = cli("review", EXAMPLE, "--format", "json", "--no-cache");
    await writeFile(old, first.stdout);
    // the same code: nothing new, so --fail-on-new high passes although high concerns are open
    const same = cli("review", EXAMPLE, "--baseline", old, "--fail-on-new", "high", "--no-cache");
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /Since the baseline: 0 new, \d+ unchanged, 0 fixed/);
    // a baseline with one concern fewer makes that one new
    const trimmed = JSON.parse(first.stdout);
    const dropped = trimmed.findings.find((f: { severity: string; kind: string }) => f.severity === "high" && f.kind === "concern");
    trimmed.findings = trimmed.findings.filter((f: unknown) => f !== dropped);
    const older = join(tmp, "older.json");
    await writeFile(older, JSON.stringify(trimmed));
    const fresh = cli("review", EXAMPLE, "--baseline", older, "--fail-on-new", "high", "--no-cache");
    assert.equal(fresh.code, 1);
    const diff = cli("diff", older, old);
    assert.equal(diff.code, 0);
    assert.match(diff.stdout, /1 new, 0 fixed/);
    assert.match(diff.stdout, new RegExp(`New\\n  HIGH ${dropped.id}`));
    assert.equal(cli("review", EXAMPLE, "--fail-on-new", "high").code, 2);
    const notReview = join(tmp, "not-a-review.json");
    await writeFile(notReview, "{}");
    const bad = cli("review", EXAMPLE, "--baseline", notReview);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an archscope JSON review/);
  });

  it("writes SARIF to stdout with --format sarif", () => {
    const r = cli("review", EXAMPLE, "--format", "sarif", "--no-cache");
    assert.equal(r.code, 0);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, "2.1.0");
    assert.ok(log.runs[0].results.length > 0);
  });

  it("exits 1 only when --fail-on is met", async () => {
    assert.equal(cli("review", EXAMPLE, "--fail-on", "high", "--quiet", "--no-cache").code, 1);
    const clean = join(tmp, "clean");
    await rm(clean, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(join(clean, "pkg"), { recursive: true }));
    await writeFile(join(clean, "pkg", "util.py"), "def add(a, b):\n    return a + b\n");
    await writeFile(join(clean, "tests_test_util.py"), "");
    assert.equal(cli("review", clean, "--fail-on", "medium", "--quiet", "--no-cache").code, 1, "no tests is a high concern");
    await import("node:fs/promises").then((fs) => fs.mkdir(join(clean, "tests"), { recursive: true }));
    await writeFile(join(clean, "tests", "test_util.py"), "from pkg.util import add\n\ndef test_add():\n    assert add(1, 2) == 3\n");
    await import("node:fs/promises").then((fs) => fs.mkdir(join(clean, ".github", "workflows"), { recursive: true }));
    await writeFile(join(clean, ".github", "workflows", "ci.yml"), "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n");
    assert.equal(cli("review", clean, "--fail-on", "low", "--quiet", "--no-cache").code, 1, "CI scans nothing for vulnerabilities: a low concern");
    await writeFile(join(clean, ".github", "dependabot.yml"), "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: weekly\n");
    assert.equal(cli("review", clean, "--fail-on", "low", "--quiet", "--no-cache").code, 0);
  });

  it("applies a --context file over the project's own context", async () => {
    const file = join(tmp, "ctx.toml");
    await writeFile(file, 'stage = "prototype"\nexposure = "internal"\n');
    const r = cli("review", EXAMPLE, "--format", "json", "--quiet", "--context", file, "--no-cache");
    const report = JSON.parse(r.stdout);
    assert.equal(report.context.stage, "prototype");
    const dep = report.findings.find((f: { id: string }) => f.id === "DEP002");
    assert.equal(dep.severity, "low");
    assert.match(dep.severityNote, /lowered from medium/);
  });

  it("prints the system model as Markdown or as the review's model JSON", () => {
    const md = cli("model", EXAMPLE, "--no-cache");
    assert.equal(md.code, 0);
    for (const heading of ["## Detected stack", "## Components", "## Endpoints", "## Data models", "## Containers", "## Continuous integration", "## Code structure", "## Settings"]) assert.match(md.stdout, new RegExp(`^${heading}$`, "m"));
    assert.match(md.stdout, /```mermaid\nflowchart LR/);
    const json = cli("model", EXAMPLE, "--format", "json", "--no-cache");
    const model = JSON.parse(json.stdout);
    const review = JSON.parse(cli("review", EXAMPLE, "--format", "json", "--quiet", "--no-cache").stdout);
    assert.deepEqual(model, review.model);
    assert.equal(cli("model", EXAMPLE, "--format", "html").code, 2);
  });

  it("lists and explains checks", () => {
    const rules = cli("rules");
    assert.equal(rules.code, 0);
    for (const id of ["SEC001", "SEC003", "API002", "DB006", "PERF001", "RES001", "OBS006", "DEP002", "CODE004", "DATA001", "ARCH003"]) assert.match(rules.stdout, new RegExp(`^${id} `, "m"));
    const explain = cli("explain", "sec003");
    assert.equal(explain.code, 0);
    assert.match(explain.stdout, /SEC003: SQL built from strings/);
    assert.match(explain.stdout, /CWE-89/);
  });
});
