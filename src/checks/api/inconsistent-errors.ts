import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { joinAnd } from "../../core/prose.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { where } from "./api-surface.js";

/** JSON response builders, and where each takes its status (keyword, and position when it has one). */
const RESPONSES: Record<string, { status: string; position: number | null; framework: string }> = {
  "flask.jsonify": { status: "", position: null, framework: "flask" },
  "quart.jsonify": { status: "", position: null, framework: "quart" },
  "django.http.JsonResponse": { status: "status", position: null, framework: "django" },
  "django.http.response.JsonResponse": { status: "status", position: null, framework: "django" },
  "rest_framework.response.Response": { status: "status", position: 1, framework: "drf" },
  "fastapi.responses.JSONResponse": { status: "status_code", position: 1, framework: "fastapi" },
  "fastapi.responses.ORJSONResponse": { status: "status_code", position: 1, framework: "fastapi" },
  "starlette.responses.JSONResponse": { status: "status_code", position: 1, framework: "starlette" },
};
/** The field an error payload is named by; the first one present decides its shape. */
const ERROR_FIELDS = ["error", "errors", "detail", "message", "msg", "error_message", "errorMessage", "reason", "description"];
/** Keys that make a payload an error on their own (`{"error": ...}`, `{"errors": [...]}`). */
const ERROR_KEY = /^(error|errors|error_message|errorMessage|err)$/;
/** `"status": "error"`, `"success": False`, `"ok": False`. */
const ERROR_FLAG = /["'](status|result)["']\s*:\s*["'](error|fail|failed|failure)["']|["'](success|ok)["']\s*:\s*False\b/;
const SUCCESS_STATUS = /^(2\d\d|(status\.)?HTTP_2\d\d\w*|(HTTPStatus|http\.HTTPStatus)\.(OK|CREATED|ACCEPTED|NO_CONTENT|PARTIAL_CONTENT))$/;
const ERROR_STATUS = /^([45]\d\d|(status\.)?HTTP_[45]\d\d\w*|(HTTPStatus|http\.HTTPStatus)\.[A-Z_]+)$/;
/** What FastAPI's and DRF's own exceptions answer: `{"detail": ...}`. */
const DETAIL_EXCEPTION = /^(fastapi\.HTTPException|fastapi\.exceptions\.HTTPException|starlette\.exceptions\.HTTPException|rest_framework\.exceptions\.\w+)$/;

/** The keys of a dict literal's outer level, in order (`{"error": {...}, "code": 1}` → error, code). */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) {
        if (depth === 1 && start >= 0 && /^\s*:/.test(text.slice(i + 1))) keys.push(text.slice(start, i));
        quote = null;
        start = -1;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      const before = text.slice(0, i).replace(/[rbuRBU]*$/, "").trimEnd();
      start = depth === 1 && (before.endsWith("{") || before.endsWith(",")) ? i + 1 : -1;
    } else if (ch === "{" || ch === "[" || ch === "(") depth++;
    else if (ch === "}" || ch === "]" || ch === ")") depth--;
  }
  return keys;
}

/** The payload of a response call: its first positional argument, `content=`/`data=`, or its keywords for `jsonify(error=...)`. */
function payload(call: CallFact, framework: string): { keys: string[]; text: string } | null {
  const arg: ArgumentFact | undefined = call.args.find((a) => a.name === "content" || a.name === "data") ?? call.args.find((a) => a.name === null);
  if (arg?.kind === "dict") return { keys: topLevelKeys(arg.text), text: arg.text };
  if (!arg && framework === "flask" && call.args.length) return { keys: call.args.map((a) => a.name ?? ""), text: "" };
  return null;
}

function statusOf(call: CallFact, spec: { status: string; position: number | null }): string | null {
  const named = spec.status ? call.args.find((a) => a.name === spec.status) : undefined;
  if (named) return named.text;
  const positional = call.args.filter((a) => a.name === null);
  return spec.position !== null ? (positional[spec.position]?.text ?? null) : null;
}

function isErrorPayload(p: { keys: string[]; text: string }): boolean {
  // `{"valid": False, "errors": [...]}` is the answer of a validation endpoint: data, not a failed request
  if (p.keys.some((k) => /^(valid|is_valid|isValid)$/.test(k))) return false;
  return p.keys.some((k) => ERROR_KEY.test(k)) || ERROR_FLAG.test(p.text);
}

function shapeOf(keys: string[]): string | null {
  return ERROR_FIELDS.find((f) => keys.includes(f)) ?? null;
}

/** A global exception handler: FastAPI/Starlette `exception_handler`, Flask `errorhandler`, DRF `EXCEPTION_HANDLER`. */
function globalExceptionHandler(index: ProjectIndex): string | null {
  for (const mod of index.modules.values()) {
    for (const fn of mod.facts.functions) {
      const d = fn.decorators.find((x) => /(^|\.)(exception_handler|errorhandler|app_errorhandler)$/.test(x.name));
      if (d) return `@${d.name} (${mod.file}:${d.line})`;
    }
    for (const call of mod.facts.calls) {
      if (/(^|\.)(add_exception_handler|register_error_handler)$/.test(call.callee)) return `${call.callee} (${mod.file}:${call.line})`;
      if (call.args.some((a) => a.name === "exception_handlers")) return `exception_handlers= (${mod.file}:${call.line})`;
    }
    for (const a of mod.facts.assignments) {
      if ((a.target === "REST_FRAMEWORK" && /EXCEPTION_HANDLER/.test(a.text)) || /EXCEPTION_HANDLER["']?\]?$/.test(a.target)) return `EXCEPTION_HANDLER (${mod.file}:${a.line})`;
    }
  }
  return null;
}

interface Site {
  mod: ModuleInfo;
  line: number;
  text: string;
}

export default defineCheck({
  id: "API008",
  area: "api",
  title: "Inconsistent error responses",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Clients decide what to do from the status code: retry a 503, re-authenticate on a 401, show a message on a 400. An error sent with status 200 looks like success to every client, proxy, cache and monitor, so it is cached, counted as healthy and acted on. Several error shapes (`{\"detail\": ...}` here, `{\"error\": ...}` there) make every client write one parser per endpoint.",
  recommendation: "Send errors with a 4xx/5xx status and one body shape: raise the framework's exception (`HTTPException`, DRF's `ValidationError`, `abort(400)`) and format every error in one global handler (`@app.exception_handler`, Flask `@app.errorhandler`, DRF `EXCEPTION_HANDLER`), ideally as RFC 9457 problem details.",
  example: {
    bad: '@app.route("/orders/<int:order_id>")\ndef get_order(order_id):\n    order = Order.query.get(order_id)\n    if order is None:\n        return jsonify({"error": "not found"})',
    good: '@app.route("/orders/<int:order_id>")\ndef get_order(order_id):\n    order = Order.query.get(order_id)\n    if order is None:\n        abort(404, description="order not found")  # one @app.errorhandler(HTTPException) formats it',
  },
  references: ["https://www.rfc-editor.org/rfc/rfc9457", "https://fastapi.tiangolo.com/tutorial/handling-errors/", "https://www.django-rest-framework.org/api-guide/exceptions/#custom-exception-handling"],
  effort: "S",
  libraries: ["fastapi", "djangorestframework", "flask"],
  run({ model, index }) {
    const handlers = new Set(model.endpoints.filter((e) => runsInProduction(fileRole(e.file))).map((e) => e.handler));
    const ok: Site[] = [];
    const shapes = new Map<string, Site[]>();
    const addShape = (shape: string, site: Site) => shapes.set(shape, [...(shapes.get(shape) ?? []), site]);
    for (const mod of index.modules.values()) {
      if (!runsInProduction(fileRole(mod.file))) continue;
      // returns whose value is the response call itself (`return jsonify(...)`, not `return jsonify(...), 400`)
      const returned = new Set(mod.facts.flows.filter((f) => f.targets.length === 1 && f.targets[0] === "return" && f.call).map((f) => `${f.enclosing}:${f.line}:${index.resolve(f.call as string, mod.name)}`));
      for (const call of mod.facts.calls) {
        if (!call.enclosing || !handlers.has(`${mod.name}.${call.enclosing}`) || !call.qualified) continue;
        const name = index.resolve(call.qualified, mod.name);
        const site = { mod, line: call.line, text: call.snippet };
        if (DETAIL_EXCEPTION.test(name)) continue;
        const spec = RESPONSES[name];
        if (!spec || call.hasStarArgs) continue;
        const body = payload(call, spec.framework);
        if (!body) continue;
        const status = statusOf(call, spec);
        const direct = returned.has(`${call.enclosing}:${call.line}:${name}`);
        if (isErrorPayload(body) && status === null && direct) ok.push(site);
        const shape = shapeOf(body.keys);
        // an error body: sent with an error status, or (jsonify, whose status rides in a tuple) named as one
        if (shape && ((status !== null && ERROR_STATUS.test(status) && !SUCCESS_STATUS.test(status)) || (spec.status === "" && !direct && isErrorPayload(body)))) addShape(shape, site);
      }
      for (const r of mod.facts.raises) {
        if (!r.enclosing || !handlers.has(`${mod.name}.${r.enclosing}`) || !r.qualified) continue;
        if (DETAIL_EXCEPTION.test(index.resolve(r.qualified, mod.name))) addShape("detail", { mod, line: r.line, text: r.text });
      }
    }
    const reports: Report[] = [];
    if (ok.length) {
      const listed = ok.slice(0, 6).map((s) => `\`${s.text}\` (${where({ file: s.mod.file, line: s.line })})`);
      reports.push({
        message: `${ok.length === 1 ? "A handler returns an error payload" : `${ok.length} handlers return error payloads`} with status 200: ${listed.join(", ")}${ok.length > 6 ? ` and ${ok.length - 6} more` : ""}. Clients, caches and monitors read these as successes.`,
        evidence: ok.slice(0, 10).map((s) => ({ file: s.mod.file, line: s.line, snippet: s.text })),
      });
    }
    // several error shapes, each used more than once, and nothing that formats errors in one place
    const first = (sites: Site[]) => sites.reduce((m, x) => (x.mod.file < m.mod.file || (x.mod.file === m.mod.file && x.line < m.line) ? x : m));
    const used = [...shapes]
      .map(([shape, sites]) => [shape, [...sites].sort((a, b) => a.mod.file.localeCompare(b.mod.file) || a.line - b.line)] as const)
      .filter(([, sites]) => sites.length >= 2)
      .sort((a, b) => b[1].length - a[1].length || first(a[1]).mod.file.localeCompare(first(b[1]).mod.file) || first(a[1]).line - first(b[1]).line);
    if (used.length >= 2 && !globalExceptionHandler(index)) {
      const parts = used.map(([shape, sites]) => `\`{"${shape}": ...}\` ${sites.length} times (e.g. ${where({ file: sites[0]?.mod.file ?? "", line: sites[0]?.line ?? null })})`);
      reports.push({
        message: `Error responses come in ${used.length} shapes with no global exception handler to unify them: ${joinAnd(parts)}.`,
        evidence: used.flatMap(([, sites]) => sites.slice(0, 2).map((s) => ({ file: s.mod.file, line: s.line, snippet: s.text }))),
      });
    }
    return reports;
  },
});
