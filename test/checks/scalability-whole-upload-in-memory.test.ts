import assert from "node:assert/strict";
import { describe, it } from "node:test";
import wholeUpload from "../../src/checks/scalability/whole-upload-in-memory.js";
import { locations, project, py } from "../helpers/project.js";

describe("PERF008 whole upload read into memory", () => {
  it("fires on UploadFile.read() in FastAPI and request.files[...].read() in Flask", async () => {
    const p = await project({
      "app/api.py": py(
        "from fastapi import FastAPI, File, UploadFile", // 1
        "app = FastAPI()",
        '@app.post("/u")',
        "async def upload(file: UploadFile = File(...)):",
        "    data = await file.read()", // 5
        "    return len(data)",
      ),
    });
    const flask = await project({
      "web/views.py": py(
        "from flask import Flask, request", // 1
        "app = Flask(__name__)",
        '@app.route("/u", methods=["POST"])',
        "def upload():",
        "    data = request.files['f'].read()", // 5
        "    return str(len(data))",
      ),
    });
    const findings = p.run(wholeUpload);
    assert.deepEqual(locations(findings), [["PERF008", "app/api.py", 5]]);
    assert.deepEqual(locations(flask.run(wholeUpload)), [["PERF008", "web/views.py", 5]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /api\.upload: file\.read\(\) reads the whole upload into memory/);
  });

  it("stays quiet for chunked reads and reads outside request handlers", async () => {
    const p = await project({
      "app/api.py": py(
        "from fastapi import FastAPI, File, UploadFile",
        "app = FastAPI()",
        '@app.post("/u")',
        "async def upload(file: UploadFile = File(...)):",
        "    while chunk := await file.read(1024 * 1024):",
        "        pass",
        "",
        "async def later(file: UploadFile):",
        "    return await file.read()",
      ),
    });
    assert.deepEqual(p.run(wholeUpload), []);
  });
});
