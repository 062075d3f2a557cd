/**
 * What a call does to the outside world, by qualified name. Knowledge as data: the index uses
 * it to summarise functions, checks use the summaries (PERF001 blocking calls, DB006 sync DB).
 */
export type EffectKind = "http" | "sleep" | "subprocess" | "sync-db" | "sync-cache" | "sync-sdk";

export interface Effect {
  kind: EffectKind;
  /** Blocks the calling thread (and so an event loop when called from `async def`). */
  blocking: boolean;
  /** Library the call belongs to, for messages (`requests`, `SQLAlchemy Session`). */
  library: string;
}

interface Rule {
  /** Exact qualified names, or prefixes ending in `.` (every attribute below). */
  names: string[];
  /** When set, only these final segments match under a prefix. */
  methods?: string[];
  effect: Effect;
}

const HTTP_VERBS = ["get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"];
const SESSION_IO = ["execute", "scalars", "scalar", "query", "get", "commit", "flush", "refresh", "merge", "exec", "get_one", "delete", "rollback"];

const RULES: Rule[] = [
  { names: ["requests."], methods: HTTP_VERBS, effect: { kind: "http", blocking: true, library: "requests" } },
  { names: ["requests.Session."], methods: HTTP_VERBS, effect: { kind: "http", blocking: true, library: "requests" } },
  { names: ["requests.api."], methods: HTTP_VERBS, effect: { kind: "http", blocking: true, library: "requests" } },
  { names: ["urllib.request.urlopen", "urllib2.urlopen"], effect: { kind: "http", blocking: true, library: "urllib" } },
  { names: ["urllib3.PoolManager.", "urllib3.request"], methods: ["request", "urlopen"], effect: { kind: "http", blocking: true, library: "urllib3" } },
  { names: ["httpx."], methods: HTTP_VERBS, effect: { kind: "http", blocking: true, library: "httpx (sync API)" } },
  { names: ["httpx.Client."], methods: HTTP_VERBS, effect: { kind: "http", blocking: true, library: "httpx.Client" } },
  { names: ["httpx.AsyncClient."], methods: HTTP_VERBS, effect: { kind: "http", blocking: false, library: "httpx.AsyncClient" } },
  { names: ["aiohttp.ClientSession."], methods: HTTP_VERBS, effect: { kind: "http", blocking: false, library: "aiohttp" } },
  { names: ["time.sleep"], effect: { kind: "sleep", blocking: true, library: "time.sleep" } },
  { names: ["subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "os.system", "os.popen"], effect: { kind: "subprocess", blocking: true, library: "subprocess" } },
  { names: ["sqlalchemy.orm.Session.", "sqlmodel.Session.", "sqlalchemy.orm.session.Session."], methods: SESSION_IO, effect: { kind: "sync-db", blocking: true, library: "SQLAlchemy Session" } },
  // a scoped_session registry proxies the Session API (`Session.query(...)` without calling it first)
  { names: ["sqlalchemy.orm.scoped_session()."], methods: SESSION_IO, effect: { kind: "sync-db", blocking: true, library: "SQLAlchemy scoped_session" } },
  { names: ["sqlalchemy.Connection.", "sqlalchemy.engine.Connection."], methods: ["execute", "commit", "scalar", "scalars"], effect: { kind: "sync-db", blocking: true, library: "SQLAlchemy Connection" } },
  { names: ["sqlalchemy.Engine.connect", "sqlalchemy.Engine.begin"], effect: { kind: "sync-db", blocking: true, library: "SQLAlchemy Engine" } },
  { names: ["psycopg2.connect", "psycopg.connect", "pymysql.connect", "MySQLdb.connect", "sqlite3.connect"], effect: { kind: "sync-db", blocking: true, library: "sync database driver" } },
  { names: ["psycopg2.cursor.", "pymysql.cursor.", "sqlite3.Cursor.", "sqlite3.Connection.", "psycopg2.connection."], methods: ["execute", "executemany", "fetchall", "fetchone", "fetchmany", "commit"], effect: { kind: "sync-db", blocking: true, library: "sync database driver" } },
  { names: ["redis.Redis."], effect: { kind: "sync-cache", blocking: true, library: "redis (sync client)" } },
  { names: ["pymongo.MongoClient."], effect: { kind: "sync-db", blocking: true, library: "pymongo" } },
  { names: ["boto3.client.", "boto3.resource."], effect: { kind: "sync-sdk", blocking: true, library: "boto3" } },
  { names: ["smtplib.SMTP.", "smtplib.SMTP_SSL."], methods: ["sendmail", "send_message", "login", "starttls"], effect: { kind: "sync-sdk", blocking: true, library: "smtplib" } },
];

const NOT_IO = new Set(["pipeline", "from_url", "close", "connection_pool"]);

/** The effect of calling `qualified`, or null for calls that do no I/O archscope knows of. */
export function effectOf(qualified: string | null): Effect | null {
  if (!qualified) return null;
  const last = qualified.slice(qualified.lastIndexOf(".") + 1);
  for (const rule of RULES) {
    for (const name of rule.names) {
      if (name.endsWith(".")) {
        if (!qualified.startsWith(name)) continue;
        const rest = qualified.slice(name.length);
        if (rest.includes(".") || rest.includes("(")) continue;
        if (rule.methods && !rule.methods.includes(rest)) continue;
        if (NOT_IO.has(last)) continue;
        return rule.effect;
      }
      if (qualified === name) return rule.effect;
    }
  }
  return null;
}
