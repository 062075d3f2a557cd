import type { DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";

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
/** What code that checks credentials reads or calls, looked for in a call's callee, arguments and enclosing `if`. */
const CREDENTIAL =
  /authorization|request\.headers|headers\.get|current_user|verify_jwt|get_jwt|jwt|bearer|api[_-]?key|authenticat|login_required|token|g\.user|session\[\s*["']user/i;

export function markFromDecorator(index: ProjectIndex, decorator: DecoratorFact, module: string, via = "decorated with %s"): AuthMark {
  const optional = decorator.args.some((a) => a.name === "optional" && a.value === true) || OPTIONAL_TEXT.test(decorator.name);
  return { name: decorator.name, resolved: decorator.qualified ? index.resolveSymbol(decorator.qualified, module) : null, optional, via };
}

/** A mark from an element of `decorators = [login_required, jwt_required()]` written in `module`. */
export function markFromText(index: ProjectIndex, text: string, module: string, via: string): AuthMark {
  const name = /^\s*([A-Za-z_][\w.]*)/.exec(text)?.[1] ?? text.trim();
  return { name, resolved: qualifyName(index, module, name), optional: OPTIONAL_TEXT.test(text), via };
}

/** The absolute name a dotted name written in `module` stands for, through the module's own imports and definitions. */
export function qualifyName(index: ProjectIndex, module: string, dotted: string): string | null {
  const mod = index.modules.get(module);
  if (!mod) return null;
  const dot = dotted.indexOf(".");
  const head = dot < 0 ? dotted : dotted.slice(0, dot);
  const rest = dot < 0 ? "" : dotted.slice(dot);
  for (const imp of mod.facts.imports) {
    if (imp.insideFunction) continue;
    const base = imp.level > 0 ? index.absolutize(`${".".repeat(imp.level)}${imp.module}`, module) : imp.module;
    if (imp.names === null) {
      if (imp.alias === head) return index.resolveSymbol(`${base}${rest}`, module);
      if (!imp.alias && imp.module.split(".")[0] === head) return index.resolveSymbol(dotted, module);
      continue;
    }
    const bound = imp.names.find((n) => (n.alias ?? n.name) === head);
    if (bound) return index.resolveSymbol(`${base ? `${base}.` : ""}${bound.name}${rest}`, module);
  }
  return index.symbol(`${module}.${head}`) ? index.resolveSymbol(`#${dotted}`, module) : null;
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
  if (optional) return { auth: null, reason: `authentication is optional (${optional.name} with optional=True lets anonymous requests through)` };
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
 * What a function (its nested functions included, and the project functions it calls, two levels
 * down) reads that looks like a credential check: `request.headers.get("Authorization")`,
 * `verify_jwt_in_request()`, a call under `if not current_user.is_authenticated:`, `abort(401)`.
 */
export function credentialSignal(index: ProjectIndex, fn: FunctionInfo, depth = 0, seen = new Set<string>()): string | null {
  if (seen.has(fn.id)) return null;
  seen.add(fn.id);
  const calls = index.modules.get(fn.module)?.facts.calls ?? [];
  const own = fn.fact.qualname;
  for (const call of calls) {
    if (call.enclosing !== own && !call.enclosing?.startsWith(`${own}.`)) continue;
    const text = [call.callee, call.qualified ?? "", ...call.args.map((a) => a.text), call.guard ?? ""].join(" ");
    if (/csrf/i.test(text)) continue;
    const found = CREDENTIAL.exec(text);
    if (found) return `reads ${found[0]}`;
    const status = call.args[0]?.value;
    if (/(^|\.)abort$/.test(call.callee) && (status === 401 || status === 403)) return `abort(${status})`;
  }
  if (depth >= 2) return null;
  for (const edge of index.callGraph.get(fn.id) ?? []) {
    const target = index.functions.get(edge.target);
    const inner = target ? credentialSignal(index, target, depth + 1, seen) : null;
    if (inner) return `${edge.call.callee} ${inner}`;
  }
  return null;
}
