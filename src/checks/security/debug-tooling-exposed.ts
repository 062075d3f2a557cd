import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence } from "../../model/types.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { type DeployedSettings, deployedDjangoSettings } from "./django-deployment.js";

/** Development tools that must not be installed in production settings, by the INSTALLED_APPS and MIDDLEWARE entries that enable them. */
const TOOLS: Array<{ name: string; entries: RegExp }> = [
  { name: "django-debug-toolbar", entries: /^debug_toolbar(\.apps\.DebugToolbarConfig|\.middleware\.DebugToolbarMiddleware)?$/ },
  { name: "django-silk", entries: /^silk(\.apps\.SilkAppConfig|\.middleware\.SilkyMiddleware)?$/ },
];
const WERKZEUG_DEBUGGER = "werkzeug.debug.DebuggedApplication";
/** A guard that only turns the thing on while debugging or when run as a script. */
const DEBUG_GUARD = /debug|__main__|development|local/i;
/** Second factors and honeypots in front of the admin. */
const ADMIN_PROTECTION = /^(django_otp|two_factor|admin_honeypot|allauth\.mfa|django_mfa|mfa|axes)(\.|$)/;

/** Where a tool is switched on unconditionally in the deployed settings; null when it is not, or only maybe. */
function installedAt(s: DeployedSettings, entries: RegExp): Evidence | null {
  const target = /^(INSTALLED_APPS|MIDDLEWARE)$/;
  // `INSTALLED_APPS.remove("debug_toolbar")` somewhere (netbox: `if not DEBUG:`): it is taken out where it matters
  if (s.calls.some(({ call }) => /^(INSTALLED_APPS|MIDDLEWARE)\.remove$/.test(call.callee) && call.args.some((a) => typeof a.value === "string" && entries.test(a.value)))) return null;
  for (const name of ["INSTALLED_APPS", "MIDDLEWARE"]) {
    const all = s.assignments(name);
    for (const { fact, mod } of all) {
      if (!(fact.items ?? []).some((item) => entries.test(item))) continue;
      // `MIDDLEWARE = [...] + MIDDLEWARE` extends the list, most often under `if DEBUG:`, which the facts cannot see
      if (new RegExp(`\\b${name}\\b`).test(fact.text)) continue;
      // two literal lists in one module, one without the tool: an if/else on the environment
      if (all.some((o) => o.mod === mod && o.fact !== fact && !(o.fact.items ?? []).some((item) => entries.test(item)))) continue;
      return { file: mod.file, line: fact.line, snippet: `${name} = [... "${(fact.items ?? []).find((i) => entries.test(i))}" ...]` };
    }
  }
  for (const { call, mod } of s.calls) {
    if (!target.test(call.callee.split(".")[0] ?? "") || !/\.(append|insert|extend)$/.test(call.callee) || call.guard !== null) continue;
    if (call.args.some((a) => (typeof a.value === "string" && entries.test(a.value)) || (a.items ?? []).some((i) => entries.test(i)))) return { file: mod.file, line: call.line, snippet: call.snippet };
  }
  return null;
}

export default defineCheck({
  id: "SEC027",
  area: "security",
  title: "Debug or admin tooling exposed in production",
  severity: "high",
  kind: "concern",
  confidence: "medium",
  why: "Development tools installed in the production settings are one setting away from showing every SQL query, settings value, request header and template context to whoever asks: django-debug-toolbar only stays hidden while DEBUG is off and its callback keeps it so, django-silk records every request and response body (passwords included) in the database and serves them at /silk/ with no login unless told to, and the Werkzeug debugger runs any Python typed into a traceback page. An admin at the well-known `/admin/` path of a public API is the first place credential-stuffing bots try.",
  recommendation: "Install development tools only in development settings (`settings/local.py`) or under `if DEBUG:`, keep them in the dev dependency group so the production image does not have them, and never wrap the production WSGI app in `DebuggedApplication`. For the admin on a public deployment, mount it at a non-default path, put a second factor in front (django-otp, django-two-factor-auth) and rate-limit logins (django-axes).",
  example: { bad: 'INSTALLED_APPS = [..., "debug_toolbar", "silk"]\nurlpatterns = [path("admin/", admin.site.urls)]', good: 'if DEBUG:\n    INSTALLED_APPS += ["debug_toolbar"]\nurlpatterns = [path(env("ADMIN_URL"), admin.site.urls)]' },
  references: ["https://django-debug-toolbar.readthedocs.io/en/latest/installation.html", "https://github.com/jazzband/django-silk#security", "https://werkzeug.palletsprojects.com/en/stable/debug/", "https://cwe.mitre.org/data/definitions/489.html"],
  effort: "S",
  libraries: ["django-otp", "django-two-factor-auth", "django-axes"],
  cwe: "CWE-489",
  owasp: "A05:2021",
  run({ model, index, context }) {
    const reports: Report[] = [];
    const deployed = deployedDjangoSettings(model, index);
    for (const s of deployed) {
      for (const tool of TOOLS) {
        const at = installedAt(s, tool.entries);
        if (!at) continue;
        if (tool.name === "django-silk") {
          const guarded = ["SILKY_AUTHENTICATION", "SILKY_AUTHORISATION"].every((n) => s.assignments(n).some((a) => a.fact.value !== false));
          reports.push({
            message: `django-silk is installed unconditionally in ${s.module.name} (${s.reason}): it records request and response bodies in the database${guarded ? "; SILKY_AUTHENTICATION and SILKY_AUTHORISATION are set, so its pages need a staff login, but the bodies it keeps include passwords and tokens" : ", and without SILKY_AUTHENTICATION and SILKY_AUTHORISATION its pages at /silk/ are open to anyone"}.`,
            evidence: [at],
            ...(guarded ? { severity: "medium" as const } : {}),
          });
          continue;
        }
        const callback = s.assignments("DEBUG_TOOLBAR_CONFIG").find((a) => /SHOW_TOOLBAR_CALLBACK/.test(a.fact.text));
        reports.push({
          message: callback
            ? `django-debug-toolbar is installed unconditionally in ${s.module.name} (${s.reason}) and DEBUG_TOOLBAR_CONFIG replaces the SHOW_TOOLBAR_CALLBACK (${callback.mod.file}:${callback.fact.line}) that keeps it to DEBUG and INTERNAL_IPS: SQL, settings and headers may be shown to any client.`
            : `django-debug-toolbar is installed unconditionally in ${s.module.name} (${s.reason}). Its default callback shows it only while DEBUG is on and to INTERNAL_IPS, so it is hidden today, but it ships and runs its middleware in production, one DEBUG or INTERNAL_IPS change away from showing SQL, settings and headers.`,
          evidence: callback ? [at, { file: callback.mod.file, line: callback.fact.line }] : [at],
          ...(callback ? {} : { severity: "medium" as const, confidence: "high" as const }),
        });
      }
    }
    const publicProduction = (context.stage === "production" || context.stage === "scale") && context.exposure === "public";
    const protectedAdmin = deployed.some((s) => s.assignments("INSTALLED_APPS").some((a) => (a.fact.items ?? []).some((i) => ADMIN_PROTECTION.test(i))));
    for (const mod of index.modules.values()) {
      if (!runsInProduction(fileRole(mod.file)) || !isServiceCode(mod.file)) continue;
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : call.callee;
        if (resolved === WERKZEUG_DEBUGGER || (/^werkzeug\.serving\.run_simple$/.test(resolved) && call.args.some((a) => a.name === "use_debugger" && a.value === true))) {
          if (call.guard && DEBUG_GUARD.test(call.guard)) continue;
          const evalex = call.args.find((a) => a.name === "evalex");
          if (resolved === WERKZEUG_DEBUGGER && evalex?.value === false) continue;
          reports.push({ message: `${call.callee}() turns on the Werkzeug debugger in application code: its traceback pages run any Python a visitor types (protected only by a PIN printed to the log).`, evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }] });
        }
        if (!publicProduction || protectedAdmin || !/^django\.(urls\.(path|re_path)|conf\.urls\.url)$/.test(resolved)) continue;
        const [route, view] = call.args;
        if (typeof route?.value !== "string" || !/^\^?admin\/$/.test(route.value) || !/\badmin\.site\.urls\b|\badmin_site\.urls\b/.test(view?.text ?? "")) continue;
        reports.push({
          message: `The Django admin is mounted at the default path ${route.value} of a public ${context.stage} API, with no second factor or honeypot in INSTALLED_APPS: it is the first URL login bots try.`,
          evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }],
          severity: "medium",
        });
      }
    }
    return reports;
  },
});
