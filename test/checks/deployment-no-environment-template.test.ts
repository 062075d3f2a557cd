import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noEnvironmentTemplate from "../../src/checks/deployment/no-environment-template.js";
import { project } from "../helpers/project.js";

const SETTINGS = [
  "import os",
  "",
  'DATABASE_URL = os.environ["DATABASE_URL"]',
  'SECRET_KEY = os.environ["SECRET_KEY"]',
  'REDIS_URL = os.environ.get("REDIS_URL")',
  'SENTRY_DSN = os.getenv("SENTRY_DSN")',
  'ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")',
  "DEBUG = False",
  "",
].join("\n");

describe("DEP013 no environment template", () => {
  it("fires when settings read from the environment are listed nowhere", async () => {
    const p = await project({ "app/settings.py": SETTINGS });
    const findings = p.run(noEnvironmentTemplate);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "DEP013");
    assert.equal(findings[0]?.evidence[0]?.file, "app/settings.py");
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /5 settings are read from the environment/);
  });

  it("stays quiet with a .env.example", async () => {
    assert.deepEqual((await project({ "app/settings.py": SETTINGS, ".env.example": "DATABASE_URL=\nSECRET_KEY=\n" })).run(noEnvironmentTemplate), []);
  });

  it("stays quiet with a configuration document", async () => {
    assert.deepEqual((await project({ "app/settings.py": SETTINGS, "docs/configuration.md": "# Configuration\n\n`DATABASE_URL`: required.\n" })).run(noEnvironmentTemplate), []);
  });

  it("stays quiet when compose lists the environment", async () => {
    const compose = "services:\n  web:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://app@db/app\n";
    assert.deepEqual((await project({ "app/settings.py": SETTINGS, "docker-compose.yml": compose })).run(noEnvironmentTemplate), []);
  });

  it("stays quiet with only a few settings from the environment", async () => {
    const few = 'import os\n\nDATABASE_URL = os.environ["DATABASE_URL"]\nDEBUG = False\n';
    assert.deepEqual((await project({ "app/settings.py": few })).run(noEnvironmentTemplate), []);
  });
});
