import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { project } from "../helpers/project.js";

const deps = async (files: Record<string, string>) =>
  (await project(files)).model.dependencies.map((d) => `${d.manifest}:${d.line} ${d.name}${d.spec}${d.pinned ? " pinned" : ""}${d.dev ? " dev" : ""}${d.group ? ` [${d.group}]` : ""}${d.marker ? ` ; ${d.marker}` : ""}`);

describe("dependencies", () => {
  it("reads PEP 621 dependencies, optional groups and PEP 735 groups", async () => {
    const got = await deps({
      "pyproject.toml": [
        "[project]",
        'name = "shop"',
        "dependencies = [",
        '  "fastapi>=0.115,<0.116",',
        '  "SQLAlchemy[asyncio]==2.0.36",',
        '  "tomli>=2; python_version < \\"3.11\\"",',
        "]",
        "[project.optional-dependencies]",
        'test = ["pytest>=8"]',
        'redis = ["redis>=5"]',
        "[dependency-groups]",
        'lint = ["ruff==0.8.0"]',
      ].join("\n"),
    });
    assert.deepEqual(got, [
      "pyproject.toml:4 fastapi>=0.115,<0.116",
      "pyproject.toml:5 sqlalchemy==2.0.36 pinned",
      'pyproject.toml:6 tomli>=2 ; python_version < "3.11"',
      "pyproject.toml:9 pytest>=8 dev [test]",
      "pyproject.toml:10 redis>=5 [redis]",
      "pyproject.toml:12 ruff==0.8.0 pinned dev [lint]",
    ]);
  });

  it("reads Poetry groups, PDM and uv dev dependencies", async () => {
    const got = await deps({
      "pyproject.toml": [
        "[tool.poetry.dependencies]",
        'python = "^3.12"',
        'django = "5.1.4"',
        "[tool.poetry.group.dev.dependencies]",
        'pytest-django = "^4.9"',
        "[tool.pdm.dev-dependencies]",
        'docs = ["mkdocs>=1.6"]',
        "[tool.uv]",
        'dev-dependencies = ["mypy>=1.13"]',
      ].join("\n"),
    });
    assert.deepEqual(got, [
      "pyproject.toml:3 django5.1.4 pinned",
      "pyproject.toml:5 pytest-django^4.9 dev [dev]",
      "pyproject.toml:7 mkdocs>=1.6 dev [docs]",
      "pyproject.toml:9 mypy>=1.13 dev [dev]",
    ]);
  });

  it("reads requirements files with hashes, constraints and markers, Pipfile and setup.cfg", async () => {
    const p = await project({
      "requirements.txt": ["-c constraints.txt", "flask", "gunicorn==23.0.0 \\", "    --hash=sha256:abc", "# a comment", "-r requirements-base.txt"].join("\n"),
      "constraints.txt": "flask==3.1.0\n",
      "requirements-dev.txt": "pytest\n",
      Pipfile: ['[packages]', 'requests = "*"', '[dev-packages]', 'black = "==24.10.0"'].join("\n"),
      "setup.cfg": ["[metadata]", "name = x", "[options]", "install_requires =", "    click>=8", "[options.extras_require]", "test =", "    pytest"].join("\n"),
    });
    const got = p.model.dependencies.map((d) => `${d.manifest}:${d.line} ${d.name}${d.pinned ? " pinned" : ""}${d.dev ? " dev" : ""}`);
    assert.deepEqual(got, [
      "Pipfile:2 requests",
      "Pipfile:4 black pinned dev",
      "constraints.txt:1 flask pinned",
      "requirements-dev.txt:1 pytest dev",
      "requirements.txt:2 flask pinned",
      "requirements.txt:3 gunicorn pinned",
      "setup.cfg:5 click",
      "setup.cfg:8 pytest dev",
    ]);
    assert.deepEqual(p.model.lockFiles, ["requirements.txt"]);
  });

  it("reports broken TOML and carries on", async () => {
    const p = await project({ "pyproject.toml": "[project\nname=", "requirements.txt": "httpx\n" });
    assert.deepEqual(p.model.dependencies.map((d) => d.name), ["httpx"]);
  });
});

describe("setup.py, read without running it", () => {
  it("reads install_requires (literal or through a constant) and extras_require", async () => {
    const p = await project({
      "setup.py": [
        "from setuptools import setup",
        "REQUIRES = ['flask>=3', 'sqlalchemy==2.0.36']",
        "setup(",
        "    name='x',",
        "    install_requires=REQUIRES,",
        "    extras_require={'test': ['pytest'], 'redis': ['redis>=5']},",
        ")",
      ].join("\n"),
    });
    const got = p.model.dependencies.map((d) => `${d.manifest}:${d.line} ${d.name}${d.spec}${d.pinned ? " pinned" : ""}${d.dev ? " dev" : ""}${d.group ? ` [${d.group}]` : ""}`);
    assert.deepEqual(got, ["setup.py:3 flask>=3", "setup.py:3 sqlalchemy==2.0.36 pinned", "setup.py:3 pytest dev [test]", "setup.py:3 redis>=5 [redis]"]);
  });
});
