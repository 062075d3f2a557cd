import type { Evidence } from "../../model/types.js";
import { isProductionArtefact } from "../../model/capacity-numbers.js";
import { defineCheck } from "../define.js";
import type { CheckInput, Report } from "../types.js";
import { API_STRENGTHS } from "./api.js";
import { ARCHITECTURE_STRENGTHS } from "./architecture.js";
import { CODE_STRENGTHS } from "./code.js";
import { DATABASE_STRENGTHS } from "./database.js";
import { DEPLOYMENT_STRENGTHS } from "./deployment.js";
import { OBSERVABILITY_STRENGTHS } from "./observability.js";
import { RESILIENCE_STRENGTHS } from "./resilience.js";
import { SECURITY_STRENGTHS } from "./security.js";
import { mainServiceFolder, serviceModules, whenClause } from "./shared.js";

/**
 * What is done well, with evidence. Each strength is a check of kind "strength" (severity info),
 * reported only when the code shows it; silence means "not shown", never "bad".
 */

const ERROR_TRACKING_INIT = /^(sentry_sdk\.init|rollbar\.init|bugsnag\.configure|honeybadger\.honeybadger\.configure|honeybadger\.configure|ddtrace\.patch_all)$/;
const STRUCTURED_LOGGING = /^(structlog\.configure(_once)?|structlog\.stdlib\.ProcessorFormatter|pythonjsonlogger\.(jsonlogger|json)\.JsonFormatter|loguru\.logger\.add)$/;
const PUBLIC_BY_DESIGN = /(^|\/)(login|logout|signin|signup|register|token|refresh|oauth2?|auth|password[-_]?(reset|recovery)|forgot[-_]?password|reset[-_]?password|recover-password|webhooks?|callback|health[a-z]*|healthz|livez|readyz|ping|docs|openapi\.json|redoc)(\/|$|\{)/i;

function firstCall(input: CheckInput, pattern: RegExp, extra?: (callee: string, args: string) => boolean): (Evidence & { callee: string; when: string }) | null {
  // the running service's own code: a script or a test configuring a tracker shows nothing about the service
  for (const mod of serviceModules(input.index)) {
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? input.index.resolve(call.qualified, mod.name) : null;
      if (resolved && pattern.test(resolved) && (!extra || extra(resolved, call.args.map((a) => `${a.name ?? ""}=${a.text}`).join(",")))) {
        // a call under a condition (`if SENTRY_ENABLED:`) is an option the deployment turns on, and the message says so
        return { file: mod.file, line: call.line, snippet: call.snippet, callee: resolved, when: whenClause(call.guard) };
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
    return at ? [{ message: `Error tracking is initialised with ${at.callee}() in ${at.file}${at.when}.`, evidence: [{ file: at.file, line: at.line, snippet: at.snippet }] }] : [];
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
    // loguru writes plain text unless a sink is added with `serialize=True`
    const at = firstCall(input, STRUCTURED_LOGGING, (callee, args) => !callee.startsWith("loguru") || /serialize=True/.test(args));
    return at ? [{ message: `Logging is configured for structured records with ${at.callee}() in ${at.file}${at.when}.`, evidence: [{ file: at.file, line: at.line, snippet: at.snippet }] }] : [];
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
    // the service's own pipeline (`test_server.yaml` for `server/`, `python.yml`), before a side project's or an end-to-end one
    const folder = mainServiceFolder(model);
    const score = (c: (typeof model.ci)[number]) => (folder && c.file.slice(c.file.lastIndexOf("/") + 1).includes(folder) ? 100 : 0) + (/e2e|end-to-end|deploy|release|nightly|playwright/i.test(c.file) ? -50 : 0) + c.jobs.filter((j) => j.tests).length;
    const pipeline = model.ci.filter((c) => c.runsTests).sort((a, b) => score(b) - score(a) || (a.file < b.file ? -1 : 1))[0];
    if (!pipeline || model.tests.functions === 0) return [];
    const job = pipeline.jobs.find((j) => j.tests);
    return [{ message: `${model.tests.functions} test function(s) in ${model.tests.files} file(s), run by CI in ${pipeline.file}${job ? ` (job ${job.name})` : ""}.`, evidence: [job ? { file: pipeline.file, line: job.line, snippet: `job ${job.name}` } : { file: pipeline.file, line: 1 }] }];
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
    // the service's images, not a CI runner's or a developer's (`tools/ci/Dockerfile`, `Dockerfile.dev`)
    for (const d of model.dockerfiles.filter((f) => f.runsPython && isProductionArtefact(f.file, model))) {
      if (d.user && !/^(root|0)(:.*)?$/.test(d.user.name)) {
        reports.push({ message: `${d.file} runs its final stage as USER ${d.user.name}.`, evidence: [{ file: d.file, line: d.user.line, snippet: `USER ${d.user.name}` }] });
      }
    }
    return reports;
  },
});

/** Every strength check, in catalog order (A–J). */
export const STRENGTHS = [
  ...ARCHITECTURE_STRENGTHS,
  migrationsManaged,
  ...DATABASE_STRENGTHS,
  ...API_STRENGTHS,
  authenticationCoverage,
  ...SECURITY_STRENGTHS,
  errorTracking,
  structuredLogging,
  ...OBSERVABILITY_STRENGTHS,
  unprivilegedContainer,
  ...DEPLOYMENT_STRENGTHS,
  testsInCi,
  ...CODE_STRENGTHS,
  ...RESILIENCE_STRENGTHS,
];
