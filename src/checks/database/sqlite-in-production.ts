import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { isProductionArtefact } from "../../model/capacity-numbers.js";
import type { Evidence } from "../../model/types.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { DATABASE_URL_KEY, productionSettingsModules, productionSignal } from "./production-signals.js";

const SQLITE_URL = /^["']?sqlite(\+\w+)?:\/\//i;
const DJANGO_SQLITE = /django\.db\.backends\.sqlite3/;
/** Text that reads configuration from the environment: the literal next to it is only the fallback. */
const FROM_ENVIRONMENT = /\bos\.environ\b|\bgetenv\(|\benv\(|\benv\.(str|db|db_url|url)\(|\bconfig\(|\bdj_database_url\.|\benviron\.get\(|\bEnv\(/;
const SERVER_ENGINES = /django\.db\.backends\.(postgresql|mysql|oracle)|postgis|psqlextra|mssql|cockroach|(postgres(ql)?|mysql|mariadb)(\+\w+)?:\/\//;

interface SqliteSite {
  evidence: Evidence;
  /** Read from the environment with SQLite as the fallback (`os.getenv("DATABASE_URL", "sqlite:///...")`, a settings field default). */
  fallback: boolean;
  /** Set in a deployment file (compose, Dockerfile ENV), not a default in code. */
  explicit?: boolean;
  what: string;
}

export default defineCheck({
  id: "DB008",
  area: "database",
  title: "SQLite configured for a production service",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "SQLite takes one writer at a time and lives in a file on one machine: under concurrent requests writes queue behind each other (`database is locked`), a second instance or container cannot share the data, and a container restart without a volume loses it. Backups, replicas and failover that a database server gives are not there.",
  recommendation: "Run a database server (PostgreSQL through a managed service such as RDS, Cloud SQL or Neon, or a container with a volume) and read its URL from the environment (`DATABASE_URL` with dj-database-url or pydantic-settings); keep SQLite as the default for tests and development only. If one machine and one writer is the design (a self-hosted single-user product), say so, enable WAL mode and back the file up (Litestream).",
  example: { bad: 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}', good: 'DATABASES = {"default": dj_database_url.config(env="DATABASE_URL", conn_max_age=600)}' },
  references: ["https://www.sqlite.org/whentouse.html", "https://docs.djangoproject.com/en/stable/ref/databases/#sqlite-notes", "https://12factor.net/backing-services"],
  effort: "M",
  libraries: ["dj-database-url", "django-environ", "pydantic-settings", "psycopg"],
  run({ model, index, context }) {
    const production = productionSignal(model, context);
    if (!production) return [];
    const sites: SqliteSite[] = [];
    const settings = productionSettingsModules(index);
    // a settings module that configures a database server: SQLite elsewhere is the development default
    // (or empties DATABASES for files loaded at run time, as AWX's `production.py` does)
    const serverSettings = settings.some((m) => m.facts.assignments.some((a) => a.target === "DATABASES" && (SERVER_ENGINES.test(a.text) || !/sqlite/.test(a.text))));
    for (const mod of settings) {
      for (const a of mod.facts.assignments) {
        if (a.target !== "DATABASES" || !(DJANGO_SQLITE.test(a.text) || /sqlite(\+\w+)?:\/\//.test(a.text))) continue;
        if (SERVER_ENGINES.test(a.text)) continue; // SQLite for one alias or one branch beside a server
        sites.push({ evidence: { file: mod.file, line: a.line, snippet: `DATABASES = ${a.text}`.slice(0, 160) }, fallback: FROM_ENVIRONMENT.test(a.text), what: `DATABASES in ${mod.name} uses SQLite` });
      }
    }
    for (const mod of index.modules.values()) {
      if (!isServiceCode(mod.file) || !runsInProduction(fileRole(mod.file))) continue;
      // a settings field or constant whose literal is a SQLite URL (`DATABASE_URL: str = "sqlite:///./app.db"`)
      const fields = [...mod.facts.assignments, ...mod.facts.classes.flatMap((c) => c.assignments)];
      for (const a of fields) {
        if (typeof a.value !== "string" || !SQLITE_URL.test(a.value) || !/DATABASE|DB_|_DB|SQLALCHEMY|URL|URI|DSN/i.test(a.target)) continue;
        sites.push({ evidence: { file: mod.file, line: a.line, snippet: `${a.target} = ${a.text}`.slice(0, 160) }, fallback: true, what: `${a.target} defaults to a SQLite URL` });
      }
      for (const call of mod.facts.calls) {
        const url = call.args.find((x) => typeof x.value === "string" && SQLITE_URL.test(x.value));
        if (!url) continue;
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : call.callee;
        if (/(^|\.)(getenv|get|config|env|db|db_url|str|parse)$/.test(resolved) && FROM_ENVIRONMENT.test(`${call.callee}(`)) {
          // the same lookup inside DATABASES, already reported with the setting
          if (sites.some((x) => x.evidence.file === mod.file && x.what.startsWith("DATABASES"))) continue;
          sites.push({ evidence: { file: mod.file, line: call.line, snippet: call.snippet }, fallback: true, what: `${call.callee}() falls back to a SQLite URL` });
        } else if (/^(sqlalchemy|sqlmodel)(\.ext\.asyncio)?\.(create_engine|create_async_engine|engine\.create_engine)$/.test(resolved) && call.enclosing === null) {
          sites.push({ evidence: { file: mod.file, line: call.line, snippet: call.snippet }, fallback: false, what: `${call.callee}() opens a SQLite file` });
        }
      }
    }
    for (const v of model.configValues) {
      if (DATABASE_URL_KEY.test(v.key) && SQLITE_URL.test(v.value) && isProductionArtefact(v.file, model) && !/\.env/.test(v.file.split("/").pop() ?? "")) {
        sites.push({ evidence: { file: v.file, line: v.line, snippet: `${v.key}=${v.value}`.slice(0, 160) }, fallback: false, explicit: true, what: `${v.key} in ${v.file} is a SQLite URL` });
      }
    }
    if (!sites.length) return [];
    // the deployment points the service at a database server: SQLite is only the fallback for tests and development
    const setByDeployment = model.configValues.find((v) => DATABASE_URL_KEY.test(v.key) && !SQLITE_URL.test(v.value) && v.value.trim() !== "" && isProductionArtefact(v.file, model));
    const serverInModel = model.technologies.some((t) => t.category === "database" && /^(PostgreSQL|MySQL|MariaDB|Oracle|SQL Server|CockroachDB)$/.test(t.name));
    const reports: Report[] = [];
    const seen = new Set<string>();
    for (const site of sites) {
      const key = `${site.evidence.file}:${site.evidence.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // a default in code (a settings literal, an environment fallback) that a database server in the deployment,
      // another settings module or the dependencies overrides; a SQLite URL in a deployment file itself always counts
      if (!site.explicit && (setByDeployment || serverInModel || serverSettings)) continue;
      const selfHosted = model.hostUserMapping[0];
      if (selfHosted) {
        reports.push({
          message: `${site.what}, and ${production.reason}; the image maps its user to the host's (${selfHosted.file}:${selfHosted.line}), the mark of a product people run on their own server, where one SQLite file may be the design: make sure WAL mode is on, the file sits on a volume, and operators are told how to back it up and when to move to PostgreSQL.`,
          evidence: [site.evidence, selfHosted],
          severity: "low",
        });
        continue;
      }
      const how = site.fallback ? " when no deployment file sets the database URL, and none does" : "";
      reports.push({
        message: `${site.what}${how}, while ${production.reason}: one writer at a time, one machine, and the data lives in a file the container may not keep.`,
        evidence: production.evidence ? [site.evidence, production.evidence] : [site.evidence],
      });
    }
    return reports;
  },
});
