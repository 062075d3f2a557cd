import type { Endpoint } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { apiEndpoints, handlerOf, where } from "./api-surface.js";

/** Share of an API's JSON endpoints without a declared response from which it is a habit, not an oversight. */
const SHARE = 0.3;
const MIN_MISSING = 3;
const LISTED = 10;
/** A serializer used by the handler itself (`UserSerializer(user).data`, `self.get_serializer(...)`). */
const SERIALIZER_CALL = /(Serializer|Schema)$|(^|\.)(get_serializer|get_serializer_class|serialize|model_dump|dump|dumps)$/;

/** A route that answers with no body (`status_code=204`, `-> None`) or a raw `Response` it builds itself. */
function noJsonBody(index: ProjectIndex, e: Endpoint): boolean {
  const fn = handlerOf(index, e);
  if (!fn) return false;
  if (/^(None|Response|JSONResponse|ORJSONResponse|UJSONResponse)\b|Response\]?$/.test(fn.fact.returns ?? "")) return true;
  if (fn.fact.decorators.some((d) => d.args.some((a) => (a.name === "status_code" && /(^|\.)(HTTP_)?204\b|NO_CONTENT|^204$/.test(a.text)) || (a.name === "include_in_schema" && a.value === false) || a.name === "response_class"))) return true;
  return index.callsIn(fn.id).some(({ resolved }) => /^(fastapi\.Response|fastapi\.responses\.Response|starlette\.responses\.Response)$/.test(resolved ?? ""));
}

/** A DRF view method that declares no serializer and calls none. */
function drfWithoutSerializer(index: ProjectIndex, e: Endpoint): boolean {
  if (e.requestSchema || e.responseSchema || e.method === "DELETE") return false;
  const fn = handlerOf(index, e);
  // an inherited generic action (`list`, `retrieve`) without serializer_class cannot run: the model would have one
  if (!fn) return false;
  const calls = index.callsIn(fn.id).map((c) => c.call);
  // the parent view answers (`super().post(...)`), or the view answers with no body (`Response()` after a logout)
  if (calls.some((c) => c.callee.startsWith("super()."))) return false;
  const responses = calls.filter((c) => /(^|\.)Response$/.test(c.callee));
  if (responses.length && responses.every((c) => c.args.length === 0 || c.args.every((a) => a.name === "status"))) return false;
  return !calls.some((c) => SERIALIZER_CALL.test(c.callee));
}

export default defineCheck({
  id: "API013",
  area: "api",
  title: "Responses without declared schemas",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "An endpoint that declares no response schema returns whatever the handler builds: fields leak when a model grows (a password hash, an internal flag), the generated OpenAPI document says nothing about the response, and clients and generated SDKs have to guess its shape.",
  recommendation: "Declare what each JSON endpoint returns: `response_model=` or a return annotation with a Pydantic model in FastAPI (FastAPI then filters the output to it), a serializer (`serializer_class`, or `@extend_schema(responses=...)` with drf-spectacular) in DRF.",
  example: {
    bad: '@router.get("/users/{user_id}")\ndef read_user(user_id: int, db: Session = Depends(get_db)):\n    return db.get(User, user_id)',
    good: '@router.get("/users/{user_id}", response_model=UserRead)\ndef read_user(user_id: int, db: Session = Depends(get_db)) -> User:\n    return db.get(User, user_id)',
  },
  references: ["https://fastapi.tiangolo.com/tutorial/response-model/", "https://drf-spectacular.readthedocs.io/en/latest/customization.html"],
  effort: "M",
  libraries: ["pydantic", "fastapi", "djangorestframework", "drf-spectacular"],
  run({ model, index }) {
    const json = apiEndpoints(model, index).filter((e) => e.framework === "fastapi" || e.framework === "drf");
    const considered = json.filter((e) => !noJsonBody(index, e));
    const missing = considered.filter((e) => (e.framework === "fastapi" ? !e.responseSchema : drfWithoutSerializer(index, e))).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    if (missing.length < MIN_MISSING || missing.length < SHARE * considered.length) return [];
    const listed = missing.slice(0, LISTED);
    const examples = listed.slice(0, 5).map((e) => `${e.method} ${e.path} (${where(e)})`).join(", ");
    const frameworks = [...new Set(missing.map((e) => e.framework))];
    const how = frameworks.length === 2 ? "no `response_model`, return annotation or serializer" : frameworks[0] === "fastapi" ? "no `response_model` and no return annotation" : "no serializer";
    return [
      {
        message: `${missing.length} of ${considered.length} JSON endpoints declare ${how}, so their responses are whatever the handler returns; for example ${examples}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}.`,
        evidence: listed.map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` })),
      },
    ];
  },
});
