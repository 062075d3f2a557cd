import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { joinAnd, plural } from "../../core/prose.js";
import type { Endpoint } from "../../model/types.js";
import { isServiceCode, serviceCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Routes that are public in every service: health, metrics, API documentation, the site root, static files. */
const INFRASTRUCTURE_ROUTE = /^\/?$|(^|\/)(health[a-z]*|healthz|livez|readyz|ping|status|metrics|version|docs|redoc|openapi(\.json)?|swagger[\w.-]*|favicon\.ico|robots\.txt|static|media)(\/|$|\{)/i;
/** Calls that check a credential somewhere in the code, even if the model could not tie them to a route. */
const CREDENTIAL_CALL = /^(jwt\.decode|jose\.jwt\.decode|authlib\.|fastapi\.security\.|flask_httpauth\.|flask_login\.|flask_jwt_extended\.|werkzeug\.security\.check_password_hash|hmac\.compare_digest|secrets\.compare_digest|django\.contrib\.auth\.(authenticate|login|decorators)|itsdangerous\.|firebase_admin\.auth\.|google\.oauth2\.id_token\.verify_oauth2_token|passlib\.|bcrypt\.checkpw|argon2\.)/;
/** Functions, classes and middleware whose names say they authenticate (`verify_token`, `AuthMiddleware`, `get_current_user`). */
const AUTH_NAME = /authenticat|authoriz|auth_?middleware|verify_(token|api_key|jwt|signature|credentials)|check_(api_key|token|auth)|require_(auth|login|api_key|token)|current_user|api_key|login_required|bearer/i;
/** Sidecars and proxies that authenticate before the app sees a request. */
const AUTH_PROXY = /(^|\/)(oauth2-proxy|oauth2_proxy|pomerium|authelia|keycloak|authentik|ory\/oathkeeper|vouch-proxy)(:|$)/i;

export default defineCheck({
  id: "SEC016",
  area: "security",
  title: "No authentication mechanism",
  severity: "high",
  kind: "concern",
  confidence: "medium",
  why: "A service whose endpoints no authentication covers serves and changes its data for anyone who can reach it: a misconfigured ingress, a port opened for debugging or a neighbour in the network is all it takes. Adding authentication late means touching every route and every client at once.",
  recommendation: "Choose one authentication mechanism for the whole API and apply it by default, opting public routes out explicitly: FastAPI security dependencies on the app or routers (`fastapi.security.OAuth2PasswordBearer`/`HTTPBearer` with PyJWT, or fastapi-users), Django's `django.contrib.auth` with DRF `DEFAULT_PERMISSION_CLASSES = [IsAuthenticated]` (or django-allauth, djangorestframework-simplejwt), Flask-Login or Flask-JWT-Extended; or an identity-aware proxy (oauth2-proxy, an API gateway authorizer) in front, stated in the deployment.",
  example: { bad: 'app = FastAPI()\n\n@app.get("/orders/{order_id}")\ndef get_order(order_id: int): ...', good: 'app = FastAPI(dependencies=[Depends(get_current_user)])\n\n@app.get("/orders/{order_id}")\ndef get_order(order_id: int): ...' },
  references: ["https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/", "https://cwe.mitre.org/data/definitions/306.html", "https://fastapi.tiangolo.com/tutorial/security/"],
  effort: "M",
  libraries: ["fastapi-users", "pyjwt", "django-allauth", "djangorestframework-simplejwt", "flask-login", "flask-jwt-extended", "authlib"],
  cwe: "CWE-306",
  owasp: "API2:2023",
  run({ model, index, context }) {
    const served = model.endpoints.filter((e) => isServiceCode(e.file) && runsInProduction(fileRole(e.file)) && !INFRASTRUCTURE_ROUTE.test(e.path));
    if (!served.length) return [];
    // one route that authenticates, or one the model cannot decide, means a mechanism exists or may exist
    if (served.some((e) => e.auth !== false)) return [];
    // routes declared public on purpose (`AllowAny`) say the team has decided about authentication
    if (served.some((e) => e.declaredPublic)) return [];
    const authTech = model.technologies.find((t) => (t.category === "auth" || t.category === "password-hashing") && t.evidence.some((e) => runsInProduction(fileRole(e.file))));
    if (authTech) return [];
    for (const { resolved } of serviceCalls(index)) if (resolved && CREDENTIAL_CALL.test(resolved)) return [];
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file) || !runsInProduction(fileRole(mod.file))) continue;
      if (mod.facts.functions.some((f) => AUTH_NAME.test(f.name)) || mod.facts.classes.some((c) => AUTH_NAME.test(c.name))) return [];
      // Django sites that use contrib.auth (sessions, the admin's login) have a mechanism, whatever the API routes say
      if (mod.facts.assignments.some((a) => a.target === "INSTALLED_APPS" && a.text.includes("django.contrib.auth"))) return [];
      if (mod.facts.imports.some((i) => /^(django\.contrib\.auth|rest_framework\.(authentication|permissions)|ninja\.security)/.test(i.module))) return [];
    }
    if (model.composeServices.some((s) => s.image !== null && AUTH_PROXY.test(s.image)) || model.kubernetes.some((w) => w.containers.some((c) => c.image !== null && AUTH_PROXY.test(c.image)))) return [];

    const writes = served.filter((e) => !["GET", "HEAD", "OPTIONS"].includes(e.method));
    const listed = served.slice(0, 5).map((e) => `${e.method} ${e.path}`);
    const more = served.length > listed.length ? ` and ${served.length - listed.length} more` : "";
    const evidence = served.slice(0, 5).map((e: Endpoint) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }));
    const base = `No authentication mechanism anywhere: ${plural(served.length, "endpoint")} (${joinAnd(listed)}${more}) are served with no authentication dependency, decorator, middleware or permission class, no authentication library in the dependencies, and no authenticating proxy in the deployment`;
    if (context.exposure === "internal") {
      return [{ message: `${base}. The context says the service is internal: the network is then the only control; confirm that nothing outside the trusted network reaches it, or authenticate service-to-service calls (mTLS, signed tokens).`, evidence, severity: "medium" }] satisfies Report[];
    }
    if (!writes.length) {
      return [{ message: `${base}. Every route only reads: if the data is public by design this is intended, otherwise anyone who reaches the service reads it.`, evidence, severity: "low" }] satisfies Report[];
    }
    return [{ message: `${base}; ${writes.length} of them ${writes.length === 1 ? "changes" : "change"} state (API002 lists them).`, evidence }] satisfies Report[];
  },
});
