import type { Evidence } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { CheckInput, Report } from "../types.js";

/**
 * What is done well, with evidence. Each strength is a check of kind "strength" (severity info),
 * reported only when the code shows it; silence means "not shown", never "bad".
 */

const ERROR_TRACKING_INIT = /^(sentry_sdk\.init|rollbar\.init|bugsnag\.configure|honeybadger\.honeybadger\.configure|honeybadger\.configure|ddtrace\.patch_all)$/;
const STRUCTURED_LOGGING = /^(structlog\.configure|structlog\.stdlib\.ProcessorFormatter|pythonjsonlogger\.(jsonlogger|json)\.JsonFormatter|loguru\.logger\.add)$/;
const PUBLIC_BY_DESIGN = /(^|\/)(login|logout|signin|signup|register|token|refresh|oauth2?|auth|password[-_]?(reset|recovery)|forgot[-_]?password|reset[-_]?password|recover-password|webhooks?|callback|health[a-z]*|healthz|livez|readyz|ping|docs|openapi\.json|redoc)(\/|$|\{)/i;

function firstCall(input: CheckInput, pattern: RegExp, extra?: (args: string) => boolean): (Evidence & { callee: string }) | null {
  for (const mod of [...input.index.modules.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? input.index.resolve(call.qualified, mod.name) : null;
      if (resolved && pattern.test(resolved) && (!extra || extra(call.args.map((a) => `${a.name ?? ""}=${a.text}`).join(",")))) {
        return { file: mod.file, line: call.line, snippet: call.snippet, callee: resolved };
      }
    }
  }
  return null;
}

export const migrationsManaged = defineCheck({
  id: "DB-S001",
  area: "database",
  title: "Schema changes managed as migrations",
  severity: "info",
  kind: "strength",
  confidence: "high",
  why: "Versioned migrations make every schema change reviewable, repeatable in every environment and reversible.",
  recommendation: "Keep running migrations as a separate deployment step, and review generated migrations like code.",
  references: ["https://alembic.sqlalchemy.org/en/latest/tutorial.html", "https://docs.djangoproject.com/en/stable/topics/migrations/"],
  effort: "S",
  libraries: ["alembic"],
  run({ model }) {
    if (model.migrations.length === 0) return [];
    const tool = model.technologies.find((t) => t.category === "migrations");
    const first = model.migrations[0] as string;
    return [{ message: `${model.migrations.length} migration file(s)${tool ? ` managed with ${tool.name}` : ""}.`, evidence: [{ file: first, line: 1 }] }];
  },
});

export const authenticationCoverage = defineCheck({
  id: "SEC-S001",
  area: "security",
  title: "Authentication covers the API",
  severity: "info",
  kind: "strength",
  confidence: "medium",
  why: "Authentication applied through shared dependencies on routers and routes, rather than checked by hand in each handler, is hard to forget on a new endpoint.",
  recommendation: "Keep authentication on the router or app, and opt public routes out explicitly.",
  references: ["https://fastapi.tiangolo.com/tutorial/security/", "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const protectable = model.endpoints.filter((e) => !PUBLIC_BY_DESIGN.test(e.path));
    const covered = protectable.filter((e) => e.auth === true);
    if (protectable.length < 3 || covered.length !== protectable.length) return [];
    const first = covered[0];
    if (!first) return [];
    return [{ message: `Every one of the ${protectable.length} endpoints that are not public by design requires authentication (${first.authReason}).`, evidence: [{ file: first.file, line: first.line, snippet: `${first.method} ${first.path}` }] }];
  },
});

export const errorTracking = defineCheck({
  id: "OBS-S001",
  area: "observability",
  title: "Error tracking configured",
  severity: "info",
  kind: "strength",
  confidence: "high",
  why: "Unhandled exceptions reach a tracker with their stack trace and request context, so failures are seen before users report them.",
  recommendation: "Tag events with release and environment, and keep personal data out of them (`send_default_pii=False`).",
  references: ["https://docs.sentry.io/platforms/python/"],
  effort: "S",
  libraries: ["sentry-sdk"],
  run(input) {
    const at = firstCall(input, ERROR_TRACKING_INIT);
    return at ? [{ message: `Error tracking is initialised with ${at.callee}() in ${at.file}.`, evidence: [{ file: at.file, line: at.line, snippet: at.snippet }] }] : [];
  },
});

export const structuredLogging = defineCheck({
  id: "OBS-S002",
  area: "observability",
  title: "Structured logging",
  severity: "info",
  kind: "strength",
  confidence: "high",
  why: "Logs as structured records (JSON, key-value) can be searched, filtered and correlated by field instead of grepped.",
  recommendation: "Bind a request id to every record so logs of one request can be followed across services.",
  references: ["https://www.structlog.org/en/stable/", "https://12factor.net/logs"],
  effort: "S",
  libraries: ["structlog", "python-json-logger"],
  run(input) {
    const at = firstCall(input, STRUCTURED_LOGGING, (args) => !args.includes("loguru") || /serialize=True/.test(args));
    return at ? [{ message: `Logging is configured for structured records with ${at.callee}() in ${at.file}.`, evidence: [{ file: at.file, line: at.line, snippet: at.snippet }] }] : [];
  },
});

export const testsInCi = defineCheck({
  id: "CODE-S001",
  area: "code",
  title: "Automated tests run in CI",
  severity: "info",
  kind: "strength",
  confidence: "high",
  why: "A test suite that CI runs on every change catches regressions before they are deployed and makes refactoring safe.",
  recommendation: "Keep the suite fast enough to run on every push, and measure coverage of the critical paths.",
  references: ["https://docs.pytest.org/"],
  effort: "S",
  libraries: ["pytest", "pytest-cov"],
  run({ model }) {
    const pipeline = model.ci.find((c) => c.runsTests);
    if (!pipeline || model.tests.functions === 0) return [];
    return [{ message: `${model.tests.functions} test function(s) in ${model.tests.files} file(s), run by CI in ${pipeline.file}.`, evidence: [{ file: pipeline.file, line: 1 }] }];
  },
});

export const unprivilegedContainer = defineCheck({
  id: "DEP-S001",
  area: "deployment",
  title: "Container runs as an unprivileged user",
  severity: "info",
  kind: "strength",
  confidence: "high",
  why: "A non-root user in the image limits what an attacker who gets code execution in the container can do.",
  recommendation: "Keep the application's files read-only for that user except where it must write.",
  references: ["https://docs.docker.com/build/building/best-practices/#user"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const reports: Report[] = [];
    for (const d of model.dockerfiles.filter((f) => f.runsPython)) {
      if (d.user && !/^(root|0)(:.*)?$/.test(d.user.name)) {
        reports.push({ message: `${d.file} runs its final stage as USER ${d.user.name}.`, evidence: [{ file: d.file, line: d.user.line, snippet: `USER ${d.user.name}` }] });
      }
    }
    return reports;
  },
});

export const STRENGTHS = [migrationsManaged, authenticationCoverage, errorTracking, structuredLogging, testsInCi, unprivilegedContainer];
