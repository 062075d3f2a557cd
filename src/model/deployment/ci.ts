import { compareCodeUnits, type Diagnostic } from "../../core/diagnostics.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { CiJob, CiPipeline } from "../types.js";
import {
  azureJobs, bitbucketJobs, circleciJobs, githubJobs, gitlabJobs, type JobFacts, jenkinsJobs, type ProviderInput, travisJobs,
} from "./ci-providers.js";
import {
  CI_FLAGS, COMMAND_SIGNALS, type CiFlag, DOCS_DEPLOY_USES, GENERIC_DEPLOY_USES, NOT_A_RUN, PRE_COMMIT_HOOK_SIGNALS, USES_SIGNALS,
} from "./ci-signals.js";
import { asArray, asRecord, readYamlDocuments } from "./yaml-documents.js";

/** Whole-file fallback for pipelines whose structure could not be read. */
const TEST_COMMAND = /\b(pytest|py\.test|tox|nox|manage\.py\s+test|unittest|make\s+test|coverage\s+run|hatch\s+(run\s+)?test|uv\s+run\s+pytest|poetry\s+run\s+pytest)\b/;
const LINT_COMMAND = /\b(ruff|flake8|pylint|black\s+--check|mypy|pyright|pre-commit)\b/;

type Provider = CiPipeline["provider"];

/**
 * CI pipelines, one per file, with their jobs and what each does (tests, lint, type check, security
 * audit, image build, deploy), for GitHub Actions, GitLab CI, CircleCI, Azure Pipelines, Bitbucket
 * Pipelines, Travis CI and Jenkinsfiles. A pipeline runs tests (lints) when any of its jobs does.
 */
export function readCi(files: WorkspaceFile[], diagnostics: Diagnostic[] = []): CiPipeline[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const pipelines = new Map<string, CiPipeline>();
  const calls = new Map<CiJob, string[]>();
  const preCommitConfig = byPath.get(".pre-commit-config.yaml") ?? byPath.get(".pre-commit-config.yml");
  const preCommit = preCommitFlags(preCommitConfig);
  const runners = taskRunners(byPath);
  const pending = files.filter((f) => f.kind === "ci" && f.text !== undefined).map((file) => ({ file, provider: providerOf(file.path) }));

  for (let next = pending.shift(); next; next = pending.shift()) {
    const { file, provider } = next;
    if (pipelines.has(file.path) || file.text === undefined) continue;
    const text = file.text;
    const facts: JobFacts[] = [];
    let readable = true;
    if (provider === "jenkins") {
      facts.push(...jenkinsJobs(text));
    } else if (provider === "other") {
      readable = false;
    } else {
      const before = diagnostics.length;
      const docs = readYamlDocuments(text, file.path, diagnostics);
      readable = diagnostics.length === before || docs.length > 0;
      for (const doc of docs) {
        const input: ProviderInput = { file, doc, byPath, diagnostics };
        if (provider === "github") facts.push(...githubJobs(input));
        else if (provider === "circleci") facts.push(...circleciJobs(input));
        else if (provider === "azure") facts.push(...azureJobs(input));
        else if (provider === "bitbucket") facts.push(...bitbucketJobs(input));
        else if (provider === "travis") facts.push(...travisJobs(input));
        else if (provider === "gitlab") {
          const { jobs, localIncludes } = gitlabJobs(input);
          facts.push(...jobs);
          for (const path of localIncludes) {
            const included = byPath.get(path);
            if (included?.text !== undefined) pending.push({ file: included, provider: "gitlab" });
          }
        }
      }
    }
    // Document order; a stable sort keeps jobs on one line (a Jenkinsfile without stages) as found
    facts.sort((a, b) => a.line - b.line);
    const jobs = facts.map((f) => {
      const job = classifyJob(f, preCommit, runners);
      if (f.calls?.length) calls.set(job, f.calls);
      return job;
    });
    pipelines.set(file.path, {
      file: file.path,
      provider,
      runsTests: readable ? jobs.some((j) => j.tests) : TEST_COMMAND.test(text),
      lints: readable ? jobs.some((j) => j.lint || j.typeCheck) : LINT_COMMAND.test(text),
      jobs,
    });
  }

  resolveReusableWorkflows(pipelines, calls);
  const service = preCommitService(preCommitConfig, files, preCommit);
  if (service) pipelines.set(service.file, service);
  return [...pipelines.values()].sort((a, b) => compareCodeUnits(a.file, b.file));
}

function providerOf(path: string): Provider {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf("/") + 1);
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(lower)) return "github";
  if (base === ".gitlab-ci.yml" || base === ".gitlab-ci.yaml") return "gitlab";
  if (/(^|\/)\.circleci\/config\.ya?ml$/.test(lower)) return "circleci";
  if (base === "azure-pipelines.yml" || base === "azure-pipelines.yaml") return "azure";
  if (base === "bitbucket-pipelines.yml") return "bitbucket";
  if (base === "jenkinsfile") return "jenkins";
  if (base === ".travis.yml") return "travis";
  return "other";
}

/**
 * A job's flags from its commands (install and echo lines left out) and the actions it uses; a job
 * that runs pre-commit also does what the repository's pre-commit hooks do.
 */
export function classifyJob(facts: JobFacts, preCommit: Partial<Record<CiFlag, boolean>> = {}, runners: TaskRunners = NO_RUNNERS): CiJob {
  const unresolved: string[] = [];
  const commands = expandCommands(facts.commands.flatMap(splitCommands).filter((c) => !NOT_A_RUN.test(c)), runners, unresolved, 0);
  const uses = facts.uses.map((u) => u.toLowerCase());
  const runsPreCommit = commands.some((c) => /\b(pre-commit|prek)\s+run\b/.test(c)) || uses.some((u) => /^pre-commit(-ci)?\/(action|lite-action)$/.test(u));
  const flag = (name: CiFlag) =>
    facts.flags?.[name] === true ||
    (runsPreCommit && preCommit[name] === true) ||
    commands.some((c) => COMMAND_SIGNALS[name].some((r) => r.test(c))) ||
    uses.some((u) => USES_SIGNALS[name].some((r) => r.test(u))) ||
    (name === "deploys" && uses.some((u) => GENERIC_DEPLOY_USES.test(u) && !DOCS_DEPLOY_USES.test(u)));
  return {
    name: facts.name,
    line: facts.line,
    tests: flag("tests"),
    lint: flag("lint"),
    typeCheck: flag("typeCheck"),
    audit: flag("audit"),
    buildsImage: flag("buildsImage"),
    deploys: flag("deploys"),
    ...(unresolved.length ? { unresolved: [...new Set(unresolved)] } : {}),
  };
}

/** What the hooks of `.pre-commit-config.yaml` do, by hook id (mypy type-checks, bandit audits). */
function preCommitFlags(file: WorkspaceFile | undefined): Partial<Record<CiFlag, boolean>> {
  if (file?.text === undefined) return {};
  const hooks = readYamlDocuments(file.text, file.path, []).flatMap((doc) => asArray(asRecord(doc.data)?.repos).flatMap((repo) => asArray(asRecord(repo)?.hooks).map((hook) => asRecord(hook))));
  const ids = hooks.map((hook) => String(hook?.id ?? "").toLowerCase());
  // a `repo: local` hook says what it runs in its `entry` (`uv run mypy`), whatever its id (`local-mypy`)
  const entries = hooks.map((hook) => (typeof hook?.entry === "string" ? hook.entry : "")).filter((e) => e !== "");
  const out: Partial<Record<CiFlag, boolean>> = {};
  for (const [name, pattern] of Object.entries(PRE_COMMIT_HOOK_SIGNALS) as Array<[CiFlag, RegExp]>) {
    if (ids.some((id) => pattern.test(id.replace(/^local-/, "")))) out[name] = true;
  }
  for (const name of ["lint", "typeCheck", "audit"] as const) {
    if (entries.some((entry) => COMMAND_SIGNALS[name].some((r) => r.test(entry)))) out[name] = true;
  }
  return out;
}

/** A script as single commands: continuation lines joined, split at newlines, `&&`, `||` and `;`. */
function splitCommands(script: string): string[] {
  return script
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n|&&|\|\||;/)
    .map((c) => c.trim())
    .filter((c) => c !== "");
}

/** A GitHub job that calls a local reusable workflow does what that workflow's jobs do. */
function resolveReusableWorkflows(pipelines: Map<string, CiPipeline>, calls: Map<CiJob, string[]>): void {
  const flagsOf = (path: string, seen: Set<string>): Partial<Record<CiFlag, boolean>> => {
    const pipeline = pipelines.get(path);
    if (!pipeline || seen.has(path)) return {};
    seen.add(path);
    const out: Partial<Record<CiFlag, boolean>> = {};
    for (const job of pipeline.jobs) {
      const called = (calls.get(job) ?? []).map((p) => flagsOf(p, seen));
      for (const name of CI_FLAGS) if (job[name] || called.some((c) => c[name])) out[name] = true;
    }
    return out;
  };
  for (const [job, paths] of calls) {
    for (const path of paths) {
      const called = flagsOf(path, new Set());
      for (const name of CI_FLAGS) if (called[name]) job[name] = true;
    }
  }
  for (const pipeline of pipelines.values()) {
    pipeline.runsTests ||= pipeline.jobs.some((j) => j.tests);
    pipeline.lints ||= pipeline.jobs.some((j) => j.lint || j.typeCheck);
  }
}

// ---------------------------------------------------------------- task runners and scripts a CI command runs

/** What the repository's task runners and scripts run, by target: Makefile and justfile recipes, tox environments, script files. */
export interface TaskRunners {
  make: Map<string, Recipe> | null;
  just: Map<string, Recipe> | null;
  /** tox environment → its commands (an environment without its own takes `[testenv]`'s); `""` → the `envlist`. */
  tox: Map<string, string[]> | null;
  /** Files by path, for scripts a command runs (`./scripts/lint`, `bash ci/check.sh`). */
  byPath: Map<string, WorkspaceFile>;
  /** Whether a Makefile, justfile, tox.ini or noxfile exists at all (its text may not have been read). */
  present: { make: boolean; just: boolean; tox: boolean; nox: boolean };
}

interface Recipe {
  commands: string[];
  /** Targets run before it (prerequisites, `just` dependencies). */
  before: string[];
}

const NO_RUNNERS: TaskRunners = { make: null, just: null, tox: null, byPath: new Map(), present: { make: false, just: false, tox: false, nox: false } };

/** Levels of indirection followed (`make ci` → `make lint` → `./scripts/lint`). */
const RUNNER_DEPTH = 4;

function taskRunners(byPath: Map<string, WorkspaceFile>): TaskRunners {
  const makefile = byPath.get("Makefile") ?? byPath.get("makefile") ?? byPath.get("GNUmakefile");
  const justfile = byPath.get("justfile") ?? byPath.get("Justfile") ?? byPath.get(".justfile");
  const toxIni = byPath.get("tox.ini");
  return {
    make: makefile?.text !== undefined ? makeRecipes(makefile.text) : null,
    just: justfile?.text !== undefined ? justRecipes(justfile.text) : null,
    tox: toxIni?.text !== undefined ? toxEnvironments(toxIni.text) : null,
    byPath,
    present: { make: makefile !== undefined, just: justfile !== undefined, tox: toxIni !== undefined, nox: byPath.has("noxfile.py") },
  };
}

/** Makefile targets and their recipe lines (`@`, `-` and `+` prefixes dropped), continuation lines joined. */
export function makeRecipes(text: string): Map<string, Recipe> {
  const out = new Map<string, Recipe>();
  let current: Recipe[] = [];
  for (const line of text.replace(/\\\r?\n[ \t]*/g, " ").split(/\r?\n/)) {
    if (line.startsWith("\t")) {
      const command = line.trim().replace(/^[@+-]+/, "").trim();
      if (command && !command.startsWith("#")) for (const r of current) r.commands.push(command);
      continue;
    }
    if (/^\s*(#|$)/.test(line)) continue;
    const rule = /^([^\s:=#][^:=#]*?)\s*::?(?!=)\s*([^;=]*)(?:;(.*))?$/.exec(line);
    if (!rule || /^\s*(export|override|define|include|-include|ifeq|ifneq|ifdef|ifndef|else|endif)\b/.test(line)) {
      current = [];
      continue;
    }
    const before = (rule[2] ?? "").split("|")[0]?.split(/\s+/).filter(Boolean) ?? [];
    current = (rule[1] ?? "").split(/\s+/).filter(Boolean).map((name) => {
      const recipe = out.get(name) ?? { commands: [], before: [] };
      recipe.before.push(...before);
      out.set(name, recipe);
      return recipe;
    });
    if (rule[3]?.trim()) for (const r of current) r.commands.push(rule[3].trim());
  }
  return out;
}

/** justfile recipes (`lint: fmt` then indented lines) and their commands. */
export function justRecipes(text: string): Map<string, Recipe> {
  const out = new Map<string, Recipe>();
  let current: Recipe | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]+\S/.test(line)) {
      const command = line.trim().replace(/^[@-]+/, "").trim();
      if (current && command && !command.startsWith("#")) current.commands.push(command);
      continue;
    }
    const recipe = /^@?([A-Za-z_][\w-]*)(?:\s+[^:]*?)?\s*:(?!=)\s*(.*)$/.exec(line);
    if (!recipe || /^\s*(set|alias|export|import|mod)\b/.test(line)) {
      current = null;
      continue;
    }
    current = { commands: [], before: (recipe[2] ?? "").replace(/#.*$/, "").split(/\s+/).filter(Boolean).map((d) => d.replace(/^\(|\)$/g, "")) };
    out.set(recipe[1] ?? "", current);
  }
  return out;
}

/** tox.ini environments and their `commands`; `""` holds the `envlist`. */
export function toxEnvironments(text: string): Map<string, string[]> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | null = null;
  let key: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = new Map();
      sections.set((header[1] ?? "").trim(), section);
      key = null;
      continue;
    }
    if (!section || /^\s*[#;]/.test(line)) continue;
    const assignment = /^([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (assignment) {
      key = assignment[1] ?? null;
      if (key) section.set(key, assignment[2]?.trim() ? [assignment[2].trim()] : []);
    } else if (key && /^\s+\S/.test(line)) section.get(key)?.push(line.trim());
  }
  const out = new Map<string, string[]>();
  const base = sections.get("testenv")?.get("commands") ?? [];
  for (const [name, values] of sections) {
    const env = /^testenv:(.+)$/.exec(name)?.[1];
    if (env) out.set(env.trim(), values.get("commands") ?? base);
  }
  const envlist = sections.get("tox")?.get("envlist") ?? [];
  out.set("", envlist.flatMap((v) => v.split(/[,\s]+/)).filter(Boolean));
  return out;
}

/**
 * Commands with what they run through task runners and scripts added after them: `make lint` brings the
 * `lint` target's recipe, `tox -e lint` the environment's commands, `./scripts/lint` the script's lines.
 * A target or script whose body cannot be read, and whose name says nothing, goes to `unresolved`.
 */
function expandCommands(commands: string[], runners: TaskRunners, unresolved: string[], depth: number): string[] {
  if (depth >= RUNNER_DEPTH) return commands;
  const out: string[] = [];
  for (const command of commands) {
    out.push(command);
    const body = bodyOf(command, runners, unresolved);
    if (body.length) out.push(...expandCommands(body.flatMap(splitCommands).filter((c) => !NOT_A_RUN.test(c)), runners, unresolved, depth + 1));
  }
  return out;
}

/** A command naming what it says it does (`make lint`, `nox -s tests`): unknown only when the name says nothing. */
function saysWhatItDoes(command: string): boolean {
  return CI_FLAGS.some((flag) => COMMAND_SIGNALS[flag].some((r) => r.test(command)));
}

function bodyOf(command: string, runners: TaskRunners, unresolved: string[]): string[] {
  const words = command.replace(new RegExp(`^${LAUNCHER_PREFIX}`), "").split(/\s+/).filter(Boolean);
  const [first = "", ...rest] = words;
  const targets = rest.filter((w) => !w.startsWith("-") && !w.includes("="));
  const unknown = () => {
    if (!saysWhatItDoes(command)) unresolved.push(command);
    return [];
  };
  if (/^(\$[({]MAKE[)}]|g?make)$/.test(first)) {
    if (!runners.present.make) return [];
    if (!runners.make) return unknown();
    return recipeCommands(runners.make, targets.length ? targets : [firstTarget(runners.make)], new Set());
  }
  if (first === "just") {
    if (!runners.present.just) return [];
    if (!runners.just) return unknown();
    return recipeCommands(runners.just, targets.length ? targets.slice(0, 1) : [firstTarget(runners.just)], new Set());
  }
  if (first === "tox") {
    if (!runners.present.tox) return [];
    if (!runners.tox) return unknown();
    const named = /\s(?:-e\s*|--env[=\s]+)(\S+)/.exec(command)?.[1];
    const envs = named ? named.split(",") : (runners.tox.get("") ?? []);
    return envs.flatMap((e) => runners.tox?.get(e) ?? []);
  }
  if (first === "nox") {
    // noxfile.py is Python: its sessions are not read here; only a session's name tells what it does
    const named = /\s(?:-s\s*|--sessions?[=\s]+)/.test(command);
    if (runners.present.nox && (!named || !saysWhatItDoes(command))) unresolved.push(command);
    return [];
  }
  // a script of the repository (`./scripts/lint`, `bash ci/check.sh`, `python scripts/lint.py`)
  const scriptWord = first === "python" || first === "python3" ? (rest[0] ?? "") : first;
  const path = scriptWord.replace(/^\.\//, "");
  if (!/^[\w.-]+(\/[\w.-]+)+$/.test(path) && !/^\.\//.test(scriptWord)) return [];
  const file = runners.byPath.get(path);
  if (!file) return [];
  if (file.text === undefined) return unknown();
  return file.text.split(/\r?\n/).filter((l) => !/^\s*(#|$)/.test(l));
}

/** Launchers before a task runner or script: `uv run`, `bash`, `VAR=value`. */
const LAUNCHER_PREFIX = String.raw`(?:(?:[A-Za-z_]\w*=\S*|sudo|bash|sh|exec|time|uv\s+run|poetry\s+run|pdm\s+run|pipenv\s+run|hatch\s+run|uvx|pipx\s+run)\s+)*`;

function firstTarget(recipes: Map<string, Recipe>): string {
  return [...recipes.keys()].find((k) => !k.startsWith(".") && !k.includes("%") && !k.includes("$")) ?? "";
}

function recipeCommands(recipes: Map<string, Recipe>, targets: string[], seen: Set<string>): string[] {
  const out: string[] = [];
  for (const target of targets) {
    const recipe = recipes.get(target);
    if (!recipe || seen.has(target)) continue;
    seen.add(target);
    out.push(...recipeCommands(recipes, recipe.before, seen), ...recipe.commands);
  }
  return out;
}

// ---------------------------------------------------------------- pre-commit.ci

/**
 * pre-commit.ci runs the hooks of `.pre-commit-config.yaml` on every pull request: a `ci:` section configuring it,
 * or its badge in a document, says the service is on. It becomes a pipeline of one job that lints (and type-checks
 * or audits when the hooks do).
 */
function preCommitService(config: WorkspaceFile | undefined, files: WorkspaceFile[], hooks: Partial<Record<CiFlag, boolean>>): CiPipeline | null {
  if (config?.text === undefined) return null;
  const ciKey = config.text.split(/\r?\n/).findIndex((l) => /^ci:\s*(#.*)?$/.test(l));
  const badge = files.some((f) => f.kind === "doc" && f.text !== undefined && /results\.pre-commit\.ci\/(badge|latest)/.test(f.text));
  if (ciKey < 0 && !badge) return null;
  const job: CiJob = {
    name: "pre-commit.ci",
    line: ciKey >= 0 ? ciKey + 1 : 1,
    tests: false,
    lint: true,
    typeCheck: hooks.typeCheck === true,
    audit: hooks.audit === true,
    buildsImage: false,
    deploys: false,
  };
  return { file: config.path, provider: "other", runsTests: false, lints: true, jobs: [job] };
}
