import type { Finding } from "../checks/types.js";
import type { Evidence, SystemModel } from "../model/types.js";
import type { PatternNote } from "./types.js";
import { plural } from "../core/prose.js";

/** Packages whose last segment names a repository layer; `db` and `database` hold sessions more often than repositories. */
const REPOSITORY_PACKAGE = /(^|\.)(repositories|repository|repos|crud|dao|daos)$/;
const SERVICE_PACKAGE = /(^|\.)(services?|usecases?|use_cases|interactors?)$/;
/** Paths that serve reporting or analytics reads. */
const REPORTING_PATH = /\/(reports|analytics|stats|statistics)(\/|$)/i;

function firstEvidence(findings: Finding[], max = 2): Evidence[] {
  return findings.map((f) => f.evidence[0]).filter((e): e is Evidence => e !== undefined).slice(0, max);
}

/**
 * Architecture patterns chosen for this system from evidence: those in use (so the team keeps them) and
 * those that fit what was found, each with why it fits here and where that shows.
 */
export function architecturePatterns(model: SystemModel, concerns: Finding[]): PatternNote[] {
  const of = (...ids: string[]) => concerns.filter((f) => ids.includes(f.id) && f.severity !== "low");
  const out: PatternNote[] = [];

  // in use
  // a services package the rest of the project uses, the most used first
  const services = model.importGraph.packages.filter((p) => SERVICE_PACKAGE.test(p.name) && p.modules > 0 && p.fanIn > 0).sort((a, b) => b.fanIn - a.fanIn || b.modules - a.modules);
  if (services.length && model.endpoints.length) {
    const pkg = services[0] as (typeof services)[number];
    out.push({ name: "Service layer", status: "in use", why: `Business logic lives in ${services.map((p) => p.name).slice(0, 3).join(", ")} (${plural(services.reduce((n, p) => n + p.modules, 0), "module")}), imported by ${plural(pkg.fanIn, "package")}: handlers stay thin and the logic is testable without HTTP. Keep new rules there rather than in views or routers.`, evidence: [{ file: pkg.file, line: null }] });
  }
  const repositories = model.importGraph.packages.filter((p) => REPOSITORY_PACKAGE.test(p.name) && p.modules > 0 && p.fanIn > 0).sort((a, b) => b.fanIn - a.fanIn || b.modules - a.modules);
  if (repositories.length) {
    const pkg = repositories[0] as (typeof repositories)[number];
    out.push({ name: "Repository", status: "in use", why: `Queries are gathered in ${repositories.map((p) => p.name).slice(0, 3).join(", ")}: one place to tune, index and test data access.`, evidence: [{ file: pkg.file, line: null }] });
  }
  const queue = model.technologies.filter((t) => t.category === "task-runner" || t.category === "queue");
  if (queue.length) {
    out.push({ name: "Background jobs", status: "in use", why: `Work leaves the request path through ${queue.map((t) => t.name).join(" and ")}, so slow or retryable work does not hold a web worker.`, evidence: queue.flatMap((t) => t.evidence.slice(0, 1)) });
  }

  // recommended, each for what was found here
  const blocking = of("DB006", "PERF001");
  if (blocking.length) {
    out.push({ name: "Async end to end, or sync on purpose", status: "recommended", why: `Async handlers call blocking clients in ${plural(blocking.length, "place")} (${[...new Set(blocking.map((f) => f.id))].join(", ")}). Pick one model per service: async handlers with async clients (SQLAlchemy AsyncSession, httpx.AsyncClient, redis.asyncio), or plain def handlers that the framework runs in a threadpool.`, evidence: firstEvidence(blocking) });
  }
  const externals = model.components.filter((c) => c.kind === "external" && model.connections.some((k) => k.to === c.name && /URL|HOST|ENDPOINT/i.test(k.via)));
  const hangs = of("RES001", "PERF001");
  // one missing timeout is RES001's to fix; a breaker pays off with several dependencies or several unguarded calls
  if (externals.length >= 2 || hangs.length >= 3) {
    const names = externals.map((c) => c.name).slice(0, 4);
    const calls = names.length ? `This service calls ${plural(externals.length, "external service")} (${names.join(", ")})` : "This service calls external services";
    out.push({ name: "Circuit breaker with timeouts and retries", status: "recommended", why: `${calls}${hangs.length ? `, ${plural(hangs.length, "call")} without a timeout or blocking the loop (${[...new Set(hangs.map((f) => f.id))].join(", ")})` : ""}. One shared client per dependency with timeouts and retries with backoff (tenacity, stamina), and a breaker (pybreaker, aiobreaker) on the critical ones, lets the API fail fast while a provider is down.`, evidence: hangs.length ? firstEvidence(hangs) : externals.flatMap((c) => c.evidence.slice(0, 1)).slice(0, 2) });
    if (externals.length >= 2 && hangs.length) {
      out.push({ name: "Bulkhead", status: "recommended", why: `With ${externals.length} external dependencies called from the same worker pool, one slow provider can take every worker. Give each dependency its own bounded concurrency (an asyncio.Semaphore or a small thread pool per client), so one provider's outage does not stop everything else.`, evidence: firstEvidence(hangs) });
    }
  }
  const cycles = concerns.filter((f) => f.id === "ARCH003");
  if (cycles.length) {
    out.push({ name: "Layered modules with enforced contracts", status: "recommended", why: `${plural(cycles.length, "import cycle")} between project modules: dependencies should point one way (api → services → repositories → models), kept so by import-linter contracts in CI.`, evidence: firstEvidence(cycles) });
  }
  const state = of("DATA001");
  if (state.length) {
    out.push({ name: "Stateless web processes", status: "recommended", why: `${plural(state.length, "module-level value")} changed while serving: move shared state to Redis or the database so any process can serve any request and instances can be added or replaced (12-factor, factor VI).`, evidence: firstEvidence(state) });
  }
  const database = model.technologies.some((t) => t.category === "database");
  const runner = model.technologies.find((t) => t.category === "task-runner") ?? queue[0];
  const hooks = model.afterCommitHooks;
  if (runner && database && hooks.length) {
    out.push({ name: "Work enqueued after commit", status: "in use", why: `${plural(hooks.length, "place")} defer${hooks.length === 1 ? "s" : ""} work until the transaction commits (transaction.on_commit), so a job never runs on data that is not there yet. A crash right after the commit can still lose the job: a transactional outbox closes that gap where losing one matters.`, evidence: hooks.slice(0, 2) });
  } else if (runner && database) {
    out.push({ name: "Transactional outbox", status: "recommended", why: `Jobs are handed to ${runner.name} next to database writes: a crash between the commit and the enqueue loses the job, an enqueue before the commit runs it on data that is not there. Write the job request in the same transaction and relay it after commit (or enqueue in an on-commit hook such as Django's transaction.on_commit).`, evidence: runner.evidence.slice(0, 1) });
  }
  const reporting = model.endpoints.filter((e) => e.method === "GET" && REPORTING_PATH.test(e.path));
  if (reporting.length && database) {
    out.push({ name: "Separate read models for reporting (CQRS-lite)", status: "recommended", why: `${plural(reporting.length, "reporting endpoint")} (${reporting.slice(0, 2).map((e) => `${e.method} ${e.path}`).join(", ")}) read from the database that takes the writes: where they aggregate over large tables, a materialised view, a summary table kept up to date by a task, or a read replica keeps reports from competing with the writes.`, evidence: reporting.slice(0, 2).map((e) => ({ file: e.file, line: e.line })) });
  }
  const open = of("API002");
  if (open.length && model.endpoints.length) {
    out.push({ name: "Secure by default routing", status: "recommended", why: `${plural(open.length, "state-changing endpoint")} without authentication while others have it: put the authentication dependency on the router or app and opt public routes out explicitly, instead of opting protected routes in one by one.`, evidence: firstEvidence(open) });
  }
  return out;
}
