import { compareCodeUnits } from "../../core/diagnostics.js";
import type { CallFact } from "../../python/facts.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import type { WebSocketEndpoint } from "../types.js";
import { normalisePath } from "./fastapi.js";
import { decoratorAuth, fastapiSocketAuth, socketAuthSignal } from "./websocket-auth.js";

const FASTAPI_SOCKET = /^(fastapi\.(FastAPI|APIRouter|applications\.FastAPI|routing\.APIRouter)|starlette\.(applications\.Starlette|routing\.Router))\.(websocket|websocket_route)$/;
const ADD_SOCKET = /^(fastapi\.(FastAPI|APIRouter|applications\.FastAPI|routing\.APIRouter)|starlette\.(applications\.Starlette|routing\.Router))\.(add_websocket_route|add_api_websocket_route)$/;
const STARLETTE_ROUTE = /^starlette\.routing\.WebSocketRoute$/;
const STARLETTE_MOUNT = /^starlette\.routing\.Mount$/;
const WEBSOCKET_TYPE = /^(fastapi|starlette\.websockets|fastapi\.websockets)\.WebSocket$/;
const SOCKETIO = /^(flask_socketio\.SocketIO|socketio\.(Server|AsyncServer)|socketio\.(server|async_server)\.(Server|AsyncServer))\.(on|event|on_event)$/;
const CHANNELS_CONSUMER = /^channels\.(generic\.websocket|consumer|generic\.http)\.\w*Consumer$/;
/** Channels middleware that only reads the session or checks the origin: they let anonymous users through. */
const NON_REJECTING = /^(channels\.auth\.AuthMiddlewareStack|channels\.sessions\.SessionMiddlewareStack|channels\.sessions\.CookieMiddleware|channels\.security\.websocket\.(AllowedHostsOriginValidator|OriginValidator)|channels\.auth\.AuthMiddleware)$/;

/** WebSocket endpoints of FastAPI/Starlette, Django Channels and Flask-SocketIO, each with its auth. */
export function websocketEndpoints(index: ProjectIndex): WebSocketEndpoint[] {
  const out = [...fastapiSockets(index), ...starletteSockets(index), ...channelsSockets(index), ...socketioHandlers(index)];
  const seen = new Set<string>();
  return out
    .filter((e) => {
      const key = `${e.framework} ${e.path} ${e.handler}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line || compareCodeUnits(a.path, b.path));
}

function fastapiSockets(index: ProjectIndex): WebSocketEndpoint[] {
  const out: WebSocketEndpoint[] = [];
  for (const fn of index.sortedFunctions()) {
    for (const d of fn.fact.decorators) {
      if (!d.qualified || !/\.(websocket|websocket_route)$/.test(d.name)) continue;
      const typed = index.resolve(d.qualified, fn.module);
      const takesSocket = fn.fact.params.some((p) => p.annotationQualified && WEBSOCKET_TYPE.test(index.resolve(p.annotationQualified, fn.module)));
      if (!FASTAPI_SOCKET.test(typed) && !takesSocket) continue;
      const owner = objectOf(index.resolveSymbol(d.qualified, fn.module));
      const path = stringValue(index, d.args.find((a) => a.name === "path") ?? d.args.find((a) => a.name === null), fn.module) ?? "";
      out.push(fastapiEndpoint(index, fn, owner, path, /^starlette/.test(typed) ? "starlette" : "fastapi"));
    }
  }
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!call.qualified || !/\.(add_websocket_route|add_api_websocket_route)$/.test(call.callee) || !ADD_SOCKET.test(index.resolve(call.qualified, mod.name))) continue;
      const handler = call.args.find((a) => a.name === "route" || a.name === "endpoint") ?? call.args.filter((a) => a.name === null)[1];
      const fn = handler?.qualified ? index.functions.get(index.resolve(handler.qualified, mod.name)) : undefined;
      if (!fn) continue;
      const path = stringValue(index, call.args.find((a) => a.name === "path") ?? call.args.filter((a) => a.name === null)[0], mod.name) ?? "";
      const endpoint = fastapiEndpoint(index, fn, objectOf(index.resolveSymbol(call.qualified, mod.name)), path, /^starlette/.test(index.resolve(call.qualified, mod.name)) ? "starlette" : "fastapi");
      out.push({ ...endpoint, file: mod.file, line: call.line });
    }
  }
  return out;
}

function fastapiEndpoint(index: ProjectIndex, fn: FunctionInfo, owner: string | null, path: string, framework: "fastapi" | "starlette"): WebSocketEndpoint {
  const router = owner ? routerInfo(index, owner) : { prefix: "", dependencies: [] };
  const decorated = decoratorAuth(index, fn);
  const auth = decorated ? { auth: true, reason: decorated } : fastapiSocketAuth(index, fn, router.dependencies);
  return { path: normalisePath(`${router.prefix}${path}`), handler: fn.id, file: fn.file, line: fn.fact.line, framework, auth: auth.auth, authReason: auth.reason };
}

/** A router's own `prefix=` and `dependencies=`, and the prefix it is included under (one level). */
function routerInfo(index: ProjectIndex, owner: string): { prefix: string; dependencies: string[] } {
  const symbol = index.symbol(owner);
  if (symbol?.kind !== "assignment") return { prefix: "", dependencies: [] };
  const args = symbol.fact.args ?? [];
  const own = stringValue(index, args.find((a) => a.name === "prefix"), symbol.module) ?? "";
  const dependencies = (args.find((a) => a.name === "dependencies")?.dependencies ?? []).flatMap((d) => (d.qualified ? [index.resolve(d.qualified, symbol.module)] : []));
  let included = "";
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!call.callee.endsWith(".include_router")) continue;
      const child = call.args.find((a) => a.name === "router") ?? call.args.find((a) => a.name === null);
      if (!child?.qualified || index.resolveSymbol(child.qualified, mod.name) !== owner) continue;
      included = stringValue(index, call.args.find((a) => a.name === "prefix"), mod.name) ?? "";
      for (const d of call.args.find((a) => a.name === "dependencies")?.dependencies ?? []) if (d.qualified) dependencies.push(index.resolve(d.qualified, mod.name));
      break;
    }
    if (included) break;
  }
  return { prefix: `${included}${own}`, dependencies };
}

/** Starlette `WebSocketRoute("/ws", endpoint)` in routing tables, under `Mount` prefixes; endpoints are functions or `WebSocketEndpoint` classes. */
function starletteSockets(index: ProjectIndex): WebSocketEndpoint[] {
  const out: WebSocketEndpoint[] = [];
  for (const mod of index.modules.values()) {
    const resolved = (call: CallFact) => (call.qualified ? index.resolve(call.qualified, mod.name).replace(/\(\)$/, "") : "");
    const mounts = mod.facts.calls.filter((c) => STARLETTE_MOUNT.test(resolved(c)));
    for (const call of mod.facts.calls) {
      if (!STARLETTE_ROUTE.test(resolved(call))) continue;
      const path = stringValue(index, call.args.find((a) => a.name === "path") ?? call.args.filter((a) => a.name === null)[0], mod.name);
      const endpoint = call.args.find((a) => a.name === "endpoint") ?? call.args.filter((a) => a.name === null)[1];
      if (path === null || !endpoint?.qualified) continue;
      const prefix = mounts
        .filter((m) => encloses(m, call))
        .sort((a, b) => a.line - b.line)
        .map((m) => stringValue(index, m.args.find((a) => a.name === "path") ?? m.args.find((a) => a.name === null), mod.name) ?? "")
        .join("");
      const target = index.resolve(endpoint.qualified, mod.name);
      const fn = index.functions.get(target);
      if (fn) {
        const decorated = decoratorAuth(index, fn);
        const auth = decorated ? { auth: true, reason: decorated } : fastapiSocketAuth(index, fn, []);
        out.push({ path: normalisePath(`${prefix}${path}`), handler: fn.id, file: mod.file, line: call.line, framework: "starlette", auth: auth.auth, authReason: auth.reason });
        continue;
      }
      const symbol = index.symbol(target);
      if (symbol?.kind !== "class") continue;
      const auth = classAuth(index, target, ["on_connect", "websocket_connect", "dispatch"]);
      out.push({ path: normalisePath(`${prefix}${path}`), handler: target, file: mod.file, line: call.line, framework: "starlette", auth: auth.auth, authReason: auth.reason });
    }
  }
  return out;
}

/**
 * Django Channels: `path("ws/x/", Consumer.as_asgi())` / `re_path(...)` entries naming a consumer class, and the
 * middleware around the `URLRouter` that serves them. `AuthMiddlewareStack` only loads `scope["user"]`: the consumer
 * must still refuse anonymous users (its `connect` closing or raising `DenyConnection` under a check of the user).
 */
function channelsSockets(index: ProjectIndex): WebSocketEndpoint[] {
  const out: WebSocketEndpoint[] = [];
  const wrappers = routerWrappers(index);
  for (const mod of index.modules.values()) {
    const calls = mod.facts.calls;
    for (const call of calls) {
      if (!/^(path|re_path|url)$|\.(path|re_path|url)$/.test(call.callee)) continue;
      const target = call.args.filter((a) => a.name === null)[1] ?? call.args.find((a) => a.name === "view");
      if (!target) continue;
      const consumerCall = calls.find((c) => /\.as_asgi$/.test(c.callee) && encloses(call, c));
      const qualified = consumerCall?.qualified ? index.resolve(consumerCall.qualified, mod.name).replace(/\.as_asgi$/, "") : target.qualified ? index.resolve(target.qualified, mod.name) : null;
      if (!qualified || !isConsumer(index, qualified)) continue;
      const path = stringValue(index, call.args.filter((a) => a.name === null)[0] ?? call.args.find((a) => a.name === "route"), mod.name) ?? "";
      const list = enclosingList(mod, call);
      const middleware = list ? (wrappers.get(list) ?? []) : [];
      const decided = classAuth(index, qualified, ["connect", "websocket_connect"]);
      const custom = middleware.find((m) => !NON_REJECTING.test(m.resolved));
      const stack = middleware.map((m) => m.name).join(" > ");
      let auth = decided;
      if (decided.auth === false && custom) auth = { auth: null, reason: `served behind ${custom.name}, which may authenticate connections; ${decided.reason}` };
      else if (decided.auth === false && stack) auth = { auth: false, reason: `${stack} loads the user but does not refuse anonymous connections, and ${decided.reason}` };
      else if (decided.auth === false && list) auth = { auth: false, reason: `${decided.reason}` };
      out.push({ path: normalisePath(path.replace(/^\^/, "").replace(/\$$/, "")), handler: qualified, file: mod.file, line: call.line, framework: "channels", auth: auth.auth, authReason: auth.reason });
    }
  }
  return out;
}

/** Whether a class is a Channels consumer: it extends one, through project base classes. */
function isConsumer(index: ProjectIndex, classId: string, depth = 0): boolean {
  const symbol = index.symbol(classId);
  if (symbol?.kind !== "class" || depth > 6) return CHANNELS_CONSUMER.test(classId);
  return symbol.fact.bases.some((b) => {
    const base = b.qualified ? index.resolve(b.qualified, symbol.module) : b.text;
    return CHANNELS_CONSUMER.test(base) || isConsumer(index, base, depth + 1);
  });
}

/** Auth of a class-based socket handler, from its connect method (own or inherited), else from any method refusing unidentified callers. */
function classAuth(index: ProjectIndex, classId: string, connectNames: string[]): { auth: boolean | null; reason: string } {
  const name = classId.slice(classId.lastIndexOf(".") + 1);
  for (const method of connectNames) {
    const fn = findMethod(index, classId, method);
    if (!fn) continue;
    const signal = socketAuthSignal(index, fn) ?? decoratorAuth(index, fn);
    if (signal) return { auth: true, reason: `${name}.${method} ${signal}` };
  }
  const methods = [...index.functions.values()].filter((f) => f.id.startsWith(`${classId}.`) && !connectNames.includes(f.fact.name));
  for (const fn of methods) {
    const signal = socketAuthSignal(index, fn);
    if (signal) return { auth: null, reason: `${name}.${fn.fact.name} ${signal}, but the connection itself is accepted without a check` };
  }
  return { auth: false, reason: `${name} accepts the connection without checking the user` };
}

function findMethod(index: ProjectIndex, classId: string, method: string, depth = 0): FunctionInfo | null {
  const own = index.functions.get(`${classId}.${method}`);
  if (own) return own;
  const symbol = index.symbol(classId);
  if (symbol?.kind !== "class" || depth > 6) return null;
  for (const b of symbol.fact.bases) {
    const found = b.qualified ? findMethod(index, index.resolve(b.qualified, symbol.module), method, depth + 1) : null;
    if (found) return found;
  }
  return null;
}

/** The module-level list a routing entry belongs to (`mod.websocket_urlpatterns`): the last list assignment at or before it. */
function enclosingList(mod: ModuleInfo, call: CallFact): string | null {
  if (call.enclosing) return null;
  const before = mod.facts.assignments.filter((a) => (a.kind === "list" || a.kind === "tuple") && a.line <= call.line).sort((a, b) => b.line - a.line)[0];
  const appended = mod.facts.calls.find((c) => /\.(append|extend)$/.test(c.callee) && encloses(c, call));
  if (appended) return `${mod.name}.${appended.callee.replace(/\.(append|extend)$/, "")}`;
  return before ? `${mod.name}.${before.target}` : null;
}

/** For each routing list served by a `URLRouter(list)`, the middleware calls wrapped around that router, outermost first. */
function routerWrappers(index: ProjectIndex): Map<string, Array<{ name: string; resolved: string }>> {
  const out = new Map<string, Array<{ name: string; resolved: string }>>();
  for (const mod of index.modules.values()) {
    for (const call of mod.facts.calls) {
      if (!call.qualified || !/^channels\.routing\.URLRouter$/.test(index.resolve(call.qualified, mod.name))) continue;
      const arg = call.args.find((a) => a.name === null || a.name === "routes");
      if (!arg?.qualified) continue;
      const list = index.resolveSymbol(arg.qualified, mod.name);
      const around = mod.facts.calls
        .filter((c) => encloses(c, call) && !/URLRouter$|ProtocolTypeRouter$|Adapter$|as_asgi$/.test(c.callee))
        .sort((a, b) => a.line - b.line || a.column - b.column)
        .map((c) => ({ name: c.callee, resolved: c.qualified ? index.resolve(c.qualified, mod.name) : c.callee }));
      out.set(list, around);
    }
  }
  return out;
}

/**
 * Flask-SocketIO and python-socketio event handlers (`@socketio.on("message")`, `@sio.event`). A `connect` handler
 * that refuses unidentified clients covers every handler of its namespace.
 */
function socketioHandlers(index: ProjectIndex): WebSocketEndpoint[] {
  const handlers: Array<{ fn: FunctionInfo; event: string; namespace: string }> = [];
  for (const fn of index.sortedFunctions()) {
    for (const d of fn.fact.decorators) {
      if (!d.qualified || !SOCKETIO.test(index.resolve(d.qualified, fn.module))) continue;
      const event = d.name.endsWith(".event") ? fn.fact.name : (stringValue(index, d.args.find((a) => a.name === null || a.name === "message"), fn.module) ?? fn.fact.name);
      const namespace = stringValue(index, d.args.find((a) => a.name === "namespace"), fn.module) ?? "/";
      handlers.push({ fn, event, namespace });
    }
  }
  const connectAuth = new Map<string, { auth: boolean | null; reason: string }>();
  for (const h of handlers) {
    if (h.event !== "connect") continue;
    const signal = decoratorAuth(index, h.fn) ?? socketAuthSignal(index, h.fn);
    if (signal) connectAuth.set(h.namespace, { auth: true, reason: `the ${h.namespace} connect handler ${h.fn.fact.name} ${signal}` });
    else if (earlyReturn(index, h.fn)) connectAuth.set(h.namespace, { auth: null, reason: `the ${h.namespace} connect handler ${h.fn.fact.name} returns early, possibly False to refuse the connection` });
  }
  return handlers.map(({ fn, event, namespace }) => {
    const own = decoratorAuth(index, fn) ?? socketAuthSignal(index, fn);
    const covering = connectAuth.get(namespace);
    const auth = own ? { auth: true, reason: `${fn.fact.name} ${own}` } : (covering ?? { auth: false, reason: `no connect handler of namespace ${namespace} refuses unauthenticated clients and ${fn.fact.name} does not check the caller` });
    return { path: event, handler: fn.id, file: fn.file, line: fn.fact.line, framework: "socketio", ...(namespace !== "/" ? { namespace } : {}), auth: auth.auth, authReason: auth.reason };
  });
}

/** A `return` before the function's last line: a connect handler's `if not current_user.is_authenticated: return False`. */
function earlyReturn(index: ProjectIndex, fn: FunctionInfo): boolean {
  const facts = index.modules.get(fn.module)?.facts;
  const returns = (facts?.flows ?? []).filter((f) => f.enclosing === fn.fact.qualname && f.targets.includes("return"));
  return returns.some((r) => r.line < fn.fact.endLine);
}

function stringValue(index: ProjectIndex, arg: { value?: unknown; qualified?: string } | undefined, module: string): string | null {
  if (typeof arg?.value === "string") return arg.value;
  if (arg?.qualified) {
    const value = index.constantValue(arg.qualified, module);
    if (typeof value === "string") return value;
  }
  return null;
}

function objectOf(qualified: string): string | null {
  const dot = qualified.lastIndexOf(".");
  return dot > 0 ? qualified.slice(0, dot) : null;
}

function encloses(outer: CallFact, inner: CallFact): boolean {
  if (outer === inner) return false;
  const starts = outer.line < inner.line || (outer.line === inner.line && outer.column < inner.column);
  return starts && inner.endLine <= outer.endLine;
}
