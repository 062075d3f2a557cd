import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { plural } from "../../core/prose.js";
import { isProductionArtefact, topPackage } from "../../model/capacity-numbers.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { selfHostedProduct } from "../absent-capabilities.js";
import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";

/** Tracers and APM agents that create spans and propagate trace context between services. */
const TRACING_PACKAGES = /^(opentelemetry-(sdk|api|distro|instrumentation(-[\w-]+)?|exporter-[\w-]+)|ddtrace|jaeger-client|elastic-apm|newrelic|py-zipkin|opencensus(-[\w-]+)?|aws-xray-sdk|opentracing|scout-apm|honeycomb-beeline|logfire|azure-monitor-opentelemetry|splunk-opentelemetry)$/;
const TRACING_IMPORTS = /^(opentelemetry|ddtrace|jaeger_client|elasticapm|newrelic|py_zipkin|opencensus|aws_xray_sdk|opentracing|scout_apm|beeline|logfire|azure\.monitor\.opentelemetry)(\.|$)/;
/** An environment setting holding an HTTP URL (`PRICING_URL=http://pricing:8000`). */
const HTTP_SETTING = /^\w+=https?:\/\//i;
const DEV_FILE = /(^|[/._-])(dev|develop|development|local|test|tests|testing|regtest|example|sample|ci)([/._-]|$)/i;

/** Where tracing is set up: a tracing package declared or imported, or Sentry with performance tracing on. */
function tracing(model: SystemModel, index: ProjectIndex): boolean {
  if (model.dependencies.some((d) => TRACING_PACKAGES.test(d.name)) || model.technologies.some((t) => t.category === "tracing")) return true;
  for (const mod of index.modules.values()) {
    if (mod.facts.imports.some((i) => TRACING_IMPORTS.test(i.module))) return true;
    // Sentry with `traces_sample_rate` > 0 (or a sampler): its integrations start a transaction per request and task, and
    // send `sentry-trace`/`baggage` headers on outgoing HTTP calls, so services that all run it are joined into one trace
    for (const call of mod.facts.calls) {
      if (!call.qualified || index.resolve(call.qualified, mod.name) !== "sentry_sdk.init") continue;
      if (call.args.some((a) => (a.name === "traces_sample_rate" && a.text !== "0" && a.text !== "0.0" && a.value !== null) || a.name === "traces_sampler" || (a.name === "enable_tracing" && a.value === true))) return true;
    }
  }
  return false;
}

/** Evidence that requests cross services: a deployed service configured with another service's URL, or several web apps built as separate images. */
function multiService(model: SystemModel): { reason: string; evidence: Evidence[] } | null {
  const kinds = new Map(model.components.map((c) => [c.name, c.kind]));
  // the called service is one of this repository's (built here, or running an image built here), not a third-party container (Gotenberg, an LND node)
  const built = model.builtImages.map((b) => b.name);
  const own = (name: string) => model.composeServices.some((s) => s.name === name && (s.build || (s.image !== null && built.some((b) => (s.image ?? "").toLowerCase().startsWith(b)))));
  const calls = model.connections.filter((c) => kinds.get(c.from) === "service" && kinds.get(c.to) === "service" && own(c.from) && own(c.to) && c.evidence.some((e) => HTTP_SETTING.test(e.snippet ?? "") && runsInProduction(fileRole(e.file)) && !DEV_FILE.test(e.file)));
  if (calls.length) {
    const first = calls[0];
    return { reason: `service ${first?.from} is configured to call service ${first?.to} (${first?.evidence[0]?.snippet})`, evidence: first?.evidence.slice(0, 1) ?? [] };
  }
  const apps = new Map<string, string>();
  for (const file of model.appFiles) if (fileRole(file) === "application" && !apps.has(topPackage(file))) apps.set(topPackage(file), file);
  const images = new Map<string, Evidence>();
  for (const d of model.dockerfiles) {
    if (!isProductionArtefact(d.file, model) || d.server === null || d.server.server === "celery") continue;
    const dir = d.file.includes("/") ? d.file.slice(0, d.file.lastIndexOf("/")) : ".";
    if (!images.has(dir)) images.set(dir, { file: d.file, line: (d.command ?? d.entrypoint)?.line ?? null, snippet: d.server.server });
  }
  if (apps.size >= 2 && images.size >= 2) {
    return { reason: `${apps.size} web applications (${[...apps.values()].slice(0, 3).join(", ")}) built as ${images.size} separate images`, evidence: [...images.values()].slice(0, 2) };
  }
  return null;
}

export default defineCheck({
  id: "OBS005",
  area: "observability",
  title: "No distributed tracing",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "When a request crosses services, logs and metrics of each one show only its own part: a slow or failed request cannot be followed from the edge to the service that caused it, and latency budgets cannot be attributed. Tracing propagates one trace id through every hop (HTTP calls, queues) and records where the time went.",
  recommendation: "Instrument every service with OpenTelemetry (opentelemetry-distro with the FastAPI/Django/Flask, requests/httpx, SQLAlchemy and Celery instrumentations, exported over OTLP to Jaeger, Tempo, Honeycomb or your APM), or with the APM agent you already pay for (ddtrace, Elastic APM); sample in production and put the trace id in the logs.",
  example: {
    bad: "# service A calls service B over HTTP; each logs on its own, nothing ties the two records together",
    good: "# opentelemetry-instrument gunicorn app:app\nFastAPIInstrumentor.instrument_app(app)\nHTTPXClientInstrumentor().instrument()  # propagates traceparent to service B",
  },
  references: ["https://opentelemetry.io/docs/languages/python/", "https://www.w3.org/TR/trace-context/", "https://microservices.io/patterns/observability/distributed-tracing.html"],
  effort: "M",
  libraries: ["opentelemetry-distro", "opentelemetry-instrumentation-fastapi", "opentelemetry-instrumentation-django", "ddtrace"],
  run({ model, index }) {
    if (model.endpoints.length === 0 || tracing(model, index)) return [];
    const file = appFile(model);
    const several = multiService(model);
    if (several) {
      const message = `No distributed tracing (OpenTelemetry, ddtrace, Jaeger, an APM agent, or Sentry with traces_sample_rate) in a system of several services: ${several.reason}. A request that crosses them cannot be followed end to end.`;
      const selfHosted = selfHostedProduct(model);
      if (selfHosted) return [{ message: message + selfHosted.sentence, evidence: [{ file, line: null }, ...several.evidence, selfHosted.evidence], severity: "low" }];
      return [{ message, evidence: [{ file, line: null }, ...several.evidence] }];
    }
    const worker = model.components.find((c) => (c.kind === "worker" || c.kind === "scheduler") && c.evidence.some((e) => isProductionArtefact(e.file, model)));
    const message = `No tracing (OpenTelemetry, ddtrace, an APM agent, or Sentry with traces_sample_rate) for a single service with ${plural(model.endpoints.length, "endpoint")}${worker ? ` and background worker ${worker.name}` : ""}: low while one service handles each request, but slow requests cannot be broken down into their database, cache and outbound calls; it becomes medium once requests cross services.`;
    return [{ message, evidence: [{ file, line: null }], severity: "low" }];
  },
});
