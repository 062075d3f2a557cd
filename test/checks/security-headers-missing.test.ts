import assert from "node:assert/strict";
import { describe, it } from "node:test";
import headersMissing from "../../src/checks/security/security-headers-missing.js";
import { locations, project, py } from "../helpers/project.js";

const FASTAPI = py("from fastapi import FastAPI", "", "app = FastAPI(title='shop')", "", "@app.get('/items')", "def items():", "    return []");

describe("SEC015 no security headers", () => {
  it("fires once on the app file of a FastAPI or Flask app with no headers anywhere", async () => {
    const p = await project({ "app/main.py": FASTAPI });
    const findings = p.run(headersMissing);
    assert.deepEqual(locations(findings), [["SEC015", "app/main.py", 3]]);
    assert.equal(findings[0]?.severity, "low");
    const flask = await project({ "web/app.py": py("import flask", "application = flask.Flask(__name__)") });
    assert.deepEqual(locations(flask.run(headersMissing)), [["SEC015", "web/app.py", 2]]);
  });

  it("is raised for a public production API, and says so", async () => {
    const p = await project({ "app/main.py": FASTAPI }, { context: { stage: "production", exposure: "public" } });
    const [f] = p.run(headersMissing);
    assert.equal(f?.severity, "medium");
    assert.match(f?.severityNote ?? "", /raised from low/);
  });

  it("notes a proxy whose configuration was not read, at low confidence", async () => {
    const p = await project({ "app/main.py": FASTAPI, "docker-compose.yml": "services:\n  api:\n    build: .\n  proxy:\n    image: nginx:1.27\n    ports: ['443:443']\n" });
    const [f] = p.run(headersMissing);
    assert.equal(f?.confidence, "low");
    assert.match(f?.message ?? "", /nginx in front/);
  });

  it("stays quiet with Talisman, starlette middleware, a header hook, headers set in code, or a proxy config that sets them", async () => {
    const talisman = await project({ "web/app.py": py("from flask import Flask", "from flask_talisman import Talisman", "app = Flask(__name__)", "Talisman(app)") });
    assert.deepEqual(talisman.run(headersMissing), []);
    const trusted = await project({ "app/main.py": FASTAPI + py("from starlette.middleware.trustedhost import TrustedHostMiddleware", "app.add_middleware(TrustedHostMiddleware, allowed_hosts=['shop.example.com'])") });
    assert.deepEqual(trusted.run(headersMissing), []);
    const hook = await project({ "web/app.py": py("from flask import Flask", "app = Flask(__name__)", "@app.after_request", "def add_security_headers(response):", "    response.headers['X-Frame-Options'] = 'DENY'", "    return response") });
    assert.deepEqual(hook.run(headersMissing), []);
    const inCode = await project({ "app/main.py": FASTAPI + py("@app.middleware('http')", "async def headers(request, call_next):", "    response = await call_next(request)", "    response.headers.setdefault('Strict-Transport-Security', 'max-age=63072000')", "    return response") });
    assert.deepEqual(inCode.run(headersMissing), []);
    const traefik = await project({ "app/main.py": FASTAPI, "docker-compose.yml": "services:\n  api:\n    build: .\n    labels:\n      - traefik.http.middlewares.sec.headers.stsSeconds=31536000\n" });
    assert.deepEqual(traefik.run(headersMissing), []);
    const testApp = await project({ "tests/conftest.py": FASTAPI, "examples/demo.py": FASTAPI });
    assert.deepEqual(testApp.run(headersMissing), [], "apps in tests and examples are not the service");
  });
});
