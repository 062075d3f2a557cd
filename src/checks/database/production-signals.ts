import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isProductionArtefact, webServer } from "../../model/capacity-numbers.js";
import { isSettingsModule } from "../../model/infrastructure.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import type { ReviewContext } from "../context.js";

/** Why the service is taken to run in production: the team's stated stage, or a deployment that starts a production server. */
export interface ProductionSignal {
  reason: string;
  evidence: Evidence | null;
}

/**
 * Whether the service runs in production: the context says so (stage production or scale), or the repository
 * deploys it (a production web server in a Dockerfile, compose file or Procfile that is not a developer's tool,
 * Kubernetes workloads). A stated prototype or MVP stage is taken at its word: null.
 */
export function productionSignal(model: SystemModel, context: ReviewContext): ProductionSignal | null {
  if (context.stage === "production" || context.stage === "scale") return { reason: `the stated stage is ${context.stage}`, evidence: null };
  if (context.stage === "prototype" || context.stage === "mvp") return null;
  const web = webServer(model);
  if (web) return { reason: `${web.file} starts ${web.server.server}, a production server`, evidence: { file: web.file, line: web.line, snippet: web.server.server } };
  const workload = model.kubernetes.find((w) => isProductionArtefact(w.file, model));
  if (workload) return { reason: `${workload.file} deploys it to Kubernetes`, evidence: { file: workload.file, line: workload.line } };
  // a hosting platform's file alone (a `render.yaml` for a side service) does not say which service it runs: not enough
  return null;
}

/** Django settings modules that production may load (not `settings/test.py`, `settings/local.py`), each file once. */
export function productionSettingsModules(index: ProjectIndex): ModuleInfo[] {
  const seen = new Set<string>();
  return [...index.modules.values()].filter((m) => isSettingsModule(m.name) && runsInProduction(fileRole(m.file)) && !seen.has(m.file) && seen.add(m.file));
}

/** Configuration keys that point the service at its database. */
export const DATABASE_URL_KEY = /^(DJANGO_)?(DATABASE_URL|DB_URL|DATABASE_URI|DB_URI|SQLALCHEMY_DATABASE_URI|SQLALCHEMY_DATABASE_URL|POSTGRES_URL|POSTGRES_DSN|PG_DSN|DB_DSN|DATABASE_DSN)$/;

/** Database servers whose data outlives the process (not an embedded file, not an analytics engine run in-process). */
const SERVER_DATABASES = new Set(["PostgreSQL", "MySQL", "MariaDB", "MongoDB", "Oracle", "SQL Server", "CockroachDB", "TimescaleDB"]);

/**
 * The database server the service itself runs against, with the evidence a reader should open: settings and
 * application code before manifests and compose files, the service's own deployment before samples and tooling,
 * shallow paths before an `extras/` folder. Null when no server database runs in production files.
 */
export function serviceDatabase(model: SystemModel): { name: string; evidence: Evidence } | null {
  // load tests, benchmarks and scripts name the database too, but are not where a reader finds the service's configuration
  const aside = (file: string) => !isServiceCode(file) || /(^|\/)(load_?test\w*|bench\w*|perf\w*)\//i.test(file);
  const score = (e: Evidence) => (isProductionArtefact(e.file, model) ? 0 : 100) + (aside(e.file) ? 50 : 0) + (e.file.endsWith(".py") ? 0 : 10) + e.file.split("/").length;
  let best: { name: string; evidence: Evidence; score: number } | null = null;
  for (const t of model.technologies) {
    if (t.category !== "database" || !SERVER_DATABASES.has(t.name) || !t.evidence.some((e) => runsInProduction(fileRole(e.file)))) continue;
    for (const e of t.evidence) {
      const s = score(e);
      if (!best || s < best.score) best = { name: t.name, evidence: e, score: s };
    }
  }
  return best ? { name: best.name, evidence: best.evidence } : null;
}
