import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isProductionArtefact } from "../../model/capacity-numbers.js";
import type { CiJob, DockerStage, Dockerfile, Evidence } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { joinAnd, plural, STRENGTH } from "./shared.js";

/** The stages a shipped stage is built upon (itself, the stage its FROM names, and so on). */
function chainOf(d: Dockerfile, shipped: DockerStage): Set<DockerStage> {
  const byAlias = new Map(d.stages.filter((s) => s.alias).map((s) => [(s.alias as string).toLowerCase(), s]));
  const chain = new Set<DockerStage>();
  for (let stage: DockerStage | undefined = shipped; stage && !chain.has(stage); stage = byAlias.get(stage.image.toLowerCase())) chain.add(stage);
  return chain;
}

/** Base images that build Python: python, pypy, uv, conda and micromamba images, and distroless Python. */
const PYTHON_IMAGE = /(^|\/)(python|pypy|uv|miniconda\d*|micromamba|mambaforge|python\d*-\w+)(:|@|$)|astral-sh\/uv|distroless\/python/i;

/** Stages for documentation, tests or development: other images built from the same file, not build steps of this one. */
const NOT_A_BUILDER = /^(docs?|tests?|testing|dev|devel|development|debug|lint|ci|local)([-_]\w+)?$/i;

/** The external image a stage finally builds on, following stage aliases. */
function rootImage(d: Dockerfile, stage: DockerStage): string {
  const byAlias = new Map(d.stages.filter((s) => s.alias).map((s) => [(s.alias as string).toLowerCase(), s]));
  const seen = new Set<DockerStage>();
  let current = stage;
  while (!seen.has(current)) {
    seen.add(current);
    const next = byAlias.get(current.image.toLowerCase());
    if (!next) break;
    current = next;
  }
  return current.image;
}

export const multiStageImage = defineCheck({
  id: "DEP-S002",
  area: "deployment",
  title: "Multi-stage image build",
  ...STRENGTH,
  confidence: "high",
  why: "Building in one stage and shipping another keeps compilers, build caches and development files out of the production image: it is smaller, pulls faster and offers less to an attacker.",
  recommendation: "Copy only the installed environment and the application into the final stage, and pin its base image by digest.",
  references: ["https://docs.docker.com/build/building/multi-stage/"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const reports: Report[] = [];
    for (const d of model.dockerfiles) {
      if (!d.runsPython || d.stages.length < 2 || !isProductionArtefact(d.file, model)) continue;
      // the stage that ships: the one CI builds by name (`--target production`), else the last one; compose files
      // build development targets (`target: dev`) as often as production ones
      const ciFiles = new Set(model.ci.map((p) => p.file));
      const targeted = d.stages.filter((st) => st.alias && model.buildTargets.some((t) => ciFiles.has(t.file) && t.stage === st.alias?.toLowerCase()));
      const final = targeted[0] ?? (d.stages[d.stages.length - 1] as DockerStage);
      const chain = chainOf(d, final);
      // a stage that builds the Python side (a Python or uv image, or a stage built on one): a frontend-only build stage
      // in front of a single Python stage leaves the Python build tools in the image
      const builders = d.stages.filter((st) => !chain.has(st) && d.stages.indexOf(st) < d.stages.indexOf(final) && !NOT_A_BUILDER.test(st.alias ?? "") && PYTHON_IMAGE.test(rootImage(d, st)));
      if (!builders.length) continue;
      const names = builders.map((s) => s.alias ?? s.image);
      const user = final === d.stages[d.stages.length - 1] && d.user && !/^(root|0)(:.*)?$/.test(d.user.name) ? `, and runs as USER ${d.user.name}` : "";
      reports.push({
        message: `${d.file} builds in ${plural(builders.length, "stage")} left out of the final image (${joinAnd(names.slice(0, 3))}${names.length > 3 ? ", …" : ""}); the image ships FROM ${final.image}${user}.`,
        evidence: [{ file: d.file, line: final.line, snippet: `FROM ${final.image}${final.alias ? ` AS ${final.alias}` : ""}` }, ...builders.slice(0, 2).map((s) => ({ file: d.file, line: s.line, snippet: `FROM ${s.image}${s.alias ? ` AS ${s.alias}` : ""}` }))],
      });
    }
    return reports;
  },
});

export const lockedDependencies = defineCheck({
  id: "DEP-S003",
  area: "deployment",
  title: "Dependencies pinned in a lock file",
  ...STRENGTH,
  confidence: "high",
  why: "A committed lock file (or a fully pinned, hashed requirements file) makes every build of a commit install the same versions: builds are reproducible, upgrades are reviewed changes, and a compromised release does not slip in unseen.",
  recommendation: "Install from the lock in the image and in CI (`uv sync --frozen`, `poetry install --sync`, `pip install --require-hashes`), and let Dependabot or Renovate propose the upgrades.",
  references: ["https://docs.astral.sh/uv/concepts/projects/sync/", "https://pip.pypa.io/en/stable/topics/secure-installs/"],
  effort: "S",
  libraries: ["uv", "poetry", "pip-tools"],
  run({ model }) {
    if (!model.dependencies.some((d) => !d.dev)) return [];
    // the lock beside the manifest that declares most runtime dependencies first: the service's, not a tool's or an SDK's
    const dir = (f: string) => (f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "");
    // a pinned requirements file is its own manifest (`requirements/prod.txt` over `requirements/pip.txt`); a uv.lock or
    // poetry.lock locks the manifest beside it; a real lock file before a pinned `.in`
    const weight = (lock: string) => model.dependencies.filter((d) => !d.dev && d.manifest === lock).length || model.dependencies.filter((d) => !d.dev && dir(d.manifest) === dir(lock)).length;
    const kind = (lock: string) => (/\.(txt|in)$/.test(lock) ? (lock.endsWith(".in") ? 2 : 1) : 0);
    const locks = model.lockFiles.filter((f) => runsInProduction(fileRole(f))).sort((a, b) => weight(b) - weight(a) || kind(a) - kind(b) || a.split("/").length - b.split("/").length || (a < b ? -1 : 1));
    const first = locks[0];
    if (!first) return [];
    const more = locks.length > 1 ? ` (and ${plural(locks.length - 1, "more lock file")})` : "";
    const described = /\.(txt|in)$/.test(first) ? "a fully pinned requirements file" : "a committed lock file";
    return [{ message: `Dependencies are pinned in ${described}, ${first}${more}: every install of a commit can resolve the same versions.`, evidence: locks.slice(0, 3).map((file) => ({ file, line: 1 })) }];
  },
});

type GateFlag = keyof Pick<CiJob, "tests" | "lint" | "typeCheck" | "audit">;

export const ciQualityGates = defineCheck({
  id: "DEP-S004",
  area: "deployment",
  title: "CI runs tests, lint and type checks",
  ...STRENGTH,
  confidence: "high",
  why: "A pipeline that runs the tests, a linter, a type checker and a dependency or security audit on every change stops regressions, whole classes of bugs and known-vulnerable packages before they are merged.",
  recommendation: "Make these jobs required checks on the main branch, and keep them fast enough to run on every push.",
  references: ["https://docs.github.com/en/actions/use-cases-and-examples/building-and-testing/building-and-testing-python", "https://github.com/pypa/pip-audit"],
  effort: "S",
  libraries: ["pytest", "ruff", "mypy", "pip-audit"],
  run({ model }) {
    // one pipeline runs the tests and the type checks (the service's own, not a frontend's or an SDK's next to it), and
    // lints there or through pre-commit.ci; the audit may run anywhere
    const preCommit = model.ci.filter((p) => /(^|\/)\.pre-commit-config\.ya?ml$/.test(p.file));
    const job = (pipelines: typeof model.ci, flag: GateFlag) => {
      for (const p of pipelines) for (const j of p.jobs) if (j[flag]) return { file: p.file, job: j };
      return undefined;
    };
    // the pipeline that runs most gates itself first (a pull-request workflow with its audit before a nightly one)
    const gates = (p: (typeof model.ci)[number]) => (["tests", "lint", "typeCheck", "audit"] as const).filter((f) => p.jobs.some((j) => j[f])).length;
    for (const pipeline of [...model.ci].sort((a, b) => gates(b) - gates(a) || (a.file < b.file ? -1 : 1))) {
      const own = [pipeline];
      const tests = job(own, "tests");
      const types = job(own, "typeCheck");
      const lint = job(own, "lint") ?? job(preCommit, "lint");
      if (!tests || !types || !lint) continue;
      const audit = job(own, "audit") ?? job(model.ci, "audit");
      const ran = [
        { label: "tests", at: tests },
        { label: "lint", at: lint },
        { label: "type checks", at: types },
        ...(audit ? [{ label: "a security audit", at: audit }] : []),
      ];
      const evidence: Evidence[] = [];
      for (const { at } of ran) if (!evidence.some((e) => e.file === at.file && e.line === at.job.line)) evidence.push({ file: at.file, line: at.job.line, snippet: `job ${at.job.name}` });
      const where = ran.map((g) => `${g.label} (job ${g.at.job.name}${g.at.file === pipeline.file ? "" : ` in ${g.at.file}`})`);
      const scanning = model.securityConfig?.dependencyScanning[0];
      const named = scanning?.snippet && /^[A-Z][\w -]*$/.test(scanning.snippet) ? `${scanning.snippet} (${scanning.file})` : scanning?.file;
      const note = audit ? "" : named ? ` No CI job audits the dependencies, but ${named} checks them for known vulnerabilities.` : " No job audits the dependencies for known vulnerabilities (pip-audit).";
      return [{ message: `${pipeline.file} runs ${joinAnd(where)}.${note}`, evidence }];
    }
    return [];
  },
});

export const DEPLOYMENT_STRENGTHS = [multiStageImage, lockedDependencies, ciQualityGates];
