import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Endpoint } from "../../model/types.js";
import { apiEndpoints } from "../api/api-surface.js";
import undeclaredResponseSchema from "../api/undeclared-response-schema.js";
import unvalidatedRequestBody from "../api/unvalidated-request-body.js";
import { defineCheck } from "../define.js";
import type { Check, CheckInput } from "../types.js";
import { joinAnd, plural, serviceModules, settingAssignments, STRENGTH } from "./shared.js";

/** Below this many JSON endpoints, schemas on all of them say little about a habit. */
const MIN_ENDPOINTS = 5;
/** Share of JSON endpoints (not DELETE) declaring their response, and of write endpoints validating a request schema (actions without a body, `POST /items/{id}/publish`, keep the second lower; API004 judges the bodies). */
const RESPONSE_SHARE = 0.8;
const REQUEST_SHARE = 0.5;
const WRITES = new Set(["POST", "PUT", "PATCH"]);
const SCHEMA_KIND: Record<string, string> = { fastapi: "Pydantic models", litestar: "typed models", ninja: "Ninja schemas", drf: "DRF serializers", flask: "schemas", django: "schemas" };
/** Paths that should be limited first: sign-in, sign-up, password reset, tokens. */
/** Share of the routes that, limited, show rate limiting as a practice even when no sign-in route is among them. */
const LIMITED_SHARE = 0.1;
const SENSITIVE = /(^|\/)(login|signin|sign-in|signup|sign-up|register|token|password|reset|forgot|otp|verify|auth)(\/|$|[-_{])/i;

/** The medium and high reports of a concern check (its severity unless the report sets one). */
function seriousReports(check: Check, input: CheckInput): number {
  return check.run(input).filter((r) => (r.severity ?? check.severity) === "high" || (r.severity ?? check.severity) === "medium").length;
}

const share = (part: number, whole: number) => `${part} of ${whole}`;

export const declaredSchemas = defineCheck({
  id: "API-S001",
  area: "api",
  title: "Request and response schemas declared",
  ...STRENGTH,
  confidence: "medium",
  why: "Endpoints that validate their input against a declared model and return a declared model reject malformed requests before any logic runs, never leak fields added to a database model, and document themselves in the OpenAPI schema that clients and SDKs are generated from.",
  recommendation: "Keep separate input and output models per resource (`UserCreate`, `UserRead`), and forbid unknown fields on input models.",
  references: ["https://fastapi.tiangolo.com/tutorial/response-model/", "https://www.django-rest-framework.org/api-guide/serializers/"],
  effort: "S",
  libraries: ["pydantic", "djangorestframework"],
  run(input) {
    const { model, index } = input;
    const endpoints = apiEndpoints(model, index).filter((e) => e.method !== "DELETE");
    if (endpoints.length < MIN_ENDPOINTS) return [];
    // a DRF serializer on a write both validates the body and shapes the response
    const declares = (e: Endpoint) => Boolean(e.responseSchema || (e.framework === "drf" && e.requestSchema));
    const responses = endpoints.filter(declares);
    const writes = endpoints.filter((e) => WRITES.has(e.method));
    const validated = writes.filter((e) => e.requestSchema);
    if (responses.length < RESPONSE_SHARE * endpoints.length || validated.length < REQUEST_SHARE * writes.length) return [];
    // the concerns about the same contract must agree: no habit of undeclared responses, bodies read unvalidated only by exception
    if (undeclaredResponseSchema.run(input).length) return [];
    const unvalidated = seriousReports(unvalidatedRequestBody, input);
    if (unvalidated > Math.max(1, writes.length / 20)) return [];
    const kinds = [...new Set(endpoints.map((e) => SCHEMA_KIND[e.framework] ?? "schemas"))];
    const both = endpoints.filter((e) => declares(e) && (!WRITES.has(e.method) || e.requestSchema));
    const example = (e: Endpoint) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path}: ${[e.requestSchema, e.responseSchema].filter(Boolean).join(" → ")}`.slice(0, 160) });
    // examples with named schemas (`UserCreate → UserRead`), not an inline `{200: OpenApiTypes.OBJECT}`
    const named = (e: Endpoint) => [e.requestSchema, e.responseSchema].every((x) => x === undefined || /^[\w.[\], |]+$/.test(x));
    const pick = (list: Endpoint[], n: number) => [...list.filter(named), ...list.filter((e) => !named(e))].slice(0, n);
    const shown = [...pick(both.filter((e) => WRITES.has(e.method)), 2), ...pick(both.filter((e) => !WRITES.has(e.method)), 1)];
    const requests = writes.length ? `, and ${share(validated.length, writes.length)} write endpoints validate their body against one` : "";
    const exceptions = unvalidated ? ` (API004 reports ${plural(unvalidated, "handler")} reading a body without one)` : "";
    return [{ message: `${share(responses.length, endpoints.length)} JSON endpoints declare their response as ${joinAnd(kinds)}${requests}${exceptions}: the API's contract is typed and documented by the code.`, evidence: shown.map(example) }];
  },
});

/** `app.add_middleware(SlowAPIMiddleware)` (or the ASGI variant) in the service. */
function slowapiMiddleware(index: Parameters<typeof serviceModules>[0]): boolean {
  return serviceModules(index).some((m) => m.facts.calls.some((c) => c.args.some((a) => /(^|\.)SlowAPI(ASGI)?Middleware$/.test(a.qualified ?? a.text))));
}

export const rateLimiting = defineCheck({
  id: "API-S002",
  area: "api",
  title: "Rate limiting",
  ...STRENGTH,
  confidence: "medium",
  why: "Limits on how often a client may call the API blunt credential stuffing, scraping and runaway clients before they reach the database.",
  recommendation: "Keep the limits in a shared store (Redis) so every instance counts the same client, and limit sign-in, sign-up and password reset most tightly.",
  references: ["https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/", "https://slowapi.readthedocs.io/", "https://www.django-rest-framework.org/api-guide/throttling/"],
  effort: "S",
  libraries: ["slowapi", "django-ratelimit", "flask-limiter"],
  run({ model, index }) {
    const service = new Set(serviceModules(index).map((m) => m.file));
    const endpoints = model.endpoints.filter((e) => service.has(e.file));
    const limited = endpoints.filter((e) => e.rateLimit);
    const sensitive = limited.filter((e) => SENSITIVE.test(e.path));
    // one limited webhook among hundreds of routes is an exception, not a practice: sign-in routes, or a tenth of the API
    if (limited.length && (sensitive.length || limited.length >= LIMITED_SHARE * endpoints.length)) {
      const shown = [...sensitive, ...limited.filter((e) => !sensitive.includes(e))].slice(0, 3);
      const first = shown[0] as Endpoint;
      const note = sensitive.length ? `, sign-in and token routes among them (${first.method} ${first.path}: ${first.rateLimit})` : ` (${first.method} ${first.path}: ${first.rateLimit})`;
      return [{ message: `${share(limited.length, endpoints.length)} endpoints are rate limited${note}.`, evidence: shown.map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path}: ${e.rateLimit}`.slice(0, 160) })) }];
    }
    if (endpoints.length === 0) return [];
    // a default limit for every view: DRF's DEFAULT_THROTTLE_CLASSES, a limiter with default limits
    const drf = settingAssignments(index, "REST_FRAMEWORK").find((a) => /DEFAULT_THROTTLE_CLASSES/.test(a.text) && /DEFAULT_THROTTLE_RATES/.test(a.text));
    if (drf) return [{ message: `REST_FRAMEWORK sets default throttle classes and rates (${drf.mod.file}), so every DRF view is rate limited unless it opts out.`, evidence: [{ file: drf.mod.file, line: drf.line, snippet: "REST_FRAMEWORK: DEFAULT_THROTTLE_CLASSES, DEFAULT_THROTTLE_RATES" }] }];
    for (const mod of serviceModules(index)) {
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
        // the `limits` library behind a limiter of the project's own (`MovingWindowRateLimiter(storage)`)
        if (/^limits\.(strategies\.)?\w+RateLimiter$/.test(resolved)) {
          return [{ message: `The service limits request rates with its own limiter on the \`limits\` library (${call.snippet} in ${mod.file}).`, evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }] }];
        }
        // slowapi applies default limits only through its middleware; Flask-Limiter applies them itself
        if (/^(slowapi\.Limiter|flask_limiter\.Limiter)$/.test(resolved) && call.args.some((a) => (a.name === "default_limits" || a.name === "application_limits") && a.text.trim() !== "[]") && (resolved.startsWith("flask") || slowapiMiddleware(index))) {
          return [{ message: `A ${resolved.startsWith("slowapi") ? "slowapi" : "Flask-Limiter"} limiter applies default limits to every route (${call.snippet} in ${mod.file}).`, evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }] }];
        }
      }
    }
    // a rate-limit rule in the deployment (ingress annotation, gateway plugin); not a recorded HTTP exchange in a test cassette
    const edge = model.edgeRateLimits.find((e) => runsInProduction(fileRole(e.file)));
    if (edge) return [{ message: `Requests are rate limited in front of the application (${edge.snippet ?? "a rate-limit rule"} in ${edge.file}).`, evidence: [edge] }];
    return [];
  },
});

export const API_STRENGTHS = [declaredSchemas, rateLimiting];
