import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { joinAnd, plural } from "../../core/prose.js";
import type { Endpoint, Evidence } from "../../model/types.js";
import { defineCheck } from "../define.js";

const FRAMEWORK_NAMES: Record<string, string> = {
  fastapi: "FastAPI",
  starlette: "Starlette",
  flask: "Flask",
  quart: "Quart",
  django: "Django",
  drf: "Django REST framework",
  ninja: "Django Ninja",
  aiohttp: "aiohttp",
  pyramid: "Pyramid",
  litestar: "Litestar",
};
const METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];
const LIST_RESPONSE = /^(list|List|Sequence|Iterable|set|tuple)\[|\bmany=True\b/;

function counted<T>(items: T[], key: (item: T) => string, order: (a: string, b: string) => number): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => order(a, b)).map(([k, n]) => `${k} ${n}`).join(", ");
}

function share(part: number, whole: number): string {
  return `${part} of ${whole} (${Math.round((100 * part) / whole)} %)`;
}

export default defineCheck({
  id: "API001",
  area: "api",
  title: "Endpoint inventory",
  severity: "info",
  kind: "info",
  confidence: "high",
  why: "The review reads the routes the application serves into one model: method, path, handler, authentication, pagination and schemas. The other API and security checks work from it, so an inventory that looks wrong (routes missing, authentication unknown) says where the review could not see.",
  recommendation: "Check the counts against what you know of the API: routes missing here were not recognised (a custom router, routes built in a loop) and were not checked; endpoints whose authentication is unknown are worth a look by hand.",
  references: ["https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const endpoints = model.endpoints;
    if (!endpoints.length) return [];
    const byMethod = counted(endpoints, (e) => e.method, (a, b) => (METHOD_ORDER.indexOf(a) + 99 * +!METHOD_ORDER.includes(a)) - (METHOD_ORDER.indexOf(b) + 99 * +!METHOD_ORDER.includes(b)) || a.localeCompare(b));
    const byFramework = counted(endpoints, (e) => FRAMEWORK_NAMES[e.framework] ?? e.framework, (a, b) => a.localeCompare(b));
    const authenticated = endpoints.filter((e) => e.auth === true).length;
    const declaredPublic = endpoints.filter((e) => e.auth !== true && e.declaredPublic).length;
    const open = endpoints.filter((e) => e.auth === false && !e.declaredPublic).length;
    const unknown = endpoints.filter((e) => e.auth === null && !e.declaredPublic).length;
    const asyncCount = endpoints.filter((e) => e.isAsync).length;
    const collections = endpoints.filter((e: Endpoint) => e.method === "GET" && (e.pagination || LIST_RESPONSE.test(e.responseSchema ?? "")));
    const paginated = collections.filter((e) => e.pagination).length;
    const writes = endpoints.filter((e) => e.method === "POST" || e.method === "PUT" || e.method === "PATCH");
    const withRequest = writes.filter((e) => e.requestSchema).length;
    const readable = endpoints.filter((e) => e.method !== "DELETE");
    const withResponse = readable.filter((e) => e.responseSchema).length;
    const auth = [`${authenticated} authenticated`, `${declaredPublic} declared public`, open ? `${open} with no authentication found` : "", `${unknown} unknown`].filter(Boolean);
    const parts = [
      `by method: ${byMethod}`,
      `by framework: ${byFramework}`,
      `authentication: ${joinAnd(auth)}`,
      `async handlers: ${share(asyncCount, endpoints.length)}`,
      collections.length ? `collections paginated: ${share(paginated, collections.length)}` : "no collection endpoint recognised",
      writes.length ? `request schema declared on ${share(withRequest, writes.length)} POST/PUT/PATCH endpoints` : "",
      readable.length ? `response schema declared on ${share(withResponse, readable.length)} endpoints` : "",
    ].filter(Boolean);
    const extra = [model.websockets.length ? plural(model.websockets.length, "WebSocket endpoint") : "", model.graphqlOperations.length ? plural(model.graphqlOperations.length, "GraphQL operation") : ""].filter(Boolean);
    // the app files that run in production (not a test server or a CLI helper that builds an app too)
    const running = model.appFiles.filter((f) => runsInProduction(fileRole(f)) && !/(^|\/)cli(\/|_|\.)/.test(f));
    const files = running.length ? running : model.appFiles.length ? model.appFiles.slice(0, 1) : [...new Set(endpoints.map((e) => e.file))].sort().slice(0, 1);
    const evidence: Evidence[] = files.map((file) => ({ file, line: null }));
    return [{ message: `${plural(endpoints.length, "HTTP endpoint")}${extra.length ? ` (and ${joinAnd(extra)})` : ""}; ${parts.join("; ")}.`, evidence }];
  },
});
