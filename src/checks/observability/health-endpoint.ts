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
    const health = model.endpoints.filter((e) => e.method === "GET" && isHealthPath(e.path));
    if (health.length === 0) {
      const file = appFile(model);
      return [{ message: `None of the ${model.endpoints.length} endpoints is a health or readiness check (/health, /healthz, /ready…).`, evidence: [{ file, line: null }] }];
    }
    const hasDataStores = model.technologies.some((t) => t.category === "database" || t.category === "cache" || t.category === "orm" || t.category === "db-driver");
    if (!hasDataStores) return [];
    if (health.some((e) => checksADependency(index, e.handler))) return [];
    const first = health[0];
    if (!first) return [];
    return [{
      message: `${first.method} ${first.path} answers without checking any dependency, although the service uses ${model.technologies.filter((t) => t.category === "database" || t.category === "cache").map((t) => t.name).join(", ") || "a database"}: it reports healthy when they are down.`,
      evidence: health.map((e) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` })),
    }];
  },
});
