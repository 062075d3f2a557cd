import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { ComposeService, Evidence, SystemModel } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** SQL and document databases by URL scheme (`postgresql+asyncpg://`, `mysql://`, `mongodb+srv://`). */
const DATABASE_URL = /^(postgres|postgresql|pgsql|mysql|mariadb|mssql|oracle|cockroachdb|mongodb)(\+[\w]+)?:\/\/(?:[^@/\s]*@)?([\w.-]+)(?::(\d+))?(?:\/([\w.-]+))?/i;
const HOST_KEY = /^(DB|DATABASE|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|MONGO|MONGODB|SQL)_?(HOST|HOSTNAME|SERVER)$/i;
const NAME_KEY = /^(DB|DATABASE|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|MONGO|MONGODB|SQL)_?(NAME|DB|DATABASE)$/i;
/** One-off jobs and consoles that share the database by nature: migrations, seeds, backups, admin UIs. */
const NOT_A_SERVICE = /migrat|init|setup|seed|fixture|backup|restore|dump|adminer|pgadmin|admin-ui|test|e2e|createsuperuser|collectstatic/i;
/** Hosts that are not a server on the network. */
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|host\.docker\.internal|\$\{?\w+\}?)$/i;

interface Target {
  host: string;
  /** The database on that server, when the service names it. */
  name: string | null;
  evidence: Evidence;
}

/** The database a compose service points at, from a URL or host/name variables; compose variables (`${DB_HOST}`) unread. */
function databaseOf(service: ComposeService): Target | null {
  for (const v of service.environment) {
    const m = DATABASE_URL.exec(v.value.trim());
    if (m && !LOCAL_HOST.test(m[3] as string)) return { host: (m[3] as string).toLowerCase(), name: m[5] ?? null, evidence: { file: service.file, line: v.line, snippet: `${service.name}: ${v.key}=${v.value.replace(/:\/\/[^@/]*@/, "://***@")}`.slice(0, 160) } };
  }
  const host = service.environment.find((v) => HOST_KEY.test(v.key) && v.value.trim() && !LOCAL_HOST.test(v.value.trim()));
  if (!host) return null;
  const name = service.environment.find((v) => NAME_KEY.test(v.key) && v.value.trim() && !v.value.includes("$"));
  return { host: host.value.trim().toLowerCase(), name: name?.value.trim() ?? null, evidence: { file: service.file, line: host.line, snippet: `${service.name}: ${host.key}=${host.value}${name ? `, ${name.key}=${name.value}` : ""}` } };
}

/** What a service runs: the Dockerfile it builds (web and worker built from one Dockerfile are one code base), or its own image. */
function codeBase(service: ComposeService, model: SystemModel): string | null {
  if (service.build) return service.dockerfile ?? `build:${service.file}:${service.name}`;
  const image = service.image?.toLowerCase().replace(/:[^/]*$/, "");
  return image && model.builtImages.some((b) => b.name === image) ? `image:${image}` : null;
}

export default defineCheck({
  id: "ARCH002",
  area: "architecture",
  title: "Database shared by several deployable services",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Services that read and write the same database are coupled through its schema: a migration made for one breaks the other, neither can be deployed, scaled or rolled back on its own, ownership of each table is unclear, and one service's heavy queries take the other's connections and locks. It is a distributed monolith, with the costs of both.",
  recommendation: "Give each service its own database (or at least its own schema and credentials) and make one service the owner of each table; others read through that service's API or receive its events (an outbox with a message broker). If the services are really one application, deploy them as one and say so.",
  example: {
    bad: "services:\n  orders:\n    build: ./orders\n    environment: [DATABASE_URL=postgresql://app@db/shop]\n  billing:\n    build: ./billing\n    environment: [DATABASE_URL=postgresql://app@db/shop]",
    good: "services:\n  orders:\n    environment: [DATABASE_URL=postgresql://orders@db/orders]\n  billing:\n    environment: [DATABASE_URL=postgresql://billing@db/billing, ORDERS_URL=http://orders:8000]",
  },
  references: ["https://microservices.io/patterns/data/shared-database.html", "https://microservices.io/patterns/data/database-per-service.html", "https://microservices.io/patterns/data/transactional-outbox.html"],
  effort: "L",
  libraries: [],
  run({ model }) {
    const byDatabase = new Map<string, Array<{ service: ComposeService; target: Target; code: string }>>();
    for (const service of model.composeServices) {
      if (!runsInProduction(fileRole(service.file)) || NOT_A_SERVICE.test(service.name)) continue;
      const code = codeBase(service, model);
      const target = databaseOf(service);
      if (!code || !target) continue;
      const key = `${service.file}|${target.host}`;
      byDatabase.set(key, [...(byDatabase.get(key) ?? []), { service, target, code }]);
    }
    const reports: Report[] = [];
    for (const onHost of byDatabase.values()) {
      // per database on the server: services naming it, and those naming none (which may use it)
      const names = [...new Set(onHost.map((u) => u.target.name).filter((n): n is string => n !== null))].sort();
      for (const name of names.length ? names : [null]) {
        const users = onHost.filter((u) => u.target.name === name || u.target.name === null);
        const codeBases = [...new Set(users.map((u) => u.code))];
        if (codeBases.length < 2) continue;
        // named explicitly by at least two code bases: shared for certain; otherwise only perhaps
        const certain = name !== null && new Set(users.filter((u) => u.target.name === name).map((u) => u.code)).size >= 2;
        const first = users[0] as (typeof users)[number];
        const database = `${first.target.host}${name ? `/${name}` : ""}`;
        // one service per code base in the message: a web and a worker of one image share the database by design
        const perCode = codeBases.map((code) => users.find((u) => u.code === code) as (typeof users)[number]);
        reports.push({
          message: `${codeBases.length} services built from different code point at the same database ${database} in ${first.service.file}: ${perCode.map((u) => `${u.service.name} (${u.code.replace(/^(build|image):/, "")})`).join(", ")}.${certain ? "" : " Not every one names the database, so they may use separate databases on one server."}`,
          evidence: perCode.slice(0, 4).map((u) => u.target.evidence),
          ...(certain ? {} : { severity: "low" as const, confidence: "low" as const }),
        });
      }
    }
    return reports;
  },
});
