import assert from "node:assert/strict";
import { describe, it } from "node:test";
import imageBuildHygiene from "../../src/checks/deployment/image-build-hygiene.js";
import { locations, project, py } from "../helpers/project.js";

const app = { "app/__init__.py": "", "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()") };
const dockerfile = (...lines: string[]) => `${lines.join("\n")}\n`;

async function run(text: string, extra: Record<string, string> = {}) {
  const p = await project({ ...app, Dockerfile: text, ...extra });
  return p.run(imageBuildHygiene);
}

describe("DEP004 image build hygiene", () => {
  it("fires on build tools in a single-stage image, at the RUN that installs them", async () => {
    const findings = await run(
      dockerfile(
        "FROM python:3.12-slim",
        "RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \\",
        "    && rm -rf /var/lib/apt/lists/*",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "COPY . /app",
      ),
    );
    assert.deepEqual(locations(findings), [["DEP004", "Dockerfile", 2]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /build-essential, libpq-dev\) in a single-stage image/);
  });

  it("fires when the source is copied before the requirements are installed, and on a kept pip cache", async () => {
    const findings = await run(dockerfile("FROM python:3.12-slim", "WORKDIR /app", "COPY . .", "RUN pip install -r requirements.txt", 'CMD ["uvicorn", "app.main:app"]'));
    assert.deepEqual(locations(findings), [["DEP004", "Dockerfile", 3], ["DEP004", "Dockerfile", 4]]);
    assert.match(findings.map((f) => f.message).join("\n"), /copies the application source \(COPY \.\) before the dependencies are installed \(line 4\)/);
    assert.match(findings.map((f) => f.message).join("\n"), /without `--no-cache-dir`/);
  });

  it("counts a copy of a package folder as the source, not of a requirements folder", async () => {
    const folder = await run(dockerfile("FROM python:3.12-slim", "COPY app/ /srv/app/", "RUN pip install --no-cache-dir -r /srv/requirements.txt"));
    assert.deepEqual(locations(folder), [["DEP004", "Dockerfile", 2]]);
    const requirements = await run(dockerfile("FROM python:3.12-slim", "COPY requirements/ /tmp/requirements/", "COPY pyproject.toml uv.lock ./", "RUN pip install --no-cache-dir -r /tmp/requirements/prod.txt", "COPY . /app"));
    assert.deepEqual(requirements, []);
  });

  it("stays quiet on a multi-stage build whose final stage copies wheels from the builder", async () => {
    const findings = await run(
      dockerfile(
        "FROM python:3.12-slim AS builder",
        "RUN apt-get update && apt-get install -y gcc libpq-dev",
        "COPY requirements.txt .",
        "RUN pip wheel -r requirements.txt -w /wheels",
        "FROM python:3.12-slim",
        "COPY --from=builder /wheels /wheels",
        "RUN pip install --no-cache-dir /wheels/*",
        "COPY . /app",
      ),
    );
    assert.deepEqual(findings, []);
  });

  it("fires on a final stage built FROM the builder: its tools are inherited", async () => {
    const findings = await run(dockerfile("FROM python:3.12-slim AS base", "RUN apt-get update && apt-get install -y gcc", "FROM base AS runtime", "ENV PIP_NO_CACHE_DIR=1", "COPY . /app"));
    assert.deepEqual(locations(findings), [["DEP004", "Dockerfile", 2]]);
    assert.match(findings[0]?.message ?? "", /the final stage \(FROM base, line 3\)/);
  });

  it("stays quiet on tools removed again, cache mounts, PIP_NO_CACHE_DIR, uv and pip upgrades", async () => {
    const findings = await run(
      dockerfile(
        "FROM python:3.12-alpine",
        "ENV PIP_NO_CACHE_DIR=off",
        "RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev \\",
        "    && pip install -r requirements.txt && apk del .build-deps",
        "COPY . /app",
      ),
    );
    assert.deepEqual(findings, []);
    const mounts = await run(
      dockerfile(
        "FROM python:3.12-slim",
        "COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv",
        "RUN pip install --upgrade pip setuptools wheel",
        "COPY . /app",
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked",
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -e .",
      ),
    );
    assert.deepEqual(mounts, []);
  });

  it("leaves development Dockerfiles and images that do not run Python alone", async () => {
    const dev = await run("", { "Dockerfile.dev": dockerfile("FROM python:3.12", "COPY . .", "RUN pip install -r requirements.txt") });
    assert.deepEqual(dev, []);
    const node = await run(dockerfile("FROM node:20", "RUN apt-get update && apt-get install -y build-essential", "COPY . .", "RUN npm ci"));
    assert.deepEqual(node, []);
  });
});

describe("DEP004 near misses from real backends", () => {
  it("does not take an install in the final stage, after the builder installed the dependencies, for an uncached one", async () => {
    const findings = await run(
      dockerfile(
        "FROM python:3.12-slim AS builder",
        "COPY poetry.lock pyproject.toml ./",
        "RUN pip install --no-cache-dir poetry && poetry install --only main --no-root",
        "FROM python:3.12-slim",
        "COPY --from=builder /venv /venv",
        "COPY ./app /srv/app",
        "RUN poetry install --only main",
      ),
    );
    assert.deepEqual(findings, []);
  });

  it("still fires when the copy from another image only brings a tool (uv)", async () => {
    const findings = await run(dockerfile("FROM python:3.12-slim", "COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv", "COPY . /app", "RUN uv sync --locked"));
    assert.deepEqual(locations(findings), [["DEP004", "Dockerfile", 3]]);
  });

  it("accepts pip's `--no-cache` prefix per command, and leaves `uv pip install` alone", async () => {
    const findings = await run(dockerfile("FROM python:3.12-slim", "COPY requirements.txt .", "RUN pip install --upgrade pip && pip install --no-cache -r requirements.txt", "RUN uv pip install --system -r requirements.txt"));
    assert.deepEqual(findings, []);
  });
});
