import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence, HealthProbe, SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { appFile, reachableWithDependencies } from "../handlers.js";
import { defineCheck } from "../define.js";

/** A leading `_` or `-` marks an internal route (`/_health/`, `/-/health`), served all the same. */
const HEALTH_SEGMENT = /^[_-]?(health[a-z_-]*|healthz|livez|readyz|ready|readiness|liveness|ping|status|heartbeat)$/i;
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

/** Methods a probe's GET reaches: GET and HEAD routes, and views that serve any method (a Django function view). */
const PROBE_METHOD = /^(GET|HEAD|ANY|\*)$/i;

/** `/health/` and `/health` are the same route to a probe; a query string does not change the route. */
function samePath(a: string, b: string): boolean {
  const norm = (p: string) => `/${p.replace(/[?#].*$/, "").replace(/^\/+|\/+$/g, "")}`;
  return norm(a) === norm(b);
}

/** Compose files for development, tests or local sandboxes. */
const DEV_FILE = /(^|[/._-])(dev|develop|development|local|test|tests|testing|regtest|e2e|ci)([/._-]|$)/i;

/**
 * Probes of the application's own containers in the deployment that runs in production: a compose healthcheck of a
 * service built here or running the app's server (not the database's `pg_isready` or MinIO's own health route), a
 * Dockerfile that runs Python, Kubernetes probes.
 */
function appProbes(model: SystemModel): HealthProbe[] {
  return (model.healthProbes ?? []).filter((p) => {
    if (!runsInProduction(fileRole(p.file)) || DEV_FILE.test(p.file)) return false;
    if (p.source === "compose") {
      const service = model.composeServices.find((s) => s.file === p.file && s.name === p.service);
      if (!service) return false;
      // a service built from a Dockerfile that does not run Python (an OpenSearch image under dev/) is not the app
      const built = service.build && (service.dockerfile === null || model.dockerfiles.some((d) => d.file === service.dockerfile && (d.runsPython || d.server !== null)));
      return built || service.server !== null || model.builtImages.some((b) => (service.image ?? "").toLowerCase().startsWith(b.name));
    }
    if (p.source === "dockerfile") return model.dockerfiles.some((d) => d.file === p.file && (d.runsPython || d.server !== null));
    return true;
  });
}

const PROBE_NAMES: Record<HealthProbe["kind"], string> = { healthcheck: "HEALTHCHECK", liveness: "livenessProbe", readiness: "readinessProbe", startup: "startupProbe" };

function describeProbe(p: HealthProbe): string {
  const where = `${p.file}:${p.line}`;
  if (p.source === "dockerfile") return `the Dockerfile HEALTHCHECK (${where})`;
  if (p.source === "compose") return `the compose healthcheck (${where})`;
  return `the Kubernetes ${PROBE_NAMES[p.kind]} (${where})`;
}

/** `None of the 12 endpoints is`, `The one endpoint is not`. */
function noneOf(count: number): string {
  return count === 1 ? "The one endpoint is not" : `None of the ${count} endpoints is`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function probeEvidence(p: HealthProbe): Evidence {
  return { file: p.file, line: p.line, snippet: p.snippet };
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
    // a health-check library (django-health-check checks the database, cache and storage itself)
    if (model.dependencies.some((d) => HEALTH_PACKAGES.test(d.name)) || model.technologies.some((t) => /health/i.test(t.name))) return [];
    const probes = appProbes(model);
    // routes a probe can call: a Django view without a method restriction (`ANY`) answers a probe's GET too; a route a probe requests is the health check whatever its name
    const health = model.endpoints.filter((e) => PROBE_METHOD.test(e.method) && (isHealthPath(e.path) || probes.some((p) => p.path !== null && p.path !== "/" && samePath(p.path, e.path))));
    const file = appFile(model);
    if (health.length === 0) {
      // answered before routing: an ASGI/WSGI middleware given the path (`application = health_check(application, "/health/")`)
      const middleware = healthMiddleware(index);
      if (middleware) return [];
      // the container is probed already (a HEALTHCHECK calling some route or script): what is missing is a dedicated check
      const probe = probes.find((p) => p.path !== null) ?? probes[0];
      // only the app's own container counts: a database's `pg_isready` healthcheck does not probe the service
      if (probe) {
        const declared = probe.source === "dockerfile" ? "HEALTHCHECK" : probe.source === "compose" ? "healthcheck" : PROBE_NAMES[probe.kind];
        const what = `${probe.file} declares a ${declared} (line ${probe.line}) that ${probe.path === null ? "runs a command" : probe.path === "/" ? "requests / (the home page)" : `requests ${probe.path}, which no route of the app serves`}`;
        return [{ message: `${noneOf(model.endpoints.length)} a health or readiness check (/health, /healthz, /ready…); ${what}, so the container is probed, but not through a route that checks the service's dependencies.`, evidence: [{ file, line: null }, probeEvidence(probe)], severity: "low" }];
      }
      return [{ message: `${noneOf(model.endpoints.length)} a health or readiness check (/health, /healthz, /ready…).`, evidence: [{ file, line: null }] }];
    }
    const routes = health.map((e) => ({ e, checks: checksADependency(index, e.handler), probes: probes.filter((p) => p.path !== null && samePath(p.path, e.path)) }));
    const httpProbes = probes.filter((p) => p.path !== null);
    const stores = model.technologies.filter((t) => t.category === "database" || t.category === "cache").map((t) => t.name);
    const hasDataStores = model.technologies.some((t) => t.category === "database" || t.category === "cache" || t.category === "orm" || t.category === "db-driver");
    const evidenceOf = (list: typeof routes) => list.map(({ e }) => ({ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }));
    if (hasDataStores && !routes.some((r) => r.checks)) {
      const first = routes[0];
      if (!first) return [];
      // a readiness probe (or a Docker HEALTHCHECK) on a route that checks nothing keeps an instance that lost its database in rotation
      const gating = routes.flatMap((r) => r.probes).find((p) => p.kind === "readiness" || p.kind === "healthcheck");
      const probeNote = gating ? ` ${capitalise(describeProbe(gating))} points at ${gating.path}, so an instance that lost ${stores[0] ?? "its database"} is still reported ${gating.kind === "readiness" ? "ready and kept in rotation" : "healthy"}.` : "";
      // a liveness check is the right thing for a liveness probe: what is missing is readiness, a lesser gap than no health check at all
      return [{
        message: `${first.e.method} ${first.e.path} answers without checking any dependency, although the service uses ${stores.join(", ") || "a database"}: it is a liveness check, and no readiness check reports the instance unhealthy when they are down.${probeNote}`,
        evidence: [...evidenceOf(routes), ...(gating ? [probeEvidence(gating)] : [])],
        severity: "low",
      }];
    }
    // a Kubernetes liveness probe on a route that checks the database restarts every pod when the database is down
    const restarting = routes.find((r) => r.checks && r.probes.some((p) => p.kind === "liveness") && !routes.some((o) => !o.checks && o.probes.some((p) => p.kind === "liveness")));
    if (restarting) {
      const liveness = restarting.probes.find((p) => p.kind === "liveness");
      if (liveness) {
        return [{
          message: `${capitalise(describeProbe(liveness))} points at ${restarting.e.method} ${restarting.e.path}, which checks the service's dependencies: when ${stores[0] ?? "a dependency"} is down every pod fails liveness and is restarted, which does not help and adds a restart storm to the outage. Point liveness at a route that checks only the process, and readiness at this one.`,
          evidence: [probeEvidence(liveness), ...evidenceOf([restarting])],
          severity: "low",
        }];
      }
    }
    // probes that request a path none of the health routes serves
    // a route behind authentication (a status page for admins) cannot be what a probe calls
    if (httpProbes.length && !routes.some((r) => r.probes.length) && routes.some((r) => r.e.auth !== true)) {
      const probe = httpProbes[0] as HealthProbe;
      return [{
        message: `The app serves ${routes.filter((r) => r.e.auth !== true).slice(0, 3).map((r) => `${r.e.method} ${r.e.path}`).join(", ")}${routes.some((r) => r.checks && r.e.auth !== true) ? ", which checks its dependencies," : ""} but ${describeProbe(probe)} requests ${probe.path}${probe.path === "/" ? " (the home page)" : ""} instead, so the orchestrator never asks the health route; point the probe at it (a proxy or mount prefix may explain the difference: review).`,
        evidence: [probeEvidence(probe), ...evidenceOf(routes)],
        severity: "low",
      }];
    }
    return [];
  },
});
