import type { TechCategory } from "../model/catalog/types.js";

/**
 * How each technology category reads in a report, in the order the stack is shown: what the code runs on and uses
 * first, then the development tools, then how the system is built and run (containers, orchestration, IaC, CI).
 */
const TITLES: Record<TechCategory, string> = {
  "web-framework": "Web framework",
  server: "Application server",
  database: "Database",
  "db-driver": "Database driver",
  orm: "ORM",
  migrations: "Migrations",
  cache: "Cache",
  queue: "Queue / broker",
  "task-runner": "Task runner",
  scheduler: "Scheduler",
  auth: "Authentication",
  "password-hashing": "Password hashing",
  crypto: "Cryptography",
  validation: "Validation",
  settings: "Settings",
  logging: "Logging",
  "error-tracking": "Error tracking",
  metrics: "Metrics",
  tracing: "Tracing",
  "http-client": "HTTP client",
  resilience: "Resilience",
  "rate-limiting": "Rate limiting",
  "api-docs": "API documentation",
  graphql: "GraphQL",
  storage: "Storage",
  search: "Search",
  email: "Email",
  payments: "Payments",
  data: "Data processing",
  testing: "Testing",
  lint: "Lint",
  "type-check": "Type checking",
  "security-scan": "Security scanning",
  packaging: "Packaging",
  container: "Containers",
  orchestration: "Orchestration",
  iac: "Infrastructure as code",
  ci: "CI",
  other: "Other",
};

const RANK = new Map<string, number>(Object.keys(TITLES).map((c, i) => [c, i]));

/** The category as a reader wants it (`iac` → "Infrastructure as code"); an unknown category as written. */
export function categoryTitle(category: string): string {
  return (TITLES as Record<string, string>)[category] ?? category;
}

/** Items in the report's category order (a stable sort: within a category, the order given). */
export function byCategory<T extends { category: string }>(items: readonly T[]): T[] {
  const rank = (c: string) => RANK.get(c) ?? RANK.size;
  return [...items].sort((a, b) => rank(a.category) - rank(b.category));
}
