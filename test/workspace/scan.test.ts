import assert from "node:assert/strict";
import { chmod, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scanWorkspace } from "../../src/workspace/scan.js";
import type { FileSet, WorkspaceFile } from "../../src/workspace/types.js";
import { tempTrees } from "../helpers/temp-tree.js";

const tree = tempTrees("scan");

function paths(set: FileSet): string[] {
  return set.files.map((f) => f.path);
}

function file(set: FileSet, path: string): WorkspaceFile {
  const found = set.files.find((f) => f.path === path);
  assert.ok(found, `${path} is listed`);
  return found;
}

function diagnosticsFor(set: FileSet, path: string): string[] {
  return set.diagnostics.filter((d) => d.file === path).map((d) => d.code);
}

describe("scanWorkspace: what gets listed", () => {
  it("honours the root .gitignore and a nested one, each relative to its own folder", async () => {
    const root = await tree({
      ".gitignore": "*.log\n/secrets/\n",
      "app/main.py": "print('hi')\n",
      "debug.log": "x\n",
      "secrets/key.txt": "k\n",
      "app/secrets/__init__.py": "",
      "app/.gitignore": "local_*.py\n/generated.py\n",
      "app/local_settings.py": "DEBUG = True\n",
      "app/generated.py": "X = 1\n",
      "app/sub/generated.py": "X = 2\n",
      "other/local_notes.py": "Y = 1\n",
      "app/nested/trace.log": "x\n",
    });
    const set = await scanWorkspace(root);
    assert.deepEqual(paths(set), [
      ".gitignore",
      "app/.gitignore",
      "app/main.py",
      // `/secrets/` is anchored to the root: app/secrets is not ignored
      "app/secrets/__init__.py",
      // `/generated.py` in app/.gitignore matches app/generated.py only
      "app/sub/generated.py",
      "other/local_notes.py",
    ]);
  });

  it("lets a nested .gitignore re-include what a parent .gitignore ignores, as git does", async () => {
    const root = await tree({
      ".gitignore": "*.md\n",
      "README.md": "# ignored\n",
      "docs/.gitignore": "!design.md\n",
      "docs/design.md": "# kept\n",
      "docs/notes.md": "# ignored\n",
    });
    const set = await scanWorkspace(root);
    assert.deepEqual(paths(set), [".gitignore", "docs/.gitignore", "docs/design.md"]);
  });

  it("skips the default excludes (.venv, node_modules, __pycache__, build output) at any depth", async () => {
    const root = await tree({
      "app/main.py": "",
      ".venv/lib/python3.12/site-packages/requests/api.py": "",
      "venv/bin/activate": "",
      "node_modules/left-pad/index.js": "",
      "app/__pycache__/main.cpython-312.pyc": "",
      "app/__pycache__/stale.py": "",
      "frontend/node_modules/x/setup.py": "",
      "build/lib/app/main.py": "",
      "pkg.egg-info/PKG-INFO": "",
      ".git/HEAD": "ref: refs/heads/main\n",
      "app/cached.pyc": "",
    });
    const set = await scanWorkspace(root);
    assert.deepEqual(paths(set), ["app/main.py"]);
  });

  it("applies --exclude globs given as the exclude option", async () => {
    const root = await tree({
      "app/main.py": "",
      "app/generated/models.py": "",
      "app/generated/deep/more.py": "",
      "scripts/seed.py": "",
      "legacy.py": "",
    });
    const set = await scanWorkspace(root, { exclude: ["app/generated/", "scripts/**", "legacy.py"] });
    assert.deepEqual(paths(set), ["app/main.py"]);
  });

  it("lists a .gitignore'd .env with gitignored: true, and tracked: null outside a git work tree", async () => {
    const root = await tree({
      ".gitignore": ".env\n*.secret\n",
      ".env": "SECRET_KEY=abcdef\n",
      ".env.example": "SECRET_KEY=\n",
      "token.secret": "x\n",
    });
    const set = await scanWorkspace(root);
    assert.deepEqual(paths(set), [".env", ".env.example", ".gitignore"]);
    const env = file(set, ".env");
    assert.equal(env.kind, "env");
    assert.equal(env.gitignored, true);
    assert.equal(env.tracked, null);
    assert.equal(env.text, "SECRET_KEY=abcdef\n");
    assert.equal(file(set, ".env.example").gitignored, false);
    assert.equal(set.isGitWorkTree, false);
  });

  it("gives relative POSIX paths in code-unit order, and the same result twice", async () => {
    const root = await tree({
      "b.py": "",
      "B.py": "",
      "a/b.py": "",
      "a.py": "",
      "_private.py": "",
      "a/Z/deep.py": "",
      "a/a.py": "",
      "é.md": "# accent\n",
    });
    const set = await scanWorkspace(root);
    const listed = paths(set);
    for (const p of listed) {
      assert.ok(!p.startsWith("/") && !p.includes("\\") && !p.startsWith("./"), `${p} is relative POSIX`);
    }
    assert.deepEqual(listed, ["B.py", "_private.py", "a.py", "a/Z/deep.py", "a/a.py", "a/b.py", "b.py", "é.md"]);
    assert.deepEqual([...listed].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), listed);
    assert.equal(set.root, root);
    assert.deepEqual(await scanWorkspace(root), set);
  });
});

describe("scanWorkspace: classification", () => {
  it("classifies every kind of file the model reads", async () => {
    const root = await tree({
      "app/main.py": "import fastapi\n",
      "tests/test_main.py": "def test_x(): pass\n",
      "app/conftest.py": "",
      "app/users_test.py": "",
      "requirements.txt": "fastapi==0.110.0\n",
      "requirements/dev.txt": "pytest\n",
      "pyproject.toml": "[project]\nname = 'x'\n",
      "poetry.lock": "",
      "Dockerfile": "FROM python:3.12-slim\n",
      "docker/worker.Dockerfile": "FROM python:3.12-slim\n",
      "docker-compose.yml": "services:\n  api:\n    image: x\n",
      "compose.prod.yaml": "services: {}\n",
      "deploy/api.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n",
      "deploy/notes.yaml": "title: not kubernetes\nkind: note\n",
      "charts/api/Chart.yaml": "apiVersion: v2\nname: api\n",
      "charts/api/values.yaml": "replicaCount: 2\n",
      "charts/api/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n",
      "infra/main.tf": 'resource "aws_db_instance" "db" {}\n',
      "infra/prod.tfvars": "region = \"eu-west-1\"\n",
      ".github/workflows/ci.yml": "on: push\njobs: {}\n",
      ".gitlab-ci.yml": "stages: [test]\n",
      ".env": "A=1\n",
      "config/production.env": "A=2\n",
      "README.md": "# Shop\n",
      "docs/design.rst": "Design\n======\n",
      "openapi.yaml": "openapi: 3.1.0\n",
      "alembic.ini": "[alembic]\n",
      "app/migrations/0001_initial.py": "",
      "static/logo.svg": "<svg/>",
      "roles/image_build/tasks/dockerfile.yml": "- name: build the image\n  command: docker build .\n",
    });
    const set = await scanWorkspace(root);
    const kinds = Object.fromEntries(set.files.map((f) => [f.path, f.kind]));
    assert.deepEqual(kinds, {
      ".env": "env",
      ".github/workflows/ci.yml": "ci",
      ".gitlab-ci.yml": "ci",
      "README.md": "doc",
      "alembic.ini": "config",
      "app/conftest.py": "test",
      "app/main.py": "python",
      "app/migrations/0001_initial.py": "python",
      "app/users_test.py": "test",
      "charts/api/Chart.yaml": "helm",
      "charts/api/templates/deployment.yaml": "helm",
      "charts/api/values.yaml": "helm",
      "compose.prod.yaml": "compose",
      "config/production.env": "env",
      "deploy/api.yaml": "k8s",
      "deploy/notes.yaml": "other",
      "docker-compose.yml": "compose",
      "docker/worker.Dockerfile": "dockerfile",
      "roles/image_build/tasks/dockerfile.yml": "other",
      "Dockerfile": "dockerfile",
      "docs/design.rst": "doc",
      "infra/main.tf": "terraform",
      "infra/prod.tfvars": "terraform",
      "openapi.yaml": "openapi",
      "poetry.lock": "manifest",
      "pyproject.toml": "manifest",
      "requirements.txt": "manifest",
      "requirements/dev.txt": "manifest",
      "static/logo.svg": "other",
      "tests/test_main.py": "test",
    });
    assert.equal(file(set, "app/migrations/0001_initial.py").migration, true);
    assert.equal(file(set, "app/main.py").migration, undefined);
    // Python text is read later by the parse stage; the text of what the model reads is here now
    assert.equal(file(set, "app/main.py").text, undefined);
    assert.equal(file(set, "Dockerfile").text, "FROM python:3.12-slim\n");
    assert.equal(file(set, "static/logo.svg").text, undefined);
  });
});

describe("scanWorkspace: bad input is reported, never fatal", () => {
  it("lists a Python file over the size limit as skipped too-large, with a diagnostic", async () => {
    const root = await tree({
      "app/big.py": `X = "${"x".repeat(300)}"\n`,
      "app/small.py": "X = 1\n",
    });
    const set = await scanWorkspace(root, { maxPythonBytes: 100 });
    const big = file(set, "app/big.py");
    assert.equal(big.skipped, "too-large");
    assert.equal(big.size, 307);
    assert.equal(file(set, "app/small.py").skipped, undefined);
    const diagnostic = set.diagnostics.find((d) => d.code === "file-too-large");
    assert.equal(diagnostic?.file, "app/big.py");
    assert.equal(diagnostic?.level, "info");
    // the message names sizes a reader can act on, even for a small limit
    assert.match(diagnostic?.message ?? "", /307 bytes.*100 bytes/);
    assert.deepEqual(diagnosticsFor(set, "app/small.py"), []);
  });

  it("marks a text file with a NUL byte as binary", async () => {
    const root = await tree({
      "docs/design.md": Buffer.from([0x23, 0x20, 0x00, 0xff]),
      "assets/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
      "app/empty.py": "",
    });
    const set = await scanWorkspace(root);
    // Python is checked for binary content when the parse stage reads it (test/python/parse-files.test.ts)
    assert.equal(file(set, "app/empty.py").skipped, undefined);
    const doc = file(set, "docs/design.md");
    assert.equal(doc.skipped, "binary");
    assert.equal(doc.text, undefined);
    assert.deepEqual(diagnosticsFor(set, "docs/design.md"), ["binary-file"]);
    // files the model never reads are listed without being opened
    assert.deepEqual(diagnosticsFor(set, "assets/logo.png"), []);
  });

  it("decodes non-UTF-8 text with replacement characters and a non-utf8 diagnostic", async () => {
    const root = await tree({
      "requirements.txt": Buffer.from("caf\xe9==1.0\n", "latin1"),
      "README.md": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("# Café\n", "utf8")]),
      "docs/replacement.md": "a literal \uFFFD in valid UTF-8\n",
    });
    const set = await scanWorkspace(root);
    const manifest = file(set, "requirements.txt");
    assert.equal(manifest.text, "caf\uFFFD==1.0\n");
    assert.equal(manifest.skipped, undefined);
    assert.deepEqual(diagnosticsFor(set, "requirements.txt"), ["non-utf8"]);
    // a UTF-8 byte-order mark is dropped and is not an encoding problem
    assert.equal(file(set, "README.md").text, "# Café\n");
    assert.deepEqual(diagnosticsFor(set, "README.md"), []);
    // valid UTF-8 that happens to contain U+FFFD is not lossy
    assert.deepEqual(diagnosticsFor(set, "docs/replacement.md"), []);
  });

  it("does not follow a symbolic link out of the root", async () => {
    const outside = await tree({ "secret.txt": "TOKEN=x\n", "lib/stolen.py": "X = 1\n" });
    const root = await tree({ "app/main.py": "" });
    await symlink(join(outside, "secret.txt"), join(root, "linked-secret.txt"));
    await symlink(join(outside, "lib"), join(root, "linked-lib"));
    const set = await scanWorkspace(root);
    assert.deepEqual(paths(set), ["app/main.py"]);
    assert.deepEqual(diagnosticsFor(set, "linked-secret.txt"), ["symlink-outside-root"]);
    assert.deepEqual(diagnosticsFor(set, "linked-lib"), ["symlink-outside-root"]);
  });

  it("follows a link to a file inside the root and never walks a linked directory twice", async () => {
    const root = await tree({ "app/settings.py": "DEBUG = False\n", "config/base.yaml": "a: 1\n" });
    await symlink(join(root, "app", "settings.py"), join(root, "settings.py"));
    await symlink("..", join(root, "app", "parent"));
    await symlink("config", join(root, "config-link"));
    const set = await scanWorkspace(root);
    assert.deepEqual(paths(set), ["app/settings.py", "config/base.yaml", "settings.py"]);
    assert.equal(file(set, "settings.py").kind, "python");
    assert.deepEqual(set.diagnostics, []);
  });

  it("reports a symbolic link loop and finishes the scan", async () => {
    const root = await tree({ "app/main.py": "" });
    await symlink("b", join(root, "a"));
    await symlink("a", join(root, "b"));
    await symlink("missing-target", join(root, "dangling"));
    const set = await scanWorkspace(root);
    assert.deepEqual(paths(set), ["app/main.py"]);
    assert.deepEqual(diagnosticsFor(set, "a"), ["symlink-loop"]);
    assert.deepEqual(diagnosticsFor(set, "b"), ["symlink-loop"]);
    assert.deepEqual(diagnosticsFor(set, "dangling"), ["unreadable"]);
  });

  it("lists an unreadable file as skipped unreadable, with a diagnostic", async (t) => {
    const root = await tree({ "app/main.py": "", "Dockerfile": "FROM x\n", "private/notes.md": "# x\n" });
    await chmod(join(root, "Dockerfile"), 0o000);
    await chmod(join(root, "private"), 0o000);
    try {
      if (process.getuid?.() === 0) {
        t.skip("running as root: chmod 000 does not stop root from reading");
        return;
      }
      const set = await scanWorkspace(root);
      assert.equal(file(set, "Dockerfile").skipped, "unreadable");
      assert.equal(file(set, "Dockerfile").text, undefined);
      assert.deepEqual(diagnosticsFor(set, "Dockerfile"), ["unreadable"]);
      assert.deepEqual(diagnosticsFor(set, "private"), ["unreadable"]);
      assert.equal(file(set, "app/main.py").skipped, undefined);
    } finally {
      await chmod(join(root, "Dockerfile"), 0o644);
      await chmod(join(root, "private"), 0o755);
    }
  });
});

describe("isMigrationPath", () => {
  it("counts Alembic versions and Django migrations, not Alembic's env.py", async () => {
    const { isMigrationPath } = await import("../../src/workspace/classify.js");
    assert.equal(isMigrationPath("alembic/versions/001_init.py"), true);
    assert.equal(isMigrationPath("app/db/migrations/versions/abc_tables.py"), true);
    assert.equal(isMigrationPath("shop/migrations/0001_initial.py"), true);
    assert.equal(isMigrationPath("app/db/migrations/env.py"), false);
    assert.equal(isMigrationPath("app/services/versions.py"), false);
  });
});
