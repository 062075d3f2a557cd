import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authenticationCoverage, errorTracking, migrationsManaged, structuredLogging, testsInCi, unprivilegedContainer } from "../../src/checks/strengths/strengths.js";
import { locations, project, py } from "../helpers/project.js";

const fastapiApp = (auth: boolean) =>
  py(
    "from fastapi import APIRouter, Depends, FastAPI",
    "from fastapi.security import OAuth2PasswordBearer",
    "oauth2 = OAuth2PasswordBearer(tokenUrl='/login')",
    "def current_user(token: str = Depends(oauth2)): ...",
    `router = APIRouter(prefix='/items'${auth ? ", dependencies=[Depends(current_user)]" : ""})`,
    "@router.get('/')",
    "def list_items(): ...", // 7
    "@router.post('/')",
    "def create_item(): ...",
    "@router.delete('/{id}')",
    "def delete_item(id: int): ...",
    "app = FastAPI()",
    "app.include_router(router)",
    "@app.post('/login')",
    "def login(): ...",
  );

describe("strengths", () => {
  it("DB-S001 reports migrations, and is silent without them", async () => {
    const withMigrations = await project({ "alembic/versions/001_init.py": "revision = '001'\n", "app/models.py": "x = 1\n" });
    assert.deepEqual(locations(withMigrations.run(migrationsManaged)), [["DB-S001", "alembic/versions/001_init.py", 1]]);
    assert.equal(withMigrations.run(migrationsManaged)[0]?.severity, "info");
    assert.equal(withMigrations.run(migrationsManaged)[0]?.kind, "strength");
    assert.deepEqual(locations((await project({ "app/models.py": "x = 1\n" })).run(migrationsManaged)), []);
  });

  it("SEC-S001 needs every non-public endpoint authenticated", async () => {
    const covered = await project({ "app/main.py": fastapiApp(true) });
    assert.deepEqual(locations(covered.run(authenticationCoverage)), [["SEC-S001", "app/main.py", 7]]);
    const open = await project({ "app/main.py": fastapiApp(false) });
    assert.deepEqual(locations(open.run(authenticationCoverage)), []);
  });

  it("OBS-S001 finds sentry_sdk.init through an alias, not a mere import", async () => {
    const init = await project({ "app/main.py": py("import sentry_sdk as sentry", "", "sentry.init(dsn=None)") });
    assert.deepEqual(locations(init.run(errorTracking)), [["OBS-S001", "app/main.py", 3]]);
    const importOnly = await project({ "app/main.py": py("import sentry_sdk", "x = sentry_sdk") });
    assert.deepEqual(locations(importOnly.run(errorTracking)), []);
  });

  it("OBS-S002 finds structlog configuration, and not plain logging", async () => {
    const configured = await project({ "app/log.py": py("import structlog", "def setup():", "    structlog.configure(processors=[])") });
    assert.deepEqual(locations(configured.run(structuredLogging)), [["OBS-S002", "app/log.py", 3]]);
    const plain = await project({ "app/log.py": py("import logging", "logging.basicConfig(level='INFO')") });
    assert.deepEqual(locations(plain.run(structuredLogging)), []);
    // loguru writes text unless a sink serializes records; a script's configuration says nothing about the service
    const loguru = (args: string) => ({ "app/log.py": py("import sys", "from loguru import logger", `logger.add(sys.stdout${args})`) });
    assert.deepEqual(locations((await project(loguru(", serialize=True"))).run(structuredLogging)), [["OBS-S002", "app/log.py", 3]]);
    assert.deepEqual(locations((await project(loguru(", format='{message}'"))).run(structuredLogging)), []);
    const script = await project({ "scripts/backfill.py": py("import structlog", "structlog.configure(processors=[])") });
    assert.deepEqual(locations(script.run(structuredLogging)), []);
  });

  it("CODE-S001 needs tests and a CI job that runs them", async () => {
    const files = {
      "app/x.py": "def f():\n    return 1\n",
      "tests/test_x.py": "def test_f():\n    assert True\n",
      ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest -q\n",
    };
    assert.deepEqual(locations((await project(files)).run(testsInCi)), [["CODE-S001", ".github/workflows/ci.yml", 3]]);
    const lintOnly = { ...files, ".github/workflows/ci.yml": "on: push\njobs:\n  lint:\n    steps:\n      - run: ruff check .\n" };
    assert.deepEqual(locations((await project(lintOnly)).run(testsInCi)), []);
  });

  it("DEP-S001 reports a non-root final stage, and not USER root", async () => {
    const ok = await project({ Dockerfile: py("FROM python:3.12-slim", "RUN useradd app", "USER app", 'CMD ["python"]') });
    assert.deepEqual(locations(ok.run(unprivilegedContainer)), [["DEP-S001", "Dockerfile", 3]]);
    const root = await project({ Dockerfile: py("FROM python:3.12-slim", "USER root", 'CMD ["python"]') });
    assert.deepEqual(locations(root.run(unprivilegedContainer)), []);
    // a CI runner's image is not the service's
    const ci = await project({ "tools/ci/Dockerfile": py("FROM python:3.12-slim", "USER runner", 'CMD ["python"]') });
    assert.deepEqual(locations(ci.run(unprivilegedContainer)), []);
  });
});
