import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Diagnostic } from "../../../src/core/diagnostics.js";
import { readCi } from "../../../src/model/deployment/ci.js";
import type { CiJob } from "../../../src/model/types.js";
import { classifyPath } from "../../../src/workspace/classify.js";
import type { WorkspaceFile } from "../../../src/workspace/types.js";

function file(path: string, ...lines: string[]): WorkspaceFile {
  const text = `${lines.join("\n")}\n`;
  return { path, kind: classifyPath(path), size: text.length, text };
}

function read(...files: WorkspaceFile[]) {
  const diagnostics: Diagnostic[] = [];
  return { pipelines: readCi(files, diagnostics), diagnostics };
}

/** A job as `name@line: flag flag` for compact assertions. */
function describeJob(job: CiJob): string {
  const flags = (["tests", "lint", "typeCheck", "audit", "buildsImage", "deploys"] as const).filter((f) => job[f]);
  return `${job.name}@${job.line}: ${flags.join(" ")}`.trim();
}

describe("readCi: GitHub Actions", () => {
  const workflow = file(
    ".github/workflows/ci.yml",
    "name: CI", // 1
    "on: [push, pull_request]",
    "jobs:",
    "  test:", // 4
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - uses: astral-sh/setup-uv@v5",
    "      - run: uv sync --group test",
    "      - run: uv run pytest --cov",
    "  lint:", // 11
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - run: |",
    "          pip install ruff mypy",
    "          ruff check .",
    "          mypy src",
    "  codeql:", // 18
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: github/codeql-action/init@v3",
    "      - uses: github/codeql-action/analyze@v3",
    "  image:", // 23
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: docker/build-push-action@v6",
    "  deploy:", // 27
    "    needs: [test, image]",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2",
  );

  it("reads every job with its line and what it does", () => {
    const { pipelines, diagnostics } = read(workflow);
    assert.deepEqual(diagnostics, []);
    assert.equal(pipelines.length, 1);
    const [pipeline] = pipelines;
    assert.equal(pipeline?.provider, "github");
    assert.equal(pipeline?.runsTests, true);
    assert.equal(pipeline?.lints, true);
    assert.deepEqual(pipeline?.jobs.map(describeJob), ["test@4: tests", "lint@11: lint typeCheck", "codeql@18: audit", "image@23: buildsImage", "deploy@27: deploys"]);
  });

  it("does not count a workflow that only builds the docs as running tests, even when it installs pytest", () => {
    const { pipelines } = read(
      file(
        ".github/workflows/docs.yml",
        "on: push",
        "jobs:",
        "  docs:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: pip install mkdocs-material pytest",
        "      - run: mkdocs build --strict",
        "      - run: echo 'pytest runs in ci.yml'",
        "      - uses: actions/deploy-pages@v4",
      ),
    );
    assert.equal(pipelines[0]?.runsTests, false);
    assert.equal(pipelines[0]?.lints, false);
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["docs@3:"]);
  });

  it("treats ruff format without --check as formatting, not linting", () => {
    const { pipelines } = read(file(".github/workflows/fmt.yml", "jobs:", "  fmt:", "    steps:", "      - run: ruff format ."));
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["fmt@2:"]);
  });

  it("gives a job that calls a local reusable workflow what that workflow's jobs do", () => {
    const { pipelines } = read(
      file(".github/workflows/release.yml", "on: push", "jobs:", "  checks:", "    uses: ./.github/workflows/tests.yml", "  ship:", "    uses: acme/shared/.github/workflows/deploy.yml@main"),
      file(".github/workflows/tests.yml", "on: workflow_call", "jobs:", "  unit:", "    steps:", "      - run: tox -e py312"),
    );
    const release = pipelines.find((p) => p.file === ".github/workflows/release.yml");
    assert.deepEqual(release?.jobs.map(describeJob), ["checks@3: tests", "ship@5: deploys"]);
    assert.equal(release?.runsTests, true);
  });

  it("reads the steps of a local composite action", () => {
    const { pipelines } = read(
      file(".github/workflows/ci.yml", "jobs:", "  checks:", "    steps:", "      - uses: ./.github/actions/checks"),
      { ...file(".github/actions/checks/action.yml", "runs:", "  using: composite", "  steps:", "    - run: pre-commit run --all-files", "      shell: bash"), kind: "other" },
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["checks@2: lint"]);
  });

  it("reads the command a wrapper action runs (flyctl deploy)", () => {
    const { pipelines } = read(
      file(".github/workflows/fly.yml", "jobs:", "  deploy:", "    steps:", "      - uses: superfly/flyctl-actions/setup-flyctl@master", "      - run: flyctl deploy --remote-only"),
      file(".github/workflows/setup-only.yml", "jobs:", "  setup:", "    steps:", "      - uses: superfly/flyctl-actions/setup-flyctl@master", "      - run: flyctl version"),
    );
    assert.deepEqual(pipelines.map((p) => p.jobs.map(describeJob)), [["deploy@2: deploys"], ["setup@2:"]]);
  });
});

describe("readCi: GitLab CI", () => {
  it("reads top-level jobs, skipping keywords and hidden jobs, and scanning templates as audit jobs", () => {
    const { pipelines, diagnostics } = read(
      file(
        ".gitlab-ci.yml",
        "image: python:3.12", // 1
        "stages: [test, build, deploy]",
        "include:",
        "  - template: Jobs/SAST.gitlab-ci.yml", // 4
        "  - local: ci/extra.yml",
        "variables:",
        "  PIP_CACHE_DIR: .cache",
        ".setup: &setup", // 8
        "  before_script:",
        "    - pip install -r requirements-dev.txt",
        "test:", // 11
        "  <<: *setup",
        "  script:",
        "    - python -m pytest -q",
        "lint:", // 15
        "  extends: .setup",
        "  script: [flake8 app, pyright]",
        "build:", // 18
        "  image:",
        "    name: gcr.io/kaniko-project/executor:debug",
        "  script:",
        "    - /kaniko/executor --context $CI_PROJECT_DIR",
        "deploy:", // 23
        "  script: helm upgrade --install api ./chart",
      ),
      { ...file("ci/extra.yml", "audit:", "  script:", "    - pip-audit -r requirements.txt"), kind: "other" },
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      pipelines.map((p) => [p.file, p.provider, p.jobs.map(describeJob)]),
      [
        [".gitlab-ci.yml", "gitlab", ["include Jobs/SAST.gitlab-ci.yml@4: audit", "test@11: tests", "lint@15: lint typeCheck", "build@18: buildsImage", "deploy@23: deploys"]],
        ["ci/extra.yml", "gitlab", ["audit@1: audit"]],
      ],
    );
  });

  it("does not take a job that only installs test tools for one that runs them", () => {
    const { pipelines } = read(file(".gitlab-ci.yml", "prepare:", "  script:", "    - pip install pytest tox", "    - python -m pip install nox"));
    assert.equal(pipelines[0]?.runsTests, false);
  });
});

describe("readCi: CircleCI", () => {
  it("reads run steps, reusable commands and orb jobs in workflows", () => {
    const { pipelines } = read(
      file(
        ".circleci/config.yml",
        "version: 2.1",
        "orbs:",
        "  heroku: circleci/heroku@2",
        "commands:",
        "  check-types:",
        "    steps:",
        "      - run: mypy app",
        "jobs:",
        "  test:", // 9
        "    docker: [{ image: cimg/python:3.12 }]",
        "    steps:",
        "      - checkout",
        "      - run:",
        "          name: tests",
        "          command: pytest",
        "      - check-types",
        "workflows:",
        "  main:",
        "    jobs:",
        "      - test",
        "      - heroku/deploy-via-git:", // 21
        "          requires: [test]",
      ),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["test@9: tests typeCheck", "heroku/deploy-via-git@21: deploys"]);
  });
});

describe("readCi: Azure Pipelines", () => {
  it("reads stages, jobs and deployment jobs with script and task steps", () => {
    const { pipelines } = read(
      file(
        "azure-pipelines.yml",
        "trigger: [main]",
        "stages:",
        "  - stage: ci",
        "    jobs:",
        "      - job: test", // 5
        "        steps:",
        "          - task: UsePythonVersion@0",
        "          - script: python -m pytest",
        "      - job: image", // 9
        "        steps:",
        "          - task: Docker@2",
        "            inputs: { command: login }",
        "          - task: Docker@2",
        "            inputs: { command: buildAndPush, repository: api }",
        "  - stage: cd",
        "    jobs:",
        "      - deployment: production", // 17
        "        environment: prod",
        "        strategy:",
        "          runOnce:",
        "            deploy:",
        "              steps:",
        "                - bash: kubectl apply -f k8s/",
      ),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["test@5: tests", "image@9: buildsImage", "production@17: deploys"]);
  });

  it("reads a pipeline made of steps only, and a Docker login alone does not build an image", () => {
    const { pipelines } = read(file("azure-pipelines.yml", "steps:", "  - task: Docker@2", "    inputs: { command: login }", "  - bash: ruff check ."));
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["Job@1: lint"]);
  });
});

describe("readCi: Bitbucket Pipelines", () => {
  it("reads steps of the default, branch and pull-request pipelines, parallel groups and pipes", () => {
    const { pipelines } = read(
      file(
        "bitbucket-pipelines.yml",
        "image: python:3.12",
        "definitions:",
        "  steps:",
        "    - step: &tests",
        "        name: Tests",
        "        script: [pip install -r requirements.txt, pytest]",
        "pipelines:",
        "  default:",
        "    - step: *tests", // 9
        "  pull-requests:",
        "    '**':",
        "      - parallel:",
        "          - step: *tests", // 13
        "          - step:", // 14
        "              name: Lint",
        "              script: [ruff check .]",
        "  branches:",
        "    main:",
        "      - step:", // 19
        "          name: Deploy",
        "          deployment: production",
        "          script:",
        "            - pipe: atlassian/aws-ecs-deploy:1.12.1",
      ),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["Tests@9: tests", "Tests@13: tests", "Lint@14: lint", "Deploy@19: deploys"]);
  });
});

describe("readCi: Jenkins and Travis", () => {
  it("reads a Jenkinsfile's stages and their sh steps, ignoring commented-out steps", () => {
    const { pipelines } = read(
      file(
        "Jenkinsfile",
        "pipeline {",
        "  agent any",
        "  stages {",
        "    stage('Test') {", // 4
        "      steps {",
        "        sh 'pip install -r requirements.txt'",
        "        sh '''",
        "          python -m pytest",
        "        '''",
        "      }",
        "    }",
        '    stage("Image") {', // 12
        "      steps {",
        "        // sh 'kubectl apply -f k8s/'",
        "        script { docker.build('acme/api') }",
        "      }",
        "    }",
        "  }",
        "}",
      ),
    );
    assert.equal(pipelines[0]?.provider, "jenkins");
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["Test@4: tests", "Image@12: buildsImage"]);
  });

  it("reads a .travis.yml's script and deploy", () => {
    const { pipelines } = read(file(".travis.yml", "language: python", "script:", "  - pytest", "deploy:", "  provider: heroku"));
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["(default)@2: tests deploys"]);
  });
});

describe("readCi: invalid input", () => {
  it("reports invalid YAML and falls back to searching the text", () => {
    const { pipelines, diagnostics } = read(file(".github/workflows/broken.yml", "jobs:", "  test:", "    steps:", "      - run: pytest", "    bad: [unclosed"));
    assert.deepEqual(diagnostics.map((d) => [d.code, d.file]), [["invalid-yaml", ".github/workflows/broken.yml"]]);
    assert.ok(diagnostics[0]?.line !== undefined);
    assert.deepEqual(pipelines.map((p) => [p.file, p.runsTests, p.jobs.length]), [[".github/workflows/broken.yml", true, 0]]);
  });

  it("still works without a diagnostics list, as before", () => {
    const pipelines = readCi([file(".github/workflows/ci.yml", "jobs:", "  t:", "    steps:", "      - run: pytest")]);
    assert.equal(pipelines[0]?.runsTests, true);
  });
});

describe("readCi: signals beyond single commands", () => {
  it("gives a job running pre-commit what the repository's hooks do (mypy, bandit)", () => {
    const { pipelines } = read(
      file(".github/workflows/lint.yml", "jobs:", "  hooks:", "    steps:", "      - uses: pre-commit/action@v3.0.1"),
      file(".pre-commit-config.yaml", "repos:", "  - repo: https://github.com/pre-commit/mirrors-mypy", "    rev: v1.11.0", "    hooks:", "      - id: mypy", "  - repo: https://github.com/PyCQA/bandit", "    rev: 1.7.9", "    hooks:", "      - id: bandit"),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["hooks@2: lint typeCheck audit"]);
  });

  it("does not give pre-commit hooks to a job that does not run pre-commit", () => {
    const { pipelines } = read(
      file(".github/workflows/lint.yml", "jobs:", "  lint:", "    steps:", "      - run: ruff check ."),
      file(".pre-commit-config.yaml", "repos:", "  - repo: local", "    hooks:", "      - id: mypy"),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["lint@2: lint"]);
  });

  it("counts a job with a production environment as a deployment, not one publishing to PyPI", () => {
    const { pipelines } = read(
      file(
        ".github/workflows/release.yml",
        "jobs:",
        "  release:", // 2
        "    environment: { name: production, url: https://api.example.com }",
        "    steps: [{ run: ./scripts/release.sh }]",
        "  pypi:", // 5
        "    environment: pypi",
        "    steps: [{ uses: pypa/gh-action-pypi-publish@release/v1 }]",
      ),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["release@2: deploys", "pypi@5:"]);
  });

  it("reads test and lint scripts by name, and platform deploy commands", () => {
    const { pipelines } = read(
      file(
        ".gitlab-ci.yml",
        "t:",
        "  script:",
        "    - bash scripts/tests-start.sh",
        "    - CI=1 ./tests/run-tests",
        "l:",
        "  script: [sh ./scripts/lint.sh]",
        "d:",
        "  script: [uv run fastapi deploy]",
        "shellcheck:",
        "  script: [shellcheck scripts/lint.sh tests/run-tests]",
      ),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["t@1: tests", "l@5: lint", "d@7: deploys", "shellcheck@9:"]);
  });

  it("reads what a remote reusable workflow does from its name", () => {
    const { pipelines } = read(
      file(
        ".github/workflows/ci.yml",
        "jobs:",
        "  image:",
        "    uses: acme/actions/.github/workflows/build-push-image.yaml@v1",
        "  tests:",
        "    uses: acme/actions/.github/workflows/python-tests.yml@v1",
        "  other:",
        "    uses: acme/actions/.github/workflows/latest-release.yml@v1",
      ),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["image@2: buildsImage", "tests@4: tests", "other@6:"]);
  });
});

describe("readCi: wrapper actions", () => {
  it("reads the command given to flyctl-actions: deploy deploys, status does not", () => {
    const { pipelines } = read(
      file(
        ".github/workflows/fly.yml",
        "jobs:",
        "  ship:",
        "    steps:",
        "      - uses: superfly/flyctl-actions@1.5",
        "        with: { args: deploy --remote-only }",
        "  check:",
        "    steps:",
        "      - uses: superfly/flyctl-actions@1.5",
        "        with: { args: status }",
      ),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["ship@2: deploys", "check@6:"]);
  });
});

describe("readCi: tox and nox environments", () => {
  it("counts tox/nox as tests unless every environment named is a lint, docs or type-check one", () => {
    const { pipelines } = read(
      file(
        ".gitlab-ci.yml",
        "all:", // 1
        "  script: [tox]",
        "py:", // 3
        '  script: ["tox -e py312,lint"]',
        "lint:", // 5
        "  script: [tox -e lint]",
        "docs:", // 7
        "  script: [nox --session docs]",
        "typing:", // 9
        "  script: [nox -s mypy-3.12]",
      ),
    );
    assert.deepEqual(pipelines[0]?.jobs.map(describeJob), ["all@1: tests", "py@3: tests lint", "lint@5: lint", "docs@7:", "typing@9: typeCheck"]);
  });
});

describe("CI test commands through task runners", () => {
  it("recognises `task py:test`, `poe test`, `uv run test` and a manage.py console script as running the tests", async () => {
    const { COMMAND_SIGNALS } = await import("../../../src/model/deployment/ci-signals.js");
    for (const command of ["task py:test", "poe test", "uv run test", "make test", "just unit-tests", "poetry run ./scripts/test", "bugsink-manage test events -v2", "python manage.py test"]) {
      assert.ok(COMMAND_SIGNALS.tests.some((r) => r.test(command)), command);
    }
    for (const command of ["task py:lint", "poe docs", "uv run mypy", "bugsink-manage migrate", "django-admin check"]) {
      assert.ok(!COMMAND_SIGNALS.tests.some((r) => r.test(command)), command);
    }
  });
});
