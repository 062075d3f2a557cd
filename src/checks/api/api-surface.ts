import type { Endpoint, SystemModel } from "../../model/types.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { runsInProduction, fileRole } from "../../core/file-roles.js";

/*
 * What the API checks (API001, API006–API013) share: which endpoints serve JSON to API clients rather than HTML
 * pages, the literal segments of a path, and whether the project uses a library.
 */

/** Frameworks whose routes answer JSON unless the handler says otherwise. */
const JSON_FRAMEWORKS = new Set(["fastapi", "starlette", "litestar", "drf", "ninja", "aiohttp"]);
/** Calls that render a page or answer with something other than a JSON document. */
const NOT_JSON_CALL = /(^|\.)(render_template|render_template_string|render|render_to_response|render_to_string|TemplateResponse|HTMLResponse|FileResponse|StreamingResponse|PlainTextResponse|RedirectResponse|redirect|send_file|send_from_directory|HttpResponseRedirect|StreamingHttpResponse|EventSourceResponse)$/;
/** Calls that answer JSON in frameworks that serve pages too (Flask, Django, Pyramid). */
const JSON_CALL = /(^|\.)(jsonify|JsonResponse|json_response|JSONResponse|make_json_response)$/;
/** Response classes of a FastAPI route (`response_class=HTMLResponse`) that are not JSON. */
const NOT_JSON_CLASS = /^(HTMLResponse|FileResponse|StreamingResponse|PlainTextResponse|RedirectResponse|Response|EventSourceResponse)$/;

export function handlerOf(index: ProjectIndex, e: Endpoint): FunctionInfo | undefined {
  return index.functions.get(e.handler);
}

/** Whether the route answers something other than JSON: a template, a file, a stream, a redirect, or a declared non-JSON response class. */
export function answersNonJson(index: ProjectIndex, e: Endpoint): boolean {
  const fn = handlerOf(index, e);
  if (!fn) return false;
  const returns = fn.fact.returns ?? "";
  if (/^(Response|HttpResponse)\b/.test(returns) || /\w*(HTML|Redirect|File|Streaming|PlainText|EventSource|Template)Response\b|HttpResponseRedirect|StreamingHttpResponse/.test(returns)) return true;
  for (const d of fn.fact.decorators) {
    const cls = d.args.find((a) => a.name === "response_class");
    if (cls && NOT_JSON_CLASS.test(cls.text.slice(cls.text.lastIndexOf(".") + 1))) return true;
    // `response_model=None`: the route returns a response object it builds, not a model
    if (d.args.some((a) => a.name === "response_model" && a.kind === "none")) return true;
  }
  const calls = index.callsIn(fn.id);
  return calls.some(({ call }) => NOT_JSON_CALL.test(call.callee)) && !calls.some(({ call }) => JSON_CALL.test(call.callee));
}

/**
 * Whether an endpoint is part of a JSON API: a route of an API framework that does not answer a page or a file, or a
 * Flask/Django/Pyramid view under `/api` or that answers with `jsonify`/`JsonResponse`. Test and tooling files do not count.
 */
export function isApiEndpoint(index: ProjectIndex, e: Endpoint): boolean {
  if (!runsInProduction(fileRole(e.file))) return false;
  if (JSON_FRAMEWORKS.has(e.framework)) return !answersNonJson(index, e);
  if (/(^|\/)api(\/|$)/i.test(e.path)) return !answersNonJson(index, e);
  const fn = handlerOf(index, e);
  return fn !== undefined && index.callsIn(fn.id).some(({ call }) => JSON_CALL.test(call.callee)) && !answersNonJson(index, e);
}

/** The literal segments of a route path (no parameters, no empty segments). */
export function literalSegments(path: string): string[] {
  return path.split("/").filter((s) => s !== "" && !/[{}<>:*(]/.test(s) && !/^\^|\$$/.test(s));
}

/** The project's own API routes that run in production, once per method and path. */
export function apiEndpoints(model: SystemModel, index: ProjectIndex): Endpoint[] {
  const seen = new Set<string>();
  return model.endpoints.filter((e) => {
    const key = `${e.method} ${e.path}`;
    if (seen.has(key) || !isApiEndpoint(index, e)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether the project declares one of these PyPI packages, or imports one of these modules in its code. */
export function usesLibrary(model: SystemModel, index: ProjectIndex, packages: readonly string[], modules: RegExp): string | null {
  const declared = model.dependencies.find((d) => packages.includes(d.name) && !d.dev);
  if (declared) return declared.name;
  for (const mod of index.modules.values()) {
    for (const imp of mod.facts.imports) {
      if (imp.level === 0 && modules.test(imp.module)) return imp.module;
    }
  }
  return null;
}

/**
 * A server-rendered site: most of its routes answer pages, and its few JSON routes serve its own pages (AJAX helpers),
 * not clients of an API. Versioning, naming and documentation advice for APIs does not apply to it.
 */
export function mostlyPages(model: SystemModel, api: Endpoint[]): boolean {
  const production = new Set(model.endpoints.filter((e) => runsInProduction(fileRole(e.file))).map((e) => `${e.method} ${e.path}`));
  return api.length * 2 < production.size;
}

/** `file:line` of an endpoint, for messages that list examples. */
export function where(e: { file: string; line: number | null }): string {
  return e.line === null ? e.file : `${e.file}:${e.line}`;
}
