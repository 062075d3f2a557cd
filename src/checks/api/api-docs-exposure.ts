import type { SystemModel } from "../../model/types.js";
import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { plural } from "../../core/prose.js";
import { appFile } from "../handlers.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { apiEndpoints, mostlyPages, usesLibrary } from "./api-surface.js";

/** Libraries that publish an OpenAPI document (and most an interactive UI) for Flask and Django APIs. */
const DOC_PACKAGES = ["drf-spectacular", "drf-yasg", "django-ninja", "django-rest-swagger", "coreapi", "flask-smorest", "flasgger", "apispec", "flask-apispec", "flask-restx", "flask-restplus", "apiflask", "spectree", "flask-openapi3", "connexion", "flask-pydantic-spec", "drf-openapi", "django-ninja-extra", "flask-swagger", "flask-swagger-ui", "flask-rebar"];
const DOC_MODULES = /^(drf_spectacular|drf_yasg|ninja|rest_framework_swagger|coreapi|flask_smorest|flasgger|apispec|flask_apispec|flask_restx|flask_restplus|apiflask|spectree|flask_openapi3|connexion|flask_pydantic_spec|flask_swagger|flask_swagger_ui|flask_rebar|rest_framework\.schemas)(\.|$)/;
/** A route or argument that serves a hand-written or generated specification. */
const SPEC_MENTION = /openapi|swagger|redoc|api[-_]?docs|apidocs|apispec/i;
/** DRF schema and UI views (drf-spectacular, drf-yasg). */
const SCHEMA_VIEW = /^drf_spectacular\.views\.(SpectacularAPIView|SpectacularJSONAPIView|SpectacularYAMLAPIView|SpectacularSwaggerView|SpectacularSwaggerSplitView|SpectacularRedocView)\.as_view$|^drf_yasg\.views\.get_schema_view$/;
const DEBUG_GUARD = /\bDEBUG\b|\bdebug\b|\bis_dev|\bdevelopment\b|\bENVIRONMENT\b|\bENV\b/;

/** A keyword argument left at a value other than FastAPI's default: `None`, or an expression such as a setting. */
function turnedOffOrConfigured(arg: ArgumentFact | undefined): boolean {
  // `openapi_url=""` turns the schema off as `None` does
  return arg !== undefined && (arg.kind === "none" || arg.value === "" || (arg.kind !== "string" && arg.kind !== "fstring"));
}

/** `FastAPI(...)` calls in application code that leave the interactive docs on, with the paths they serve. */
function exposedFastApiDocs(index: ProjectIndex): Array<{ mod: ModuleInfo; call: CallFact; exposed: string[] }> {
  const out: Array<{ mod: ModuleInfo; call: CallFact; exposed: string[] }> = [];
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    // `app.openapi_url = None` or `app.docs_url = settings.DOCS_URL` after the app is built
    const later = new Set(mod.facts.assignments.filter((a) => /\.(openapi_url|docs_url|redoc_url)$/.test(a.target)).map((a) => a.target.slice(a.target.lastIndexOf(".") + 1)));
    for (const call of mod.facts.calls) {
      if (!call.qualified || index.resolve(call.qualified, mod.name) !== "fastapi.FastAPI" || call.hasStarArgs) continue;
      const arg = (name: string) => call.args.find((a) => a.name === name);
      // the interactive UI off (`docs_url=None`) or the schema itself off, or either left to a setting
      if (later.has("openapi_url") || later.has("docs_url") || turnedOffOrConfigured(arg("openapi_url")) || turnedOffOrConfigured(arg("docs_url"))) continue;
      const path = (name: string, fallback: string) => {
        const given = arg(name);
        return typeof given?.value === "string" ? given.value : given?.kind === "fstring" ? given.text : fallback;
      };
      const exposed = [path("docs_url", "/docs"), ...(later.has("redoc_url") || turnedOffOrConfigured(arg("redoc_url")) ? [] : [path("redoc_url", "/redoc")])];
      out.push({ mod, call, exposed: [...exposed, path("openapi_url", "/openapi.json")] });
    }
  }
  return out;
}

/** drf-spectacular's SERVE_PERMISSIONS or SERVE_PUBLIC set in the settings. */
function spectacularRestricted(index: ProjectIndex): boolean {
  for (const mod of index.modules.values()) {
    for (const a of mod.facts.assignments) if (a.target === "SPECTACULAR_SETTINGS" && /SERVE_PERMISSIONS|["']SERVE_PUBLIC["']\s*:\s*False/.test(a.text)) return true;
  }
  return false;
}

/** DRF schema views mounted for everyone: no `permission_classes=`, not `public=False`, not only under DEBUG. */
function openSchemaViews(index: ProjectIndex): Array<{ mod: ModuleInfo; call: CallFact }> {
  const restricted = spectacularRestricted(index);
  const out: Array<{ mod: ModuleInfo; call: CallFact }> = [];
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    for (const call of mod.facts.calls) {
      const name = call.qualified ? index.resolve(call.qualified, mod.name) : "";
      if (!SCHEMA_VIEW.test(name) || call.hasStarArgs || (call.guard && DEBUG_GUARD.test(call.guard))) continue;
      if (call.args.some((a) => a.name === "permission_classes")) continue;
      if (name.startsWith("drf_spectacular") && restricted) continue;
      // drf-yasg is private by default: only `public=True` serves the schema to everyone
      if (name.startsWith("drf_yasg") && !call.args.some((a) => a.name === "public" && a.value === true)) continue;
      out.push({ mod, call });
    }
  }
  return out;
}

/** What documents the API: a library, a route or argument naming a specification, or an API document in the repository. */
function apiDocumentation(model: SystemModel, index: ProjectIndex): string | null {
  const library = usesLibrary(model, index, DOC_PACKAGES, DOC_MODULES);
  if (library) return library;
  if (model.endpoints.some((e) => e.framework === "ninja")) return "django-ninja";
  const route = model.endpoints.find((e) => SPEC_MENTION.test(e.path));
  if (route) return route.path;
  const doc = model.documents.find((d) => /(^|\/)(api|rest[-_]?api|api[-_]\w+)\.(md|rst|adoc|markdown)$|(^|\/)api(-docs?)?\//i.test(d));
  if (doc) return doc;
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    const call = mod.facts.calls.find((c) => c.args.some((a) => (a.kind === "string" || a.kind === "fstring") && SPEC_MENTION.test(a.text)));
    if (call) return `${mod.file}:${call.line}`;
  }
  return null;
}

export default defineCheck({
  id: "API009",
  area: "api",
  title: "Interactive API docs exposed in production, or no API documentation",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "FastAPI serves Swagger UI at `/docs`, ReDoc at `/redoc` and the whole schema at `/openapi.json` by default; in a public production deployment that hands every caller a map of each route, parameter and model, internal and admin routes included, and a console to try them. The opposite failure is a JSON API with no documentation at all: clients read the code or guess, and nothing tells them when a field changes.",
  recommendation: "In production, turn the docs off or put them behind authentication: `FastAPI(docs_url=None, redoc_url=None, openapi_url=None)` or values from settings that only development enables; for drf-spectacular set `SERVE_PERMISSIONS` (or mount the views only under `DEBUG`). For a Flask or Django API with no documentation, generate an OpenAPI document from the code: drf-spectacular for DRF, flask-smorest or apiflask (or apispec) for Flask.",
  example: {
    bad: 'app = FastAPI(title="Shop API")',
    good: 'app = FastAPI(title="Shop API", openapi_url="/openapi.json" if settings.ENVIRONMENT == "local" else None)',
  },
  references: ["https://fastapi.tiangolo.com/tutorial/metadata/#openapi-url", "https://drf-spectacular.readthedocs.io/en/latest/settings.html", "https://flask-smorest.readthedocs.io/"],
  effort: "S",
  libraries: ["drf-spectacular", "flask-smorest", "apiflask"],
  run({ model, index, context }) {
    const reports: Report[] = [];
    const productionPublic = (context.stage === "production" || context.stage === "scale") && context.exposure === "public";
    if (productionPublic) {
      for (const { mod, call, exposed } of exposedFastApiDocs(index)) {
        reports.push({
          message: `The FastAPI app built at ${mod.file}:${call.line} serves ${exposed.map((p) => `\`${p}\``).join(", ")} to anyone in this public production API: the schema lists every route and model, and the UI lets callers try them; set \`openapi_url=None\` (or a setting only development enables).`,
          evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }],
        });
      }
      for (const { mod, call } of openSchemaViews(index)) {
        reports.push({
          message: `\`${call.callee}()\` mounts the OpenAPI schema${/Swagger|Redoc/.test(call.callee) ? " and its interactive UI" : ""} for anyone in this public production API, with no \`permission_classes\`${call.callee.includes("Spectacular") ? " and no SERVE_PERMISSIONS" : ""}.`,
          evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }],
        });
      }
    }
    // a Flask or Django JSON API that documents itself nowhere
    const api = apiEndpoints(model, index).filter((e) => e.framework === "flask" || e.framework === "quart" || e.framework === "django" || e.framework === "drf");
    if (api.length >= 5 && !mostlyPages(model, api) && !apiDocumentation(model, index)) {
      const kind = api.some((e) => e.framework === "drf") ? "Django REST framework" : api.some((e) => e.framework === "django") ? "Django" : "Flask";
      reports.push({
        message: `No API documentation: this ${kind} API has ${plural(api.length, "JSON route")} and no OpenAPI generator (drf-spectacular, drf-yasg, flask-smorest, flasgger, apispec), no route serving a specification and no API document in the repository.`,
        evidence: [{ file: appFile(model), line: null }],
        confidence: "medium",
      });
    }
    return reports;
  },
});
