import assert from "node:assert/strict";
import { describe, it } from "node:test";
import scatteredEnvironmentReads from "../../src/checks/code/scattered-environment-reads.js";
import { locations, project, py } from "../helpers/project.js";

/** A module that reads `count` variables from the environment in a function. */
function reader(count: number, style: "getenv" | "get" | "subscript" = "getenv"): string {
  const read = (i: number) => (style === "getenv" ? `os.getenv("V${i}")` : style === "get" ? `os.environ.get("V${i}")` : `os.environ["V${i}"]`);
  return py("import os", "def handler():", ...Array.from({ length: count }, (_, i) => `    v${i} = ${read(i)}`), "    return 1");
}

describe("CODE006 environment read all over the code", () => {
  it("reports one finding over the modules that read the environment themselves, worst first", async () => {
    const p = await project({
      "app/billing.py": reader(4, "get"),
      "app/mail.py": reader(2),
      "app/search.py": reader(2),
      "app/storage.py": py("import os", "from os import getenv as ge", "BUCKET = os.environ['BUCKET']", "def f():", "    return ge('REGION')"),
      "app/payments.py": reader(1),
      "app/config.py": reader(9),
    });
    const findings = p.run(scatteredEnvironmentReads);
    assert.deepEqual(locations(findings), [["CODE006", "app/billing.py", 3]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /^11 environment reads .* in 5 modules/);
    assert.doesNotMatch(findings[0]?.message ?? "", /app\/config\.py/);
  });

  it("stays quiet when settings, entry modules, tests and scripts read the environment, or only a few modules do", async () => {
    const p = await project({
      "app/core/config.py": reader(10),
      "proj/settings/base.py": reader(10),
      "proj/wsgi.py": py("import os", "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')"),
      "app/main.py": reader(5),
      "app/billing.py": reader(4),
      "app/mail.py": reader(4),
      "app/search.py": reader(4),
      "tests/test_billing.py": reader(4),
      "scripts/seed.py": reader(4),
      "app/tasks.py": py("import os", "def f():", "    return os.environ.get('DJANGO_SETTINGS_MODULE')"),
      "app/versioning.py": py("import os", "def sha():", "    return os.environ.get('GITHUB_SHA') or os.getenv('CI_COMMIT_SHA') or os.getenv('BUILDKITE_COMMIT') or os.getenv('HOSTNAME')"),
    });
    assert.deepEqual(locations(p.run(scatteredEnvironmentReads)), []);
  });
});
