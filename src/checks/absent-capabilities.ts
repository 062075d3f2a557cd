import { isServiceCode } from "./code-paths.js";
import type { Evidence, SystemModel } from "../model/types.js";
import type { ProjectIndex } from "../python/project-index.js";
import { defineCheck } from "./define.js";
import { appFile } from "./handlers.js";
import type { Report } from "./types.js";

/**
 * Checks about something the system does not have at all. Each cites the file where the fix
 * belongs (where the app is created, or the manifest) with `line: null`, and stays quiet when
 * there is no service to speak of.
 */

const IN_HOUSE_LIMIT = /rate_?limit|throttl|token_?bucket|RateLimit|Throttl|TokenBucket/;

/** A project function or class named for rate limiting that the code uses (as a decorator or a call). */
/**
 * A product people run on their own servers (its image maps the container user to the host's PUID/PGID, or the
 * repository ships a sample deployment of its own published image): the
 * operator of one self-hosted install rarely runs a tracker or a metrics stack, so the gaps that matter for a hosted
 * service are low there. Returns the sentence that says so and the evidence, or null.
 */
export function selfHostedProduct(model: SystemModel): { sentence: string; evidence: Evidence } | null {
  const first = model.hostUserMapping[0];
  if (first) {
    return {
      sentence: ` The image maps its user to the host's (${first.snippet} in ${first.file}:${first.line}), as images that people run on their own servers do: low for a self-hosted product, medium if you operate it as a hosted service.`,
      evidence: first,
    };
  }
  // a sample deployment that runs the project's own published image is shipped for others to install
  const sample = model.sampleDeployments[0];
  if (!sample) return null;
  return {
    sentence: ` The repository ships a sample deployment of its own published image (${sample.snippet} in ${sample.file}:${sample.line}) for people to run on their own servers: low for a self-hosted product, medium if you operate it as a hosted service.`,
    evidence: sample,
  };
}

/** Where the code answers 429 itself: `HttpResponse(status=429)`, `HTTPException(status_code=HTTP_429_TOO_MANY_REQUESTS)`, DRF's `Throttled`. */
function tooManyRequests(index: ProjectIndex): Evidence | null {
  const TOO_MANY = /^(429|(\w+\.)*HTTP_429_TOO_MANY_REQUESTS|HTTPStatus\.TOO_MANY_REQUESTS)$/;
  for (const mod of [...index.modules.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    if (!isServiceCode(mod.file)) continue;
    for (const call of mod.facts.calls) {
      const responds = /(Response|HTTPException|abort|make_response|HttpResponse\w*)$/.test(call.callee);
      const status = call.args.find((a) => (a.name === "status" || a.name === "status_code" || (a.name === null && responds)) && TOO_MANY.test(a.text.trim()));
      // under a condition (a quota or counter check): an unconditional 429 demonstrates an error, it limits nothing
      if (call.guard && (status || /(^|\.)(Throttled|TooManyRequests|RateLimitExceeded)$/.test(call.callee))) return { file: mod.file, line: call.line, snippet: call.snippet };
    }
  }
  return null;
}

/** `sentry_sdk.init(..., traces_sample_rate=0.2)` (not 0), `traces_sampler=...` or `enable_tracing=True`: request performance is recorded. */
function sentryTracing(index: ProjectIndex): Evidence | null {
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!call.qualified || !/^sentry_sdk\.init$/.test(index.resolve(call.qualified, mod.name))) continue;
      const on = call.args.some((a) => (a.name === "traces_sample_rate" && a.value !== 0 && a.value !== null && a.text !== "0" && a.text !== "0.0") || a.name === "traces_sampler" || (a.name === "enable_tracing" && a.value === true));
      if (on) return { file: mod.file, line: call.line, snippet: call.snippet };
    }
  }
  return null;
}

/** Terraform resources that run a service as several managed instances (ECS, Cloud Run, App Runner, Container Apps, App Service). */
const ORCHESTRATED_SERVICE = /^(aws_ecs_service|aws_apprunner_service|google_cloud_run_(v2_)?service|azurerm_container_app|azurerm_linux_web_app|kubernetes_deployment(_v1)?|helm_release)$/;

function inHouseRateLimit(index: ProjectIndex): boolean {
  const defined = new Set<string>();
  for (const fn of index.functions.values()) if (IN_HOUSE_LIMIT.test(fn.fact.name) && !fn.fact.className) defined.add(fn.id);
  for (const mod of index.modules.values()) for (const c of mod.facts.classes) if (IN_HOUSE_LIMIT.test(c.name)) defined.add(`${mod.name}.${c.qualname}`);
  if (!defined.size) return false;
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!IN_HOUSE_LIMIT.test(call.callee) || !call.qualified) continue;
      const target = index.resolve(call.qualified, mod.name);
      if (defined.has(target) || defined.has(target.slice(0, target.lastIndexOf(".")))) return true;
    }
    for (const f of mod.facts.functions) {
      if (f.decorators.some((d) => IN_HOUSE_LIMIT.test(d.name) && d.qualified && defined.has(index.resolve(d.qualified, mod.name)))) return true;
    }
  }
  return false;
}

const METRIC_METHODS = new Set(["counter", "gauge", "timer", "histogram", "timing", "increment", "incr", "observe", "summary"]);

/** A project class with metric methods (counter, gauge, timer...) that request or task code calls. */
function inHouseMetrics(index: ProjectIndex): boolean {
  const classes = new Set<string>();
  for (const fn of index.functions.values()) {
    if (fn.fact.className && METRIC_METHODS.has(fn.fact.name)) classes.add(`${fn.module}.${fn.fact.className}`);
  }
  if (classes.size === 0) return false;
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      const method = call.callee.slice(call.callee.lastIndexOf(".") + 1);
      if (!METRIC_METHODS.has(method) || !call.qualified) continue;
      const owner = index.resolve(call.qualified, mod.name);
      if (classes.has(owner.slice(0, owner.lastIndexOf(".")))) return true;
      // `metric_provider = MetricProvider()` resolved through a module variable
      if (/metric|stat/i.test(call.callee) && [...classes].some((c) => /metric|stat/i.test(c))) return true;
    }
  }
  return false;
}

const STORES_RECORD = /(^|\.)(create|save|insert\w*|bulk_create|execute|post|put|send|publish|write|add)$/;
const FORWARDS_RECORD = /(^|\.)(opt|log)$|(^|\.)logger\./;

/** A project subclass of `logging.Handler` whose `emit` stores the record (the project's own log sink). */
export function projectLogHandler(index: ProjectIndex): string | null {
  for (const mod of index.modules.values()) {
    for (const c of mod.facts.classes) {
      const isHandler = c.bases.some((b) => /^logging\.(Handler|handlers\.\w+)$/.test(b.qualified ? index.resolve(b.qualified, mod.name) : b.text));
      const emit = isHandler && isServiceCode(mod.file) ? index.functions.get(`${mod.name}.${c.qualname}.emit`) : undefined;
      if (!emit) continue;
      // it stores records (a model, a table, an API), not forwards them to another logger (loguru's InterceptHandler)
      const calls = index.callsIn(emit.id).map(({ call }) => call.callee);
      if (calls.some((c) => STORES_RECORD.test(c)) && !calls.some((c) => FORWARDS_RECORD.test(c))) return `${mod.name}.${c.qualname}`;
    }
  }
  return null;
}

const RATE_LIMIT_PACKAGES = /^(slowapi|fastapi-limiter|flask-limiter|django-ratelimit|limits|starlette-limiter|aiohttp-ratelimiter|django-axes)$/;
const METRICS_PACKAGES = /^(prometheus-client|prometheus-fastapi-instrumentator|starlette-exporter|django-prometheus|prometheus-flask-exporter|statsd|datadog|ddtrace|opentelemetry-sdk|opentelemetry-exporter-prometheus|aioprometheus|newrelic)$/;
const STRUCTURED_LOGGING_PACKAGES = /^(structlog|python-json-logger|loguru|ecs-logging|json-log-formatter|django-structlog)$/;

export const noRateLimiting = defineCheck({
  id: "API005",
  area: "api",
  title: "No rate limiting",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Without rate limits one client (a buggy integration, a scraper, a credential-stuffing bot) can exhaust workers and database connections for everyone, and login endpoints can be brute-forced at full speed.",
  recommendation: "Limit requests per client at the edge (API gateway, ingress annotations) or in the app (slowapi or fastapi-limiter for FastAPI, Flask-Limiter, DRF throttling, django-ratelimit), with stricter limits on authentication endpoints.",
  example: { bad: '@router.post("/auth/login")\ndef login(form: OAuth2PasswordRequestForm = Depends()): ...', good: '@router.post("/auth/login")\n@limiter.limit("5/minute")\ndef login(request: Request, form: OAuth2PasswordRequestForm = Depends()): ...' },
  references: ["https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/", "https://slowapi.readthedocs.io/"],
  effort: "M",
  libraries: ["slowapi", "fastapi-limiter", "flask-limiter", "django-ratelimit"],
  run({ model, index }) {
    if (model.endpoints.length === 0 || model.endpoints.some((e) => e.rateLimit)) return [];
    if (model.dependencies.some((d) => RATE_LIMIT_PACKAGES.test(d.name))) return [];
    // rate limiting built in the project (`@ratelimit(...)`, `authenticate_with_throttling()`, a TokenBucket model) and used
    if (inHouseRateLimit(index)) return [];
    // DRF throttling configured anywhere: `throttle_classes` on a view, DEFAULT_THROTTLE_CLASSES/RATES in REST_FRAMEWORK
    const drfThrottle = [...index.modules.values()].some((m) => m.facts.assignments.some((a) => a.target === "REST_FRAMEWORK" && /DEFAULT_THROTTLE_(CLASSES|RATES)/.test(a.text)) || m.facts.classes.some((c) => c.assignments.some((a) => a.target === "throttle_classes" && a.text.trim() !== "[]" && a.text.trim() !== "()")));
    if (drfThrottle) return [];
    // limited at the edge: an ingress annotation, a gateway plugin, a WAF rule
    if (model.edgeRateLimits.length) return [];
    // the service turns callers away with 429 itself somewhere (a quota check): it limits what it chose to limit
    const tooMany = tooManyRequests(index);
    if (tooMany) return [{ message: `No rate-limiting library or configuration covers the ${model.endpoints.length} endpoints, but the service answers 429 Too Many Requests itself (${tooMany.file}:${tooMany.line}): check that login, sign-up and password reset are limited too.`, evidence: [tooMany], severity: "low" }];
    // an ingress or proxy may limit: a rate-limit annotation anywhere in Kubernetes/compose text is not visible here, so say "review"
    const reports: Report[] = [{ message: `None of the ${model.endpoints.length} endpoints is rate limited, and no rate-limiting library is declared; review whether a gateway or ingress limits requests.`, evidence: [{ file: appFile(model), line: null }] }];
    return reports;
  },
});

export const noMetrics = defineCheck({
  id: "OBS004",
  area: "observability",
  title: "No metrics",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Without request rates, latencies, error rates and saturation figures there is nothing to alert on and nothing to size capacity with: slowdowns are noticed by users, and scaling decisions are guesses.",
  recommendation: "Expose RED metrics (rate, errors, duration) per endpoint and the pool/queue saturation that matters: prometheus-fastapi-instrumentator, django-prometheus or prometheus-flask-exporter, or OpenTelemetry metrics to your backend.",
  example: { bad: "# no /metrics, no exporter", good: "Instrumentator().instrument(app).expose(app)" },
  references: ["https://prometheus.github.io/client_python/", "https://sre.google/sre-book/monitoring-distributed-systems/"],
  effort: "S",
  libraries: ["prometheus-client", "prometheus-fastapi-instrumentator", "django-prometheus", "opentelemetry-sdk"],
  run({ model, index }) {
    if (model.endpoints.length === 0) return [];
    if (model.dependencies.some((d) => METRICS_PACKAGES.test(d.name)) || model.technologies.some((t) => t.category === "metrics")) return [];
    // a metrics facade of the project's own (`metric_provider.counter(...)` backed by a plugin chosen in configuration)
    if (inHouseMetrics(index)) return [];
    const message = `No metrics library or exporter for a service with ${model.endpoints.length} endpoints (no Prometheus client, StatsD, Datadog or OpenTelemetry metrics).`;
    // Sentry performance monitoring records every sampled request's latency and throughput: only custom metrics are missing
    const tracing = sentryTracing(index);
    if (tracing) return [{ message: `${message} Sentry performance monitoring is on (${tracing.file}:${tracing.line}), which gives request latency and throughput; saturation (pools, queues) and business metrics are what is missing.`, evidence: [tracing], severity: "low" }];
    const selfHosted = selfHostedProduct(model);
    if (selfHosted) return [{ message: message + selfHosted.sentence, evidence: [{ file: appFile(model), line: null }, selfHosted.evidence], severity: "low" }];
    // a managed platform's router records every request: rate, latency and status codes are there already
    const platform = model.platforms[0];
    if (platform) return [{ message: `${message} ${platform.name} runs it (${platform.evidence.file}${platform.evidence.line ? `:${platform.evidence.line}` : ""}) and records request throughput, latency and status codes; what is missing is the app's own saturation and business metrics.`, evidence: [{ file: appFile(model), line: null }, platform.evidence], severity: "low" }];
    return [{ message, evidence: [{ file: appFile(model), line: null }] }];
  },
});

export const noStructuredLogging = defineCheck({
  id: "OBS002",
  area: "observability",
  title: "No structured logging",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Plain-text logs cannot be filtered by field (request id, user, order): incidents are investigated with grep across instances, and log-based alerts are fragile.",
  recommendation: "Log structured records: structlog, python-json-logger or a JSON formatter in `logging.config.dictConfig`, with a request id bound to every record.",
  example: { bad: 'logger.info(f"order {order.id} paid by {user.id}")', good: 'log.info("order_paid", order_id=order.id, user_id=user.id)' },
  references: ["https://www.structlog.org/", "https://12factor.net/logs"],
  effort: "S",
  libraries: ["structlog", "python-json-logger"],
  run({ model, index }) {
    if (model.endpoints.length === 0) return [];
    if (model.dependencies.some((d) => STRUCTURED_LOGGING_PACKAGES.test(d.name)) || model.technologies.some((t) => t.category === "logging")) return [];
    // a JSON formatter configured by hand counts too
    const jsonFormatter = [...index.modules.values()].some((m) => m.facts.assignments.some((a) => /LOGGING/.test(a.target) && /json/i.test(a.text)));
    if (jsonFormatter) return [];
    // a project logging.Handler that stores records field by field (a database table, an API) is structured in its way
    if (projectLogHandler(index)) return [];
    // `LOGGING = getattr(configuration, "LOGGING", {})`: the operator's configuration decides the format
    const external = [...index.modules.values()].flatMap((m) => m.facts.assignments.filter((a) => a.target === "LOGGING" && (a.kind === "call" || a.kind === "name" || a.kind === "attribute")).map((a) => ({ file: m.file, line: a.line })))[0];
    if (external) return [{ message: "Logging is not structured by default: LOGGING comes from the operator's configuration, which may or may not use a JSON formatter; ship a structured default.", evidence: [{ file: external.file, line: external.line }], severity: "low" }];
    const message = "Logging is not structured: no structlog, python-json-logger, loguru or JSON formatter in the logging configuration.";
    const selfHosted = selfHostedProduct(model);
    if (selfHosted) return [{ message: message + selfHosted.sentence, evidence: [{ file: appFile(model), line: null }, selfHosted.evidence], severity: "low" }];
    // fields matter once logs from many instances are collected centrally: an orchestrated deployment (Kubernetes
    // workloads, Terraform-managed services) does that; one host's logs can still be read and grepped in place
    const orchestrated = model.kubernetes[0] ?? model.terraform.find((t) => ORCHESTRATED_SERVICE.test(t.type));
    if (orchestrated) return [{ message: `${message} The service runs on an orchestrator (${orchestrated.file}), where logs from every instance are collected and searched by field.`, evidence: [{ file: appFile(model), line: null }] }];
    return [{ message: `${message} Nothing here shows several instances whose logs are collected centrally, so this is low today; it becomes medium once they are (Kubernetes, a log aggregator), when fields are what incidents are searched by.`, evidence: [{ file: appFile(model), line: null }], severity: "low" }];
  },
});

export const ciWithoutTests = defineCheck({
  id: "DEP006",
  area: "deployment",
  title: "No CI pipeline, or CI that does not run the tests",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "Without CI running the tests on every change, the test suite only helps whoever remembers to run it; regressions and broken builds reach the main branch and then production.",
  recommendation: "Run the test suite (and lint and type checks) on every push and pull request: a GitHub Actions, GitLab CI or similar job with `pytest`, required to pass before merging.",
  example: { bad: "# no .github/workflows, or a workflow that only builds the image", good: "jobs:\n  test:\n    steps:\n      - run: uv sync --frozen\n      - run: uv run pytest" },
  references: ["https://docs.github.com/en/actions/use-cases-and-examples/building-and-testing/building-and-testing-python"],
  effort: "S",
  // CI that runs the tests needs tests to run
  dependsOn: ["CODE004"],
  libraries: ["pytest", "tox", "nox"],
  run({ model }) {
    if (model.importGraph.modules === 0) return [];
    if (model.ci.length === 0) return [{ message: "No CI configuration (GitHub Actions, GitLab CI, CircleCI, Azure Pipelines, Bitbucket, Jenkins, Travis) was found.", evidence: [{ file: model.manifests[0] ?? appFile(model), line: null }] }];
    if (model.ci.some((c) => c.runsTests) || model.tests.functions === 0) return [];
    const first = model.ci[0];
    return [{ message: `CI is configured (${model.ci.map((c) => c.file).join(", ")}) but no job runs the ${model.tests.functions} tests.`, evidence: [{ file: first?.file ?? "", line: null }] }];
  },
});

export const ABSENT_CAPABILITIES = [noRateLimiting, noMetrics, noStructuredLogging, ciWithoutTests];
