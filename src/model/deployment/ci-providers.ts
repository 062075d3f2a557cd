import type { Diagnostic } from "../../core/diagnostics.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import { type CiFlag, DEPLOY_ENVIRONMENT, GITLAB_AUDIT_TEMPLATE } from "./ci-signals.js";
import { asArray, asRecord, readYamlDocuments, stringsOf, type YamlDocument, type YamlPath } from "./yaml-documents.js";

/** What a provider's reader knows about one job before it is classified. */
export interface JobFacts {
  name: string;
  line: number;
  /** Shell scripts as written (one entry may hold several lines). */
  commands: string[];
  /** Actions, orbs, pipes, tasks and images, lower-cased, without version (`docker/build-push-action`, `task:docker`). */
  uses: string[];
  /** Flags the structure itself tells (a deployment job, a `deployment:` step). */
  flags?: Partial<Record<CiFlag, boolean>>;
  /** Local reusable workflows it calls (GitHub), by path. */
  calls?: string[];
}

export interface ProviderInput {
  file: WorkspaceFile;
  doc: YamlDocument;
  /** Every file of the workspace, by path (local actions, included files). */
  byPath: Map<string, WorkspaceFile>;
  diagnostics: Diagnostic[];
}

/** `owner/repo/path@v3`, `atlassian/pipe:1.2.0`, `python:3.12-slim` → the name without its version. */
export function usesName(raw: string): string {
  const withoutRef = raw.trim().replace(/^docker:\/\//, "").replace(/@.*$/, "");
  const slash = withoutRef.lastIndexOf("/");
  const colon = withoutRef.indexOf(":", slash + 1);
  return (colon >= 0 ? withoutRef.slice(0, colon) : withoutRef).toLowerCase();
}

function entries(value: unknown): Array<[string, unknown]> {
  return Object.entries(asRecord(value) ?? {});
}

function imageName(value: unknown): string[] {
  const image = typeof value === "string" ? value : asRecord(value)?.name;
  return typeof image === "string" ? [usesName(image)] : [];
}

// ---------------------------------------------------------------- GitHub Actions

/** Inputs of wrapper actions that hold the command they run. */
const ACTION_COMMAND_INPUTS: Record<string, { input: string; prefix: string }> = {
  "superfly/flyctl-actions": { input: "args", prefix: "flyctl" },
  "pulumi/actions": { input: "command", prefix: "pulumi" },
};

export function githubJobs({ doc, byPath, diagnostics }: ProviderInput): JobFacts[] {
  const root = asRecord(doc.data);
  return entries(root?.jobs).map(([id, value]) => {
    const job = asRecord(value) ?? {};
    // A job with a production or staging environment is a deployment in GitHub's own terms
    const environment = typeof job.environment === "string" ? job.environment : asRecord(job.environment)?.name;
    const deploys = typeof environment === "string" && DEPLOY_ENVIRONMENT.test(environment);
    const facts: JobFacts = { name: id, line: doc.line(["jobs", id]) ?? 1, commands: [], uses: [], flags: { deploys } };
    collectGithubSteps(job.steps, facts, byPath, diagnostics, 0);
    if (typeof job.uses === "string") {
      if (job.uses.startsWith("./")) facts.calls = [job.uses.slice(2).replace(/@.*$/, "")];
      else facts.uses.push(usesName(job.uses));
      // a reusable workflow runs the commands it is given as inputs (`with: { command: make lint }`), and a local one
      // runs its own steps with `${{ inputs.make }}` standing for what the caller passes (`make: checkruff`)
      facts.commands.push(...inputCommands(job.with));
      if (facts.calls) facts.commands.push(...calledCommands(facts.calls[0] ?? "", job.with, byPath, diagnostics));
    }
    facts.commands = expandMatrix(facts.commands, asRecord(job.strategy)?.matrix);
    return facts;
  });
}

function collectGithubSteps(steps: unknown, facts: JobFacts, byPath: Map<string, WorkspaceFile>, diagnostics: Diagnostic[], depth: number): void {
  for (const item of asArray(steps)) {
    const step = asRecord(item);
    if (!step) continue;
    if (typeof step.run === "string") facts.commands.push(step.run);
    if (typeof step.uses !== "string") continue;
    if (step.uses.startsWith("./")) {
      // A composite action in this repository: its own steps are this job's steps, and it runs the commands it is given
      facts.commands.push(...inputCommands(step.with));
      const dir = step.uses.slice(2).replace(/\/$/, "");
      const action = byPath.get(`${dir}/action.yml`) ?? byPath.get(`${dir}/action.yaml`);
      if (action?.text !== undefined && depth < 3) {
        for (const doc of readYamlDocuments(action.text, action.path, diagnostics)) {
          collectGithubSteps(asRecord(asRecord(doc.data)?.runs)?.steps, facts, byPath, diagnostics, depth + 1);
        }
      }
      continue;
    }
    const name = usesName(step.uses);
    facts.uses.push(name);
    const wrapped = ACTION_COMMAND_INPUTS[name];
    const input = wrapped ? asRecord(step.with)?.[wrapped.input] : undefined;
    if (wrapped && typeof input === "string") facts.commands.push(`${wrapped.prefix} ${input}`);
  }
}

/** The commands of a local reusable workflow's jobs, with `${{ inputs.key }}` replaced by the values the caller passes. */
function calledCommands(path: string, inputs: unknown, byPath: Map<string, WorkspaceFile>, diagnostics: Diagnostic[]): string[] {
  const called = byPath.get(path);
  const given = Object.entries(asRecord(inputs) ?? {}).filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean");
  if (called?.text === undefined || given.length === 0) return [];
  const out: string[] = [];
  for (const doc of readYamlDocuments(called.text, called.path, [])) {
    for (const [, value] of entries(asRecord(doc.data)?.jobs)) {
      const inner: JobFacts = { name: "", line: 1, commands: [], uses: [] };
      collectGithubSteps(asRecord(value)?.steps, inner, byPath, diagnostics, 1);
      for (const command of inner.commands) {
        if (!/\$\{\{\s*inputs\./.test(command)) continue;
        out.push(given.reduce((text, [key, v]) => text.replace(new RegExp(String.raw`\$\{\{\s*inputs\.${key.replace(/[-]/g, "\\-")}\s*\}\}`, "g"), String(v)), command));
      }
    }
  }
  return out;
}

/** String inputs that look like a command line (`make lint`, `ruff check .`), not flags or versions. */
function inputCommands(inputs: unknown): string[] {
  return Object.values(asRecord(inputs) ?? {}).filter((v): v is string => typeof v === "string" && /^[\w./-]+(\s+\S+)+/.test(v.trim()) && !v.includes("${{"));
}

/** Most commands one step expands to through a matrix. */
const MATRIX_LIMIT = 24;

/**
 * Commands with `${{ matrix.key }}` replaced by each value the matrix gives the key (its list and its `include`
 * entries), so that `nox -s ${{ matrix.session }}` over `[tests, lint]` reads as both sessions.
 */
function expandMatrix(commands: string[], matrix: unknown): string[] {
  const record = asRecord(matrix);
  if (!record) return commands;
  const values = new Map<string, string[]>();
  const add = (key: string, value: unknown) => {
    // `tests: [{ name: lint, command: tox -e linters }]` is read as `matrix.tests.command`
    for (const [field, inner] of Object.entries(asRecord(value) ?? {})) add(`${key}.${field}`, inner);
    if (typeof value !== "string" && typeof value !== "number") return;
    const list = values.get(key) ?? [];
    if (!list.includes(String(value))) list.push(String(value));
    values.set(key, list);
  };
  for (const [key, value] of Object.entries(record)) {
    if (key === "include" || key === "exclude") continue;
    for (const item of asArray(value)) add(key, item);
  }
  for (const entry of asArray(record.include)) for (const [key, value] of Object.entries(asRecord(entry) ?? {})) add(key, value);
  return commands.flatMap((command) => {
    let variants = [command];
    for (const m of command.matchAll(/\$\{\{\s*matrix\.([\w.-]+)\s*\}\}/g)) {
      const options = values.get(m[1] ?? "");
      if (!options?.length) continue;
      variants = variants.flatMap((v) => options.map((o) => v.split(m[0]).join(o))).slice(0, MATRIX_LIMIT);
    }
    return variants;
  });
}

// ---------------------------------------------------------------- GitLab CI

const GITLAB_KEYWORDS = new Set(["image", "services", "stages", "types", "before_script", "after_script", "variables", "cache", "include", "default", "workflow", "spec"]);

/** Jobs of a `.gitlab-ci.yml` (hidden `.template` jobs count through the jobs that extend them, one level), and its local includes. */
export function gitlabJobs({ doc }: ProviderInput): { jobs: JobFacts[]; localIncludes: string[] } {
  const root = asRecord(doc.data) ?? {};
  const jobs: JobFacts[] = [];
  for (const [key, value] of entries(root)) {
    const job = asRecord(value);
    if (!job || GITLAB_KEYWORDS.has(key) || key.startsWith(".")) continue;
    if (job.script === undefined && job.trigger === undefined && job.extends === undefined) continue;
    // `extends: .lint-template`: the hidden jobs it extends give the scripts it does not set itself
    const parents = stringsOf(job.extends).map((name) => asRecord(root[name]) ?? {});
    const script = (name: string) => stringsOf(job[name] ?? parents.map((p) => p[name]).find((v) => v !== undefined));
    jobs.push({
      name: key,
      line: doc.line([key]) ?? 1,
      commands: [...script("before_script"), ...script("script"), ...script("after_script")],
      // A job without an image runs in the pipeline's default one
      uses: imageName(job.image ?? asRecord(root.default)?.image ?? root.image),
    });
  }
  const localIncludes: string[] = [];
  const includes = Array.isArray(root.include) ? root.include : root.include === undefined ? [] : [root.include];
  includes.forEach((entry, index) => {
    const path: YamlPath = Array.isArray(root.include) ? ["include", index] : ["include"];
    const record = asRecord(entry);
    const local = typeof entry === "string" && !/^https?:/.test(entry) ? entry : record?.local;
    if (typeof local === "string") localIncludes.push(local.replace(/^\//, ""));
    const template = record?.template ?? record?.component;
    if (typeof template === "string" && GITLAB_AUDIT_TEMPLATE.test(template)) {
      // The template brings its own scanning job
      jobs.push({ name: `include ${template}`, line: doc.line(path) ?? 1, commands: [], uses: [], flags: { audit: true } });
    }
  });
  return { jobs, localIncludes };
}

// ---------------------------------------------------------------- CircleCI

export function circleciJobs({ doc }: ProviderInput): JobFacts[] {
  const root = asRecord(doc.data) ?? {};
  const commands = asRecord(root.commands) ?? {};
  const jobs: JobFacts[] = entries(root.jobs).map(([id, value]) => {
    const job = asRecord(value) ?? {};
    const facts: JobFacts = { name: id, line: doc.line(["jobs", id]) ?? 1, commands: [], uses: asArray(job.docker).flatMap((d) => imageName(asRecord(d)?.image)) };
    collectCircleSteps(job.steps, commands, facts, 0);
    return facts;
  });
  // Orb jobs (`python/test`, `aws-ecr/build-and-push-image`) run straight from a workflow
  const known = new Set(jobs.map((j) => j.name));
  for (const [workflow, value] of entries(root.workflows)) {
    asArray(asRecord(value)?.jobs).forEach((item, index) => {
      const name = typeof item === "string" ? item : Object.keys(asRecord(item) ?? {})[0];
      if (!name?.includes("/") || known.has(name)) return;
      known.add(name);
      jobs.push({ name, line: doc.line(["workflows", workflow, "jobs", index]) ?? 1, commands: [], uses: [name.toLowerCase()] });
    });
  }
  return jobs;
}

function collectCircleSteps(steps: unknown, commands: Record<string, unknown>, facts: JobFacts, depth: number): void {
  for (const step of asArray(steps)) {
    const entriesOfStep: Array<[string, unknown]> = typeof step === "string" ? [[step, undefined]] : entries(step);
    for (const [key, value] of entriesOfStep) {
      if (key === "run") {
        const command = typeof value === "string" ? value : asRecord(value)?.command;
        if (typeof command === "string") facts.commands.push(command);
      } else if (commands[key] !== undefined && depth < 3) {
        collectCircleSteps(asRecord(commands[key])?.steps, commands, facts, depth + 1);
      } else {
        facts.uses.push(key.toLowerCase());
      }
    }
  }
}

// ---------------------------------------------------------------- Azure Pipelines

const AZURE_SCRIPT_KEYS = ["script", "bash", "pwsh", "powershell"];
const AZURE_DEPLOY_HOOKS = ["preDeploy", "deploy", "routeTraffic", "postRouteTraffic"];

export function azureJobs({ doc }: ProviderInput): JobFacts[] {
  const root = asRecord(doc.data) ?? {};
  const jobs: JobFacts[] = [];
  const readJobs = (list: unknown, path: YamlPath) => {
    asArray(list).forEach((item, index) => {
      const job = asRecord(item);
      if (!job || job.template !== undefined) return;
      const isDeployment = typeof job.deployment === "string";
      const name = typeof job.job === "string" ? job.job : isDeployment ? String(job.deployment) : `job ${index + 1}`;
      const facts: JobFacts = { name, line: doc.line([...path, index]) ?? 1, commands: [], uses: [], flags: isDeployment ? { deploys: true } : {} };
      collectAzureSteps(job.steps, facts);
      // Deployment jobs keep their steps under a strategy's lifecycle hooks
      for (const [, strategy] of entries(job.strategy)) {
        for (const hook of AZURE_DEPLOY_HOOKS) collectAzureSteps(asRecord(asRecord(strategy)?.[hook])?.steps, facts);
      }
      jobs.push(facts);
    });
  };
  asArray(root.stages).forEach((stage, index) => {
    readJobs(asRecord(stage)?.jobs, ["stages", index, "jobs"]);
  });
  readJobs(root.jobs, ["jobs"]);
  if (Array.isArray(root.steps)) {
    const facts: JobFacts = { name: "Job", line: doc.line(["steps"]) ?? 1, commands: [], uses: [] };
    collectAzureSteps(root.steps, facts);
    jobs.push(facts);
  }
  return jobs;
}

function collectAzureSteps(steps: unknown, facts: JobFacts): void {
  for (const item of asArray(steps)) {
    const step = asRecord(item);
    if (!step) continue;
    for (const key of AZURE_SCRIPT_KEYS) if (typeof step[key] === "string") facts.commands.push(step[key]);
    if (typeof step.task !== "string") continue;
    const task = step.task.replace(/@.*$/, "").toLowerCase();
    const inputs = asRecord(step.inputs) ?? {};
    const command = typeof inputs.command === "string" ? inputs.command : undefined;
    if (typeof inputs.script === "string") facts.commands.push(inputs.script);
    if (typeof inputs.inlineScript === "string") facts.commands.push(inputs.inlineScript);
    if (task.startsWith("terraform") && command) facts.commands.push(`terraform ${command}`);
    // Docker@2 also logs in and pushes: only its build commands build an image
    if (task === "docker" && command && !/build/i.test(command)) continue;
    facts.uses.push(`task:${task}`);
  }
}

// ---------------------------------------------------------------- Bitbucket Pipelines

export function bitbucketJobs({ doc }: ProviderInput): JobFacts[] {
  const pipelines = asRecord(asRecord(doc.data)?.pipelines) ?? {};
  const jobs: JobFacts[] = [];
  const readItems = (items: unknown, path: YamlPath, label: string, deploys: boolean) => {
    asArray(items).forEach((item, index) => {
      const record = asRecord(item) ?? {};
      const step = asRecord(record.step);
      if (step) {
        const facts: JobFacts = {
          name: typeof step.name === "string" ? step.name : `${label} step ${jobs.length + 1}`,
          line: doc.line([...path, index, "step"]) ?? doc.line([...path, index]) ?? 1,
          commands: [],
          uses: imageName(step.image),
          flags: { deploys: deploys || typeof step.deployment === "string" },
        };
        for (const entry of [...asArray(step.script), ...asArray(step["after-script"])]) {
          if (typeof entry === "string") facts.commands.push(entry);
          const pipe = asRecord(entry)?.pipe;
          if (typeof pipe === "string") facts.uses.push(usesName(pipe));
        }
        jobs.push(facts);
      }
      const parallel = record.parallel;
      if (Array.isArray(parallel)) readItems(parallel, [...path, index, "parallel"], label, deploys);
      else if (asRecord(parallel)) readItems(asRecord(parallel)?.steps, [...path, index, "parallel", "steps"], label, deploys);
      const stage = asRecord(record.stage);
      if (stage) readItems(stage.steps, [...path, index, "stage", "steps"], label, deploys || typeof stage.deployment === "string");
    });
  };
  readItems(pipelines.default, ["pipelines", "default"], "default", false);
  for (const section of ["branches", "pull-requests", "tags", "custom"]) {
    for (const [pattern, items] of entries(pipelines[section])) readItems(items, ["pipelines", section, pattern], `${section} ${pattern}`, false);
  }
  return jobs;
}

// ---------------------------------------------------------------- Travis CI

const TRAVIS_SCRIPT_KEYS = ["before_install", "install", "before_script", "script", "after_success", "after_script"];

export function travisJobs({ doc }: ProviderInput): JobFacts[] {
  const root = asRecord(doc.data) ?? {};
  const read = (job: Record<string, unknown>, name: string, line: number): JobFacts => {
    const deploy = Array.isArray(job.deploy) ? job.deploy : job.deploy === undefined ? [] : [job.deploy];
    const deploys = deploy.some((d) => asRecord(d)?.provider !== "pages");
    return { name, line, commands: TRAVIS_SCRIPT_KEYS.flatMap((key) => stringsOf(job[key])), uses: [], flags: { deploys } };
  };
  const jobs: JobFacts[] = [];
  if (root.script !== undefined || root.deploy !== undefined) jobs.push(read(root, "(default)", doc.line(["script"]) ?? doc.line(["deploy"]) ?? 1));
  const matrixKey = asRecord(root.jobs) ? "jobs" : "matrix";
  asArray(asRecord(root[matrixKey])?.include).forEach((item, index) => {
    const job = asRecord(item) ?? {};
    const name = typeof job.name === "string" ? job.name : typeof job.stage === "string" ? job.stage : `include ${index + 1}`;
    jobs.push(read(job, name, doc.line([matrixKey, "include", index]) ?? 1));
  });
  return jobs;
}

// ---------------------------------------------------------------- Jenkins

const STAGE = /\bstage\s*\(\s*(['"])((?:(?!\1).)*)\1\s*\)/g;
const SHELL_STEP = /\b(?:sh|bat|powershell|pwsh)\s*\(?\s*(?:script\s*:\s*)?('''[\s\S]*?'''|"""[\s\S]*?"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g;
const PIPELINE_STEP = /\b(docker\.build|kubernetesDeploy)\s*\(/g;

/** A Jenkinsfile, read with regular expressions: one job per `stage('...')`, its `sh` steps up to the next stage. */
export function jenkinsJobs(text: string): JobFacts[] {
  const source = stripGroovyComments(text);
  const stages = [...source.matchAll(STAGE)].map((m) => ({ name: m[2] ?? "", at: m.index ?? 0 }));
  const regions = stages.length ? stages.map((s, i) => ({ ...s, end: stages[i + 1]?.at ?? source.length })) : [{ name: "Jenkinsfile", at: 0, end: source.length }];
  return regions.map(({ name, at, end }) => {
    const region = source.slice(at, end);
    const commands = [...region.matchAll(SHELL_STEP)].map((m) => (m[1] ?? "").replace(/^('''|"""|'|")|('''|"""|'|")$/g, ""));
    commands.push(...[...region.matchAll(PIPELINE_STEP)].map((m) => m[0]));
    return { name, line: stages.length ? lineAt(source, at) : 1, commands, uses: [] };
  });
}

/** Blanks `//` line comments and block comments, keeping every offset and line where it was. */
function stripGroovyComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " "))
    .replace(/^([ \t]*)\/\/.*$/gm, (line) => " ".repeat(line.length));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
