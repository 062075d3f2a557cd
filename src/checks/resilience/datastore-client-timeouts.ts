import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { serviceCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

interface Client {
  pattern: RegExp;
  /** Keywords any of which bounds the wait. */
  timeouts: string[];
  /** A keyword that hands over an already configured pool or connection. */
  preconfigured?: string[];
  name: string;
}

const CLIENTS: Client[] = [
  {
    pattern: /^(redis|redis\.client|redis\.asyncio|redis\.asyncio\.client|aioredis)\.(Redis|StrictRedis|from_url)$|^(redis|redis\.client|redis\.asyncio|redis\.asyncio\.client|aioredis)\.(Redis|StrictRedis)\.from_url$|^(redis|redis\.connection|redis\.asyncio|redis\.asyncio\.connection)\.(ConnectionPool|BlockingConnectionPool)(\.from_url)?$/,
    timeouts: ["socket_timeout", "socket_connect_timeout"],
    preconfigured: ["connection_pool"],
    name: "Redis client",
  },
  { pattern: /^(psycopg2|psycopg)\.connect$|^psycopg\.(Async)?Connection\.connect$/, timeouts: ["connect_timeout"], name: "PostgreSQL connection" },
];

export default defineCheck({
  id: "RES007",
  area: "resilience",
  title: "Database or Redis client without connect or socket timeouts",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "redis-py waits forever by default (`socket_timeout=None`) and libpq waits for the operating system's TCP timeout (minutes) to connect. When the server is unreachable or a network path drops packets, every worker that touches it hangs instead of failing fast and letting health checks and retries do their job.",
  recommendation: "Set `socket_connect_timeout` and `socket_timeout` on Redis clients (and `health_check_interval`), `connect_timeout` on PostgreSQL connections (in the DSN or as a keyword), and `pool_timeout` on SQLAlchemy engines; keep them below the request budget.",
  example: {
    bad: "cache = redis.Redis.from_url(settings.REDIS_URL)",
    good: "cache = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2, health_check_interval=30)",
  },
  references: ["https://redis-py.readthedocs.io/en/stable/connections.html", "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT"],
  effort: "S",
  libraries: ["redis", "psycopg"],
  run({ index }) {
    const reports: Report[] = [];
    for (const { mod, call, resolved } of serviceCalls(index)) {
      if (!resolved || !runsInProduction(fileRole(mod.file))) continue;
      const client = CLIENTS.find((c) => c.pattern.test(resolved));
      if (!client || call.hasStarArgs) continue;
      const names = new Set(call.args.map((a) => a.name));
      if (client.timeouts.some((t) => names.has(t)) || client.preconfigured?.some((t) => names.has(t))) continue;
      // a literal URL or DSN may carry the setting itself (`redis://h?socket_timeout=2`, `connect_timeout=5`)
      if (call.args.some((a) => /timeout/i.test(a.text))) continue;
      const where = call.enclosing ? `${mod.name.split(".").pop()}.${call.enclosing}` : `module ${mod.name}`;
      reports.push({
        message: `${client.name} \`${call.callee}()\` in ${where} sets no ${client.timeouts.join(" or ")}: an unreachable server makes every caller wait ${client.name === "Redis client" ? "indefinitely" : "for the TCP timeout"} (unless the URL read at runtime sets it).`,
        evidence: [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }],
      });
    }
    return reports;
  },
});
