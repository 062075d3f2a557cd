import type { DecoratorFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { qualifyName } from "./argument-values.js";
import { credentialSignal } from "./auth-behaviour.js";

export { credentialSignal };

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

/** The first mark that authenticates, or null when none does; a project decorator only named like authentication leaves the route undecided. */
export function authFromMarks(index: ProjectIndex, marks: AuthMark[]): AuthDecision | null {
  let optional: AuthMark | null = null;
  let named: AuthMark | null = null;
  for (const mark of marks) {
    const hit = authHit(index, mark);
    if (!hit) {
      if (namedOnly(index, mark)) named ??= mark;
      continue;
    }
    if (!mark.optional) return { auth: true, reason: hit };
    optional ??= mark;
  }
  if (optional) return { auth: null, reason: `authentication is optional (${optional.name} lets anonymous requests through)` };
  if (named) return { auth: null, reason: `${named.via.replace("%s", named.name)}, which is named like authentication but whose code shows no check` };
  return null;
}

/**
 * Whether a mark authenticates: a project decorator by what its code does (see `credentialSignal`),
 * a library decorator (flask_login, flask_jwt_extended, Flask-HTTPAuth, ...) by its name.
 */
export function authHit(index: ProjectIndex, mark: AuthMark): string | null {
  const fn = mark.resolved ? index.functions.get(mark.resolved) : undefined;
  if (fn) {
    const signal = credentialSignal(index, fn);
    return signal ? `${mark.via.replace("%s", mark.name)}, which checks credentials (${signal})` : null;
  }
  const short = mark.resolved ? mark.resolved.slice(mark.resolved.lastIndexOf(".") + 1) : "";
  if (AUTH_DECORATOR.test(mark.name) || (short && AUTH_DECORATOR.test(short))) return mark.via.replace("%s", mark.name);
  return null;
}

/** A project decorator named like authentication whose code shows no check. */
function namedOnly(index: ProjectIndex, mark: AuthMark): boolean {
  const short = mark.resolved ? mark.resolved.slice(mark.resolved.lastIndexOf(".") + 1) : "";
  return mark.resolved !== null && index.functions.has(mark.resolved) && (AUTH_DECORATOR.test(mark.name) || AUTH_DECORATOR.test(short));
}
