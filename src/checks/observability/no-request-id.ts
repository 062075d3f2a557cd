import type { Evidence } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";

/** Libraries that set or forward a request id (or a trace context, which carries one). */
const REQUEST_ID_PACKAGES = /^(asgi-correlation-id|django-guid|django-log-request-id|django-request-id|django-requestid|flask-request-id|flask-request-id-header|flask-log-request-id|starlette-context|django-structlog|django-cid|fastapi-request-id|asgi-request-id|request-id|opentelemetry-(sdk|api|distro|instrumentation(-[\w-]+)?|exporter-[\w-]+)|ddtrace|elastic-apm|newrelic|aws-xray-sdk|logfire)$/;
const REQUEST_ID_IMPORTS = /^(asgi_correlation_id|django_guid|log_request_id|request_id|flask_request_id|starlette_context|django_structlog|cid|opentelemetry|ddtrace|elasticapm|newrelic|aws_xray_sdk|logfire)(\.|$)/;
/** A request or correlation id in code: a header name, a context variable, a log field, a middleware named for it. */
const REQUEST_ID_TEXT = /x[-_]request[-_]id|x[-_]correlation[-_]id|x[-_]amzn[-_]trace[-_]id|traceparent|\brequest[-_]?id\b|\bcorrelation[-_]?id\b|\brequest_uuid\b|HTTP_X_REQUEST_ID|REQUEST_ID|CORRELATION_ID/i;
const REQUEST_ID_NAME = /request_?id|requestid|correlation_?id|correlationid|RequestId|CorrelationId|RequestID|CorrelationID/;

/** Where the service's own code reads, sets or logs a request id; null when nowhere. */
function requestIdInCode(index: ProjectIndex): Evidence | null {
  for (const mod of [...index.modules.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    if (!isServiceCode(mod.file)) continue;
    if (mod.facts.imports.some((i) => REQUEST_ID_IMPORTS.test(i.module))) return { file: mod.file, line: mod.facts.imports.find((i) => REQUEST_ID_IMPORTS.test(i.module))?.line ?? null };
    for (const call of mod.facts.calls) {
      if (call.args.some((a) => REQUEST_ID_TEXT.test(a.text) || (a.name !== null && REQUEST_ID_NAME.test(a.name)))) return { file: mod.file, line: call.line, snippet: call.snippet };
    }
    const assignments = [...mod.facts.assignments, ...mod.facts.classes.flatMap((c) => c.assignments)];
    const assigned = assignments.find((a) => REQUEST_ID_NAME.test(a.target) || REQUEST_ID_TEXT.test(a.text));
    if (assigned) return { file: mod.file, line: assigned.line, snippet: `${assigned.target} = ${assigned.text}`.slice(0, 160) };
    const named = mod.facts.functions.find((f) => REQUEST_ID_NAME.test(f.name)) ?? mod.facts.classes.find((c) => REQUEST_ID_NAME.test(c.name));
    if (named) return { file: mod.file, line: named.line, snippet: named.name };
    const stored = (mod.facts.literalStores ?? []).find((s) => REQUEST_ID_TEXT.test(s.key));
    if (stored) return { file: mod.file, line: stored.line };
    const flow = mod.facts.flows.find((f) => f.targets.some((t) => REQUEST_ID_NAME.test(t)));
    if (flow) return { file: mod.file, line: flow.line };
  }
  return null;
}

export default defineCheck({
  id: "OBS009",
  area: "observability",
  title: "No request or correlation id propagation",
  severity: "low",
  kind: "concern",
  confidence: "low",
  why: "Without an id attached to every request, the log lines of one request cannot be told apart from those of the requests served beside it, a user's error report cannot be matched to the logs, and a request that continues in a worker or another service loses its thread.",
  recommendation: "Accept an incoming `X-Request-ID` (or generate one), bind it to every log record, return it in the response and forward it on outgoing calls and task messages: asgi-correlation-id for FastAPI/Starlette, django-guid or django-log-request-id for Django, flask-request-id-header for Flask, or structlog's contextvars in a small middleware. OpenTelemetry does this with the trace id.",
  example: {
    bad: "logger.info(\"payment failed\")  # which request? which user?",
    good: "app.add_middleware(CorrelationIdMiddleware)  # asgi-correlation-id\nlogging.config.dictConfig({... 'filters': {'correlation_id': {'()': 'asgi_correlation_id.CorrelationIdFilter'}} ...})",
  },
  references: ["https://github.com/snok/asgi-correlation-id", "https://github.com/snok/django-guid", "https://www.structlog.org/en/stable/contextvars.html"],
  effort: "S",
  libraries: ["asgi-correlation-id", "django-guid", "django-log-request-id", "structlog"],
  run({ model, index }) {
    if (model.endpoints.length === 0) return [];
    if (model.dependencies.some((d) => REQUEST_ID_PACKAGES.test(d.name)) || model.technologies.some((t) => t.category === "tracing")) return [];
    if (requestIdInCode(index)) return [];
    return [
      {
        message: `No request or correlation id is set or forwarded for ${model.endpoints.length === 1 ? "the one endpoint" : `the ${model.endpoints.length} endpoints`}: no middleware or library (asgi-correlation-id, django-guid, django-log-request-id, starlette-context, OpenTelemetry) and no \`X-Request-ID\`/\`request_id\` in the code, so log lines cannot be grouped by request. A proxy in front may add one; nothing here reads it.`,
        evidence: [{ file: appFile(model), line: null }],
      },
    ];
  },
});
