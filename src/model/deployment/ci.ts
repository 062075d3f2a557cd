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
  const preCommit = preCommitFlags(byPath.get(".pre-commit-config.yaml") ?? byPath.get(".pre-commit-config.yml"));
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
      const job = classifyJob(f, preCommit);
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
export function classifyJob(facts: JobFacts, preCommit: Partial<Record<CiFlag, boolean>> = {}): CiJob {
  const commands = facts.commands.flatMap(splitCommands).filter((c) => !NOT_A_RUN.test(c));
  const uses = facts.uses.map((u) => u.toLowerCase());
  const runsPreCommit = commands.some((c) => /\bpre-commit\s+run\b/.test(c)) || uses.some((u) => /^pre-commit(-ci)?\/(action|lite-action)$/.test(u));
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
  };
}

/** What the hooks of `.pre-commit-config.yaml` do, by hook id (mypy type-checks, bandit audits). */
function preCommitFlags(file: WorkspaceFile | undefined): Partial<Record<CiFlag, boolean>> {
  if (file?.text === undefined) return {};
  const ids = readYamlDocuments(file.text, file.path, []).flatMap((doc) =>
    asArray(asRecord(doc.data)?.repos).flatMap((repo) => asArray(asRecord(repo)?.hooks).map((hook) => String(asRecord(hook)?.id ?? "").toLowerCase())),
  );
  const out: Partial<Record<CiFlag, boolean>> = {};
  for (const [name, pattern] of Object.entries(PRE_COMMIT_HOOK_SIGNALS) as Array<[CiFlag, RegExp]>) {
    if (ids.some((id) => pattern.test(id))) out[name] = true;
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
