import { posix } from "node:path";
import type { FileKind } from "./types.js";

const MANIFESTS = new Set([
  "pyproject.toml", "setup.cfg", "pipfile", "pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock", "requirements.in",
]);
const CI_FILES = new Set([".gitlab-ci.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml", "jenkinsfile", ".travis.yml"]);
const CONFIG_FILES = new Set(["alembic.ini", "procfile", "gunicorn.conf.py", "setup.cfg", "tox.ini", ".pre-commit-config.yaml", "mypy.ini", ".flake8", "ruff.toml", ".ruff.toml", "archscope.toml", "app.yaml", "fly.toml", "render.yaml", "vercel.json", "serverless.yml", "manage.py", ".dockerignore", "chart.yaml", "dependabot.yml", "renovate.json"]);

/** Decides a file's kind from its path alone; YAML that might be Kubernetes is refined by `refineYamlKind`. */
export function classifyPath(path: string): FileKind {
  const lower = path.toLowerCase();
  const segments = lower.split("/");
  const base = segments[segments.length - 1] ?? lower;
  const dirs = segments.slice(0, -1);

  if (base.endsWith(".py")) {
    if (base === "gunicorn.conf.py") return "config";
    if (isTestPath(dirs, base)) return "test";
    return "python";
  }
  if (base.startsWith(".env") || base.endsWith(".env")) return "env";
  if (MANIFESTS.has(base) || /^(requirements|constraints)([-_.][\w.-]*)?\.(txt|in)$/.test(base) || (dirs.includes("requirements") && base.endsWith(".txt"))) {
    return "manifest";
  }
  // `dockerfile.yml` (an Ansible task file in awx) is YAML, not a Dockerfile
  if (base === "dockerfile" || (base.startsWith("dockerfile.") && !/\.(ya?ml|json|md|txt)$/.test(base)) || base.endsWith(".dockerfile") || base === "containerfile") return "dockerfile";
  if (/^(docker-)?compose([-.][\w.-]*)?\.ya?ml$/.test(base)) return "compose";
  if ((dirs.includes(".github") && dirs.includes("workflows") && /\.ya?ml$/.test(base)) || CI_FILES.has(base) || (dirs.includes(".circleci") && base === "config.yml")) return "ci";
  if (base.endsWith(".tf") || base.endsWith(".tfvars") || base.endsWith(".tf.json")) return "terraform";
  if (/^(openapi|swagger)[\w.-]*\.(ya?ml|json)$/.test(base)) return "openapi";
  if (dirs.includes("templates") && /\.(ya?ml|tpl)$/.test(base) && dirs.some((d, i) => dirs[i + 1] === "templates" && d !== "")) return "helm";
  if (base === "chart.yaml" || (base.startsWith("values") && /\.ya?ml$/.test(base) && dirs.length > 0)) return "helm";
  if (CONFIG_FILES.has(base)) return "config";
  if (/\.(md|markdown|rst|adoc)$/.test(base)) return "doc";
  if (/\.ya?ml$/.test(base)) return "other";
  return "other";
}

function isTestPath(dirs: string[], base: string): boolean {
  if (base === "conftest.py" || base === "tests.py" || /^test_.*\.py$/.test(base) || /_tests?\.py$/.test(base)) return true;
  return dirs.some((d) => d === "tests" || d === "test" || d === "testing");
}

/** Migrations folders: Alembic `versions/` under an alembic/migrations dir, Django `migrations/`. */
export function isMigrationPath(path: string): boolean {
  const parts = path.toLowerCase().split("/");
  const dirs = parts.slice(0, -1);
  // Alembic's environment script sits beside versions/, it is not a migration
  if (parts[parts.length - 1] === "env.py" && !dirs.includes("versions")) return false;
  // Alembic keeps its scripts in `versions/` under a folder named for migrations or revisions (`alembic/`, `_migrations/`, `database/revisions/core/`)
  return dirs.includes("migrations") || (dirs.includes("versions") && dirs.some((d) => d === "alembic" || /migration|revision/.test(d)));
}

/** A YAML file whose text has top-level `apiVersion:` and `kind:` is a Kubernetes manifest. */
export function refineYamlKind(kind: FileKind, path: string, text: string): FileKind {
  if (kind !== "other" || !/\.ya?ml$/i.test(path)) return kind;
  return /^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text) ? "k8s" : kind;
}

/** Shell scripts and supervisor service files the model reads: entrypoints, start scripts, s6 `run` files. */
export function isContainerScriptPath(path: string): boolean {
  const lower = path.toLowerCase();
  const base = posix.basename(lower);
  if (/\.(sh|bash)$/.test(base)) return true;
  if (/^(docker-)?entrypoint$/.test(base)) return true;
  return /(^|\/)(s6-rc\.d|services\.d|cont-init\.d|cont-finish\.d)\//.test(lower) && /^(run|up|finish|[\w.-]+\.sh)$/.test(base);
}

/** Kinds whose text the model reads. */
export function wantsText(kind: FileKind, path: string): boolean {
  if (kind === "python" || kind === "test") return false;
  if (kind === "other") return /\.(ya?ml|json|toml|ini|cfg)$/i.test(path) || isContainerScriptPath(path) || isTaskFile(path);
  return true;
}

/**
 * What CI runs through and what pins the interpreter: Makefiles and justfiles, extensionless scripts in the folders
 * that hold them (`scripts/lint`, `bin/test`), `.python-version`, `runtime.txt`, `.tool-versions`.
 */
function isTaskFile(path: string): boolean {
  const base = posix.basename(path);
  if (/^(makefile|gnumakefile|\.?justfile|\.python-version|runtime\.txt|\.tool-versions)$/i.test(base)) return true;
  return !base.includes(".") && /(^|\/)(scripts?|bin|ci|tools)\/[^/]+$/i.test(path);
}

export const DEFAULT_EXCLUDES = [
  ".git/", ".hg/", ".svn/", ".venv/", "venv/", ".tox/", ".nox/", "node_modules/", "__pycache__/", ".mypy_cache/",
  ".pytest_cache/", ".ruff_cache/", ".eggs/", "*.egg-info/", "site-packages/", "htmlcov/", ".idea/", ".vscode/",
  "build/", "dist/", ".terraform/", "archscope-report/", "*.pyc",
];
