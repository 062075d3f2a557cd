import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requestSources } from "../../src/python/names-read.js";

describe("requestSources", () => {
  it("reads Pyramid's request.params, matchdict and json_body, and Falcon's req.params, as request data", () => {
    assert.deepEqual(requestSources("request.params.get('p', '')"), ["request.params"]);
    assert.deepEqual(requestSources("request.matchdict['id'] + request.json_body['name']"), ["request.json_body", "request.matchdict"]);
    assert.deepEqual(requestSources("req.params['q']"), ["req.params"]);
  });

  it("does not read an outgoing request's params, another object's params, or the server's request.user", () => {
    assert.deepEqual(requestSources("requests.params"), []);
    assert.deepEqual(requestSources("prepared_request.params"), []);
    assert.deepEqual(requestSources("self.config.request.params_schema"), []);
    assert.deepEqual(requestSources("request.user.params"), []);
    assert.deepEqual(requestSources("int(request.params['page'])"), []);
  });
});
