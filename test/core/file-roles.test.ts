import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hardcodedSecret from "../../src/checks/security/hardcoded-secret.js";
import { fileRole } from "../../src/core/file-roles.js";
import { project, py } from "../helpers/project.js";

describe("fileRole", () => {
  it("tells application code from tests, fixtures, tooling, examples and deployment", () => {
    const cases: Array<[string, string]> = [
      ["app/api/routes.py", "application"],
      ["src/shop/settings.py", "application"],
      ["tests/test_api.py", "test"],
      ["app/e2etests/flows.py", "test"],
      ["app/conftest.py", "test"],
      ["app/tests/fixtures/data.py", "fixture"],
      [".semgrep/correctness/requests-timeout.py", "fixture"],
      [".devcontainer/docker-compose.yml", "tooling"],
      [".devcontainer/.env", "tooling"],
      ["dev/seed.py", "tooling"],
      [".ci/check.py", "tooling"],
      ["docker-compose.dev.yml", "tooling"],
      ["compose.override.yml", "tooling"],
      ["docker-compose.local.yaml", "tooling"],
      [".env.example", "example"],
      [".env.sample", "example"],
      [".env.test", "test"],
      [".env.test.local", "test"],
      ["examples/todo/app.py", "example"],
      ["docs/tutorial/main.py", "example"],
      ["docs_src/security/tutorial001.py", "example"],
      ["Dockerfile", "deployment"],
      ["docker-compose.yml", "deployment"],
      ["deploy/compose.prod.yaml", "deployment"],
      ["infra/main.tf", "deployment"],
      [".env", "application"],
      ["settings/ci.py", "test"],
      ["proj/settings/testing.py", "test"],
      ["settings_test.py", "test"],
      ["config/local_dev.py", "tooling"],
      ["settings/production.py", "application"],
      ["docker/local.Dockerfile", "tooling"],
      ["Dockerfile.dev", "tooling"],
      ["extras/docker/development/Dockerfile", "tooling"],
      ["docker/production.Dockerfile", "deployment"],
    ];
    for (const [path, role] of cases) assert.equal(fileRole(path), role, path);
  });

  it("a concern in a file that does not run in production is low at most, and names the role", async () => {
    const p = await project({
      "app/settings.py": py("API_TOKEN = 'sk_live_51HqLyjWDarjtT1zdp7dcXbB8kTQWmE2'"),
      ".devcontainer/settings.py": py("API_TOKEN = 'sk_live_51HqLyjWDarjtT1zdp7dcXbB8kTQWmE2'"),
    });
    const findings = p.run(hardcodedSecret);
    const dev = findings.find((f) => f.evidence[0]?.file === ".devcontainer/settings.py");
    const app = findings.find((f) => f.evidence[0]?.file === "app/settings.py");
    assert.equal(app?.severity, "high");
    assert.equal(app?.role, undefined);
    assert.equal(dev?.severity, "low");
    assert.equal(dev?.role, "tooling");
    assert.match(dev?.message ?? "", /development or CI tooling/);
    assert.match(dev?.severityNote ?? "", /lowered from high/);
  });
});
