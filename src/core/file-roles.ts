/**
 * What a file is for, from its path alone: the code and configuration the service runs in production,
 * or something around it (tests, their data, development and CI tooling, examples and documentation).
 * Findings whose evidence sits in a file that does not run in production are lowered and say why.
 */
export type FileRole = "application" | "deployment" | "migration" | "test" | "fixture" | "tooling" | "example";

export const ROLE_LABELS: Record<FileRole, string> = {
  application: "application code",
  deployment: "deployment configuration",
  migration: "a database migration",
  test: "test code",
  fixture: "test data or fixture",
  tooling: "development or CI tooling",
  example: "example or documentation",
};

/** Folders of test data, and lint-rule fixtures (`.semgrep/`, `ruff` and `pylint` test inputs). */
const FIXTURE_DIRS = new Set(["fixtures", "fixture", "testdata", "test_data", "test-data", "__fixtures__", "snapshots", "__snapshots__", "cassettes", ".semgrep", "semgrep"]);
const TEST_DIRS = new Set(["tests", "test", "testing", "e2e", "e2etests", "e2e_tests", "integration_tests", "functional_tests", "unit_tests", "load_tests", "loadtests", "benchmarks"]);
/** Folders of development or CI tooling, not the running service. */
const TOOLING_DIRS = new Set(["dev", "development", ".devcontainer", ".ci", "ci", "tools", "tooling", "hack", "contrib", ".circleci", ".buildkite", "scripts", "script", "seeds", "seed"]);
const EXAMPLE_DIRS = new Set(["examples", "example", "samples", "sample", "docs", "doc", "docs_src", "documentation", "demo", "demos", "tutorial", "tutorials", "cookbook", "sandbox"]);
/** `docker-compose.dev.yml`, `compose.override.yml`, `docker-compose.local.yaml`, `docker-compose.test.yml`. */
const DEV_COMPOSE = /^(docker-)?compose[-.](dev|development|local|test|tests|testing|ci|e2e|override|debug)([-.][\w.-]*)?\.ya?ml$|\.override\.ya?ml$/;
/** `requirements-dev.txt`, `requirements_test.in`, `dev-requirements.txt`, `test-requirements.txt`. */
const DEV_REQUIREMENTS = /^requirements[-_.](dev|devel|development|test|tests|testing|lint|docs|ci|local)([-_.][\w.-]*)?\.(txt|in)$|^(dev|test|tests|docs|lint)[-_]requirements\.(txt|in)$/;
/** `Dockerfile.dev`, `local.Dockerfile`, `dev.Dockerfile`, `Dockerfile.local`, `Dockerfile-dev`: images for a developer's machine. */
const DEV_DOCKERFILE = /^dockerfile[-.](dev|development|local|devcontainer|debug)$|^(dev|development|local|debug)\.dockerfile$/;
/** `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.test`, `.env.ci`, `.env.local.example`, `example.env`. */
const TEMPLATE_ENV = /^\.env\.(.*\.)?(example|sample|template|tmpl|dist|defaults?|test|testing|tests|ci|e2e|dev|development|local)(\..*)?$|^(example|sample|template)\.env$|\.env\.(example|sample|template)$/;

/** Every check asks for the roles of the same files: each path is worked out once. */
const ROLES = new Map<string, FileRole>();

/** The role of a file, from its POSIX path relative to the reviewed root. */
export function fileRole(path: string): FileRole {
  let role = ROLES.get(path);
  if (role === undefined) {
    role = roleOf(path);
    if (ROLES.size > 100_000) ROLES.clear();
    ROLES.set(path, role);
  }
  return role;
}

function roleOf(path: string): FileRole {
  const lower = path.toLowerCase();
  const segments = lower.split("/");
  const base = segments[segments.length - 1] ?? lower;
  const dirs = segments.slice(0, -1);
  if (dirs.some((d) => FIXTURE_DIRS.has(d))) return "fixture";
  if (dirs.some((d) => TEST_DIRS.has(d)) || base === "conftest.py" || /^test_.*\.py$/.test(base) || /_tests?\.py$/.test(base) || base === "tests.py") return "test";
  if (TEMPLATE_ENV.test(base)) return /\.(test|testing|tests|ci|e2e)\b/.test(base) ? "test" : base.includes("dev") || base.includes("local") ? "tooling" : "example";
  if (DEV_COMPOSE.test(base) || DEV_DOCKERFILE.test(base)) return "tooling";
  // dependency lists for development, tests, linting or docs: what they declare does not ship
  if (DEV_REQUIREMENTS.test(base) || (dirs[dirs.length - 1] === "requirements" && /^(dev|devel|development|test|tests|testing|lint|docs|ci|local)([-_.][\w.-]*)?\.(txt|in)$/.test(base))) return /test|ci/.test(base) ? "test" : "tooling";
  // settings modules for CI and tests (`settings/ci.py`, `settings/testing.py`), and for a developer's machine
  if (base.endsWith(".py") && (dirs.some((d) => /^(settings|config|configs|conf)$/.test(d)) || /^settings[_-]/.test(base))) {
    const name = base.replace(/^settings[_-]/, "").replace(/\.py$/, "");
    if (/^(ci|test|tests|testing|e2e)$/.test(name)) return "test";
    if (/^(local|local_dev|dev|development|devel)$/.test(name)) return "tooling";
  }
  if (base.endsWith(".py") && (base === "migrations.py" || dirs.includes("migrations") || (dirs.includes("versions") && dirs.some((d) => d === "alembic" || /migration|revision/.test(d))))) return "migration";
  if (dirs.some((d) => EXAMPLE_DIRS.has(d))) return "example";
  // Python and configuration under dot-directories (`.devcontainer/`, `.github/scripts/`) is not the service
  // CI workflows are how the service is delivered; anything else under `.github/` (a test image, a script) is tooling
  if (dirs[0] === ".github" && dirs[1] === "workflows") return "deployment";
  if (dirs.some((d) => TOOLING_DIRS.has(d) || (d.startsWith(".") && d.length > 1))) return "tooling";
  if (/^(noxfile|fabfile|setup)\.py$/.test(base)) return "tooling";
  if (base === "dockerfile" || base.startsWith("dockerfile.") || base.endsWith(".dockerfile") || /^(docker-)?compose([-.][\w.-]*)?\.ya?ml$/.test(base) || /\.(tf|tfvars)$/.test(base)) return "deployment";
  return "application";
}

/** Whether a role runs in production: findings elsewhere are lowered. */
export function runsInProduction(role: FileRole): boolean {
  return role === "application" || role === "deployment";
}
