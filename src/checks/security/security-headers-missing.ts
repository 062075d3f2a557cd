import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence } from "../../model/types.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const APP_CONSTRUCTORS = /^(fastapi\.FastAPI|flask\.Flask|starlette\.applications\.Starlette|quart\.Quart)$/;
/** Libraries and middleware that set security headers or enforce https and hosts. */
const HEADER_LIBRARY = /^(flask_talisman|talisman|secure|secweb|fastapi_security|starlette_csp|flask_csp|django_csp)(\.|$)|^(starlette|fastapi)\.middleware\.(trustedhost|httpsredirect)(\.|$)/;
/** The headers themselves, written in code (`response.headers.setdefault("X-Content-Type-Options", "nosniff")`, a headers dict). */
const HEADER_NAME = /Strict-Transport-Security|Content-Security-Policy|X-Content-Type-Options|X-Frame-Options/i;
/** Project middleware or hooks named for the job (`SecurityHeadersMiddleware`, `add_security_headers`). */
const HEADER_HOOK = /secur|header|hsts|csp/i;

export default defineCheck({
  id: "SEC015",
  area: "security",
  title: "No security headers",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "FastAPI, Starlette and Flask send no security headers of their own: without Strict-Transport-Security a browser can be downgraded to http on its first visit, without X-Content-Type-Options it may sniff an upload as HTML and run it, and without a Content-Security-Policy or frame options any injected script or framing site works unhindered. Django's SecurityMiddleware covers this for Django; these frameworks need a library, a middleware or the proxy in front.",
  recommendation: "Set the headers in one place: `Talisman(app)` (flask-talisman) for Flask, the `secure` package or a small middleware for FastAPI/Starlette, plus `TrustedHostMiddleware` and `HTTPSRedirectMiddleware` where the app faces the internet; or set them at the proxy (`add_header Strict-Transport-Security ... always;` in nginx, a Traefik headers middleware, Caddy `header`) and keep that configuration in the repository.",
  example: { bad: "app = FastAPI()", good: 'app = FastAPI()\napp.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.ALLOWED_HOSTS)\nsecure_headers = secure.Secure.with_default_headers()\n@app.middleware("http")\nasync def set_secure_headers(request, call_next):\n    response = await call_next(request)\n    await secure_headers.set_headers_async(response)\n    return response' },
  references: ["https://owasp.org/www-project-secure-headers/", "https://github.com/GoogleCloudPlatform/flask-talisman", "https://secure.readthedocs.io/", "https://www.starlette.io/middleware/#trustedhostmiddleware"],
  effort: "S",
  libraries: ["flask-talisman", "secure", "starlette"],
  cwe: "CWE-693",
  owasp: "A05:2021",
  run({ model, index }) {
    const apps: Array<Evidence & { framework: string }> = [];
    let covered: string | null = null;
    for (const mod of index.modules.values()) {
      if (!runsInProduction(fileRole(mod.file))) continue;
      const library = mod.facts.imports.find((i) => HEADER_LIBRARY.test(i.module) || (i.names ?? []).some((n) => HEADER_LIBRARY.test(`${i.module}.${n.name}`)));
      if (library) covered ??= `${mod.file}:${library.line} imports ${library.module}`;
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : call.callee;
        if (APP_CONSTRUCTORS.test(resolved) && isServiceCode(mod.file)) apps.push({ file: mod.file, line: call.line, snippet: call.snippet, framework: resolved.split(".")[0] ?? resolved });
        if (call.args.some((a) => HEADER_NAME.test(a.text))) covered ??= `${mod.file}:${call.line} sets ${HEADER_NAME.exec(call.args.map((a) => a.text).join(" "))?.[0]}`;
      }
      const constant = [...mod.facts.assignments, ...mod.facts.classes.flatMap((c) => c.assignments)].find((a) => HEADER_NAME.test(a.text));
      if (constant) covered ??= `${mod.file}:${constant.line} names ${HEADER_NAME.exec(constant.text)?.[0]}`;
      // a response hook or middleware named for the job: `@app.after_request def set_security_headers`, `class SecurityHeadersMiddleware`
      const hook = mod.facts.functions.find((f) => HEADER_HOOK.test(f.qualname) && (f.decorators.some((d) => /after_request|middleware/.test(d.name)) || /middleware/i.test(f.qualname)));
      const middleware = mod.facts.classes.find((c) => HEADER_HOOK.test(c.name) && /middleware/i.test(c.name));
      if (hook ?? middleware) covered ??= `${mod.file}:${(hook ?? middleware)?.line} ${hook ? hook.qualname : middleware?.name}`;
    }
    const config = model.securityConfig?.headers[0];
    if (config) covered ??= `${config.file}:${config.line}`;
    const app = apps[0];
    if (covered || !app) return [];
    const proxy = model.components.find((c) => c.kind === "proxy");
    const more = apps.length > 1 ? ` (and ${apps.length - 1} more application object${apps.length > 2 ? "s" : ""})` : "";
    const report: Report = {
      // the application's configuration, not the framework, is at fault: the message does not name the framework (the stack verdict reads names)
      message: `The application created at ${app.file}:${app.line}${more} sets no security headers: no Talisman, secure or TrustedHost/HTTPSRedirect middleware, no Strict-Transport-Security, Content-Security-Policy or X-Content-Type-Options in the code, and no proxy configuration in the repository that adds them.${proxy ? ` The deployment runs ${proxy.technology ?? proxy.name} in front (${proxy.evidence[0]?.file ?? "deployment files"}), whose configuration was not read: it may set them.` : ""}`,
      evidence: [{ file: app.file, line: app.line, snippet: app.snippet }],
      ...(proxy ? { confidence: "low" as const } : {}),
    };
    return [report];
  },
});
