import assert from "node:assert/strict";
import { describe, it } from "node:test";
import endOfLifeVersions, { endOfLifeReports } from "../../src/checks/deployment/end-of-life-versions.js";
import { END_OF_LIFE, hasEnded, newestAdmitted, supportEnd } from "../../src/model/catalog/end-of-life.js";
import { locations, project, py } from "../helpers/project.js";

const app = py("from fastapi import FastAPI", "app = FastAPI()");

describe("DEP014 end-of-life versions", () => {
  it("fires on a Django ceiling that admits only an ended series, at the manifest line", async () => {
    const p = await project({ "requirements.txt": "requests==2.32.3\nDjango>=3.2,<4.0\n", "app/views.py": py("x = 1") });
    const findings = p.run(endOfLifeVersions);
    assert.deepEqual(locations(findings), [["DEP014", "requirements.txt", 2]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /Django 3\.2 is end-of-life: support ended 2024-04-01.*Move to Django 5\.2 LTS/);
  });

  it("fires on a pinned Celery 4 and on SQLAlchemy 1.3 in pyproject dependencies", async () => {
    const p = await project({
      "pyproject.toml": ['[project]', 'name = "svc"', 'dependencies = [', '  "celery==4.4.7",', '  "SQLAlchemy~=1.3.24",', '  "flask>=3.0",', "]"].join("\n"),
      "svc/app.py": py("x = 1"),
    });
    assert.deepEqual(locations(p.run(endOfLifeVersions)), [["DEP014", "pyproject.toml", 4], ["DEP014", "pyproject.toml", 5]]);
    const messages = p.run(endOfLifeVersions).map((f) => f.message).join("\n");
    assert.match(messages, /SQLAlchemy 1\.3 is end-of-life: the project marks it end-of-life/);
    assert.match(messages, /Celery 4\.4 is end-of-life: superseded 2020-09-24/);
  });

  it("fires on Pydantic 1 in a FastAPI service, pinned or implied by FastAPI before 0.100", async () => {
    const pinned = await project({ "requirements.txt": "fastapi==0.110.0\npydantic<2\n", "app/main.py": app });
    assert.deepEqual(locations(pinned.run(endOfLifeVersions)), [["DEP014", "requirements.txt", 2]]);
    const implied = await project({ "requirements.txt": "fastapi==0.95.2\n", "app/main.py": app });
    const [finding] = implied.run(endOfLifeVersions);
    assert.match(finding?.message ?? "", /Pydantic 1 is end-of-life: support ended 2024-06-30.*FastAPI `==0\.95\.2` \(before 0\.100\) requires it/);
  });

  it("fires on requires-python that caps Python below a supported version", async () => {
    const p = await project({ "pyproject.toml": ['[project]', 'name = "svc"', 'requires-python = ">=3.8,<3.10"', "dependencies = []"].join("\n"), "svc/app.py": py("x = 1") });
    const findings = p.run(endOfLifeVersions);
    assert.deepEqual(locations(findings), [["DEP014", "pyproject.toml", 3]]);
    assert.match(findings[0]?.message ?? "", /Python 3\.9 is end-of-life: support ended 2025-10-31/);
  });

  it("stays quiet on lower bounds alone, supported pins, dev groups, markers and Pydantic 1 without FastAPI", async () => {
    const p = await project({
      "pyproject.toml": [
        "[project]",
        'name = "svc"',
        'requires-python = ">=3.8"',
        "dependencies = [",
        '  "Django>=3.2",',
        '  "SQLAlchemy>=2.0,<2.1",',
        '  "pydantic<2",',
        '  "celery==4.4.7; python_version < \'3.7\'",',
        "]",
        "[dependency-groups]",
        'legacy = ["flask==1.1.4"]',
      ].join("\n"),
      "svc/app.py": py("x = 1"),
    });
    assert.deepEqual(p.run(endOfLifeVersions), []);
  });

  it("leaves a Python base image to DEP003 and a requirements file of the docs alone", async () => {
    const p = await project({ Dockerfile: "FROM python:3.8-slim\n", "docs/requirements.txt": "Django==2.2.28\n", "app/main.py": py("x = 1") });
    assert.deepEqual(p.run(endOfLifeVersions), []);
  });

  it("judges against the date given: Django 4.2 is supported until April 2026 ends", async () => {
    const p = await project({ "requirements.txt": "Django==4.2.16\n", "app/main.py": py("x = 1") });
    assert.deepEqual(endOfLifeReports(p.model, "2026-04-30"), []);
    assert.equal(endOfLifeReports(p.model, "2026-05-01").length, 1);
  });
});

describe("end-of-life catalog", () => {
  const python = END_OF_LIFE.find((p) => p.package === "python");
  const django = END_OF_LIFE.find((p) => p.package === "django");

  it("reads specifiers as the newest series they admit", () => {
    assert.ok(python && django);
    assert.equal(newestAdmitted(">=3.8", python.series), python.series[python.series.length - 1]);
    assert.equal(newestAdmitted(">=3.8,<3.11", python.series), "3.10");
    assert.equal(newestAdmitted(">=3.8 <3.10", python.series), "3.9");
    assert.equal(newestAdmitted("^3.9", python.series), python.series[python.series.length - 1]);
    assert.equal(newestAdmitted("~3.9", python.series), "3.9");
    assert.equal(newestAdmitted("3.9.18", python.series), "3.9");
    assert.equal(newestAdmitted("~=3.2", django.series), "3.2");
    assert.equal(newestAdmitted("==4.2.*", django.series), "4.2");
    assert.equal(newestAdmitted("^4.2", django.series), "4.2");
    assert.equal(newestAdmitted("not a version", django.series), null);
  });

  it("every ended series names a source and a series to move to, and Flask 2.x counts as Flask 2", () => {
    for (const p of END_OF_LIFE) for (const e of p.ended) assert.ok(e.source.startsWith("https://") && e.moveTo && /^\d{4}-\d{2}(-\d{2})?$/.test(e.ended), `${p.name} ${e.series}`);
    const flask = END_OF_LIFE.find((p) => p.package === "flask");
    assert.ok(flask);
    assert.equal(supportEnd(flask, "2.3")?.series, "2");
    assert.equal(supportEnd(flask, "3.1"), null);
  });

  it("reads a month-only date as its last day", () => {
    const end = python && supportEnd(python, "3.10");
    assert.ok(end);
    assert.equal(hasEnded(end, "2026-10-31"), false);
    assert.equal(hasEnded(end, "2026-11-01"), true);
  });
});
