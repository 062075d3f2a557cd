import type { Evidence } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import { reachableWithDependencies } from "../handlers.js";
import { callEvidence, inMainService, joinAnd, plural, serviceCallsResolved, serviceModules, settingAssignments, STRENGTH, whenClause } from "./shared.js";

/** Calls that set tracing up: an OpenTelemetry tracer provider or instrumentor, Logfire (built on OpenTelemetry), ddtrace. */
const TRACING_SETUP: Array<{ pattern: RegExp; via: string }> = [
  { pattern: /^opentelemetry\.(sdk\.trace\.TracerProvider|trace\.set_tracer_provider)$/, via: "an OpenTelemetry tracer provider" },
  // instrumentors that trace (FastAPI, Django, requests...), not those that only report process metrics
  { pattern: /^opentelemetry\.instrumentation\.(?!system_metrics|runtime_metrics)[\w.]+Instrumentor(\.(instrument|instrument_app))?$/, via: "OpenTelemetry instrumentation" },
  { pattern: /^opentelemetry\.instrumentation\.auto_instrumentation\.initialize$/, via: "OpenTelemetry auto-instrumentation" },
  { pattern: /^opentelemetry\.sdk\._configuration\._OTelSDKConfigurator$/, via: "the OpenTelemetry SDK (exporters chosen by OTEL_* variables)" },
  { pattern: /^azure\.monitor\.opentelemetry\.configure_azure_monitor$/, via: "OpenTelemetry (Azure Monitor distro)" },
  { pattern: /^logfire\.(configure|instrument_\w+)$/, via: "Logfire (OpenTelemetry)" },
  { pattern: /^ddtrace\.(patch_all|patch|tracer\.configure)$/, via: "Datadog ddtrace" },
];

/** Exposing or pushing Prometheus metrics. */
const PROMETHEUS_EXPOSED = /^(prometheus_client\.(start_http_server|start_wsgi_server|make_asgi_app|make_wsgi_app|generate_latest|push_to_gateway)|prometheus_fastapi_instrumentator\.Instrumentator|prometheus_flask_exporter\.\w*PrometheusMetrics\w*|starlette_exporter\.(PrometheusMiddleware|handle_metrics)|starlette_prometheus\.(PrometheusMiddleware|metrics)|aioprometheus\.\w+|opentelemetry\.exporter\.prometheus\.PrometheusMetricReader)$/;
/** Metrics the code records itself: Prometheus instruments. */
const METRIC_DEFINED = /^prometheus_client\.(Counter|Histogram|Gauge|Summary|Info|Enum)$/;
/** A StatsD or DogStatsD client the service sends its metrics through. */
const STATSD_CLIENT = /^(statsd\.StatsClient|statsd\.client\.\w*StatsClient|datadog\.DogStatsd|datadog\.dogstatsd\.(base\.)?DogStatsd|datadog\.initialize)$/;
/** An OpenTelemetry meter provider set up, and meters taken from it. */
const OTEL_METER_PROVIDER = /^opentelemetry\.(sdk\.metrics\.MeterProvider|metrics\.set_meter_provider|sdk\._configuration\._OTelSDKConfigurator)$/;
const OTEL_METER = /^opentelemetry\.metrics\.get_meter$/;

/** `/health`, `/api/v1/healthz`, `/health/ready`; not `/orders/{id}/ready` (as OBS006 reads them). */
/** `status` and `ping` are left out: a status page (versions, counts) or a ping is not a dependency check, even when it happens to touch one. */
const HEALTH_SEGMENT = /^_{0,2}(health[a-z_-]*|healthz|livez|readyz|ready|readiness|liveness|heartbeat)_{0,2}$/i;
const GENERIC_SEGMENT = /^(ready)$/i;
const API_PREFIX_SEGMENT = /^(api|v\d+(\.\d+)?|internal|_?system|ops|monitoring|management|_?health[a-z_-]*)$/i;
/** Calls that touch a data store (a query, a `PING`, a connection): what makes a health check more than "the process is up". */
const DEPENDENCY_CALL = /\.(execute|exec|scalar|scalars|ping|cursor|connect|get_connection|head_bucket|is_healthy)$|^(sqlalchemy\.text|text)$/;
const LOGGING_CALL = /^(logging|structlog|loguru)\.|(^|\.)(log|logger|_logger|logging|LOG|LOGGER|_log|_LOGGER)\.\w+$/;

function isHealthPath(path: string): boolean {
  const segments = path.split("/").filter(Boolean);
  const last = segments[segments.length - 1];
  if (!last || !HEALTH_SEGMENT.test(last) || segments.some((s) => s.startsWith("{") || s.startsWith("<"))) return false;
  return !GENERIC_SEGMENT.test(last) || segments.slice(0, -1).every((s) => API_PREFIX_SEGMENT.test(s));
}

/** The first data-store call the handler makes, itself, through a function it calls, or through a dependency it declares. */
function dependencyCheck(index: ProjectIndex, handler: string): Evidence | null {
  for (const id of [...reachableWithDependencies(index, [handler])].sort()) {
    const info = index.functions.get(id);
    if (!info) continue;
    for (const { call, resolved } of index.callsIn(id)) {
      const name = resolved ?? call.callee;
      if (DEPENDENCY_CALL.test(name) && !LOGGING_CALL.test(call.callee) && !LOGGING_CALL.test(name)) return { file: info.file, line: call.line, snippet: call.snippet };
    }
  }
  return null;
}

export const distributedTracing = defineCheck({
  id: "OBS-S003",
  area: "observability",
  title: "Distributed tracing",
  ...STRENGTH,
  confidence: "high",
  why: "Traces follow a request through the service, its database queries and the services it calls, so a slow or failing request can be explained span by span instead of guessed from logs.",
  recommendation: "Sample in production (a parent-based ratio sampler), propagate the trace context to background tasks, and link logs to traces with the trace id.",
  references: ["https://opentelemetry.io/docs/languages/python/", "https://logfire.pydantic.dev/docs/"],
  effort: "S",
  libraries: ["opentelemetry-sdk", "opentelemetry-instrumentation", "logfire"],
  run({ model, index }) {
    // tracing set up in a sidecar or an SDK of the repository (`mcp/`, `sdk/`) does not trace the service
    const main = inMainService(model);
    for (const hit of serviceCallsResolved(index)) {
      if (!main(hit.mod.file)) continue;
      const setup = TRACING_SETUP.find((t) => t.pattern.test(hit.resolved));
      if (setup) return [{ message: `Tracing is set up with ${setup.via}: ${hit.resolved}() in ${hit.mod.file}${whenClause(hit.call.guard)}.`, evidence: [callEvidence(hit)] }];
    }
    // zero-code instrumentation: the container starts the server under `opentelemetry-instrument` (or `ddtrace-run`)
    for (const d of model.dockerfiles) {
      const start = [d.entrypoint, d.command].find((c) => c && /\b(opentelemetry-instrument|ddtrace-run)\b/.test(c.text));
      if (start) return [{ message: `${d.file} starts the service under ${/ddtrace-run/.test(start.text) ? "ddtrace-run (Datadog)" : "opentelemetry-instrument"}, which traces requests, queries and outgoing calls without code changes.`, evidence: [{ file: d.file, line: start.line, snippet: start.text.slice(0, 120) }] }];
    }
    return [];
  },
});

export const applicationMetrics = defineCheck({
  id: "OBS-S004",
  area: "observability",
  title: "Application metrics exported",
  ...STRENGTH,
  confidence: "high",
  why: "Request rates, latencies, errors and saturation exported as metrics are what alerts and capacity planning are built on.",
  recommendation: "Alert on the RED metrics (rate, errors, duration) per endpoint, and export pool and queue saturation next to them.",
  references: ["https://prometheus.github.io/client_python/", "https://sre.google/sre-book/monitoring-distributed-systems/"],
  effort: "S",
  libraries: ["prometheus-client", "prometheus-fastapi-instrumentator", "django-prometheus"],
  run({ model, index }) {
    const main = inMainService(model);
    const calls = [...serviceCallsResolved(index)].filter((c) => main(c.mod.file));
    const first = (pattern: RegExp) => calls.find((c) => pattern.test(c.resolved));
    const defined = calls.filter((c) => METRIC_DEFINED.test(c.resolved));
    const custom = defined.length ? `; ${plural(defined.length, "metric")} of its own defined (the first in ${defined[0]?.mod.file})` : "";
    const exposed = first(PROMETHEUS_EXPOSED);
    if (exposed) return [{ message: `The service exports Prometheus metrics with ${exposed.resolved}() in ${exposed.mod.file}${custom}.`, evidence: [callEvidence(exposed), ...defined.slice(0, 2).map(callEvidence)] }];
    // django-prometheus: the app installed and its URLs routed (or its middleware on)
    const installed = settingAssignments(index, "INSTALLED_APPS").find((a) => a.items.includes("django_prometheus"));
    const routed = calls.find((c) => c.call.args.some((a) => a.value === "django_prometheus.urls"));
    const middleware = settingAssignments(index, "MIDDLEWARE").find((a) => /django_prometheus\.middleware/.test(a.text));
    if (installed && (routed || middleware)) {
      const condition = whenClause(routed?.call.guard);
      const where = routed ? callEvidence(routed) : { file: (middleware as { mod: { file: string } }).mod.file, line: middleware?.line ?? null, snippet: "MIDDLEWARE: django_prometheus" };
      return [{ message: `The service exports Prometheus metrics with django-prometheus (${where.file}:${where.line}${condition})${custom}.`, evidence: [where, { file: installed.mod.file, line: installed.line, snippet: "INSTALLED_APPS: django_prometheus" }] }];
    }
    // OpenTelemetry: a meter provider (or the SDK configured from OTEL_* variables) and meters taken from it
    const provider = first(OTEL_METER_PROVIDER);
    const meter = first(OTEL_METER);
    if (provider && meter) return [{ message: `The service records OpenTelemetry metrics (${meter.call.snippet} in ${meter.mod.file}), exported through the meter provider set up in ${provider.mod.file}.`, evidence: [callEvidence(meter), callEvidence(provider)] }];
    // instruments defined and exposed elsewhere (a multiprocess collector, a remote-write push)
    if (defined.length) return [{ message: `The service records ${plural(defined.length, "Prometheus metric")} of its own, the first in ${defined[0]?.mod.file}.`, evidence: defined.slice(0, 3).map(callEvidence) }];
    const statsd = first(STATSD_CLIENT);
    if (statsd) return [{ message: `The service sends metrics to StatsD/Datadog through a client created in ${statsd.mod.file} (${statsd.call.snippet}).`, evidence: [callEvidence(statsd)] }];
    return [];
  },
});

export const healthChecksDependencies = defineCheck({
  id: "OBS-S005",
  area: "observability",
  title: "Health endpoint checks its dependencies",
  ...STRENGTH,
  confidence: "medium",
  why: "A readiness check that queries the database (or pings the cache) lets the load balancer or orchestrator take an instance out of rotation when it cannot serve, instead of sending it traffic that fails.",
  recommendation: "Keep a cheap liveness check beside it, give each dependency check a short timeout, and point the container HEALTHCHECK or Kubernetes readiness probe at it.",
  references: ["https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/", "https://microservices.io/patterns/observability/health-check-api.html"],
  effort: "S",
  libraries: ["django-health-check", "fastapi-health"],
  run({ model, index }) {
    const service = new Set(serviceModules(index).map((m) => m.file));
    const health = model.endpoints.filter((e) => service.has(e.file) && (e.method === "GET" || e.method === "ANY" || e.method === "HEAD") && isHealthPath(e.path));
    for (const e of health) {
      const check = dependencyCheck(index, e.handler);
      if (check) return [{ message: `${e.method} ${e.path} checks a dependency before answering (${check.snippet} in ${check.file}:${check.line}), so an instance that lost its data store reports itself unhealthy.`, evidence: [{ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }, check] }];
    }
    // django-health-check: installed with a backend that checks a data store, and its URLs routed
    const apps = settingAssignments(index, "INSTALLED_APPS").find((a) => a.items.some((i) => /^health_check\.(db|cache|contrib\.\w+|storage)$/.test(i)));
    const routed = [...serviceCallsResolved(index)].find((c) => c.call.args.some((a) => a.value === "health_check.urls"));
    if (apps && routed) {
      const backends = apps.items.filter((i) => /^health_check\./.test(i));
      return [{ message: `django-health-check serves a health page (${routed.mod.file}:${routed.call.line}) that checks ${joinAnd(backends.map((b) => b.replace(/^health_check\.(contrib\.)?/, "")))}.`, evidence: [callEvidence(routed), { file: apps.mod.file, line: apps.line, snippet: `INSTALLED_APPS: ${backends.join(", ")}` }] }];
    }
    return [];
  },
});

export const OBSERVABILITY_STRENGTHS = [distributedTracing, applicationMetrics, healthChecksDependencies];
