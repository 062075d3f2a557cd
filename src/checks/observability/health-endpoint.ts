import type { ProjectIndex } from "../../python/project-index.js";
import { appFile, reachableWithDependencies } from "../handlers.js";
import { defineCheck } from "../define.js";

const HEALTH_SEGMENT = /^(health[a-z_-]*|healthz|livez|readyz|ready|readiness|liveness|ping|status|heartbeat)$/i;
/** Words that name a health check only at the top of the API, not under a resource (`/orders/status`). */
const GENERIC_SEGMENT = /^(ping|status|ready)$/i;
const API_PREFIX_SEGMENT = /^(api|v\d+(\.\d+)?|internal|_?system|ops|monitoring|management|health[a-z_-]*)$/i;
const DEPENDENCY_CALL = /\.(execute|exec|scalar|scalars|ping|info|cursor|connect|get_connection|select|head_bucket|check|health|healthcheck|is_healthy)$|^(sqlalchemy\.text|text)$/;
/** `logger.info(...)` ends like Redis `INFO` but checks nothing. */
const LOGGING_CALL = /^(logging|structlog|loguru)\.|(^|\.)(log|logger|_logger|logging|LOG|LOGGER|_log|_LOGGER)\.\w+$/;

const HEALTH_PACKAGES = /^(django-health-check|fastapi-health|py-healthcheck|healthcheck|flask-healthz|django-healthchecks|django-alive|starlette-healthcheck|health-check)$/i;
const HEALTH_PATH_LITERAL = /^\/?(health[a-z_-]*|healthz|readyz|livez|ready|readiness|liveness|ping)\/?$/i;

/** A call given a health path as a literal (`health_check(application, "/health/")`, `HealthMiddleware(app, path="/healthz")`). */
function healthMiddleware(index: ProjectIndex): string | null {
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (call.args.some((a) => typeof a.value === "string" && HEALTH_PATH_LITERAL.test(a.value)) && /health|middleware|wrap|asgi|wsgi/i.test(call.callee)) return `${mod.file}:${call.line}`;
    }
  }
  return null;
}

/** `/health`, `/api/v1/healthz`, `/health/ready`, `/status`; not `/orders/{id}/status` or `/jobs/ping`. */
function isHealthPath(path: string): boolean {
  const segments = path.split("/").filter(Boolean);
  const last = segments[segments.length - 1];
  if (!last || !HEALTH_SEGMENT.test(last) || segments.some((s) => s.startsWith("{"))) return false;
  return !GENERIC_SEGMENT.test(last) || segments.slice(0, -1).every((s) => API_PREFIX_SEGMENT.test(s));
}

/** Whether the handler, a function it calls, or a FastAPI dependency it declares (transitively) touches a data store. */
function checksADependency(index: ProjectIndex, handler: string): boolean {
  for (const id of reachableWithDependencies(index, [handler])) {
    const calls = index.callsIn(id);
    if (calls.some(({ call, resolved }) => DEPENDENCY_CALL.test(resolved ?? call.callee) && !LOGGING_CALL.test(call.callee) && !LOGGING_CALL.test(resolved ?? ""))) return true;
  }
  return false;
}

export default defineCheck({
  id: "OBS006",
  area: "observability",
  title: "No health endpoint that checks dependencies",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Load balancers and orchestrators decide where to send traffic from health checks. Without one, a broken instance keeps receiving requests; with one that always answers 200, an instance that lost its database is still reported healthy and keeps failing requests.",
  recommendation: "Expose a cheap liveness endpoint and a readiness endpoint that checks what the service needs (a `SELECT 1` on the database, a Redis `PING`), with short timeouts, and point the container HEALTHCHECK or Kubernetes probes at them.",
  example: {
    bad: '@app.get("/health")\ndef health():\n    return {"status": "ok"}',
    good: '@app.get("/health/ready")\nasync def ready(db: AsyncSession = Depends(get_db)):\n    await db.execute(text("SELECT 1"))\n    await redis.ping()\n    return {"status": "ok"}',
  },
  references: ["https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/", "https://microservices.io/patterns/observability/health-check-api.html"],
  effort: "S",
  libraries: ["fastapi-health", "django-health-check", "py-healthcheck"],
  run({ model, index }) {
    if (model.endpoints.length === 0) return [];
    // a Django view without a method restriction (`ANY`) answers a probe's GET too
    const health = model.endpoints.filter((e) => (e.method === "GET" || e.method === "ANY" || e.method === "HEAD") && isHealthPath(e.path));
    // a health-check library (django-health-check checks the database, cache and storage itself)
    if (model.dependencies.some((d) => HEALTH_PACKAGES.test(d.name)) || model.technologies.some((t) => /health/i.test(t.name))) return [];
    if (health.length === 0) {
      // answered before routing: an ASGI/WSGI middleware given the path (`application = health_check(application, "/health/")`)
      const middleware = healthMiddleware(index);
      if (middleware) return [];
      const file = appFile(model);
      // the container is probed already (a HEALTHCHECK calling some route or script): what is missing is a dedicated check
      const probed = model.dockerfiles.find((d) => d.healthcheck) ?? model.composeServices.find((c) => c.healthcheck);
      if (probed) return [{ message: `None of the ${model.endpoints.length} endpoints is a health or readiness check (/health, /healthz, /ready…); ${probed.file} declares a HEALTHCHECK, so the container is probed, but not through a route that checks the service's dependencies.`, evidence: [{ file, line: null }, { file: probed.file, line: null }], severity: "low" }];
      return [{ message: `None of the ${model.endpoints.length} endpoints is a health or readiness check (/health, /healthz, /ready…).`, evidence: [{ file, line: null }] }];
    }
    const hasDataStores = model.technologies.some((t) => t.category === "database" || t.category === "cache" || t.category === "orm" || t.category === "db-driver");
    if (!hasDataStores) return [];
    if (health.some((e) => checksADependency(index, e.handler))) return [];
    const first = health[0];
    if (!first) return [];
    // a liveness check is the right thing for a liveness probe: what is missing is readiness, a lesser gap than no health check at all
    return [{
      message: `${first.method} ${first.path} answers without checking any dependency, although the service uses ${model.technologies.filter((t) => t.category === "database" || t.category === "cache").map((t) => t.name).join(", ") || "a database"}: it is a liveness check, and no readiness check reports the instance unhealthy when they are down.`,
      evidence: health.map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` })),
      severity: "low",
    }];
  },
});
