import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noRequestId from "../../src/checks/observability/no-request-id.js";
import { locations, project, py } from "../helpers/project.js";

const api = py("from fastapi import FastAPI", "app = FastAPI()", "@app.get(\"/orders\")", "def orders(): return []");

describe("OBS009 no request or correlation id propagation", () => {
  it("fires on the app file when nothing sets or forwards a request id", async () => {
    const findings = (await project({ "app/main.py": api })).run(noRequestId);
    assert.deepEqual(locations(findings), [["OBS009", "app/main.py", null]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /No request or correlation id is set or forwarded for the one endpoint/);
  });

  it("fires for Django and Flask too", async () => {
    const flask = await project({ "app/web.py": py("from flask import Flask", "app = Flask(__name__)", "@app.get('/items')", "def items(): return []") });
    assert.deepEqual(locations(flask.run(noRequestId)), [["OBS009", "app/web.py", null]]);
  });

  const quiet: Array<[string, Record<string, string>]> = [
    ["asgi-correlation-id declared", { "requirements.txt": "asgi-correlation-id==4.3.1\n" }],
    ["django-guid imported", { "app/settings_mw.py": py("import django_guid", "X = 1") }],
    ["a middleware reading X-Request-ID", { "app/middleware.py": py("import uuid", "async def add_id(request, call_next):", "    rid = request.headers.get('x-request-id') or uuid.uuid4().hex", "    return await call_next(request)") }],
    ["structlog binding a request id", { "app/logs.py": py("import structlog", "def bind(rid):", "    structlog.contextvars.bind_contextvars(request_id=rid)") }],
    ["a RequestIdMiddleware class", { "app/mw.py": py("class RequestIDMiddleware:", "    def __init__(self, app): self.app = app") }],
    ["OpenTelemetry", { "requirements.txt": "opentelemetry-sdk==1.27.0\n" }],
  ];
  for (const [name, files] of quiet) {
    it(`stays quiet with ${name}`, async () => {
      assert.deepEqual(locations((await project({ "app/main.py": api, ...files })).run(noRequestId)), []);
    });
  }

  it("stays quiet without endpoints", async () => {
    assert.deepEqual(locations((await project({ "app/jobs.py": py("def run(): pass") })).run(noRequestId)), []);
  });
});
