import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { extname, join, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { CHECKS, checkById } from "../checks/registry.js";
import { DOCUMENT_FILE } from "../workspace/scan.js";
import { type Area, AREAS, type Severity } from "../checks/types.js";
import { CONTEXT_QUESTIONS } from "../checks/context-questions.js";
import { validSelector } from "../config/selectors.js";
import type { InitFlags } from "./init.js";
import { renderDiff } from "../report/diff.js";
import { diffReviews, earlierFindings } from "../review/baseline.js";
import { runModel, runReview } from "../pipeline.js";
import { defaultCacheDir } from "../python/cache.js";
import { stripControl } from "../report/escape.js";
import { renderJson, renderModelJson } from "../report/json.js";
import { renderHtml } from "../report/html.js";
import { renderSarif } from "../report/sarif.js";
import { renderMarkdown } from "../report/markdown.js";
import { renderModelMarkdown } from "../report/model-markdown.js";
import { renderTerminal } from "../report/terminal.js";
import type { Review } from "../review/types.js";
import { VERSION } from "../version.js";

/** Formats built so far, with their file extension. */
const RENDERERS: Record<string, { ext: string; render: (r: Review) => string }> = {
  md: { ext: "md", render: renderMarkdown },
  json: { ext: "json", render: renderJson },
  sarif: { ext: "sarif", render: renderSarif },
  html: { ext: "html", render: renderHtml },
};

class UsageError extends Error {}

const LIST_FIELDS = new Set(["compliance", "integrations"]);

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** A one-line progress display on stderr (only given when stderr is a terminal); "" clears it. */
  progress?: (line: string) => void;
}

interface ReviewFlags {
  format: string[];
  doc: string[];
  output?: string;
  failOn?: Severity;
  failOnNew?: Severity;
  baseline?: string;
  context?: string;
  cacheDir?: string;
  cache: boolean;
  jobs?: number;
  exclude: string[];
  select: string[];
  ignore: string[];
  area?: Area;
  isolated: boolean;
  quiet: boolean;
  color: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, ...value.split(",").map((v) => v.trim()).filter(Boolean)];
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
};

/** Runs the CLI; returns the exit code (0 ok, 1 findings at or above --fail-on, 2 usage or fatal error). */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name("archscope")
    .description("Architecture review for Python backends: evidence-backed findings in ten areas.")
    .version(VERSION, "-v, --version")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command("review")
    .description("review the Python backend at PATH (default: the current directory), or a design document on its own")
    .argument("[path]", "repository or folder to review, or a design document (.md, .rst, .txt)", ".")
    .option("--doc <file>", "also review this design document, and hold it against the code (repeatable)", collect, [])
    .option("-f, --format <formats>", "report formats: md, json, sarif, html (comma-separated or repeated)", collect, [])
    .option("-o, --output <dir>", "write archscope-report.<ext> files into DIR (created if missing)")
    .addOption(new Option("--fail-on <severity>", "exit 1 when an unsuppressed concern is at or above this severity").choices(["high", "medium", "low"]))
    .addOption(new Option("--fail-on-new <severity>", "with --baseline: exit 1 when a concern new since the baseline is at or above this severity").choices(["high", "medium", "low"]))
    .option("--baseline <file>", "an earlier JSON review: mark each concern new or unchanged and list the fixed ones")
    .option("--context <file>", "review context (TOML, YAML or JSON: stage, exposure, ...)")
    .option("--cache-dir <dir>", "facts cache directory (default: the user's cache directory)")
    .option("--no-cache", "do not read or write the facts cache")
    .option("-j, --jobs <n>", "parser threads (default: available parallelism)", positiveInt)
    .option("--exclude <glob>", "exclude paths matching GLOB (gitignore syntax, repeatable)", collect, [])
    .option("--select <rules>", "run only these checks: ids, id prefixes (SEC) or areas (security), comma-separated", collect, [])
    .option("--ignore <rules>", "skip these checks: ids, id prefixes or areas, comma-separated", collect, [])
    .addOption(new Option("--area <area>", "deep dive: review one area, every finding with its whole prose, example and evidence").choices([...AREAS]))
    .option("--isolated", "ignore the reviewed repository's own configuration and inline suppressions", false)
    .option("-q, --quiet", "no summary on stderr", false)
    .option("--no-color", "no colours (also NO_COLOR)")
    .action(async (path: string, flags: ReviewFlags) => {
      exitCode = await reviewCommand(path, flags, io);
    });

  program
    .command("model")
    .description("print the system model of the Python backend at PATH: stack, components, endpoints, data models, deployment, CI, settings")
    .argument("[path]", "repository or folder to read", ".")
    .addOption(new Option("-f, --format <format>", "md or json (json is exactly the review's model object)").choices(["md", "json"]).default("md"))
    .option("--cache-dir <dir>", "facts cache directory (default: the user's cache directory)")
    .option("--no-cache", "do not read or write the facts cache")
    .option("-j, --jobs <n>", "parser threads (default: available parallelism)", positiveInt)
    .option("--exclude <glob>", "exclude paths matching GLOB (gitignore syntax, repeatable)", collect, [])
    .option("--isolated", "ignore the reviewed repository's own configuration", false)
    .action(async (path: string, flags: { format: "md" | "json"; cacheDir?: string; cache: boolean; jobs?: number; exclude: string[]; isolated: boolean }) => {
      await checkTarget(path);
      const run = await runModel(path, {
        exclude: flags.exclude,
        cacheDir: flags.cache ? (flags.cacheDir ?? defaultCacheDir()) : null,
        jobs: flags.jobs ?? availableParallelism(),
        isolated: flags.isolated,
      });
      for (const d of run.diagnostics) if (d.level !== "info") io.stderr(`archscope: ${d.level}: ${d.file ? `${stripControl(d.file)}${d.line ? `:${d.line}` : ""}: ` : ""}${stripControl(d.message)}\n`);
      io.stdout(flags.format === "json" ? renderModelJson(run.model) : renderModelMarkdown(run.model, run.project, VERSION));
    });

  const init = program
    .command("init")
    .description("answer the clarifying questions and write them into [tool.archscope.context]")
    .argument("[path]", "the project's root", ".")
    .option("-y, --yes", "do not ask: write only what the flags give", false);
  for (const q of CONTEXT_QUESTIONS) init.option(`--${q.field.replace(/_/g, "-")} <value>`, `${q.question}${LIST_FIELDS.has(q.field) ? " (comma-separated)" : ""}`);
  init.action(async (path: string, flags: InitFlags) => {
    await checkTarget(path);
    try {
      // loaded when asked for, as `mcp` is: the review of an unchanged tree should not pay for the TOML and schema libraries
      const { initCommand } = await import("./init.js");
      await initCommand(path, flags, io.isTTY && Boolean(process.stdin.isTTY), io.stderr);
    } catch (error) {
      throw new UsageError(stripControl((error as Error).message));
    }
  });

  program
    .command("diff")
    .description("compare two JSON reviews: new, fixed and unchanged concerns")
    .argument("<old>", "the earlier JSON review")
    .argument("<new>", "the later JSON review")
    .addOption(new Option("--format <format>", "text or json").choices(["text", "json"]).default("text"))
    .action(async (oldFile: string, newFile: string, flags: { format: "text" | "json" }) => {
      const [before, after] = await Promise.all([readBaseline(oldFile), readBaseline(newFile)]);
      const diff = diffReviews(earlierFindings(before.text, oldFile), earlierFindings(after.text, newFile));
      io.stdout(flags.format === "json" ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff, oldFile, newFile));
    });

  program
    .command("mcp")
    .description("serve archscope over the Model Context Protocol on stdio, for AI assistants (tools: review, findings, model, endpoints, explain, diff)")
    .option("--root <dir>", "a folder the client may review (repeatable; default: the current directory)", collect, [])
    .action(async (flags: { root: string[] }) => {
      // loaded when asked for: the MCP SDK (and its JSON-schema validator) costs every other command its start-up
      const { runMcpServer } = await import("../mcp/server.js");
      await runMcpServer(flags.root);
    });

  program
    .command("rules")
    .description("list the checks")
    .option("--format <format>", "text or json", "text")
    .action((flags: { format: string }) => {
      if (flags.format === "json") {
        io.stdout(`${JSON.stringify(CHECKS.map(({ run: _run, ...meta }) => meta), null, 2)}\n`);
        return;
      }
      for (const c of CHECKS) io.stdout(`${c.id.padEnd(8)} ${c.severity.padEnd(7)} ${c.area.padEnd(14)} ${c.title}\n`);
    });

  program
    .command("explain")
    .description("explain one check: the risk, the fix, an example, references")
    .argument("<id>", "check id, e.g. SEC003")
    .action((id: string) => {
      const c = checkById(id);
      if (!c) throw new UsageError(`unknown check id ${id}; \`archscope rules\` lists them`);
      const lines = [`${c.id}: ${c.title}`, `area ${c.area}, default severity ${c.severity}, confidence ${c.confidence}, effort ${c.effort}`, "", "Why it matters", `  ${c.why}`, "", "What to do", `  ${c.recommendation}`];
      if (c.example) lines.push("", "Instead of", indent(c.example.bad), "", "Write", indent(c.example.good));
      if (c.libraries.length) lines.push("", `Libraries: ${c.libraries.join(", ")}`);
      if (c.cwe || c.owasp) lines.push(`Classification: ${[c.cwe, c.owasp].filter(Boolean).join(", ")}`);
      if (c.references.length) lines.push("", "References", ...c.references.map((r) => `  ${r}`));
      io.stdout(`${lines.join("\n")}\n`);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      io.stderr(`archscope: ${error.message}\n`);
      return 2;
    }
    io.stderr(`archscope: ${(error as Error).message}\n`);
    return 2;
  }
}

async function reviewCommand(path: string, flags: ReviewFlags, io: Io): Promise<number> {
  const formats = [...new Set(flags.format.map((f) => f.toLowerCase()))];
  for (const f of formats) {
    if (!RENDERERS[f]) throw new UsageError(`unknown format ${f}; available: ${Object.keys(RENDERERS).join(", ")}`);
  }
  if (formats.length > 1 && !flags.output) throw new UsageError("several formats need --output DIR (one format without --output goes to stdout)");
  const color = flags.color && !io.env.NO_COLOR && io.isTTY;
  await checkTarget(path, true);
  for (const doc of flags.doc) {
    const info = await stat(doc).catch(() => null);
    if (!info?.isFile()) throw new UsageError(`--doc ${stripControl(doc)}: no such file`);
  }
  for (const selector of [...flags.select, ...flags.ignore]) {
    if (!validSelector(selector, CHECKS)) throw new UsageError(`unknown rule selector "${stripControl(selector)}": use a check id (SEC001), an id prefix (SEC) or an area (${AREAS.join(", ")})`);
  }
  const context = flags.context ? await readContextFile(flags.context) : null;
  if (flags.failOnNew && !flags.baseline) throw new UsageError("--fail-on-new needs --baseline FILE (an earlier JSON review)");
  const baseline = flags.baseline ? await readBaseline(flags.baseline) : null;
  const progress = io.progress && !flags.quiet ? io.progress : null;
  const run = await runReview(path, {
    onProgress: progress ? (stage, done, total) => progress(done || stage === "parsing" ? `${stage} ${done}/${total} files` : `${stage}…`) : undefined,
    exclude: flags.exclude,
    documents: flags.doc,
    cacheDir: flags.cache ? (flags.cacheDir ?? defaultCacheDir()) : null,
    jobs: flags.jobs ?? availableParallelism(),
    isolated: flags.isolated,
    context,
    select: flags.select,
    ignore: flags.ignore,
    area: flags.area,
    baseline,
  });
  progress?.("");
  for (const d of run.review.diagnostics) if (d.code === "cache") io.stderr(`archscope: warning: ${d.message}\n`);
  // nothing of a Python backend: no verdict at all rather than "ready for production"
  if (!run.review.documentOnly && run.review.analysis.pythonFiles === 0 && run.review.model.manifests.length === 0 && !flags.doc.length) {
    const docs = run.review.model.designDocuments.map((d) => stripControl(d.file));
    const hint = docs.length ? `; to review its design document on its own, give the file (archscope review ${stripControl(join(path, docs[0] as string))})` : "";
    throw new UsageError(`no Python backend found in ${stripControl(path)}: no Python files and no dependency manifest (pyproject.toml, requirements*.txt, Pipfile); nothing to review${hint}`);
  }
  const written: string[] = [];
  const renderStarted = performance.now();
  if (flags.output) {
    const dir = resolve(flags.output);
    await mkdir(dir, { recursive: true });
    for (const f of formats) {
      const renderer = RENDERERS[f] as (typeof RENDERERS)[string];
      const file = join(dir, `archscope-report.${renderer.ext}`);
      await writeFile(file, renderer.render(run.review));
      written.push(file);
    }
  }
  // the benchmark's stage breakdown: times and peak memory of this run, written where it asks
  if (io.env.ARCHSCOPE_STATS_FILE) {
    const stats = { ...run.stats, renderMs: performance.now() - renderStarted, maxRssMb: process.resourceUsage().maxRSS / 1024 };
    await writeFile(io.env.ARCHSCOPE_STATS_FILE, JSON.stringify(stats));
  }
  const timing = { totalMs: run.stats.totalMs, parsed: run.stats.parsed, fromCache: run.stats.fromCache, reused: run.stats.reused };
  if (formats.length === 1 && !flags.output) {
    io.stdout((RENDERERS[formats[0] as string] as (typeof RENDERERS)[string]).render(run.review));
    if (!flags.quiet) io.stderr(renderTerminal(run.review, { color: color && !io.env.NO_COLOR, timing }));
  } else if (!flags.quiet || formats.length === 0) {
    io.stdout(renderTerminal(run.review, { color, written, timing }));
  }
  return failOnHit(run.review, flags.failOn) || failOnHit(run.review, flags.failOnNew, true) ? 1 : 0;
}

/** The target must be a readable directory, or (for `review`) a design document. */
async function checkTarget(path: string, documents = false): Promise<void> {
  const shown = stripControl(path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${shown}: ${code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : (code ?? "error")}`);
  }
  if (info.isDirectory()) return;
  // a design document on its own is reviewed as one
  if (documents && DOCUMENT_FILE.test(path)) return;
  throw new UsageError(`${shown} is a file: archscope reviews a repository or folder (or a design document: .md, .markdown, .rst, .txt, .adoc); give its directory`);
}

/** An earlier JSON review, checked to be one before the run starts. */
async function readBaseline(file: string): Promise<{ source: string; text: string }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read baseline ${stripControl(file)} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    earlierFindings(text, file);
  } catch (error) {
    throw new UsageError(stripControl((error as Error).message));
  }
  return { source: file, text };
}

/** Whether an open concern (a new one, with `onlyNew`) is at or above `failOn`. */
function failOnHit(review: Review, failOn: Severity | undefined, onlyNew = false): boolean {
  if (!failOn) return false;
  const rank = { high: 0, medium: 1, low: 2, info: 3 };
  return review.findings.some((f) => !f.suppressed && f.kind === "concern" && (!onlyNew || f.baseline === "new") && rank[f.severity] <= rank[failOn]);
}

async function readContextFile(file: string): Promise<{ source: string; data: unknown }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read context file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const ext = extname(file).toLowerCase();
  try {
    const data = ext === ".json" ? JSON.parse(text) : ext === ".yaml" || ext === ".yml" ? (await import("yaml")).parse(text) : (await import("smol-toml")).parse(text);
    const record = data as Record<string, unknown>;
    const tool = (record?.tool as Record<string, unknown> | undefined)?.archscope as Record<string, unknown> | undefined;
    return { source: `--context ${file}`, data: tool?.context ?? record?.context ?? data };
  } catch (error) {
    throw new UsageError(`context file ${file} is not valid ${ext === ".json" ? "JSON" : ext.startsWith(".y") ? "YAML" : "TOML"}: ${(error as Error).message.split("\n")[0]}`);
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
