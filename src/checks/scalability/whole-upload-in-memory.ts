import type { Evidence } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import { defineCheck } from "../define.js";
import { GROUP_FROM } from "../grouping.js";
import { shortName } from "../handlers.js";
import type { Report } from "../types.js";
import { bySite, callsOnRequestPath, describeRequestChain, type RequestCall, requestEvidence } from "./request-chains.js";

/** `UploadFile.read()` (FastAPI, Starlette), resolved through the parameter's annotation. */
const UPLOAD_READ = /^(fastapi|starlette\.datastructures|fastapi\.datastructures)\.UploadFile\.read$/;
/** `request.files["f"].read()` (Flask, Werkzeug) and `request.FILES["f"].read()` (Django), as written. */
const FILES_READ = /^(self\.)?request\.(files|FILES)(\[[^\]]+\]|\.get\([^)]*\))\.read$/;

/** Reads the whole file: no size argument (`read()`, `read(-1)`). */
function wholeRead(call: CallFact): boolean {
  const size = call.args.find((a) => a.name === null || a.name === "size");
  return !size || size.value === -1 || size.text === "-1";
}

function isUploadRead(resolved: string, call: CallFact): boolean {
  return (UPLOAD_READ.test(resolved) || FILES_READ.test(call.callee)) && wholeRead(call);
}

export default defineCheck({
  id: "PERF008",
  area: "scalability",
  title: "Whole upload read into memory",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "`await file.read()` (or `request.files[...].read()`) loads the entire upload into the worker's memory. Starlette and Werkzeug already spooled it to a temporary file; reading it whole means a few concurrent large uploads (or one malicious one, without a size limit) can push the worker past its memory limit and get it killed, taking every request it was serving with it.",
  recommendation: "Stream the upload in chunks (`while chunk := await file.read(1 << 20): ...`), hand the spooled file object on as it is (`shutil.copyfileobj(file.file, dest)`, `s3.upload_fileobj(file.file, ...)`), and cap the request size at the proxy or server (nginx `client_max_body_size`, Django `DATA_UPLOAD_MAX_MEMORY_SIZE`, Flask `MAX_CONTENT_LENGTH`).",
  example: {
    bad: '@app.post("/upload")\nasync def upload(file: UploadFile):\n    data = await file.read()\n    s3.put_object(Bucket=B, Key=file.filename, Body=data)',
    good: '@app.post("/upload")\nasync def upload(file: UploadFile):\n    await run_in_threadpool(s3.upload_fileobj, file.file, B, file.filename)',
  },
  references: ["https://fastapi.tiangolo.com/reference/uploadfile/", "https://flask.palletsprojects.com/en/stable/patterns/fileuploads/#improving-uploads"],
  effort: "S",
  libraries: ["fastapi", "boto3"],
  dependsOn: [],
  run(input) {
    const calls = callsOnRequestPath(input, isUploadRead);
    const groups = bySite(calls);
    const describe = (c: RequestCall) => (c.steps.length > 1 ? describeRequestChain(c.steps) : `${shortName(c.handler)}: ${c.call.callee}()`);
    if (groups.length >= GROUP_FROM) {
      return [
        {
          message: `${groups.length} request handlers read whole uploads into memory, for example ${groups.slice(0, 3).map((g) => describe(g.first)).join("; ")}. Whether that matters depends on the upload sizes, which the code does not show.`,
          evidence: groups.map((g) => requestEvidence(g.first.steps).at(-1) as Evidence),
          confidence: "low",
        },
      ] satisfies Report[];
    }
    return groups.map((g) => ({
      message: `${describe(g.first)} reads the whole upload into memory instead of streaming it${g.handlers.length > 1 ? ` (${g.handlers.length} handlers reach it)` : ""}. Whether that matters depends on the upload sizes, which the code does not show.`,
      evidence: requestEvidence(g.first.steps),
      confidence: "medium",
    }));
  },
});
