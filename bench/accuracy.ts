/**
 * Accuracy benchmark: `node --import tsx bench/accuracy.ts [--corpus DIR] [--vs ruff,bandit] [--markdown] [--details]`.
 *
 * Runs archscope over labelled vulnerable code kept outside the repository and prints recall and
 * false-positive rate per family (bench/accuracy-families.ts), beside Ruff's `S`/`ASYNC` rules and Bandit
 * on the same files. DIR (default: `../corpus` beside the repository) holds `semgrep-rules/python/**`, whose
 * `# ruleid:` / `# ok:` comments label the lines that must and must not be flagged, and optionally
 * `bandit-examples/examples/`, which has no line labels and is run as a robustness corpus. bench/ACCURACY.md
 * says how to fetch both.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { glob } from "tinyglobby";
import { CHECKS } from "../src/checks/registry.js";
import { runChecks } from "../src/checks/run-checks.js";
import type { Check, Finding } from "../src/checks/types.js";
import type { Diagnostic } from "../src/core/diagnostics.js";
import { fileRole } from "../src/core/file-roles.js";
import { plural } from "../src/core/prose.js";
import { runModel } from "../src/pipeline.js";
import { classifyPath, isMigrationPath } from "../src/workspace/classify.js";
import { FAMILIES, familyOfBanditTest, familyOfCheck, familyOfRuffCode } from "./accuracy-families.js";
import { type Column, type Hit, labelSpans, parseLabels, renderMarkdown, renderText, type Score, score, tables, type Unit, unitsOf } from "./accuracy-score.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  corpus: string;
  vs: string[];
  markdown: boolean;
  details: boolean;
  keep: boolean;
  oneProject: boolean;
  /** Leave out semgrep's audit rules (under an `audit` folder or named `-audit`), which flag every use of an API rather than a vulnerable one. */
  skipAudit: boolean;
  /** Check modules not registered yet (`--check src/checks/security/x.ts`): run as if they were. */
  extraChecks: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { corpus: resolve(REPO, "../corpus"), vs: [], markdown: false, details: false, keep: false, oneProject: false, skipAudit: false, extraChecks: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--corpus") options.corpus = resolve(argv[++i] ?? "");
    else if (arg === "--vs") options.vs = (argv[++i] ?? "").split(",").map((t) => t.trim().toLowerCase()).filter(Boolean);
    else if (arg === "--markdown") options.markdown = true;
    else if (arg === "--details") options.details = true;
    else if (arg === "--keep") options.keep = true;
    else if (arg === "--one-project") options.oneProject = true;
    else if (arg === "--skip-audit") options.skipAudit = true;
    else if (arg === "--check") options.extraChecks.push(resolve(argv[++i] ?? ""));
    else {
      console.error(`usage: node --import tsx bench/accuracy.ts [--corpus DIR] [--vs ruff,bandit] [--markdown] [--details] [--keep] [--one-project] [--skip-audit] [--check FILE]...\nunknown argument: ${arg}`);
      process.exit(2);
    }
  }
  for (const tool of options.vs) {
    if (tool !== "ruff" && tool !== "bandit") {
      console.error(`--vs: unknown tool ${tool} (ruff, bandit)`);
      process.exit(2);
    }
  }
  return options;
}

/**
 * A file name archscope reads as application code: test-like names (`test_x.py`, `x_test.py`) and
 * folders (`tests/`, `semgrep/`, `examples/`) would make checks skip or lower what they find.
 */
function neutralPath(index: number, original: string): string {
  const dir = `p${String(index).padStart(3, "0")}`;
  const stem = basename(original, ".py").replace(/[^A-Za-z0-9_]/g, "_");
  const candidate = `${dir}/${/^[0-9]/.test(stem) ? `m_${stem}` : stem}.py`;
  const neutral = fileRole(candidate) === "application" && classifyPath(candidate) === "python" && !isMigrationPath(candidate);
  return neutral ? candidate : `${dir}/module_${index}.py`;
}

/** Copies `files` (relative to `from`) into a fresh temporary tree with neutral names; returns neutral → original. */
async function neutralTree(from: string, files: string[], label: string): Promise<{ root: string; original: Map<string, string> }> {
  const root = await mkdtemp(join(tmpdir(), `archscope-accuracy-${label}-`));
  const original = new Map<string, string>();
  for (const [i, file] of files.entries()) {
    const target = neutralPath(i, file);
    await mkdir(join(root, dirname(target)), { recursive: true });
    await cp(join(from, file), join(root, target));
    original.set(target, file);
  }
  return { root, original };
}

interface ArchscopeRun {
  findings: Finding[];
  checkFailures: string[];
  extractionFailures: string[];
  syntaxErrorFiles: number;
  ms: number;
}

/**
 * archscope on a tree, every registered check, as `archscope review --isolated` would run them: the
 * whole tree as one project, or each of its folders as a project of its own (`projects`). Evidence
 * paths are made relative to the tree's root either way.
 */
async function runArchscope(checks: readonly Check[], root: string, projects?: readonly string[]): Promise<ArchscopeRun> {
  const start = performance.now();
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const project of projects ?? [""]) {
    const modelled = await runModel(join(root, project), { cacheDir: null, jobs: 1, isolated: true });
    const checked = runChecks(checks, { model: modelled.model, index: modelled.index, context: modelled.context }, { isolated: true });
    const prefix = (file: string | undefined): string | undefined => (project && file !== undefined ? `${project}/${file}` : file);
    for (const f of checked.findings) findings.push({ ...f, evidence: f.evidence.map((e) => ({ ...e, file: prefix(e.file) ?? e.file })) });
    for (const d of [...modelled.diagnostics, ...checked.diagnostics]) diagnostics.push({ ...d, file: prefix(d.file) });
  }
  return {
    findings,
    checkFailures: diagnostics.filter((d) => d.message.startsWith("check ") && d.message.includes(" failed")).map((d) => d.message),
    extractionFailures: diagnostics.filter((d) => d.message.includes("could not extract facts")).map((d) => `${d.file}: ${d.message}`),
    syntaxErrorFiles: new Set(diagnostics.filter((d) => d.code === "syntax-error").map((d) => d.file)).size,
    ms: performance.now() - start,
  };
}

function archscopeHits(findings: readonly Finding[], original: ReadonlyMap<string, string>): Hit[] {
  const hits: Hit[] = [];
  for (const finding of findings) {
    const family = familyOfCheck(finding.id);
    if (!family) continue;
    for (const e of finding.evidence) {
      const file = original.get(e.file);
      if (!file || e.line === null) continue;
      hits.push({ file, start: e.line, end: e.endLine ?? e.line, family: family.id, rule: finding.id });
    }
  }
  return hits;
}

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((done) => {
    execFile(command, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error && typeof (error as NodeJS.ErrnoException).code === "number" ? Number((error as NodeJS.ErrnoException).code) : error ? -1 : 0;
      done({ stdout, stderr: error && code === -1 ? error.message : stderr, code });
    });
  });
}

/** Ruff: `ruff` on PATH, else the virtual environment bench/ACCURACY.md sets up beside the repository. */
function ruffCommand(): string | null {
  if (process.env.ARCHSCOPE_RUFF) return process.env.ARCHSCOPE_RUFF;
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && existsSync(join(dir, "ruff"))) return join(dir, "ruff");
  const venv = resolve(REPO, "../venv-ruff/bin/ruff");
  return existsSync(venv) ? venv : null;
}

interface ToolRun {
  hits: Hit[];
  version: string;
  notes: string[];
}

async function runRuff(root: string, original: ReadonlyMap<string, string>): Promise<ToolRun | string> {
  const ruff = ruffCommand();
  if (!ruff) return "ruff not found (set ARCHSCOPE_RUFF or install it, see bench/ACCURACY.md)";
  const version = (await run(ruff, ["--version"])).stdout.trim();
  const out = await run(ruff, ["check", "--no-cache", "--isolated", "--exit-zero", "--select", "S,ASYNC", "--output-format", "json", root]);
  if (out.code !== 0) return `ruff failed: ${out.stderr.trim()}`;
  const results = JSON.parse(out.stdout) as Array<{ code: string | null; filename: string; location: { row: number }; end_location: { row: number } }>;
  const hits: Hit[] = [];
  let unparsable = 0;
  for (const r of results) {
    if (!r.code) {
      unparsable++;
      continue;
    }
    const family = familyOfRuffCode(r.code);
    const file = original.get(relative(root, r.filename));
    if (family && file) hits.push({ file, start: r.location.row, end: r.end_location.row, family: family.id, rule: r.code });
  }
  return { hits, version, notes: unparsable ? [`${plural(unparsable, "syntax error")} reported by Ruff`] : [] };
}

async function runBandit(root: string, original: ReadonlyMap<string, string>): Promise<ToolRun | string> {
  const version = await run("bandit", ["--version"]);
  if (version.code === -1) return "bandit not found (`apt-get install bandit`, see bench/ACCURACY.md)";
  const out = await run("bandit", ["-r", root, "-f", "json", "-q"]);
  const json = out.stdout.slice(out.stdout.indexOf("{"));
  let report: { results: Array<{ filename: string; line_number: number; line_range?: number[]; test_id: string }>; errors: Array<{ filename: string; reason: string }> };
  try {
    report = JSON.parse(json);
  } catch {
    return `bandit failed (exit ${out.code}): ${out.stderr.trim().split("\n").slice(-3).join(" ")}`;
  }
  const hits: Hit[] = [];
  for (const r of report.results) {
    const family = familyOfBanditTest(r.test_id);
    const file = original.get(relative(root, resolve(r.filename)));
    if (family && file) hits.push({ file, start: r.line_number, end: Math.max(r.line_number, ...(r.line_range ?? [])), family: family.id, rule: r.test_id });
  }
  return { hits, version: version.stdout.split("\n")[0]?.trim() ?? "bandit", notes: report.errors.length ? [`${plural(report.errors.length, "file")} Bandit could not parse`] : [] };
}

/** The registered checks, and the modules given with `--check` whose ids are not registered. */
async function checkList(options: Options): Promise<Check[]> {
  const checks = [...CHECKS];
  for (const file of options.extraChecks) {
    const loaded = (await import(pathToFileURL(file).href)) as { default?: Check };
    const check = loaded.default;
    if (!check || typeof check.run !== "function") {
      console.error(`--check ${file}: no check as its default export`);
      process.exit(2);
    }
    if (!checks.some((c) => c.id === check.id)) checks.push(check);
  }
  return checks;
}

async function labelledUnits(root: string, files: string[]): Promise<{ units: Unit[]; unscored: Map<string, number> }> {
  const units: Unit[] = [];
  const unscored = new Map<string, number>();
  for (const file of files) {
    const text = await readFile(join(root, file), "utf8");
    const labels = parseLabels(file, text);
    if (labels.length === 0) continue;
    const spans = await labelSpans(text, [...new Set(labels.map((l) => l.line))]);
    const found = unitsOf(labels, spans);
    units.push(...found.units);
    for (const [rule, n] of found.unscored) unscored.set(rule, (unscored.get(rule) ?? 0) + n);
  }
  return { units, unscored };
}

function describe(unit: Unit): string {
  return `${unit.file}:${unit.line} (${unit.rules.join(", ")})`;
}

function printDetails(name: string, scores: ReadonlyMap<string, Score>, families: Iterable<string>): void {
  console.log(`\n## ${name}: misses and false positives per family\n`);
  for (const id of families) {
    const s = scores.get(id);
    if (!s || (s.missed.length === 0 && s.flagged.length === 0)) continue;
    console.log(`### ${id}`);
    for (const unit of s.missed) console.log(`- missed  ${describe(unit)}`);
    for (const { unit, hits } of s.flagged) console.log(`- flagged ${describe(unit)} by ${[...new Set(hits.map((h) => `${h.rule}@${h.start}`))].join(", ")}`);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const semgrepRoot = join(options.corpus, "semgrep-rules");
  if (!existsSync(join(semgrepRoot, "python"))) {
    console.error(`no corpus at ${semgrepRoot}/python: fetch it first (bench/ACCURACY.md), or pass --corpus DIR`);
    process.exit(2);
  }
  // `x.fixed.py` is the expected output of a rule's autofix, not a test input: its labels do not hold
  const files = (await glob(["python/**/*.py"], { cwd: semgrepRoot, ignore: ["**/*.fixed.py", ...(options.skipAudit ? ["**/audit/**", "**/*-audit.py"] : [])] })).sort();
  const { units, unscored } = await labelledUnits(semgrepRoot, files);
  const checks = await checkList(options);
  const tree = await neutralTree(semgrepRoot, files, "semgrep");
  try {
    const [archscope, ...others] = await Promise.all([
      // each test file is a program of its own: as one project, routes repeated across files (`GET /route_param/<p>`)
      // would collapse into one endpoint and the taint checks would not see the others' handlers
      runArchscope(checks, tree.root, options.oneProject ? undefined : [...new Set([...tree.original.keys()].map((f) => dirname(f)))].sort()),
      ...options.vs.map((tool) => (tool === "ruff" ? runRuff(tree.root, tree.original) : runBandit(tree.root, tree.original))),
    ]);
    const registered = new Map<string, string[]>();
    for (const family of FAMILIES) {
      const ids = family.checks.filter((id) => checks.some((c) => c.id === id));
      if (ids.length) registered.set(family.id, ids);
    }
    const covered = new Set(registered.keys());
    const archscopeScores = score(units, archscopeHits(archscope.findings, tree.original));
    const columns: Column[] = options.vs.map((tool, i) => {
      const result = others[i];
      if (typeof result === "string" || !result) {
        console.error(`${tool}: ${result ?? "did not run"}`);
        return { name: tool, scores: null };
      }
      return { name: tool === "ruff" ? "Ruff" : "Bandit", scores: score(units, result.hits) };
    });
    const table = tables({ archscope: archscopeScores, covered, others: columns, registered });
    const render = options.markdown ? renderMarkdown : renderText;
    const versions = others.map((r, i) => (typeof r === "string" || !r ? `${options.vs[i]} (not run)` : r.version));
    const must = units.filter((u) => u.kind === "ruleid").length;
    console.log(`semgrep-rules python/: ${files.length} test files, ${units.length} labelled lines scored (${must} ruleid, ${units.length - must} ok); compared with ${versions.join(", ") || "no other tool"}\n`);
    console.log(render(table.header, table.covered));
    console.log(`\nFamilies archscope does not cover yet:\n`);
    console.log(render(table.header, table.notCovered));
    const notes = [
      `labelled lines of ${[...unscored.values()].reduce((a, b) => a + b, 0)} non-security rules (correctness, best practice) are not scored`,
      `archscope: ${archscope.findings.length} findings; ${plural(archscope.syntaxErrorFiles, "file")} with syntax errors (Python 2 and deliberately broken inputs); check failures: ${archscope.checkFailures.length ? archscope.checkFailures.join("; ") : "none"}; extraction failures: ${archscope.extractionFailures.length ? archscope.extractionFailures.join("; ") : "none"}`,
      ...others.flatMap((r, i) => (typeof r === "string" || !r ? [] : r.notes.map((n) => `${options.vs[i]}: ${n}`))),
    ];
    console.log(`\n${notes.map((n) => `- ${n}`).join("\n")}`);
    console.error(`archscope ran in ${(archscope.ms / 1000).toFixed(1)} s`);
    if (options.details) {
      printDetails("archscope", archscopeScores, covered);
      for (const column of columns) if (column.scores) printDetails(column.name, column.scores, covered);
    }
  } finally {
    if (options.keep) console.error(`kept ${tree.root}`);
    else await rm(tree.root, { recursive: true, force: true });
  }
  await robustness(options);
}

/** Bandit's examples have no line labels: archscope runs over them for crashes, and counts what it reports. */
async function robustness(options: Options): Promise<void> {
  const root = join(options.corpus, "bandit-examples");
  if (!existsSync(join(root, "examples"))) {
    console.log(`\n(no ${root}/examples: the robustness run is skipped)`);
    return;
  }
  const files = (await glob(["examples/**/*.py"], { cwd: root })).sort();
  const tree = await neutralTree(root, files, "bandit");
  try {
    const result = await runArchscope(await checkList(options), tree.root);
    const counts = new Map<string, number>();
    for (const f of result.findings) counts.set(f.id, (counts.get(f.id) ?? 0) + 1);
    const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, n]) => [id, familyOfCheck(id)?.id ?? "", String(n)]);
    console.log(`\nBandit examples/ (robustness, no labels): ${files.length} files, ${result.findings.length} findings, ${plural(result.syntaxErrorFiles, "file")} with syntax errors`);
    console.log(`check failures: ${result.checkFailures.length ? result.checkFailures.join("; ") : "none"}; extraction failures: ${result.extractionFailures.length ? result.extractionFailures.join("; ") : "none"}\n`);
    console.log((options.markdown ? renderMarkdown : renderText)(["check", "family", "findings"], rows));
    console.error(`archscope ran on Bandit's examples in ${(result.ms / 1000).toFixed(1)} s`);
  } finally {
    if (options.keep) console.error(`kept ${tree.root}`);
    else await rm(tree.root, { recursive: true, force: true });
  }
}

await main();
