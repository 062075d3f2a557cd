import { projectLogHandler, selfHostedProduct } from "../absent-capabilities.js";
import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";

const TRACKERS = /^(sentry-sdk|raven|rollbar|bugsnag|honeybadger|ddtrace|newrelic|elastic-apm|airbrake|opentelemetry-\w+)$/;

export default defineCheck({
  id: "OBS003",
  area: "observability",
  title: "No error tracking",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Without an error tracker, unhandled exceptions end in a log line nobody reads: failures are discovered by users, without the stack trace, request and release that would explain them, and regressions after a deploy go unnoticed.",
  recommendation: "Send unhandled exceptions to an error tracker (Sentry through sentry-sdk's FastAPI/Django/Flask integration, or Rollbar, Honeybadger, Datadog), tagged with release and environment, with personal data scrubbed.",
  example: { bad: "# exceptions only reach stderr", good: 'sentry_sdk.init(dsn=settings.sentry_dsn, environment=settings.environment, send_default_pii=False)' },
  references: ["https://docs.sentry.io/platforms/python/"],
  effort: "S",
  libraries: ["sentry-sdk", "rollbar"],
  run({ model, index }) {
    if (model.endpoints.length === 0) return [];
    const declared = model.dependencies.some((d) => TRACKERS.test(d.name));
    const imported = [...index.modules.values()].some((m) => m.facts.imports.some((i) => /^(sentry_sdk|raven|rollbar|bugsnag|honeybadger|ddtrace|newrelic|elasticapm)(\.|$)/.test(i.module)));
    if (declared || imported) return [];
    const file = appFile(model);
    // errors kept by the project itself (a log handler storing records with tracebacks, Django mailing ADMINS): no tracker, but not lost
    const sink = projectLogHandler(index);
    const admins = [...index.modules.values()].some((m) => m.facts.assignments.some((a) => a.target === "ADMINS" && a.kind !== "none" && a.text.trim() !== "[]" && a.text.trim() !== "()"));
    if (sink || admins) {
      return [{ message: `None of the ${model.endpoints.length} endpoints' errors reach an error tracker; they are kept by ${sink ? `the project's log handler ${sink}` : "Django's mail to ADMINS"}, which records them without grouping, alerting rules or release tracking.`, evidence: [{ file, line: null }], severity: "low" }];
    }
    const message = `None of the ${model.endpoints.length} endpoints' errors reach an error tracker: no Sentry, Rollbar, Bugsnag, Honeybadger or APM agent is declared or imported.`;
    const selfHosted = selfHostedProduct(model);
    if (selfHosted) return [{ message: message + selfHosted.sentence, evidence: [{ file, line: null }, selfHosted.evidence], severity: "low" }];
    return [{ message, evidence: [{ file, line: null }] }];
  },
});
