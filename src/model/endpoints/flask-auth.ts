import type { DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { qualifyName } from "./argument-values.js";

/** Something wrapped around a Flask view that may authenticate it: a decorator, or an entry of `decorators = [...]`. */
export interface AuthMark {
  /** Callee as written: `login_required`, `auth.login_required`, `jwt_required`. */
  name: string;
  /** Absolute name when the module's imports or definitions tell (`flask_login.login_required`, `app.auth.admin_only`). */
  resolved: string | null;
  /** `jwt_required(optional=True)`, `auth.login_required(optional=True)`: anonymous requests get through. */
  optional: boolean;
  /** How the mark covers the view, `%s` standing for the name (`decorated with %s`). */
  via: string;
}

export interface AuthDecision {
  auth: boolean | null;
  reason: string;
}

/**
 * Decorator names that guard a view: flask_login, flask_jwt_extended, Flask-HTTPAuth, Flask-Security,
 * Flask-Principal (`admin_permission.require`), Authlib (`require_oauth`), APIFlask (`auth_required`),
 * and project decorators named the same way (`token_required`, `admin_only` is not: see `credentialSignal`).
 */
const AUTH_DECORATOR =
  /(login_required|auth_required|jwt_required|jwt_optional|token_required|requires?_?(auth|login|user|admin|roles?|scopes?|permissions?|token|api_?key|oauth|jwt)|roles?_(required|accepted)|permissions?_(required|accepted)|permission|admin_required|staff_required|superuser|authenticat|authori[sz]|api_?key|oauth|basic_auth|http_auth|verify_?(token|jwt|api_?key|key|user|auth)|current_?user)|(^|\.)require$/i;
const OPTIONAL_TEXT = /\boptional\s*=\s*True\b|jwt_optional|login_optional/;
/** Calls that check credentials whatever surrounds them. */
const CHECKING_CALL = /verify_jwt|jwt_required|get_jwt|decode_token|jwt\.decode|verify_?(token|auth|api_?key|key|signature|password|credentials)|authenticate|check_?auth|login_required|validate_?token/i;
/** Arguments of a header or attribute read that carry credentials (`request.headers.get("Authorization")`). */
const CREDENTIAL_ARG = /authorization|bearer|token|api[_-]?key|x-api|request\.authorization/i;
/** An `if` condition about the caller's identity (`not current_user.is_authenticated`, `"user_id" not in session`). */
const IDENTITY_GUARD = /auth|token|jwt|bearer|api[_-]?key|current_user|g\.user|user_id|logged_in|session/i;
/** Calls that turn a request away. */
const REJECTION = /(^|\.)(abort|redirect|unauthorized|forbidden|make_response|jsonify|Response|Unauthorized|Forbidden|error_response)$/;

export function markFromDecorator(index: ProjectIndex, decorator: DecoratorFact, module: string, via = "decorated with %s"): AuthMark {
  const optionalArg = decorator.args.some((a) => a.name === "optional" && a.value === true);
  const optional = optionalArg || OPTIONAL_TEXT.test(decorator.name);
  return { name: optionalArg ? `${decorator.name}(optional=True)` : decorator.name, resolved: decorator.qualified ? index.resolveSymbol(decorator.qualified, module) : null, optional, via };
}

/** A mark from an element of `decorators = [login_required, jwt_required()]` written in `module`. */
export function markFromText(index: ProjectIndex, text: string, module: string, via: string): AuthMark {
  const name = /^\s*([A-Za-z_][\w.]*)/.exec(text)?.[1] ?? text.trim();
  const optional = OPTIONAL_TEXT.test(text);
  return { name: optional ? text.trim() : name, resolved: qualifyName(index, module, name), optional, via };
}

/** The first mark that authenticates, or null when none does. */
export function authFromMarks(index: ProjectIndex, marks: AuthMark[]): AuthDecision | null {
  let optional: AuthMark | null = null;
  for (const mark of marks) {
    const hit = authHit(index, mark);
    if (!hit) continue;
    if (!mark.optional) return { auth: true, reason: hit };
    optional ??= mark;
  }
  if (optional) return { auth: null, reason: `authentication is optional (${optional.name} lets anonymous requests through)` };
  return null;
}

/** Whether a mark names an authentication decorator (as written or as resolved), or a project decorator that checks credentials. */
export function authHit(index: ProjectIndex, mark: AuthMark): string | null {
  const short = mark.resolved ? mark.resolved.slice(mark.resolved.lastIndexOf(".") + 1) : "";
  if (AUTH_DECORATOR.test(mark.name) || (short && AUTH_DECORATOR.test(short))) return mark.via.replace("%s", mark.name);
  const fn = mark.resolved ? index.functions.get(mark.resolved) : undefined;
  const signal = fn ? credentialSignal(index, fn) : null;
  return signal ? `${mark.via.replace("%s", mark.name)}, which checks credentials (${signal})` : null;
}

/**
 * How a function (its nested functions included, and the project functions it calls, two levels
 * down) checks credentials: a checking call (`verify_jwt_in_request()`), a credential read
 * (`request.headers.get("Authorization")`), `abort(401)`, or a request turned away under an
 * identity condition (`if not current_user.is_authenticated: return redirect(...)`). Merely
 * reading the user (`if current_user.is_authenticated: current_user.ping()`) is not a check.
 */
export function credentialSignal(index: ProjectIndex, fn: FunctionInfo): string | null {
  const cache = signals.get(index) ?? new Map<string, string | null>();
  signals.set(index, cache);
  if (!cache.has(fn.id)) cache.set(fn.id, signalIn(index, fn, 0, new Set()));
  return cache.get(fn.id) ?? null;
}

/** Signals already computed, per index: every route's project decorators ask again. */
const signals = new WeakMap<ProjectIndex, Map<string, string | null>>();

function signalIn(index: ProjectIndex, fn: FunctionInfo, depth: number, seen: Set<string>): string | null {
  if (seen.has(fn.id)) return null;
  seen.add(fn.id);
  const calls = index.modules.get(fn.module)?.facts.calls ?? [];
  const own = fn.fact.qualname;
  for (const call of calls) {
    if (call.enclosing !== own && !call.enclosing?.startsWith(`${own}.`)) continue;
    const callee = `${call.callee} ${call.qualified ?? ""}`;
    if (/csrf/i.test(callee)) continue;
    if (CHECKING_CALL.test(callee)) return `calls ${call.callee}`;
    const args = call.args.map((a) => a.text).join(" ");
    if ((/headers|authorization/i.test(callee) || /request\.(headers|authorization)/.test(args)) && CREDENTIAL_ARG.test(args)) return `reads ${CREDENTIAL_ARG.exec(args)?.[0]}`;
    const status = call.args[0]?.value;
    if (/(^|\.)abort$/.test(call.callee) && (status === 401 || status === 403)) return `abort(${status})`;
    if (REJECTION.test(call.callee) && call.guard && IDENTITY_GUARD.test(call.guard) && !/csrf/i.test(call.guard)) return `${call.callee} under if ${call.guard}`;
  }
  if (depth >= 2) return null;
  for (const edge of index.callGraph.get(fn.id) ?? []) {
    const target = index.functions.get(edge.target);
    const inner = target ? signalIn(index, target, depth + 1, seen) : null;
    if (inner) return `${edge.call.callee} ${inner}`;
  }
  return null;
}
