import type { Evidence } from "../../model/types.js";
import type { ArgumentFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { plural } from "../../core/prose.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { applicationModules } from "./application-code.js";

/**
 * Modules whose job is configuration (settings, config, constants of defaults), and the process's entry files: a
 * value there is where configuration belongs, even if it should come from the environment (SEC001/CODE006 judge those).
 */
const CONFIG_PACKAGE = /(^|\.)(settings|config|configs|conf|configuration|environments?)(\.|$)/;
const CONFIG_FILE = /^(env|environment|envs|celeryconfig|gunicorn_conf|gunicorn|__main__|manage)$|(^|_)(settings|config|configs|conf|configuration)(_|$)/;
/** Calls that read a setting with a default: the literal is the default, the environment decides. */
const DEFAULT_READER = /^(os\.getenv|os\.environ\.get|os\.environ\.setdefault|decouple\.config|getattr|environ\.Env\.\w+)$|(^|\.)(getenv|get_env|env|config|get_setting|get_config|setting|Field|field|Option|option|add_argument|environ\.get|setdefault)$|(^|\.)(env|environ|config|settings|conf|cfg|options|os\.environ)\.(get|str|url|int|db|db_url|cache_url|list|bool|get_value|getstr|getint)$/i;
/** Calls that start a development server: the bind address and port are its arguments, not configuration. */
const SERVER_RUN = /(^|\.)(run|run_app|serve|run_simple|run_server|listen|start_server)$/;
/** Keyword arguments that are documentation, not behaviour. */
const DOC_ARGUMENT = /^(description|help|help_text|example|examples|openapi_examples|title|summary|doc|docs|verbose_name|label|placeholder|comment)$/;
/** Assignment targets that say the value is a default, an example or for tests. */
const NOT_LIVE_TARGET = /DEFAULT|EXAMPLE|SAMPLE|PLACEHOLDER|TEST|MOCK|FAKE|DUMMY/i;
/** Hosts of placeholders and test servers. */
const PLACEHOLDER_HOST = /^(example|test|testserver|dummy|foo|bar|baz|host|hostname|server|your[-_]?\w*|my[-_]?\w*|xxx+|none|null|unknown|changeme|placeholder)$/i;
const DATASTORE_SCHEME = /^(redis|rediss|postgres|postgresql|postgresql\+\w+|postgres\+\w+|mysql|mysql\+\w+|mariadb|mongodb|mongodb\+srv|amqp|amqps|kafka|nats|memcached?|elasticsearch|clickhouse|cassandra|sentinel|mssql\+\w+|oracle\+\w+)$/i;
const PRIVATE_SUFFIX = /\.(local|internal|svc|cluster\.local|lan|corp|intranet|home\.arpa|consul|localdomain)$/i;
const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/(?:([^@/\s]*)@)?(\[[^\]]+\]|[^/:?#\s@]*)(?::(\d+))?(\/[^\s]*)?$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/**
 * Absolute paths of one machine: a user's home folder, a mounted volume. `/var/lib/<app>`, `/var/log/<app>` and `/opt/<app>` are
 * left out: they are the layout an image or package installs, the same in every environment that runs it.
 */
const MACHINE_PATH = /^(\/(home|Users|root)\/[^\s/]+\/|\/(mnt|media)\/[^\s]+|[A-Za-z]:\\\\?(Users|home)\\)/;
/** Keyword and variable names that hold a file system path. */
const PATH_NAME = /(^|_)(path|paths|dir|dirs|directory|file|filename|filepath|folder|root|location|logfile|storage|upload|uploads|media|static|cert|certfile|keyfile|ca_certs|cafile|db|database|sqlite)$/i;
/** Calls that take a file system path. */
const PATH_CALL = /^(open|io\.open|pathlib\.Path|pathlib\.PurePath|os\.path\.\w+|os\.(makedirs|mkdir|listdir|scandir|remove|unlink|chdir|walk|stat)|shutil\.\w+|logging\.FileHandler|logging\.handlers\.\w+|sqlite3\.connect|tarfile\.open|zipfile\.ZipFile|dotenv\.load_dotenv|django\.core\.files\.storage\.FileSystemStorage|starlette\.staticfiles\.StaticFiles|fastapi\.staticfiles\.StaticFiles|flask\.send_from_directory|aiofiles\.open)$|(^|\.)(Path|FileHandler|RotatingFileHandler|TimedRotatingFileHandler|StaticFiles|FileSystemStorage)$/;
/** Keyword and variable names that hold a host. */
const HOST_NAME = /(^|_)(host|hostname|hosts|server|servers|addr|address|endpoint|broker|url|uri|dsn|base_url|origin|origins)$/i;
const MAX_LISTED = 5;
/** Conditions that keep code to development, debugging or tests (`if settings.DEBUG:`, `if not settings.PRODUCTION:`). */
const DEV_GUARD = /DEBUG|PRODUCTION|\bdev\b|DEVELOPMENT|LOCAL|TESTING|\btest/i;
/** Load tests, benchmarks and notebooks kept beside the service: they run against one machine on purpose. */
const NOT_SERVICE_DIR = /(^|\/)(load_?testing|load_?tests?|locust\w*|perf|performance|benchmarks?|bench|playground|notebooks?|e2e)\//i;

type Category = "IP address" | "internal host" | "machine path" | "localhost";
const RANK: Record<Category, number> = { "IP address": 0, "internal host": 1, "machine path": 2, localhost: 3 };
const DESCRIBE: Record<Category, string> = { "IP address": "an IP address", "internal host": "an internal host name", "machine path": "a path on one machine", localhost: "localhost" };

interface Hit {
  value: string;
  category: Category;
  line: number;
  where: string;
}

function isConfigModule(mod: ModuleInfo): boolean {
  return CONFIG_PACKAGE.test(mod.name) || CONFIG_FILE.test(mod.name.slice(mod.name.lastIndexOf(".") + 1));
}

/** What kind of host this is, or null for a public name (a third party's API is the same in every environment). */
function hostCategory(host: string, port: string | undefined, scheme: string | null): Category | null {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (!h || h === "0.0.0.0" || h === "::") return null;
  // `localhost` is this host in every environment (a sidecar, a local agent) or a development branch the facts cannot
  // see; only a database or broker URL on localhost is a development connection left in the code
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\./.test(h)) return scheme !== null && DATASTORE_SCHEME.test(scheme) ? "localhost" : null;
  const ip = IPV4.exec(h);
  if (ip) return ip.slice(1).every((n) => Number(n) <= 255) ? "IP address" : null;
  if (PRIVATE_SUFFIX.test(h)) return "internal host";
  // a single label (`orders`, `redis`) is a name only a private network resolves: a compose or Kubernetes service
  if (!h.includes(".") && /^[a-z][a-z0-9_-]*$/.test(h) && !PLACEHOLDER_HOST.test(h) && (port !== undefined || (scheme !== null && DATASTORE_SCHEME.test(scheme)))) return "internal host";
  return null;
}

/** The environment-specific part of a literal, or null. `name` is the keyword or variable it is given to. */
function classify(value: string, name: string | null, pathContext: boolean): Category | null {
  if (value.length > 300 || /[{}%<>]|\$\{?\w/.test(value)) return null;
  const url = URL_PARTS.exec(value);
  if (url) {
    const [, scheme = "", , host = "", port, path] = url;
    if (/^sqlite/i.test(scheme)) return path && MACHINE_PATH.test(path.replace(/^\/(?=\/)/, "")) ? "machine path" : null;
    if (/^(file)$/i.test(scheme)) return path && MACHINE_PATH.test(path) ? "machine path" : null;
    return hostCategory(host, port, scheme);
  }
  if (MACHINE_PATH.test(value) && (pathContext || (name !== null && PATH_NAME.test(name)))) return "machine path";
  // a bare host given to a client (`Redis(host="10.0.0.7")`, `host="orders.internal"`): written in lower case, as host names are
  if (name !== null && HOST_NAME.test(name)) {
    const hostPort = /^([a-z0-9.-]+)(?::(\d+))?$/.exec(value);
    if (hostPort) {
      const category = hostCategory(hostPort[1] as string, hostPort[2] ?? (/^(host|hostname)$/i.test(name) ? "" : undefined), null);
      if (category) return category;
    }
  }
  return null;
}

/** `postgresql://app:s3cret@db/app` → `postgresql://app:***@db/app`. */
function redactCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*):[^@/\s]+@/i, "$1:***@");
}

function fromArgument(arg: ArgumentFact, pathContext: boolean, line: number, where: string, hits: Hit[]): void {
  if (arg.name && DOC_ARGUMENT.test(arg.name)) return;
  const values = typeof arg.value === "string" ? [arg.value] : arg.kind === "list" || arg.kind === "tuple" || arg.kind === "set" ? (arg.items ?? []) : [];
  for (const value of values) {
    const category = classify(value, arg.name, pathContext);
    if (category) hits.push({ value, category, line, where });
  }
}

function hitsIn(index: ProjectIndex, mod: ModuleInfo): Hit[] {
  const hits: Hit[] = [];
  for (const call of mod.facts.calls) {
    // most calls pass no literal text at all: nothing to classify, so no pattern needs testing
    if (!call.args.some((a) => typeof a.value === "string" || (a.items?.length ?? 0) > 0)) continue;
    if (call.guard && (/__name__\s*==/.test(call.guard) || DEV_GUARD.test(call.guard))) continue;
    const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : call.callee;
    if (DEFAULT_READER.test(resolved) || DEFAULT_READER.test(call.callee) || SERVER_RUN.test(call.callee)) continue;
    const pathContext = PATH_CALL.test(resolved) || PATH_CALL.test(call.callee);
    for (const arg of call.args) fromArgument(arg, pathContext, call.line, `${call.callee}(...)`, hits);
  }
  const settingsClass = (bases: string[], name: string) => /Settings|Config|Configuration|Options|Meta$/.test(name) || bases.some((b) => /Settings|Config|BaseModel|SQLModel|Schema|Serializer|Struct|TypedDict/.test(b));
  const assignments = [
    ...mod.facts.assignments.map((a) => ({ a, owner: null as string | null })),
    ...mod.facts.classes.filter((c) => !settingsClass(c.bases.map((b) => b.text), c.name)).flatMap((c) => c.assignments.map((a) => ({ a, owner: c.name }))),
  ];
  for (const { a, owner } of assignments) {
    if (NOT_LIVE_TARGET.test(a.target)) continue;
    const values = a.kind === "string" && typeof a.value === "string" ? [a.value] : a.kind === "list" || a.kind === "tuple" || a.kind === "set" ? (a.items ?? []) : [];
    for (const value of values) {
      const category = classify(value, a.target, false);
      if (category) hits.push({ value, category, line: a.line, where: `${owner ? `${owner}.` : ""}${a.target} = ...` });
    }
  }
  for (const store of mod.facts.literalStores ?? []) {
    const category = classify(store.value, store.key, false);
    if (category) hits.push({ value: store.value, category, line: store.line, where: `${store.target}[${JSON.stringify(store.key)}] = ...` });
  }
  return hits;
}

export default defineCheck({
  id: "CODE007",
  area: "code",
  title: "Hard-coded environment-specific values",
  severity: "low",
  kind: "concern",
  confidence: "medium",
  why: "An IP address, an internal service name, `localhost` or a path on one machine written into application code ties the code to one environment: it works on the author's laptop or in one cluster and breaks (or silently talks to the wrong service) in staging and production, and changing it needs a code change and a redeploy instead of a configuration change (12-factor: config in the environment).",
  recommendation: "Move environment-specific values into the settings object (pydantic-settings `BaseSettings`, django-environ, dynaconf) read from the environment, with development defaults only there, and import the setting where it is used. Public third-party API URLs can stay constants.",
  example: {
    bad: 'resp = httpx.get("http://10.0.3.17:8080/prices", timeout=2)',
    good: 'class Settings(BaseSettings):\n    pricing_url: AnyHttpUrl = "http://localhost:8080"\n\nresp = httpx.get(f"{settings.pricing_url}/prices", timeout=2)',
  },
  references: ["https://12factor.net/config", "https://docs.pydantic.dev/latest/concepts/pydantic_settings/"],
  effort: "S",
  libraries: ["pydantic-settings", "django-environ", "dynaconf"],
  run({ model, index }) {
    const settingsFiles = new Set(model.settings.map((s) => s.file));
    const reports: Report[] = [];
    for (const mod of applicationModules(index)) {
      if (settingsFiles.has(mod.file) || isConfigModule(mod) || NOT_SERVICE_DIR.test(mod.file)) continue;
      const hits = hitsIn(index, mod);
      if (!hits.length) continue;
      // one line per value, the most environment-bound first
      const distinct = [...new Map(hits.map((h) => [h.value, h])).values()].sort((a, b) => RANK[a.category] - RANK[b.category] || a.line - b.line);
      const listed = distinct.slice(0, MAX_LISTED);
      const evidence: Evidence[] = listed.map((h) => ({ file: mod.file, line: h.line, snippet: `${h.where}: ${redactCredentials(h.value)}` }));
      const onlyLocal = distinct.every((h) => h.category === "localhost");
      reports.push({
        message: `${mod.file} hard-codes ${plural(distinct.length, "environment-specific value")}: ${listed.map((h) => `\`${redactCredentials(h.value)}\` (line ${h.line}, ${DESCRIBE[h.category]})`).join(", ")}${distinct.length > MAX_LISTED ? `, and ${distinct.length - MAX_LISTED} more` : ""}${onlyLocal ? "; a development address that will not exist in a deployed environment" : ""}. Read them from the settings instead.`,
        evidence,
        // `localhost` alone is usually a development leftover that a deployment overrides elsewhere: less sure it matters
        ...(onlyLocal ? { confidence: "low" as const } : {}),
      });
    }
    return reports;
  },
});
