import { stat } from "node:fs/promises";
import { basename, resolve, sep } from "node:path";
import type { ArchscopeConfig } from "./config/load-config.js";
import type { Diagnostic } from "./core/diagnostics.js";
import type { ProjectIndex } from "./python/project-index.js";
import { compareWithBaseline, earlierFindings } from "./review/baseline.js";
import { cachedReview, reviewKey, storeReview } from "./review/review-cache.js";
import type { ReviewContext } from "./checks/context.js";
import type { Area } from "./checks/types.js";
import type { SystemModel } from "./model/types.js";
import type { Review } from "./review/types.js";
import { VERSION } from "./version.js";
import { DOCUMENT_FILE, documentFileSet, readDocument, scanWorkspace } from "./workspace/scan.js";
import type { FileSet } from "./workspace/types.js";

export interface ReviewOptions {
  exclude?: string[];
  /** Design documents added explicitly (`--doc FILE`), inside the reviewed root or not. */
  documents?: string[];
  /** Facts cache directory; null or undefined disables it. */
  cacheDir?: string | null;
  jobs?: number;
  isolated?: boolean;
  /** Context given explicitly (`--context FILE`), already parsed. */
  context?: { source: string; data: unknown } | null;
  /** An earlier JSON review to compare with (`--baseline FILE`): its text and where it came from. */
  baseline?: { source: string; text: string } | null;
  /** A deep dive into one area (`--area`): only its checks run, and reports give their whole prose. */
  area?: Area;
  /** `--select` / `--ignore` rule selectors (ids, id prefixes, areas), already validated. */
  select?: string[];
  ignore?: string[];
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** Milliseconds per stage, for the benchmark's breakdown (read, parse and extract are summed over worker threads). */
export interface StageTimes {
  scan: number;
  read: number;
  parse: number;
  extract: number;
  index: number;
  model: number;
  /** Each check's run time by id. */
  checks: Record<string, number>;
  synthesis: number;
}

export interface ReviewRun {
  review: Review;
  /** Timings and counts for the terminal only: never written into report files. */
  stats: {
    scanMs: number;
    parseMs: number;
    checkMs: number;
    totalMs: number;
    pythonBytes: number;
    parsed: number;
    fromCache: number;
    /** The whole review was reused from the cache: no file changed since it was made. */
    reused: boolean;
    stages: StageTimes;
  };
}

export interface ModelRun {
  project: string;
  model: SystemModel;
  index: ProjectIndex;
  context: ReviewContext;
  config: ArchscopeConfig;
  /** A design document reviewed on its own: only what a document can tell is reviewed. */
  documentOnly: boolean;
  diagnostics: Diagnostic[];
  analysis: Omit<Review["analysis"], "suppressed" | "checksRun">;
  stats: { scanMs: number; parseMs: number; modelMs: number; pythonBytes: number; parsed: number; fromCache: number; stages: Omit<StageTimes, "checks" | "synthesis"> };
}

/**
 * The files to review: a folder's, or a design document on its own (a Markdown, reStructuredText or text
 * file as the target); then the documents given with `--doc`, as design documents whatever their names.
 */
async function scanTarget(path: string, options: ReviewOptions): Promise<FileSet> {
  const isDocument = DOCUMENT_FILE.test(path) && (await stat(path)).isFile();
  const fileSet = isDocument ? await documentFileSet(path) : await scanWorkspace(path, { exclude: options.exclude ?? [] });
  for (const doc of options.documents ?? []) {
    const file = await readDocument(fileSet.root, doc, fileSet.diagnostics);
    if (!file) continue;
    const known = fileSet.files.find((f) => f.path === file.path);
    if (known) known.text = file.text;
    else fileSet.files.push(file);
    fileSet.explicitDocuments = [...(fileSet.explicitDocuments ?? []), file.path];
  }
  return fileSet;
}

/** The cache directory to use for a scanned tree: none when switched off, or when it lies inside the reviewed repository. */
function usableCacheDir(fileSet: FileSet, options: ReviewOptions): string | null {
  const cacheDir = options.cacheDir ? resolve(options.cacheDir) : null;
  // nothing is ever written inside the reviewed repository: a cache there is switched off
  const cacheInside = cacheDir !== null && (cacheDir === fileSet.root || cacheDir.startsWith(fileSet.root + sep));
  if (cacheInside) fileSet.diagnostics.push({ level: "warning", code: "cache", message: `cache directory ${cacheDir} is inside the reviewed repository; continuing without the cache` });
  return cacheInside ? null : cacheDir;
}

/** The first stages: scan → parse → index → model, with the context resolved. */
export async function runModel(path: string, options: ReviewOptions = {}): Promise<ModelRun> {
  const t0 = performance.now();
  options.onProgress?.("scanning files", 0, 0);
  const fileSet = await scanTarget(path, options);
  return modelFiles(path, fileSet, usableCacheDir(fileSet, options), options, performance.now() - t0);
}

/** Parse → index → model over a scanned tree. */
async function modelFiles(path: string, fileSet: FileSet, cacheDir: string | null, options: ReviewOptions, scanMs: number): Promise<ModelRun> {
  const t1 = performance.now();
  const { CHECKS, buildSystemModel, detectSourceRoots, loadConfig, parsePythonFiles, ProjectIndex, withDocumentContext } = await import("./pipeline-stages.js");
  const parsed = await parsePythonFiles(fileSet, {
    cacheDir,
    jobs: options.jobs ?? 1,
    onProgress: options.onProgress ? (d, t) => options.onProgress?.("parsing", d, t) : undefined,
  });
  const t2 = performance.now();
  options.onProgress?.("building the system model", 0, 0);
  const index = new ProjectIndex(parsed.facts, detectSourceRoots(fileSet.files.map((f) => f.path)));
  const tIndex = performance.now();
  const built = await buildSystemModel(fileSet, index, parsed.tests, parsed.migrations);
  // configuration is read once, here, and handed to the stages that need it
  const { config, problems } = loadConfig(fileSet, CHECKS, { context: options.context ?? null, select: options.area ? [options.area] : options.select, ignore: options.ignore, isolated: options.isolated ?? false, pyprojects: built.pyprojects });
  // what the design documents state fills what the team did not (and says where it came from)
  const context = withDocumentContext(config.context, built.model.designDocuments);
  const diagnostics: Diagnostic[] = [...fileSet.diagnostics, ...parsed.diagnostics, ...built.diagnostics];
  for (const problem of problems) diagnostics.push({ level: "warning", code: "invalid-config", message: `configuration ignored: ${problem}` });
  const t3 = performance.now();
  return {
    project: fileSet.documentOnly ? (fileSet.files[0]?.path ?? basename(path)) : basename(fileSet.root),
    documentOnly: fileSet.documentOnly ?? false,
    model: built.model,
    index,
    context,
    config,
    diagnostics,
    analysis: { files: fileSet.files.length, pythonFiles: parsed.facts.length, testFiles: parsed.tests.length, migrationFiles: parsed.migrations.length },
    stats: {
      scanMs,
      parseMs: t2 - t1,
      modelMs: t3 - t2,
      pythonBytes: parsed.stats.bytes,
      parsed: parsed.stats.parsed,
      fromCache: parsed.stats.fromCache,
      stages: { scan: scanMs, read: parsed.stats.readMs, parse: parsed.stats.parseMs, extract: parsed.stats.extractMs, index: tIndex - t2, model: t3 - tIndex },
    },
  };
}

/** The whole pipeline: scan → parse → index → model → check → synthesize, or the stored review of an unchanged tree. */
export async function runReview(path: string, options: ReviewOptions = {}): Promise<ReviewRun> {
  const t0 = performance.now();
  options.onProgress?.("scanning files", 0, 0);
  const fileSet = await scanTarget(path, options);
  const cacheDir = usableCacheDir(fileSet, options);
  const scanMs = performance.now() - t0;
  // the date too: a version's end of support (DEP003, DEP014) passes while nothing else changes
  const key = cacheDir ? reviewKey(fileSet, { exclude: options.exclude, documents: options.documents, context: options.context, area: options.area, select: options.select, ignore: options.ignore, isolated: options.isolated, day: new Date().toISOString().slice(0, 10) }) : null;
  const reused = cacheDir && key ? await cachedReview(cacheDir, fileSet.root, key) : null;
  if (reused) return finish(reused, options, { scanMs, parseMs: 0, checkMs: 0, totalMs: performance.now() - t0, pythonBytes: 0, parsed: 0, fromCache: reused.analysis.pythonFiles, reused: true, stages: { scan: scanMs, read: 0, parse: 0, extract: 0, index: 0, model: 0, checks: {}, synthesis: 0 } });

  const modelled = await modelFiles(path, fileSet, cacheDir, options, scanMs);
  const { CHECKS, applyPerFileIgnores, buildReview, documentOnlyReview, runChecks, selectChecks } = await import("./pipeline-stages.js");
  const t1 = performance.now();
  // a document on its own: only the design-document checks apply, the others would report the absent code
  const checks = selectChecks(CHECKS, modelled.config).filter((c) => !modelled.documentOnly || c.area === "documents");
  options.onProgress?.("running checks", 0, checks.length);
  const timings = new Map<string, number>();
  const checked = runChecks(checks, { model: modelled.model, index: modelled.index, context: modelled.context }, { isolated: options.isolated ?? false, timings });
  const tChecks = performance.now();
  applyPerFileIgnores(checked.findings, modelled.config);
  const built = buildReview({
    project: modelled.project,
    version: VERSION,
    model: modelled.model,
    findings: checked.findings,
    checks,
    context: modelled.context,
    diagnostics: [...modelled.diagnostics, ...checked.diagnostics],
    analysis: { ...modelled.analysis, suppressed: checked.findings.filter((f) => f.suppressed).length, checksRun: checks.length },
  });
  // a document on its own: the parts that need the code say so
  const review = modelled.documentOnly ? documentOnlyReview(built) : built;
  if (options.area) review.focus = options.area;
  if (cacheDir && key) await storeReview(cacheDir, fileSet.root, key, review);
  const t2 = performance.now();
  const { stats } = modelled;
  return finish(review, options, {
    scanMs: stats.scanMs,
    parseMs: stats.parseMs,
    checkMs: stats.modelMs + (t2 - t1),
    totalMs: t2 - t0,
    pythonBytes: stats.pythonBytes,
    parsed: stats.parsed,
    fromCache: stats.fromCache,
    reused: false,
    stages: { ...stats.stages, checks: Object.fromEntries(timings), synthesis: t2 - tChecks },
  });
}

/** What is done to every review, made or reused: the comparison with an earlier one. */
function finish(review: Review, options: ReviewOptions, stats: ReviewRun["stats"]): ReviewRun {
  // reviews over time: each concern new or unchanged since the earlier review, and what it had that is gone
  if (options.baseline) review.baseline = compareWithBaseline(review, earlierFindings(options.baseline.text, options.baseline.source), options.baseline.source);
  return { review, stats };
}
