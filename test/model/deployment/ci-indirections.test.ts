import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { justRecipes, makeRecipes, readCi, toxEnvironments } from "../../../src/model/deployment/ci.js";
import type { CiJob } from "../../../src/model/types.js";
import { classifyPath } from "../../../src/workspace/classify.js";
import type { WorkspaceFile } from "../../../src/workspace/types.js";

function file(path: string, ...lines: string[]): WorkspaceFile {
  const text = `${lines.join("\n")}\n`;
  return { path, kind: classifyPath(path), size: text.length, text };
}

/** A file listed by the scan whose text was not read (an extensionless script, a Makefile). */
function unread(path: string): WorkspaceFile {
  return { path, kind: classifyPath(path), size: 10 };
}

function describeJob(job: CiJob): string {
  const flags = (["tests", "lint", "typeCheck", "audit", "buildsImage", "deploys"] as const).filter((f) => job[f]);
  return `${job.name}@${job.line}: ${flags.join(" ")}`.trim();
}

function jobs(...files: WorkspaceFile[]): string[] {
  return readCi(files).flatMap((p) => p.jobs.map(describeJob));
}

const workflow = (...steps: string[]) => file(".github/workflows/ci.yml", "jobs:", "  check:", "    runs-on: ubuntu-latest", ...steps);

describe("readCi: commands in matrix entries", () => {
  it("expands ${{ matrix.key }} over the matrix list and its include entries", () => {
    const ci = workflow(
      "    strategy:",
      "      matrix:",
      "        session: [tests]",
      "        include:",
      "          - session: lint",
      "          - command: mypy src",
      "    steps:",
      "      - run: nox -s ${{ matrix.session }}",
      "      - run: ${{ matrix.command }}",
    );
    assert.deepEqual(jobs(ci), ["check@2: tests lint typeCheck"]);
  });

  it("reads fields of matrix entries that are objects (`matrix.tests.command`)", () => {
    const ci = workflow("    strategy:", "      matrix:", "        tests:", "          - { name: unit, command: /start_tests.sh test }", "          - { name: lint, command: tox -e linters }", "    steps:", "      - run: docker run app ${{ matrix.tests.command }}");
    assert.deepEqual(jobs(ci), ["check@2: lint"]);
  });

  it("a matrix of Python versions adds nothing", () => {
    const ci = workflow("    strategy:", "      matrix:", "        python: ['3.11', '3.12']", "    steps:", "      - run: pytest -p ${{ matrix.python }}");
    assert.deepEqual(jobs(ci), ["check@2: tests"]);
  });
});

describe("readCi: reusable workflows and local actions with inputs", () => {
  it("reads the commands a job gives a reusable workflow and a local action as inputs", () => {
    const ci = file(
      ".github/workflows/ci.yml",
      "jobs:",
      "  lint:", // 2
      "    uses: acme/workflows/.github/workflows/python.yml@v2",
      "    with:",
      "      command: ruff check .",
      "      python-version: '3.12'",
      "  types:", // 7
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: ./.github/actions/run",
      "        with: { run: mypy app }",
    );
    assert.deepEqual(jobs(ci), ["lint@2: lint", "types@7: typeCheck"]);
  });

  it("replaces ${{ inputs.key }} in a local reusable workflow's steps with what the caller passes", () => {
    const make = file(".github/workflows/make.yml", "on:", "  workflow_call:", "    inputs:", "      make: { type: string }", "jobs:", "  run:", "    steps:", "      - run: make ${{ inputs.make }}");
    const lint = file(".github/workflows/lint.yml", "jobs:", "  ruff:", "    uses: ./.github/workflows/make.yml", "    with:", "      make: checkruff", "  types:", "    uses: ./.github/workflows/make.yml", "    with: { make: mypy }");
    assert.deepEqual(jobs(lint, make), ["ruff@2: lint", "types@6: typeCheck", "run@6:"]);
  });

  it("does not take a version or a flag given as input for a command", () => {
    const ci = file(".github/workflows/ci.yml", "jobs:", "  t:", "    uses: acme/workflows/.github/workflows/python.yml@v2", "    with: { python-version: '3.12', lint: true }");
    assert.deepEqual(jobs(ci), ["t@2:"]);
  });
});

describe("readCi: task runners", () => {
  const makefile = file(
    "Makefile",
    ".PHONY: ci lint test",
    "ci: lint test",
    "lint:",
    "\t@uv run ruff check .",
    "\tuv run mypy app",
    "test:",
    "\tpytest",
    "audit:",
    "\t$(MAKE) scan",
    "scan:",
    "\tpip-audit -r requirements.txt",
  );

  it("reads Makefile targets, their prerequisites and $(MAKE) calls", () => {
    const recipes = makeRecipes(makefile.text ?? "");
    assert.deepEqual(recipes.get("ci")?.before, ["lint", "test"]);
    assert.deepEqual(recipes.get("lint")?.commands, ["uv run ruff check .", "uv run mypy app"]);
    assert.deepEqual(jobs(makefile, workflow("    steps:", "      - run: make ci", "      - run: make audit")), ["check@2: tests lint typeCheck audit"]);
  });

  it("reads justfile recipes and their dependencies", () => {
    const justfile = file("justfile", "set dotenv-load", "check: typecheck", "    ruff check", "typecheck:", "    pyright");
    assert.deepEqual(justRecipes(justfile.text ?? "").get("check"), { commands: ["ruff check"], before: ["typecheck"] });
    assert.deepEqual(jobs(justfile, workflow("    steps:", "      - run: just check")), ["check@2: lint typeCheck"]);
  });

  it("reads tox environments: `tox -e` by name, plain `tox` through the envlist", () => {
    const tox = file("tox.ini", "[tox]", "envlist = py312, quality", "[testenv]", "commands = pytest {posargs}", "[testenv:quality]", "commands =", "    flake8 src", "    bandit -r src");
    assert.deepEqual(toxEnvironments(tox.text ?? "").get("quality"), ["flake8 src", "bandit -r src"]);
    assert.deepEqual(jobs(tox, workflow("    steps:", "      - run: tox -e quality")), ["check@2: lint audit"]);
    assert.deepEqual(jobs(tox, workflow("    steps:", "      - run: tox")), ["check@2: tests lint audit"]);
  });

  it("reads the scripts a command runs, with or without an extension", () => {
    const script = file("scripts/check", "#!/bin/sh", "set -e", "ruff check app", "mypy app");
    assert.deepEqual(jobs(script, workflow("    steps:", "      - run: ./scripts/check")), ["check@2: lint typeCheck"]);
  });

  it("keeps a target whose body is not readable and whose name says nothing as unresolved", () => {
    const [pipeline] = readCi([unread("Makefile"), unread("scripts/verify"), workflow("    steps:", "      - run: make check", "      - run: ./scripts/verify", "      - run: make test")]);
    assert.deepEqual(pipeline?.jobs[0]?.unresolved, ["make check", "./scripts/verify"]);
    assert.deepEqual(pipeline?.jobs.map(describeJob), ["check@2: tests"]);
  });

  it("names `./scripts/lint` a lint step even when its text was not read, but not a linter given it as an argument", () => {
    assert.deepEqual(jobs(unread("scripts/lint"), workflow("    steps:", "      - run: ./scripts/lint")), ["check@2: lint"]);
    assert.deepEqual(jobs(workflow("    steps:", "      - run: shellcheck scripts/lint")), ["check@2:"]);
  });

  it("leaves plain `nox` unresolved: its sessions live in noxfile.py", () => {
    const [pipeline] = readCi([unread("noxfile.py"), workflow("    steps:", "      - run: nox")]);
    assert.deepEqual(pipeline?.jobs[0]?.unresolved, ["nox"]);
  });
});

describe("readCi: GitLab extends", () => {
  it("gives a job the script of the hidden job it extends", () => {
    const ci = file(".gitlab-ci.yml", ".lint-base:", "  script: [ruff check .]", "lint:", "  extends: .lint-base", "  image: python:3.12");
    assert.deepEqual(jobs(ci), ["lint@3: lint"]);
  });
});

describe("readCi: pre-commit", () => {
  const config = (...extra: string[]) =>
    file(".pre-commit-config.yaml", ...extra, "repos:", "  - repo: https://github.com/astral-sh/ruff-pre-commit", "    hooks:", "      - id: ruff", "      - id: mypy");

  it("counts pre-commit.ci (a `ci:` section) as a pipeline that lints, with what the hooks do", () => {
    const pipelines = readCi([config("ci:", "  autoupdate_schedule: monthly")]);
    assert.deepEqual(pipelines.map((p) => [p.file, p.lints, p.runsTests]), [[".pre-commit-config.yaml", true, false]]);
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["pre-commit.ci@1: lint typeCheck"]);
  });

  it("counts pre-commit.ci from its badge in the README", () => {
    const readme = file("README.md", "[![pre-commit.ci status](https://results.pre-commit.ci/badge/github/acme/app/main.svg)](https://results.pre-commit.ci/latest/github/acme/app/main)");
    assert.equal(readCi([config(), readme]).length, 1);
  });

  it("does not invent pre-commit.ci from a config alone", () => {
    assert.deepEqual(readCi([config()]), []);
  });

  it("reads what a `repo: local` hook runs from its entry, whatever its id", () => {
    const local = file(".pre-commit-config.yaml", "repos:", "  - repo: local", "    hooks:", "      - id: local-mypy", "        name: mypy", "        entry: uv run mypy app", "        language: system", "      - id: style", "        entry: uv run ruff check --fix", "        language: system");
    assert.deepEqual(jobs(local, workflow("    steps:", "      - run: pre-commit run --all-files")), ["check@2: lint typeCheck"]);
    const unrelated = file(".pre-commit-config.yaml", "repos:", "  - repo: local", "    hooks:", "      - id: lockfile", "        entry: uv lock --check", "        language: system");
    // running pre-commit is linting in itself; a hook that only checks the lock file type-checks nothing
    assert.deepEqual(jobs(unrelated, workflow("    steps:", "      - run: pre-commit run --all-files")), ["check@2: lint"]);
  });

  it("gives a job running `prek run` what the hooks do", () => {
    assert.deepEqual(jobs(config(), workflow("    steps:", "      - run: uvx prek run --all-files")), ["check@2: lint typeCheck"]);
  });
});
