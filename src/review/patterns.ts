import type { Finding } from "../checks/types.js";
import type { SystemModel } from "../model/types.js";

/** Patterns that fit this system, each tied to what the model or the findings show. */
export function architecturePatterns(model: SystemModel, concerns: Finding[]): string[] {
  const has = (id: string) => concerns.some((f) => f.id === id);
  const tech = (category: string) => model.technologies.some((t) => t.category === category);
  const out: string[] = [];
  if (has("DB006") || has("PERF001")) {
    out.push("Async end to end, or sync on purpose: pick one model per service. With FastAPI, `async def` handlers need async clients (SQLAlchemy AsyncSession, httpx.AsyncClient, redis.asyncio); blocking libraries belong in plain `def` handlers that FastAPI runs in its threadpool.");
  }
  if (has("ARCH003")) out.push("Layered modules with one-way dependencies (api → services → repositories → models), enforced with import-linter contracts in CI.");
  if (has("RES001") || has("PERF001")) out.push("Outbound calls through one shared client per dependency, configured once with timeouts, retries with backoff (tenacity) and, for critical dependencies, a circuit breaker.");
  if (has("DATA001")) out.push("Stateless web processes: shared state in Redis or the database, so any instance can serve any request and instances can be added or replaced freely (12-factor, factor VI).");
  if (tech("task-runner") || tech("queue")) out.push("Transactional outbox for work handed to the task queue: write the task request in the same database transaction as the change it belongs to, so a crash never loses or duplicates it.");
  if (model.endpoints.length > 0 && has("API002")) out.push("Secure by default routing: put the authentication dependency on the router (or app) and opt public routes out explicitly, instead of opting protected routes in one by one.");
  return out;
}
