import { defineCheck } from "../define.js";
import { shortName } from "../handlers.js";
import type { Evidence } from "../../model/types.js";
import { GROUP_FROM } from "../grouping.js";
import type { Report } from "../types.js";
import { bySite, type SiteGroup, callsOnRequestPath, describeRequestChain, requestEvidence, sinkFunction } from "./request-chains.js";

/** Constructors of clients that own a connection pool (or an expensive set-up), by resolved name. */
const CLIENTS: Record<string, string> = {
  "requests.Session": "requests.Session",
  "requests.session": "requests.Session",
  "httpx.Client": "httpx.Client",
  "httpx.AsyncClient": "httpx.AsyncClient",
  "aiohttp.ClientSession": "aiohttp.ClientSession",
  "urllib3.PoolManager": "urllib3.PoolManager",
  "redis.Redis": "redis client",
  "redis.StrictRedis": "redis client",
  "redis.from_url": "redis client",
  "redis.Redis.from_url": "redis client",
  "redis.asyncio.Redis": "redis client",
  "redis.asyncio.from_url": "redis client",
  "redis.asyncio.Redis.from_url": "redis client",
  "boto3.client": "boto3 client",
  "boto3.resource": "boto3 resource",
  "boto3.session.Session": "boto3 session",
  "boto3.Session": "boto3 session",
  "pymongo.MongoClient": "MongoClient",
  "motor.motor_asyncio.AsyncIOMotorClient": "MongoClient (motor)",
  "sqlalchemy.create_engine": "SQLAlchemy engine",
  "sqlalchemy.ext.asyncio.create_async_engine": "SQLAlchemy engine",
  "elasticsearch.Elasticsearch": "Elasticsearch client",
};

const HTTP_CLIENTS = new Set(["requests.Session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession", "urllib3.PoolManager"]);

/** A factory memoised by a decorator builds its client once. */
const MEMOISED = /(^|\.)(lru_cache|cache|cached_property|cached|memoize|memoized)$/;
/** `if _client is None: _client = httpx.Client()`: a lazily built singleton. */
const LAZY_GUARD = /\bis None\b|^not \w+$|^not self\.\w+$|^not hasattr/;

export default defineCheck({
  id: "PERF006",
  area: "scalability",
  title: "Client created per request instead of reused",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "HTTP sessions, Redis, MongoDB and boto3 clients and SQLAlchemy engines own connection pools (and TLS sessions, credential look-ups). Creating one inside the request throws the pool away every time: each request pays a fresh TCP and TLS handshake (tens to hundreds of ms), leaves connections to be closed later, and under load exhausts sockets or the server's connection limit.",
  recommendation: "Create the client once per process and reuse it: at module level, in the FastAPI lifespan (`app.state.http = httpx.AsyncClient()`), in Flask's app factory, or behind a `functools.lru_cache` factory. Share one `requests.Session`, `httpx.Client`, `redis.Redis(connection_pool=...)`, `boto3.client` and one engine per process.",
  example: {
    bad: '@app.get("/rates")\nasync def rates():\n    async with httpx.AsyncClient() as client:  # new pool per request\n        return (await client.get(URL)).json()',
    good: '@asynccontextmanager\nasync def lifespan(app):\n    app.state.http = httpx.AsyncClient(timeout=10)\n    yield\n    await app.state.http.aclose()\n\n@app.get("/rates")\nasync def rates(request: Request):\n    return (await request.app.state.http.get(URL)).json()',
  },
  references: ["https://www.python-httpx.org/advanced/clients/#why-use-a-client", "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/clients.html"],
  effort: "S",
  libraries: ["httpx", "requests", "redis", "boto3"],
  dependsOn: [],
  run(input) {
    const { index } = input;
    const memoised = (id: string) => index.functions.get(id)?.fact.decorators.some((d) => MEMOISED.test(d.qualified ?? d.name)) ?? false;
    const calls = callsOnRequestPath(input, (resolved, call) => Object.hasOwn(CLIENTS, resolved) && !(call.guard && LAZY_GUARD.test(call.guard))).filter(
      (c) => !memoised(sinkFunction(c)) && !c.steps.some((s) => memoised(s.function)),
    );
    const reports: Report[] = [];
    // two constructors of one kind in one function (an if/else choosing the service) are one finding
    const groups = bySite(calls, (c) => `${sinkFunction(c)}:${CLIENTS[c.resolved]}`);
    const byKind = new Map<string, SiteGroup[]>();
    for (const g of groups) {
      const kind = CLIENTS[g.first.resolved] as string;
      byKind.set(kind, [...(byKind.get(kind) ?? []), g]);
    }
    for (const [kind, sites] of byKind) {
      const http = HTTP_CLIENTS.has(kind);
      // a per-request HTTP session costs a TCP/TLS handshake; a per-request Redis/Mongo/boto3 client or engine costs a pool and server connections
      const severity = (g: SiteGroup) => (!http || g.first.call.inLoop ? "medium" : "low");
      if (sites.length >= GROUP_FROM) {
        const severities = sites.map(severity);
        reports.push({
          message: `A new ${kind} is created inside ${sites.length} functions that run while serving requests, so no connection is reused across requests: for example ${sites.slice(0, 3).map((g) => describeRequestChain(g.first.steps)).join("; ")}. Create one per process and share it.`,
          evidence: sites.map((g) => requestEvidence(g.first.steps).at(-1) as Evidence),
          confidence: "medium",
          severity: severities.includes("medium") ? "medium" : "low",
        });
        continue;
      }
      for (const g of sites) {
        const others = g.handlers.length > 1 ? ` ${g.handlers.length} handlers reach it (for example ${g.handlers.slice(0, 3).map(shortName).join(", ")}).` : "";
        const inLoop = g.first.call.inLoop ? " It is inside a loop, so one request builds several." : "";
        const cost = http ? " Each request pays a fresh TCP and TLS handshake." : "";
        reports.push({
          message: `A new ${kind} (\`${g.first.call.callee}()\`) is created on every call to ${shortName(sinkFunction(g.first))}, which runs while serving requests: ${describeRequestChain(g.first.steps)}. Its connections are not reused across requests.${cost}${inLoop}${others}`,
          evidence: requestEvidence(g.first.steps),
          confidence: g.first.steps.length > 3 ? "medium" : "high",
          severity: severity(g),
        });
      }
    }
    return reports.sort((a, b) => (a.evidence[0]?.file ?? "").localeCompare(b.evidence[0]?.file ?? "") || (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0));
  },
});
