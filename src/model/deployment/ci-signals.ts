/**
 * What a CI job does, told by the commands it runs and the actions, orbs, pipes or tasks it uses.
 * Knowledge as data: one list per flag, matched command by command (install lines are ignored, so
 * `pip install pytest` does not make a job run tests).
 */
export type CiFlag = "tests" | "lint" | "typeCheck" | "audit" | "buildsImage" | "deploys";

export const CI_FLAGS: readonly CiFlag[] = ["tests", "lint", "typeCheck", "audit", "buildsImage", "deploys"];

/** Launchers a script may be run through: `bash`, `uv run`, `docker compose exec api`, `VAR=value`. */
const LAUNCHER = String.raw`(?:(?:[A-Za-z_]\w*=(?:\`[^\`]*\`|"[^"]*"|'[^']*'|\S*)|sudo|bash|sh|zsh|exec|time|uv\s+run|poetry\s+run|pdm\s+run|pipenv\s+run|hatch\s+run|docker[- ]compose(?:\s+-f\s+\S+)*\s+(?:exec|run)(?:\s+--?[\w-]+)*\s+[\w-]+)\s+)*`;

/** A command that runs a script by this file name (the command itself, not an argument such as a file to lint). */
function script(name: string): RegExp {
  return new RegExp(`^${LAUNCHER}(?:\\S*\\/)?${name}(?:\\s|$)`);
}

/** Task runners whose target is named after what it does (`make lint`, `poe typecheck`, `uv run lint`). */
const RUNNER = String.raw`(?:make|just|task|invoke|inv|poe|pdm\s+run|hatch\s+run|rye\s+run|uv\s+run|poetry\s+run|npm\s+run)`;

/** A command that runs a script of the project's script folder by this name (`./scripts/lint`, `python scripts/lint.py`), not one given it as an argument. */
function projectScript(names: string): RegExp {
  return new RegExp(`^${LAUNCHER}(?:python3?\\s+)?(?:\\S*\\/)?(?:scripts?|bin|ci|tools)\\/(?:${names})(?:\\.py|\\.sh)?(?:\\s|$)`);
}

/** How tox and nox are told which environments or sessions to run. */
const SESSION_FLAG = String.raw`\s(?:-[es]\s*|--(?:sessions?|env)[=\s]+)`;

/** A tox environment or nox session that does not run the tests (`lint`, `docs`, `mypy-3.12`). */
const NOT_TEST_SESSION = String.raw`(?:lint|linters?|linting|docs?|mypy|typing|types?|typecheck|format|fmt|style|quality|qa|static|build|pre-commit|check|security|audit|safety|bandit)(?:-[\d.]+)?`;

/** Matched against one shell command at a time. */
export const COMMAND_SIGNALS: Record<CiFlag, RegExp[]> = {
  tests: [
    /\b(pytest|py\.test)\b/,
    // tox/nox, unless every environment named is a lint, docs or build one
    new RegExp(String.raw`\b(tox|nox)\b(?!\.ini|file)(?!.*${SESSION_FLAG}${NOT_TEST_SESSION}(?:,${NOT_TEST_SESSION})*(?![,\w.-]))`),
    /\bmanage\.py\s+test\b/,
    // a console script wrapping manage.py (`bugsink-manage test`, `myproj-admin test`)
    /\b[\w-]+-(manage|admin)\s+test\b/,
    /\bdjango-admin\s+test\b/,
    /-m\s+unittest\b/,
    /\bcoverage\s+run\b/,
    /\bhatch\s+(run\s+\S*test|test)\b/,
    /\b(make|just|task|invoke|inv|poe|pdm\s+run|uv\s+run|poetry\s+run|hatch\s+run|npm\s+run)\s+([\w-]+:)?(unit-?|integration-?|py-?|backend-?)?tests?\b/,
    script("(?:run[-_]tests?|tests?(?:[-_][\\w-]*)?\\.sh)"),
    // `./scripts/test`, `scripts/test.py`: the project's own test script
    /(^|\s|\/)scripts?\/(run[-_])?tests?(\.py|\.sh)?(\s|$)/,
  ],
  lint: [
    /\bruff\b(?!\s+format(?!.*--check))/,
    /\b(flake8|pylint|pycodestyle|pyflakes|wemake-python-styleguide)\b/,
    /\bblack\b.*--check\b/,
    /\bisort\b.*--check(-only)?\b/,
    /\b(pre-commit|prek)\s+run\b/,
    new RegExp(String.raw`\b${RUNNER}\s+([\w-]+:)?[\w-]*(lint|linters?|linting|style|ruff|flake8|pylint|black|isort)\b`),
    // `./scripts/lint`, `scripts/lint.py`, `bin/check-style`: the project's own lint script
    projectScript("lint|linters?|check[-_]?(?:lint|style)|style|static[-_]?checks?"),
    new RegExp(String.raw`\b(tox|nox)\b.*${SESSION_FLAG}\S*\b(lint|linters?|linting|flake8|ruff|pylint|style|pre-commit)\b`),
    script("lint(?:[-_][\\w-]*)?\\.sh"),
  ],
  typeCheck: [
    /\b(mypy|dmypy|pyright|basedpyright|pyre|pytype)\b/, /\bty\s+check\b/,
    new RegExp(String.raw`\b${RUNNER}\s+([\w-]+:)?[\w-]*(typecheck|type-check|typing|types|mypy|pyright)\b`),
    projectScript("typecheck|type[-_]check|mypy"),
  ],
  audit: [
    /\bpip[-_]audit\b/,
    /\bsafety\b.*\b(check|scan)\b/,
    /\bbandit\b/,
    /\b(trivy|grype|osv-scanner|snyk|semgrep|gitleaks|trufflehog|detect-secrets|checkov|tfsec)\b/,
    /\b(npm|yarn|pnpm)\s+audit\b/,
    /\bcodeql\s+database\b/,
    /\buv\s+audit\b/,
    new RegExp(String.raw`\b${RUNNER}\s+([\w-]+:)?(audit|security|bandit|safety|pip-audit|vulnerabilities)\b`),
  ],
  buildsImage: [
    /\b(docker|podman)\s+(image\s+)?build\b/,
    /\b(docker|podman)\s+buildx\s+(build|bake)\b/,
    /\bdocker[- ]compose\b.*\bbuild\b/,
    /\bbuildah\s+(bud|build)\b/,
    /\/kaniko\/executor\b/,
    /\bgcloud\s+builds\s+submit\b/,
    /\baz\s+acr\s+build\b/,
    /\bpack\s+build\b/,
    /\bdocker\.build\s*\(/,
  ],
  deploys: [
    /\bkubectl\s+(apply|create|replace|set\s+image|rollout\s+restart)\b/,
    /\bhelm\s+(upgrade|install)\b/,
    /\bhelmfile\s+(apply|sync)\b/,
    /\bterraform\s+apply\b/,
    /\bpulumi\s+up\b/,
    /\b(fly|flyctl)\s+deploy\b/,
    /\baws\s+ecs\s+(update-service|deploy)\b/,
    /\becs-deploy\b/,
    /\baws\s+lambda\s+update-function-code\b/,
    /\b(serverless|sls|sam|cdk|zappa|kamal|eb|copilot\s+svc)\s+deploy\b/,
    /\bgcloud\s+(run|app|functions)\s+deploy\b/,
    /\bgcloud\s+deploy\s+releases\b/,
    /\baz\s+(webapp\s+(deploy|up)|containerapp\s+(update|up)|functionapp\s+deployment)\b/,
    /\bheroku\s+(container:release|releases|deploy)\b/,
    /\bgit\s+push\s+(heroku|dokku)\b/,
    /\bargocd\s+app\s+sync\b/,
    /\bskaffold\s+(run|deploy)\b/,
    /\b(railway\s+up|render\s+deploy|fastapi\s+deploy|modal\s+deploy)\b/,
    /\bkubernetesDeploy\s*\(/,
    /\bdocker\s+stack\s+deploy\b/,
    /\bdocker[- ]compose\b.*\s-f\s+\S*(prod|deploy)\S*.*\sup\b/,
  ],
};

/**
 * Matched against an action, orb, pipe or task reference, lower-cased, without its version
 * (`docker/build-push-action`, `aws-ecr/build-and-push-image`, `atlassian/aws-ecs-deploy`, `task:docker`).
 */
export const USES_SIGNALS: Record<CiFlag, RegExp[]> = {
  tests: [/^task:(pytest|vstest|dotnetcorecli)$/, /\.github\/workflows\/([\w-]*[_-])?(tests?|pytest)[_.-]/],
  lint: [
    /^pre-commit\/action$/, /^pre-commit-ci\/lite-action$/, /(^|\/)ruff-action$/, /^psf\/black$/, /^py-actions\/flake8$/,
    /^(github|super-linter)\/super-linter/, /^reviewdog\/action-(flake8|ruff|pylint|black)/, /^wemake-services\/wemake-python-styleguide/,
    /^ricardochaves\/python-lint/,
  ],
  typeCheck: [/^jakebailey\/pyright-action$/, /^tsuyoshicho\/action-mypy$/, /^jpetrucciani\/mypy-check$/],
  audit: [
    /^github\/codeql-action\//, /^pypa\/gh-action-pip-audit$/, /^actions\/dependency-review-action$/, /^aquasecurity\/trivy-action$/,
    /^snyk\/(actions|snyk-scan)/, /^atlassian\/snyk-scan$/, /^anchore\/scan-action$/, /^google\/osv-scanner-action/,
    /^(returntocorp|semgrep)\/semgrep-action$/, /^gitleaks\/gitleaks-action$/, /^trufflesecurity\/trufflehog$/, /^pycqa\/bandit-action$/,
    /^pyupio\/safety(-action)?$/, /^ossf\/scorecard-action$/, /^atlassian\/git-secrets-scan$/, /^snyk\//, /^task:(snyksecurityscan|advancedsecurity-)/,
  ],
  buildsImage: [
    /^docker\/(build-push-action|bake-action)$/, /^redhat-actions\/buildah-build$/, /^mr-smithers-excellent\/docker-build-push$/,
    /^elgohr\/publish-docker-github-action$/, /^(docker|aws-ecr|gcp-gcr|azure-acr)\/(build|build-and-push-image|build-image|publish)$/,
    /(^|\/)kaniko-project\/executor\b/, /^task:docker$/, /^atlassian\/docker-build/, /^kciter\/aws-ecr-action$/,
    // Reusable workflows and actions named for it: `build-push-image.yaml`, `docker-build-action`
    /\bbuild-push\b|build[\w-]*(image|docker|container)|(docker|image|container)[\w-]*build/,
  ],
  deploys: [
    /^aws-actions\/(amazon-ecs-deploy-task-definition|aws-cloudformation-github-deploy)$/, /^google-github-actions\/deploy-/,
    /^azure\/(webapps-deploy|k8s-deploy|container-apps-deploy-action|functions-action)$/,
    /^task:(kubernetesmanifest|helmdeploy|azurewebapp|azurermwebappdeployment|azurefunctionapp|azurecontainerapps|kubernetes)$/,
    /^(heroku|aws-ecs|aws-eks|kubernetes|helm|gcp-cloud-run|cloudrun)\/[\w-]*(deploy|install-helm-chart|update)[\w-]*$/,
  ],
};

/** An action whose name says `deploy` deploys, except those that publish documentation sites. */
export const GENERIC_DEPLOY_USES = /(^|[/-])deploy([/.-]|$)/;
export const DOCS_DEPLOY_USES = /^(actions\/deploy-pages|peaceiris\/actions-gh-pages|jamesives\/github-pages-deploy-action)$/;

/** Commands that install tools rather than run them, and messages. */
export const NOT_A_RUN = /^\s*(sudo\s+)?(((python3?|py)(\s+-\d(\.\d+)?)?\s+-m\s+)?(pip3?|uv\s+pip|uv\s+tool|pipx|conda|mamba|micromamba|apt(-get)?|apk|brew|npm|yarn|pnpm|gem|choco)\s+(install|add)\b|(poetry|uv|pdm|rye)\s+add\b|echo\b|printf\b|#)/;

/** A GitHub environment by this name is a deployment target (`production`, `staging`), not a publishing gate (`pypi`). */
export const DEPLOY_ENVIRONMENT = /prod|staging|stage\b|deploy|live/i;

/** Hooks of `.pre-commit-config.yaml` that a job running `pre-commit run` also runs, by hook id. */
export const PRE_COMMIT_HOOK_SIGNALS: Partial<Record<CiFlag, RegExp>> = {
  lint: /^(ruff|ruff-check|flake8|pylint|black|isort|pyupgrade|autoflake|django-upgrade|pycln|pydocstyle|pyflakes|pycodestyle|yesqa)/,
  typeCheck: /^(mypy|pyright|basedpyright|pyre|pytype)/,
  audit: /^(bandit|safety|pip-audit|python-safety-dependencies-check|gitleaks|detect-secrets|trufflehog|semgrep)/,
};

/** GitLab CI templates that add security scanning jobs (`include: template: ...`, CI/CD components). */
export const GITLAB_AUDIT_TEMPLATE = /(SAST|Dependency-Scanning|Secret-Detection|Container-Scanning|DAST|License-Scanning)|components\/(sast|dependency-scanning|secret-detection|container-scanning)/i;
