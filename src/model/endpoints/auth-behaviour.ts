import type { CallFact, RaiseFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";

/**
 * Whether a function enforces authentication, decided by what its code does, never by its name:
 * it checks credentials (`jwt.decode`, `verify_jwt_in_request()`, reads the `Authorization`
 * header), rejects with 401/403 (`abort(401)`, `raise HTTPException(status_code=403)`,
 * `raise PermissionDenied`), or turns the request away under a condition about the caller
 * (`if not request.user.is_authenticated: return redirect_to_login(...)`). Nested functions
 * (a decorator's wrapper) count, and so do the project functions it calls, two levels down.
 * Merely reading the user (`if current_user.is_authenticated: current_user.ping()`) is not a check.
 */
export function credentialSignal(index: ProjectIndex, fn: FunctionInfo): string | null {
  const cache = signals.get(index) ?? new Map<string, string | null>();
  signals.set(index, cache);
  if (!cache.has(fn.id)) cache.set(fn.id, signalIn(index, fn, 0, new Set()));
  return cache.get(fn.id) ?? null;
}

/**
 * Whether a handler verifies its caller in its own body (a webhook's signature, a token it decodes,
 * an `Authorization` header it reads). Unlike `credentialSignal`, refusing with 401 is not enough:
 * a login handler does that on a wrong password.
 */
export function verifiesCaller(index: ProjectIndex, fn: FunctionInfo): string | null {
  // `x_slack_signature: str = Header()`: the handler receives its caller's signature or token
  const credential = fn.fact.params.find((p) => /signature|token|api_?key|authorization|secret/i.test(p.name) && /Header\(/.test(`${p.annotation ?? ""} ${p.default ?? ""}`));
  if (credential) return `takes the ${credential.name} header`;
  const facts = index.modules.get(fn.module)?.facts;
  for (const call of facts?.calls ?? []) {
    if (call.enclosing !== fn.fact.qualname) continue;
    if (CHECKING_CALL.test(call.callee) || (call.qualified && CHECKING_CALL.test(call.qualified))) return `calls ${call.callee}`;
    const args = call.args.map((a) => a.text).join(" ");
    if ((/headers|authorization/i.test(call.callee) || /request\.(headers|authorization)/.test(args)) && CREDENTIAL_ARG.test(args)) return `reads ${CREDENTIAL_ARG.exec(args)?.[0]}`;
  }
  return null;
}

/** Signals already computed, per index: every route's dependencies and decorators ask again. */
const signals = new WeakMap<ProjectIndex, Map<string, string | null>>();

/** Calls that check credentials whatever surrounds them (library verifiers and token decoders). */
const CHECKING_CALL = /verify_jwt|jwt_required|get_jwt|decode_token|jwt\.decode|verify_?(token|auth|api_?key|key|signature|credentials)|verify_id_token|verify_oauth2_token|authenticate|check_?auth|login_required|validate_?token|redirect_to_login|check_permissions|check_object_permissions|(^|\.)has_perms?$|compare_digest|constant_time_compare|(^|\.)unsign(_object)?$|construct_event|verify_webhook|validate_signature|verify_signature|check_signature|RequestValidator/i;
/** Arguments of a header or attribute read that carry credentials (`request.headers.get("Authorization")`). */
const CREDENTIAL_ARG = /authorization|bearer|token|api[_-]?key|x-api|request\.authorization/i;
/** A condition about the caller's identity (`not current_user.is_authenticated`, `"user_id" not in session`, `not user.is_superuser`). */
const IDENTITY_GUARD = /auth|token|jwt|bearer|api[_-]?key|current_user|g\.user|user_id|logged_in|session|is_staff|is_superuser|is_admin|\.admin\b|has_perms?|has_permission|is_anonymous|\.user\b|principal|scopes?\b|roles?\b|permissions?\b/i;
/** Calls that turn a request away. */
const REJECTION = /(^|\.)(abort|redirect|unauthorized|forbidden|make_response|jsonify|Response|JSONResponse|JsonResponse|Unauthorized|Forbidden|error_response|HttpResponseForbidden|HttpResponseRedirect|HttpResponse|redirect_to_login|HttpResponseNotFound|Http404)$/;
/** Exceptions that mean "not authenticated" or "not allowed", whatever library defines them. */
const AUTH_EXCEPTION = /(^|\.)(PermissionDenied|NotAuthenticated|AuthenticationFailed|AuthenticationError|Unauthori[sz]ed\w*|Unauthenticated\w*|Forbidden\w*|AccessDenied\w*|NotAuthori[sz]ed\w*|NotPermitted\w*|InvalidToken\w*|InvalidCredentials\w*|Permission\w*Error|Auth\w*(Error|Exception)|CredentialsException)$/;
/** A 401 or 403 status written as a number or a named constant. */
const DENIED_STATUS = /\b(401|403)\b|HTTP_40[13]_|\bUNAUTHORI[SZ]ED\b|\bFORBIDDEN\b/;

function signalIn(index: ProjectIndex, fn: FunctionInfo, depth: number, seen: Set<string>): string | null {
  if (seen.has(fn.id)) return null;
  seen.add(fn.id);
  const facts = index.modules.get(fn.module)?.facts;
  const own = fn.fact.qualname;
  const inside = (enclosing: string | null) => enclosing === own || (enclosing?.startsWith(`${own}.`) ?? false);
  let guarded = false;
  let rejects: string | null = null;
  for (const call of facts?.calls ?? []) {
    if (!inside(call.enclosing)) continue;
    const callee = `${call.callee} ${call.qualified ?? ""}`;
    if (/csrf/i.test(callee)) continue;
    if (CHECKING_CALL.test(call.callee) || (call.qualified && CHECKING_CALL.test(call.qualified))) return `calls ${call.callee}`;
    const args = call.args.map((a) => a.text).join(" ");
    if ((/headers|authorization/i.test(callee) || /request\.(headers|authorization)/.test(args)) && CREDENTIAL_ARG.test(args)) return `reads ${CREDENTIAL_ARG.exec(args)?.[0]}`;
    const denial = deniedStatus(call);
    if (denial) return denial;
    const identity = call.guard !== null && IDENTITY_GUARD.test(call.guard) && !/csrf/i.test(call.guard);
    if (REJECTION.test(call.callee) && identity) return `${call.callee} under if ${call.guard}`;
    if (identity) guarded = true;
    if (REJECTION.test(call.callee)) rejects ??= call.callee;
  }
  for (const raise of facts?.raises ?? []) {
    if (!inside(raise.enclosing)) continue;
    const raised = raisedAuthError(index, raise, fn.module);
    if (raised) return `raises ${raised}`;
    if (raise.guard && IDENTITY_GUARD.test(raise.guard) && !/csrf/i.test(raise.guard)) return `raise ${raise.text.split("(")[0]} under if ${raise.guard}`;
    rejects ??= `raise ${raise.text.split("(")[0]}`;
  }
  // `if request.user.is_authenticated: return view(...)` followed by `return redirect(...)`
  if (guarded && rejects) return `checks the caller and otherwise ${rejects}`;
  if (depth >= 2) return null;
  for (const edge of index.callGraph.get(fn.id) ?? []) {
    const target = index.functions.get(edge.target);
    const inner = target ? signalIn(index, target, depth + 1, seen) : null;
    if (inner) return `${edge.call.callee} ${inner}`;
  }
  // calls made by nested functions (a decorator's wrapper) to project functions
  for (const other of facts?.calls ?? []) {
    if (other.enclosing === own || !inside(other.enclosing) || !other.qualified) continue;
    const target = index.functions.get(index.resolve(other.qualified, fn.module));
    const inner = target ? signalIn(index, target, depth + 1, seen) : null;
    if (inner) return `${other.callee} ${inner}`;
  }
  return null;
}

/** `abort(401)`, `HTTPException(status_code=403)`, `JSONResponse(status_code=401)`: a request refused for want of credentials. */
function deniedStatus(call: CallFact): string | null {
  const status = call.args.find((a) => a.name === "status_code" || a.name === "status" || a.name === "code") ?? call.args[0];
  if (!status || !DENIED_STATUS.test(status.text)) return null;
  if (/(^|\.)abort$/.test(call.callee) || /(Exception|Error|Response)$/.test(call.callee)) return `refuses with ${call.callee}(${status.text})`;
  return null;
}

/** What a `raise` raises, when it is an authentication or permission error (by library class, status, or a project exception built on one). */
function raisedAuthError(index: ProjectIndex, raise: RaiseFact, module: string): string | null {
  const head = raise.text.split("(")[0]?.trim() ?? raise.text;
  if (AUTH_EXCEPTION.test(head)) return head;
  const call = /\(([\s\S]*)\)/.exec(raise.text)?.[1] ?? "";
  if (call && DENIED_STATUS.test(call)) return `${head}(${call.trim().slice(0, 60)})`;
  if (!raise.qualified) return null;
  const resolved = index.resolve(raise.qualified, module);
  if (AUTH_EXCEPTION.test(resolved)) return head;
  const symbol = index.symbol(resolved);
  // `credentials_exception = HTTPException(status_code=401, ...)` at module level, raised by name
  if (symbol?.kind === "assignment" && symbol.fact.kind === "call" && symbol.fact.args?.some((a) => DENIED_STATUS.test(a.text))) return `${head} (${symbol.file}:${symbol.fact.line})`;
  if (symbol?.kind === "class") return projectAuthException(index, resolved, 0) ? head : null;
  return null;
}

/** A project exception class built on an authentication error, or declaring a 401/403 status. */
function projectAuthException(index: ProjectIndex, classId: string, depth: number): boolean {
  const symbol = index.symbol(classId);
  if (symbol?.kind !== "class" || depth > 6) return AUTH_EXCEPTION.test(classId);
  if (symbol.fact.assignments.some((a) => /^(status_code|status|code|http_status)$/.test(a.target) && DENIED_STATUS.test(a.text))) return true;
  return symbol.fact.bases.some((b) => {
    const base = b.qualified ? index.resolve(b.qualified, symbol.module) : b.text;
    return AUTH_EXCEPTION.test(base) || projectAuthException(index, base, depth + 1);
  });
}
