/** Categories a technology can belong to; one per catalog entry. */
export type TechCategory =
  | "web-framework"
  | "server"
  | "database"
  | "db-driver"
  | "orm"
  | "migrations"
  | "cache"
  | "queue"
  | "task-runner"
  | "scheduler"
  | "auth"
  | "password-hashing"
  | "crypto"
  | "validation"
  | "settings"
  | "logging"
  | "error-tracking"
  | "metrics"
  | "tracing"
  | "http-client"
  | "resilience"
  | "rate-limiting"
  | "api-docs"
  | "graphql"
  | "storage"
  | "search"
  | "email"
  | "payments"
  | "testing"
  | "lint"
  | "type-check"
  | "security-scan"
  | "packaging"
  | "container"
  | "orchestration"
  | "iac"
  | "ci"
  | "data"
  | "other";

export type Maintenance = "maintained" | "unmaintained" | "deprecated" | "risky";

export interface CatalogEntry {
  /** Canonical PyPI distribution name, lower-case, as in `pip install <package>`. */
  package: string;
  /** Display name ("SQLAlchemy", "Celery"). */
  name: string;
  category: TechCategory;
  /** Top-level import names; empty for tools that are never imported (gunicorn, ruff). */
  imports: string[];
  /** One-line assessment a senior reviewer would write. */
  note: string;
  maintenance: Maintenance;
  /** For unmaintained/deprecated/risky packages: what to move to. */
  alternative?: string;
  /** Only for packages whose default client API is synchronous and therefore blocks an event loop. */
  blocking?: boolean;
  /** True for dev-time tools (tests, linters, type checkers). */
  devTool?: boolean;
}

/** When the maintenance facts in the catalog were last reviewed (no package index is reachable offline). */
export const CATALOG_AS_OF = "2026-11";
