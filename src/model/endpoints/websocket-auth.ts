import type { CallFact, DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { credentialSignal } from "./auth-behaviour.js";
import { parameterDependencies } from "./fastapi.js";

/** Calls that refuse or end a socket: `websocket.close(...)`, `self.close()`, Flask-SocketIO `disconnect()`. */
const CLOSE = /(^|\.)(close|disconnect|reject)$/;
/** Close codes that mean "not allowed": 1008 policy violation and the HTTP-like 4401/4403 (4001/4003 are as often protocol errors). */
const DENIED_CODE = /\b(1008|4401|4403)\b|WS_1008_POLICY_VIOLATION|POLICY_VIOLATION/;
/** A condition about who is connecting. */
const IDENTITY = /auth|token|jwt|bearer|api[_-]?key|current_user|user\b|is_anonymous|is_authenticated|session|secret|signature|ticket|permission|credential/i;
/** Exceptions a socket handler raises to refuse a connection. */
const REFUSAL = /(^|\.)(DenyConnection|ConnectionRefusedError|WebSocketException|WsException|RequestDenied|StopConsumer)\b/;
/** Helpers that authorise a socket by name, where their code is out of reach (`WebsocketSecretAuthHelper.is_authorized(scope)`). */
const AUTH_CALL = /(^|\.)(is_authori[sz]ed|authori[sz]e\w*|authenticate\w*|verify_\w+|validate_?(token|jwt|ticket|session|auth)\w*|check_?(token|auth|permission|credentials?)\w*|decode_?(token|jwt)\w*|get_current_user\w*|get_user_from_token|user_from_token)$/i;

/**
 * Whether a socket handler (or the project functions it calls, two levels down) turns away callers it
 * cannot identify: closes or refuses under a condition about the caller, closes with a policy-violation
 * code, raises `DenyConnection`/`ConnectionRefusedError`, or checks credentials as an HTTP handler would.
 */
export function socketAuthSignal(index: ProjectIndex, fn: FunctionInfo, depth = 0, seen = new Set<string>()): string | null {
  if (seen.has(fn.id) || depth > 2) return null;
  seen.add(fn.id);
  const facts = index.modules.get(fn.module)?.facts;
  const own = fn.fact.qualname;
  const inside = (enclosing: string | null) => enclosing === own || (enclosing?.startsWith(`${own}.`) ?? false);
  for (const call of facts?.calls ?? []) {
    if (!inside(call.enclosing)) continue;
    const refusal = refusingCall(call);
    if (refusal) return refusal;
    if (AUTH_CALL.test(call.callee)) return `calls ${call.callee}`;
  }
  for (const raise of facts?.raises ?? []) {
    if (!inside(raise.enclosing)) continue;
    if (REFUSAL.test(raise.text.split("(")[0] ?? "")) return `raises ${raise.text.split("(")[0]}${raise.guard ? ` under if ${raise.guard}` : ""}`;
  }
  const http = credentialSignal(index, fn);
  if (http) return http;
  for (const edge of index.callGraph.get(fn.id) ?? []) {
    const target = index.functions.get(edge.target);
    const inner = target ? socketAuthSignal(index, target, depth + 1, seen) : null;
    if (inner) return `${edge.call.callee} ${inner}`;
  }
  return null;
}

function refusingCall(call: CallFact): string | null {
  if (!CLOSE.test(call.callee)) return null;
  if (call.guard && IDENTITY.test(call.guard) && !/csrf|xrf/i.test(call.guard)) return `${call.callee}() under if ${call.guard}`;
  const code = call.args.find((a) => a.name === "code" || a.name === null);
  if (code && DENIED_CODE.test(code.text)) return `${call.callee}(${code.text})`;
  return null;
}

/**
 * Auth of a FastAPI websocket handler: a dependency (its parameters' or the router's `dependencies=`) whose code
 * authenticates, or the handler's own refusal of unidentified callers.
 */
export function fastapiSocketAuth(index: ProjectIndex, fn: FunctionInfo, routerDependencies: string[]): { auth: boolean | null; reason: string } {
  const deps = [...routerDependencies.map((q) => ({ qualified: q, label: q.slice(q.lastIndexOf(".") + 1), via: "router dependency" })), ...parameterDependencies(index, fn).map((d) => ({ qualified: d.qualified ? index.resolve(d.qualified, fn.module) : null, label: d.target ?? "Depends()", via: "dependency", security: d.kind === "Security" }))];
  let named: string | null = null;
  for (const dep of deps) {
    if ("security" in dep && dep.security) return { auth: true, reason: `depends on Security(${dep.label})` };
    const target = dep.qualified ? index.functions.get(dep.qualified.replace(/\(\)$/, "")) : undefined;
    const signal = target ? socketAuthSignal(index, target) : null;
    if (signal) return { auth: true, reason: `${dep.via} ${dep.label} ${signal}` };
    if (/user|auth|token|permission|principal|session/i.test(dep.label)) named ??= dep.label;
  }
  const own = socketAuthSignal(index, fn);
  if (own) return { auth: true, reason: `the handler ${own}` };
  if (named) return { auth: null, reason: `depends on ${named}, named like authentication, but its check could not be followed` };
  const credential = fn.fact.params.find((p) => /token|api_?key|ticket|session|authorization|secret/i.test(p.name));
  if (credential) return { auth: null, reason: `takes a ${credential.name} parameter, but no check of it was found` };
  return { auth: false, reason: deps.length ? "no dependency of the route checks credentials and the handler accepts every caller" : "no authentication dependency and the handler accepts every caller" };
}

/** Decorators that guard a handler: `@login_required`, `@authenticated_only` (a project wrapper refusing anonymous callers), Starlette `@requires(...)`. */
export function decoratorAuth(index: ProjectIndex, fn: FunctionInfo): string | null {
  for (const d of fn.fact.decorators) {
    const resolved = d.qualified ? index.resolve(d.qualified, fn.module) : d.name;
    if (/^starlette\.authentication\.requires$|^flask_login\.(utils\.)?login_required$|^flask_jwt_extended\.(view_decorators\.)?jwt_required$|^channels\.auth\.login$/.test(resolved)) return `decorated with ${decoratorText(d)}`;
    const target = index.functions.get(resolved.replace(/\(\)$/, ""));
    const signal = target ? socketAuthSignal(index, target) : null;
    if (signal) return `decorated with ${decoratorText(d)}, which ${signal}`;
  }
  return null;
}

function decoratorText(d: DecoratorFact): string {
  return d.args.length ? `${d.name}(${d.args.map((a) => a.text).join(", ")})` : d.name;
}
