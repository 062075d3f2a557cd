import type { ProjectIndex } from "../../python/project-index.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { plural } from "../../core/prose.js";
import { appFile } from "../handlers.js";
import { defineCheck } from "../define.js";
import { apiEndpoints, mostlyPages, usesLibrary } from "./api-surface.js";

/** `/v1`, `/v2.1`, `/api/2`, `/2024-01-01`, `{version}`: a version in the path. */
const VERSIONED_PATH = /(^|\/)(v\d+(\.\d+)*|\d{4}-\d{2}-\d{2}|\d+(\.\d+)?)(\/|$)|\{(api_)?version\}|<(\w+:)?(api_)?version>/i;
const VERSIONING_PACKAGES = ["fastapi-versioning", "fastapi-versionizer", "flask-smorest-versioning", "django-rest-framework-versioning", "cadwyn"];
const VERSIONING_MODULES = /^(fastapi_versioning|fastapi_versionizer|cadwyn)(\.|$)/;
/** A server-rendered site whose few JSON routes serve its own pages is not an API with clients to keep working. */
const MIN_API_ENDPOINTS = 5;

/** DRF `DEFAULT_VERSIONING_CLASS` or a view's `versioning_class`, a version header read by the app, or a versioned router: where. */
function versioningMechanism(index: ProjectIndex): string | null {
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    for (const a of mod.facts.assignments) {
      if (a.target === "REST_FRAMEWORK" && /DEFAULT_VERSIONING_CLASS/.test(a.text)) return `DEFAULT_VERSIONING_CLASS (${mod.file}:${a.line})`;
      if (a.target === "DEFAULT_VERSIONING_CLASS" || /\[["']DEFAULT_VERSIONING_CLASS["']\]$/.test(a.target)) return `DEFAULT_VERSIONING_CLASS (${mod.file}:${a.line})`;
    }
    for (const c of mod.facts.classes) {
      const v = c.assignments.find((a) => a.target === "versioning_class" && a.kind !== "none");
      if (v) return `versioning_class on ${c.name} (${mod.file}:${v.line})`;
    }
    for (const fn of mod.facts.functions) {
      // `api_version: str = Header(...)`, `x_api_version = Header(alias="X-API-Version")`
      const header = fn.params.find((p) => /^Header\(/.test(p.default ?? "") && /version/i.test(`${p.name} ${p.default}`));
      if (header) return `the ${header.name} header (${mod.file}:${fn.line})`;
    }
    for (const call of mod.facts.calls) {
      if (/(^|\.)(VersionedFastAPI|version)$/.test(call.callee) && call.qualified && VERSIONING_MODULES.test(call.qualified)) return `${call.callee} (${mod.file}:${call.line})`;
    }
  }
  return null;
}

export default defineCheck({
  id: "API006",
  area: "api",
  title: "No API versioning",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "Without a version in the path or a version header, every change to a response or a required field reaches every client at once: a renamed field breaks mobile apps that cannot be updated in step, and the team cannot run an old and a new contract side by side while clients move.",
  recommendation: "Put the public routes under a version prefix (`app.include_router(api_router, prefix=\"/api/v1\")`, a `url_prefix=\"/api/v1\"` blueprint, `path(\"api/v1/\", include(router.urls))`) or pick a DRF versioning scheme (`DEFAULT_VERSIONING_CLASS = \"rest_framework.versioning.URLPathVersioning\"`); add a new version only for breaking changes and keep additive changes inside one.",
  example: { bad: "app.include_router(users.router)  # GET /users", good: 'app.include_router(users.router, prefix="/api/v1")  # GET /api/v1/users' },
  references: ["https://www.django-rest-framework.org/api-guide/versioning/", "https://cloud.google.com/apis/design/versioning"],
  effort: "M",
  libraries: ["djangorestframework", "cadwyn", "fastapi-versioning"],
  run({ model, index, context }) {
    if (context.exposure === "internal") return [];
    const api = apiEndpoints(model, index);
    if (api.length < MIN_API_ENDPOINTS) return [];
    // a server-rendered site (most routes answer pages): its JSON routes serve its own pages
    if (mostlyPages(model, api)) return [];
    if (api.some((e) => VERSIONED_PATH.test(e.path))) return [];
    if (versioningMechanism(index) || usesLibrary(model, index, VERSIONING_PACKAGES, VERSIONING_MODULES)) return [];
    const prefixes = [...new Set(api.map((e) => `/${e.path.split("/").filter(Boolean)[0] ?? ""}`))].slice(0, 4);
    const audience = context.exposure === "public" ? "this public API" : "this API, if it has external clients,";
    const file = appFile(model);
    return [
      {
        message: `None of the ${plural(api.length, "API route")} carries a version (no \`/v1\`-style prefix, no version header, no DRF versioning class; routes start ${prefixes.map((p) => `\`${p}\``).join(", ")}): ${audience} cannot change a response without breaking its clients at once.`,
        evidence: [{ file, line: null }, ...api.slice(0, 3).map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }))],
      },
    ];
  },
});
