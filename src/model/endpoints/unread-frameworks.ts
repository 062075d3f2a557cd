import { compareCodeUnits } from "../../core/diagnostics.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { ProjectIndex } from "../../python/project-index.js";
import type { Evidence, UnreadFramework } from "../types.js";

/** How a web framework (or RPC server) archscope does not read shows itself in code: the app it builds, the handlers it routes to. */
interface Signature {
  name: string;
  /** What one of its handlers is (`RequestHandler class`). */
  unit: string;
  /** Calls that build or run the server (resolved names). */
  app?: RegExp;
  /** Base classes of handler classes (resolved names). */
  handlerBase?: RegExp;
  /** Decorators that route a function (resolved names). */
  handlerDecorator?: RegExp;
  /** Calls registering a handler: resolved, or on the callee as written (gRPC's generated `add_*Servicer_to_server`). */
  registration?: RegExp;
  /** Each registration is one handler (Falcon's `add_route(path, resource)`). */
  registersHandlers?: boolean;
}

const SIGNATURES: Signature[] = [
  { name: "Tornado", unit: "RequestHandler class", app: /^tornado\.web\.Application$/, handlerBase: /^tornado\.(web\.RequestHandler|websocket\.WebSocketHandler)$/ },
  { name: "Sanic", unit: "routed handler", app: /^sanic(\.app)?\.Sanic$/, handlerBase: /^sanic\.views\.HTTPMethodView$/, handlerDecorator: /^sanic(\.app|\.blueprints)?\.(Sanic|Blueprint)\.(route|get|post|put|patch|delete|websocket)$/ },
  { name: "Falcon", unit: "route", app: /^falcon(\.asgi)?\.(App|API)$/, registration: /^falcon(\.asgi)?\.(App|API)\.add_route$/, registersHandlers: true },
  { name: "Bottle", unit: "routed function", app: /^bottle\.(Bottle|run|default_app)$/, handlerDecorator: /^bottle(\.Bottle)?\.(route|get|post|put|patch|delete)$/ },
  { name: "CherryPy", unit: "exposed method", app: /^cherrypy\.(quickstart|tree\.mount|Application)$/, handlerDecorator: /^cherrypy\.expose$/ },
  { name: "Klein", unit: "routed function", app: /^klein\.Klein$/, handlerDecorator: /^klein\.Klein\.route$/ },
  { name: "Twisted Web", unit: "Resource class", app: /^twisted\.web\.server\.Site$/, handlerBase: /^twisted\.web\.resource\.Resource$/ },
  { name: "gRPC", unit: "servicer class", app: /^grpc(\.aio)?\.server$/, handlerBase: /_pb2_grpc\.\w+Servicer$/, registration: /(^|\.)add_\w+Servicer_to_server$/ },
  { name: "web2py", unit: "controller", app: /^gluon\.(main\.wsgibase|tools\.Auth)$/ },
  { name: "Masonite", unit: "route", app: /^masonite\.(foundation\.Application|routes\.Route\.(get|post|put|patch|delete))$/ },
  { name: "Hug", unit: "routed function", handlerDecorator: /^hug\.(get|post|put|patch|delete|http)$/ },
  { name: "BlackSheep", unit: "routed function", app: /^blacksheep(\.server)?\.Application$/ },
  { name: "Robyn", unit: "routed function", app: /^robyn\.Robyn$/ },
];

/**
 * Web frameworks and RPC servers the application code uses that archscope does not read endpoints from
 * (Tornado, Sanic, Falcon, Bottle, CherryPy, Klein, Twisted Web, gRPC, web2py, Masonite, ...): so the review
 * can say their handlers are missing from the inventory instead of reporting "0 endpoints" as a fact.
 * Only code that runs in production counts (not tests, scripts or examples), and only what builds a server or
 * declares a handler, never a bare import.
 */
export function unreadFrameworks(index: ProjectIndex): UnreadFramework[] {
  const found = new Map<string, { signature: Signature; handlers: number; evidence: Evidence[] }>();
  const note = (signature: Signature, evidence: Evidence, handler: boolean) => {
    const entry = found.get(signature.name) ?? { signature, handlers: 0, evidence: [] };
    if (handler) entry.handlers++;
    entry.evidence.push(evidence);
    found.set(signature.name, entry);
  };
  const modules = [...index.modules.values()].filter((m) => runsInProduction(fileRole(m.file))).sort((a, b) => compareCodeUnits(a.file, b.file));
  for (const mod of modules) {
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
      for (const s of SIGNATURES) {
        if (s.app?.test(resolved)) note(s, { file: mod.file, line: call.line, snippet: call.snippet }, false);
        else if (s.registration?.test(resolved) || s.registration?.test(call.callee)) note(s, { file: mod.file, line: call.line, snippet: call.snippet }, s.registersHandlers === true);
      }
    }
    for (const cls of mod.facts.classes) {
      for (const base of cls.bases) {
        const resolved = base.qualified ? index.resolve(base.qualified, mod.name) : base.text;
        const s = SIGNATURES.find((x) => x.handlerBase?.test(resolved));
        if (s) note(s, { file: mod.file, line: cls.line, snippet: `class ${cls.name}(${base.text})` }, true);
      }
    }
    for (const fn of mod.facts.functions) {
      for (const d of fn.decorators) {
        const resolved = d.qualified ? index.resolve(d.qualified, mod.name) : "";
        const s = SIGNATURES.find((x) => x.handlerDecorator?.test(resolved));
        if (s) note(s, { file: mod.file, line: d.line, snippet: `@${d.name}` }, true);
      }
    }
  }
  return [...found.values()]
    .map(({ signature, handlers, evidence }) => ({ name: signature.name, unit: signature.unit, handlers: handlers || null, evidence: evidence.sort((a, b) => compareCodeUnits(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0)).slice(0, 3) }))
    .sort((a, b) => compareCodeUnits(a.name, b.name));
}

/** One sentence for the review: what was not read, and what that means for the endpoint inventory. */
export function unreadSentence(unread: UnreadFramework[], endpoints: number): string {
  const parts = unread.map((u) => `${u.name}${u.handlers ? ` (${u.handlers} ${u.handlers === 1 ? u.unit : plural(u.unit)})` : ""} at ${u.evidence.map((e) => `${e.file}:${e.line}`).join(", ")}`);
  const names = unread.map((u) => u.name).join(", ");
  const head = endpoints === 0 ? "No endpoints were read: archscope does not read" : `${endpoints} endpoint${endpoints === 1 ? "" : "s"} read; not read:`;
  return `${head} ${parts.join("; ")}. Their handlers are missing from the endpoint inventory, and the checks on endpoints (authentication, pagination, rate limits) do not cover ${unread.length === 1 ? "them" : `the ${names} handlers`}.`;
}

function plural(noun: string): string {
  return /(s|sh|ch|x)$/.test(noun) ? `${noun}es` : `${noun}s`;
}
