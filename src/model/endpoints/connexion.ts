import { posix } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { ProjectIndex } from "../../python/project-index.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Endpoint } from "../types.js";
import { normalisePath } from "./fastapi.js";
import { authFromMarks, markFromDecorator } from "./flask-auth.js";

/** One `app.add_api("openapi.yaml", base_path=...)` on a Connexion app. */
export interface ConnexionApi {
  /** The Python file that creates the app (`specification_dir` is relative to its folder). */
  appFile: string;
  /** Spec file name as written in `add_api`. */
  spec: string;
  specificationDir: string;
  basePath: string | null;
  /** Under which condition the API is added (`if settings.API:`), if any. */
  condition: string | null;
}

interface Operation {
  method: string;
  path: string;
  operationId: string | null;
  /** `x-openapi-router-controller` of the operation or its path item. */
  controller: string | null;
  security: unknown;
  line: number;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/**
 * Endpoints of Connexion APIs: every path and method of the OpenAPI/Swagger spec, the handler
 * named by `operationId` found among the project's functions, auth from the operation's
 * `security` or the spec's global one (the handler's decorators when the spec says nothing).
 */
export function connexionEndpoints(index: ProjectIndex, files: WorkspaceFile[], apis: ConnexionApi[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const api of apis) {
    const file = findSpec(files, api);
    if (!file?.text) continue;
    const spec = readSpecSafely(file.text);
    if (!spec) continue;
    const basePath = api.basePath ?? spec.basePath;
    for (const op of spec.operations) {
      if (!op.operationId) continue;
      // Connexion's default resolver: `x-openapi-router-controller` + "." + operationId, when the controller is given
      const handlerName = op.controller ? `${op.controller}.${op.operationId}` : op.operationId;
      const fn = index.functions.get(index.resolveSymbol(handlerName, ""));
      const specAuth = securityAuth(op.security !== undefined ? op.security : spec.security, op.security !== undefined ? "operation" : "spec", spec.schemes);
      const handlerAuth = fn ? authFromMarks(index, fn.fact.decorators.map((d) => markFromDecorator(index, d, fn.module))) : null;
      const auth = specAuth ?? handlerAuth ?? { auth: false, reason: `no security requirement in ${file.path} and no authentication decorator` };
      const endpoint: Endpoint = {
        method: op.method.toUpperCase(),
        path: normalisePath(joinPath(basePath, op.path)),
        handler: fn?.id ?? handlerName,
        file: fn?.file ?? file.path,
        line: fn?.fact.line ?? op.line,
        isAsync: fn?.fact.isAsync ?? false,
        framework: "flask",
        auth: auth.auth,
        authReason: auth.reason,
      };
      if (api.condition) endpoint.condition = api.condition;
      out.push(endpoint);
    }
  }
  return out;
}

/** The spec file `add_api` names: under `specification_dir` beside the app's module, else the one file of that name. */
function findSpec(files: WorkspaceFile[], api: ConnexionApi): WorkspaceFile | null {
  const wanted = posix.normalize(posix.join(posix.dirname(api.appFile), api.specificationDir, api.spec));
  const exact = files.find((f) => f.path === wanted && f.text !== undefined);
  if (exact) return exact;
  const base = posix.basename(api.spec);
  const named = files.filter((f) => f.text !== undefined && (f.path === base || f.path.endsWith(`/${base}`)));
  return named.length === 1 ? (named[0] as WorkspaceFile) : null;
}

/**
 * A spec that cannot be read gives no endpoints: YAML that resolves too many aliases (a "billion laughs"
 * file) makes the YAML library refuse it.
 */
function readSpecSafely(text: string): ReturnType<typeof readSpec> {
  try {
    return readSpec(text);
  } catch {
    return null;
  }
}

function readSpec(text: string): { basePath: string; security: unknown; schemes: Record<string, unknown>; operations: Operation[] } | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) return null;
  const data = doc.toJS() as Record<string, unknown> | null;
  if (!data || typeof data !== "object") return null;
  const operations: Operation[] = [];
  const paths = doc.get("paths", true);
  if (isMap(paths)) {
    for (const pathPair of paths.items) {
      const path = isScalar(pathPair.key) ? String(pathPair.key.value) : null;
      if (!path || !isMap(pathPair.value)) continue;
      const pathItem = pathPair.value.toJSON() as Record<string, unknown>;
      for (const opPair of pathPair.value.items) {
        const method = isScalar(opPair.key) ? String(opPair.key.value).toLowerCase() : "";
        if (!HTTP_METHODS.has(method)) continue;
        const op = (isMap(opPair.value) ? opPair.value.toJSON() : {}) as Record<string, unknown>;
        const offset = isScalar(opPair.key) ? (opPair.key.range?.[0] ?? 0) : 0;
        operations.push({
          method,
          path,
          operationId: typeof op.operationId === "string" ? op.operationId : null,
          controller: stringOf(op["x-openapi-router-controller"]) ?? stringOf(pathItem["x-openapi-router-controller"]),
          security: op.security,
          line: lineCounter.linePos(offset).line,
        });
      }
    }
  }
  const components = data.components && typeof data.components === "object" ? (data.components as Record<string, unknown>) : {};
  const schemes = components.securitySchemes ?? data.securityDefinitions;
  return { basePath: basePathOf(data), security: data.security, schemes: schemes && typeof schemes === "object" ? (schemes as Record<string, unknown>) : {}, operations };
}

/** Swagger 2 `basePath`, or the path of OpenAPI 3's first server URL (Connexion serves the API under it). */
function basePathOf(data: Record<string, unknown>): string {
  if (typeof data.basePath === "string") return data.basePath;
  const servers = Array.isArray(data.servers) ? data.servers : [];
  const url = stringOf((servers[0] as Record<string, unknown> | undefined)?.url);
  if (!url) return "";
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  return path.includes("{") ? "" : path;
}

/** Where Connexion finds the function that validates a scheme's credentials (or the `*_FUNC` environment variables). */
const VALIDATOR = /^x-(tokenInfoFunc|tokenInfoUrl|basicInfoFunc|apikeyInfoFunc|bearerInfoFunc)$/i;

/**
 * Auth from an OpenAPI `security` requirement list: `[]` is public, `{}` among the requirements
 * makes it optional, and a scheme without an `x-*InfoFunc` is one Connexion may not enforce
 * (it warns and skips it unless the matching environment variable is set).
 */
function securityAuth(security: unknown, where: "operation" | "spec", schemes: Record<string, unknown>): { auth: boolean | null; reason: string } | null {
  if (!Array.isArray(security)) return null;
  if (security.length === 0) return { auth: false, reason: `the ${where} declares an empty security requirement` };
  const names = [...new Set(security.flatMap((r) => (r && typeof r === "object" ? Object.keys(r) : [])))].sort();
  if (security.some((r) => r && typeof r === "object" && Object.keys(r).length === 0)) {
    return { auth: null, reason: `authentication is optional (the ${where} security requirement includes {})` };
  }
  const unchecked = names.filter((name) => {
    const scheme = schemes[name];
    return !(scheme && typeof scheme === "object" && Object.keys(scheme).some((k) => VALIDATOR.test(k)));
  });
  if (unchecked.length) return { auth: null, reason: `${where} security requires ${names.join(", ")}, but ${unchecked.join(", ")} names no x-*InfoFunc, so Connexion may not enforce it` };
  return { auth: true, reason: `${where} security requires ${names.join(", ")}` };
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}

function joinPath(prefix: string, path: string): string {
  return prefix ? `${prefix.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}` : path;
}
