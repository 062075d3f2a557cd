import assert from "node:assert/strict";
import { describe, it } from "node:test";
import debugMode from "../../src/checks/security/debug-mode.js";
import { project, py } from "../helpers/project.js";

const where = (findings: ReturnType<Awaited<ReturnType<typeof project>>["run"]>) => findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

describe("SEC002 debug mode on in deployable configuration", () => {
  it("is high for a literal DEBUG = True that nothing turns off, and for FastAPI(debug=True)", async () => {
    const p = await project({
      "shop/settings.py": py("SECRET_KEY = 'x'", "DEBUG = True", 'INSTALLED_APPS = ["shop"]'),
      "api/main.py": py("from fastapi import FastAPI", "app = FastAPI(debug=True)"),
    });
    assert.deepEqual(where(p.run(debugMode)), [
      ["api/main.py", 2, "high"],
      ["shop/settings.py", 2, "high"],
    ]);
  });

  it("is high for Flask's debugger served on every interface, low on the loopback host, and quiet without debug", async () => {
    const p = await project({
      "app/main.py": py(
        "import os",
        "from flask import Flask",
        "app = Flask(__name__)",
        'if __name__ == "__main__":',
        '    app.run("0.0.0.0", debug=True)',
      ),
      "app/local.py": py("from flask import Flask", "app = Flask(__name__)", "app.run(debug=True)"),
      "app/env.py": py("import os", "from flask import Flask", "app = Flask(__name__)", 'app.run(host="0.0.0.0", debug=os.environ.get("DEBUG", False))', "app.run()"),
    });
    const findings = p.run(debugMode);
    assert.deepEqual(where(findings), [
      ["app/main.py", 5, "high"],
      ["app/local.py", 3, "low"],
    ]);
    assert.match(findings[0]?.message ?? "", /every network interface under `if __name__ == "__main__"`/);
  });

  it("is medium for an environment lookup that defaults to on, unless a deployment file sets the variable", async () => {
    const settings = py("import os", "import environ", "env = environ.Env()", 'DEBUG = env.bool("DJANGO_DEBUG", default=True)');
    const p = await project({ "shop/settings.py": settings });
    assert.deepEqual(where(p.run(debugMode)), [["shop/settings.py", 4, "medium"]]);
    const getenv = await project({ "shop/settings.py": py("import os", 'DEBUG = os.getenv("DEBUG", "1") == "1"') });
    assert.deepEqual(getenv.run(debugMode), [], "a comparison is not a lookup with a default: not read");
    const deployed = await project({ "shop/settings.py": settings, "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_DEBUG: \"false\"\n" });
    assert.deepEqual(deployed.run(debugMode), []);
  });

  it("stays quiet on a safe default, a development settings module, and DEBUG = True that production settings turn off", async () => {
    const p = await project({
      "proj/settings/base.py": py("import environ", "env = environ.Env()", 'DEBUG = env.bool("DJANGO_DEBUG", default=False)'),
      "proj/settings/local.py": py("from .base import *", "DEBUG = True"),
      "api/main.py": py("from fastapi import FastAPI", "app = FastAPI(debug=False)"),
    });
    // local.py is development tooling: reported, if at all, at low by its role
    assert.deepEqual(p.run(debugMode).filter((f) => f.severity !== "low"), []);
    const overridden = await project({ "proj/settings/common.py": py("DEBUG = True"), "proj/settings/production.py": py("from .common import *", "DEBUG = False") });
    assert.deepEqual(overridden.run(debugMode), []);
  });

  it("reads the first DEBUG of a module (a later one under an if is an opt-in) and any other way a sibling module sets it", async () => {
    // Flagsmith: DEBUG from the environment, then `DEBUG = True` only when DB logging is switched on
    const optIn = await project({ "app/settings/common.py": py("import environ", "env = environ.Env()", 'DEBUG = env.bool("DEBUG", default=False)', 'if env.bool("DB_LOGGING", default=False):', "    DEBUG = True") });
    assert.deepEqual(optIn.run(debugMode), []);
    // Snuba: the package default is True, the deployed settings module reads the environment
    const sibling = await project({ "snuba/settings/__init__.py": py("DEBUG = True"), "snuba/settings/settings_docker.py": py("import os", 'DEBUG = os.environ.get("DEBUG", "0").lower() in ("1", "true")') });
    assert.deepEqual(sibling.run(debugMode), []);
  });
});
