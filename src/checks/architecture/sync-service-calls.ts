import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { requestPath, shortName } from "../handlers.js";
import type { Report } from "../types.js";

const VERBS = "(get|post|put|patch|delete|head|options|request)";
/** Clients with no default timeout: requests and urllib wait forever unless told otherwise. */
const NO_DEFAULT_TIMEOUT = new RegExp(`^(requests(\\.api|\\.Session)?\\.${VERBS}|urllib\\.request\\.urlopen)$`);
/** Clients whose default timeout an explicit `timeout=None` removes (httpx: 5 s; aiohttp: 5 minutes in total). */
const DEFAULT_TIMEOUT = new RegExp(`^(httpx(\\.(Client|AsyncClient))?\\.${VERBS}|aiohttp\\.ClientSession\\.${VERBS})$`);
/** Circuit breakers: a call wrapped in one fails fast while the other service is down. */
const BREAKER = /^(pybreaker|circuitbreaker|aiobreaker|purgatory)(\.|$)|(^|\.)circuit(_breaker)?$/i;
/** Environment names of another service's address: `ORDERS_SERVICE_URL`, `INVENTORY_SVC_HOST`. */
const SERVICE_ADDRESS = /\b([A-Z][A-Z0-9]*_)*(SERVICE|SVC)_(URL|URI|HOST|BASE_URL|ENDPOINT|ADDR|ADDRESS)\b/;
/** Compose services that are infrastructure, not one of the system's own services. */
const INFRASTRUCTURE = /postgres|mysql|maria|redis|valkey|memcache|rabbit|kafka|zookeeper|mongo|elastic|opensearch|minio|nginx|traefik|haproxy|envoy|mail|smtp|localstack|jaeger|otel|prometheus|grafana|sentry|keycloak|vault|consul/i;

interface Internal {
  /** Compose service names of the system's own services. */
  hosts: string[];
  /** Environment variables whose value is the URL of one of them (`ORDERS_URL=http://orders:8000`), with the service. */
  variables: Map<string, string>;
}

/** The system's own services from the production compose files, and the variables that point at them. */
function internalServices(model: SystemModel): Internal {
  const own = model.composeServices.filter((c) => runsInProduction(fileRole(c.file)) && !INFRASTRUCTURE.test(c.name) && !(c.image && INFRASTRUCTURE.test(c.image)));
  const hosts = [...new Set(own.map((c) => c.name))];
  const variables = new Map<string, string>();
  for (const c of model.composeServices) {
    for (const v of c.environment) {
      const host = /^[a-z][a-z0-9+.-]*:\/\/([\w.-]+)(:\d+)?(\/|$)/i.exec(v.value.trim())?.[1];
      if (host && hosts.includes(host) && host !== c.name) variables.set(v.key, host);
    }
  }
  return { hosts, variables };
}

/** The other service a call's URL names, and how: a compose host in a literal, a variable that points at one, a `*_SERVICE_URL` name. */
function target(call: CallFact, internal: Internal, self: string[]): string | null {
  const url = call.args.find((a) => a.name === "url") ?? call.args.find((a) => a.name === null);
  if (!url) return null;
  const text = url.text;
  for (const host of internal.hosts) {
    if (self.includes(host)) continue;
    if (new RegExp(`://${host.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:\\d+)?(/|["'{}]|$)`).test(text)) return `${host} (\`${text.slice(0, 80)}\`)`;
  }
  for (const [key, host] of internal.variables) if (!self.includes(host) && new RegExp(`\\b${key}\\b`).test(text)) return `${host} (through ${key})`;
  const named = SERVICE_ADDRESS.exec(text)?.[0];
  return named ? `the service at ${named}` : null;
}

/** `@pybreaker.CircuitBreaker(...)`, or `@breaker` where `breaker = pybreaker.CircuitBreaker(...)` in a project module. */
function isBreaker(index: ProjectIndex, name: string, module: string): boolean {
  const resolved = index.resolve(name, module);
  if (BREAKER.test(resolved)) return true;
  const dot = resolved.lastIndexOf(".");
  const owner = dot > 0 ? index.modules.get(resolved.slice(0, dot)) : undefined;
  const assignment = owner?.facts.assignments.find((a) => a.target === resolved.slice(dot + 1) && a.kind === "call" && a.callee);
  return assignment?.callee ? BREAKER.test(index.resolve(assignment.callee, owner?.name ?? module)) : false;
}

export default defineCheck({
  id: "ARCH006",
  area: "architecture",
  title: "Synchronous call chain to another internal service, with no timeout or circuit breaker",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A request handler that calls another service of the same system over HTTP and waits for it couples the two services' availability and latency: when the other service slows down or stops, this one's workers wait with it, and the failure spreads along the chain. Without a timeout the wait has no end; without a circuit breaker every request keeps trying.",
  recommendation: "Prefer asynchronous messaging for work the response does not need (a Celery task, an event on a queue). For calls the response needs, set a timeout that fits the request budget, retry with backoff only idempotent calls (tenacity), and wrap the client in a circuit breaker (pybreaker, aiobreaker, purgatory) so a failing service is skipped quickly.",
  example: {
    bad: '@router.post("/orders")\ndef create(order: OrderIn):\n    requests.post(f"{settings.INVENTORY_SERVICE_URL}/reserve", json=order.items)',
    good: 'breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)\n\n@breaker\ndef reserve(items):\n    return requests.post(f"{settings.INVENTORY_SERVICE_URL}/reserve", json=items, timeout=(1, 3))',
  },
  references: ["https://microservices.io/patterns/reliability/circuit-breaker.html", "https://martinfowler.com/bliki/CircuitBreaker.html", "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts"],
  effort: "M",
  libraries: ["pybreaker", "aiobreaker", "tenacity", "httpx", "celery"],
  run(input) {
    const { index, model } = input;
    const internal = internalServices(model);
    const { reachable } = requestPath(input);
    const reports: Report[] = [];
    for (const id of [...reachable].sort()) {
      const fn = index.functions.get(id);
      if (!fn || fileRole(fn.file) !== "application" || !isServiceCode(fn.file)) continue;
      if (fn.fact.decorators.some((d) => isBreaker(index, d.qualified ?? d.name, fn.module))) continue;
      // the compose service that runs this code calls itself by its own name through a proxy now and then: not another service
      const self = internal.hosts.filter((h) => fn.file.startsWith(`${h}/`));
      for (const { call, resolved } of index.callsIn(id)) {
        if (!resolved) continue;
        const timeout = call.args.find((a) => a.name === "timeout");
        const unbounded = NO_DEFAULT_TIMEOUT.test(resolved) ? (!timeout || timeout.kind === "none") && !call.hasStarArgs : DEFAULT_TIMEOUT.test(resolved) ? timeout?.kind === "none" : false;
        if (!unbounded) continue;
        const other = target(call, internal, self);
        if (!other) continue;
        const evidence: Evidence[] = [{ file: fn.file, line: call.line, snippet: call.snippet }];
        reports.push({
          message: `${shortName(id)} calls ${other} synchronously while serving a request (${call.callee}() with ${timeout ? "timeout=None" : "no timeout"}, no circuit breaker): when that service hangs, this one's workers hang with it.`,
          evidence,
        });
      }
    }
    return reports;
  },
});
