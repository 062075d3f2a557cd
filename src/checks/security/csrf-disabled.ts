import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { authDecorator, classView, decoratorNames, functionViewMethods, isDrf, lastSegment, viewMethods } from "../../model/endpoints/django-views.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { FunctionInfo, ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { deployedDjangoSettings, silencedChecks } from "./django-deployment.js";

const CSRF_EXEMPT = "django.views.decorators.csrf.csrf_exempt";
const CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware";
const SESSION_MIDDLEWARE = /^django\.contrib\.(sessions\.middleware\.SessionMiddleware|auth\.middleware\.AuthenticationMiddleware)$/;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Views for machine callers: webhooks, provider callbacks, notification endpoints. */
const MACHINE_VIEW = /webhook|hook$|callback|notify|notification|ipn|incoming|inbound|event(s)?_?(receiver|handler)?$|sns|twilio|stripe|paypal|slack|github|gitlab|bitbucket|telegram|mailgun|sendgrid|postmark/i;
/** A signature or token checked in the body: the caller is a machine that signs its requests. */
const SIGNATURE_CHECK = /compare_digest|constant_time_compare|construct_event|verify_webhook|validate_signature|verify_signature|check_signature|RequestValidator|(^|\.)hmac\.new$|verify_?(token|api_?key|request)|jwt\.decode|decode_token/i;
const LOGIN_MIXIN = /(LoginRequired|PermissionRequired|UserPassesTest|StaffuserRequired|SuperuserRequired|StaffRequired|AdminRequired)Mixin$/;
/** Decorators for token, API-key or signature authentication: clients that send no session cookie. */
const TOKEN_AUTH = /token|api_?key|jwt|bearer|signature|signed|hmac|basic_?auth|oauth|auth_header/i;
const USER_GUARD = /\brequest\.user\b.*\b(is_authenticated|is_anonymous|is_staff|is_superuser|has_perms?)\b|\bis_authenticated\b/;
const WRITE_CALL = /\.(save|delete|create|update|bulk_create|get_or_create|update_or_create|set_password)$/;
const FLASK_CSRF = /^(flask_wtf\.csrf\.CSRFProtect|flask_wtf\.CSRFProtect|flask_wtf\.csrf\.CsrfProtect|flask_seasurf\.SeaSurf|flask_wtf\.csrf\.CSRFProtect\.init_app)$/;
const FLASK_LOGIN = /^flask_login\.(LoginManager|login_user)$/;

/** What makes a view cookie-authenticated: a login decorator or mixin, or a check of `request.user` in its body. */
function sessionAuth(index: ProjectIndex, fns: FunctionInfo[], decorators: Array<{ names: string[]; text: string | null }>, mixins: string[]): string | null {
  // a decorator that checks a token, an API key or a signature (`@requires_auth_token`): the caller is a client that sends no cookie
  const decorator = decorators.find((d) => d.text && !TOKEN_AUTH.test(`${d.text} ${d.names.join(" ")}`));
  if (decorator?.text) return `@${decorator.text}`;
  const mixin = mixins.find((m) => LOGIN_MIXIN.test(m));
  if (mixin) return lastSegment(mixin);
  for (const fn of fns) {
    const hit = index.callsIn(fn.id).find(({ call }) => call.guard !== null && USER_GUARD.test(call.guard));
    if (hit) return `checks request.user (${fn.file}:${hit.call.line})`;
  }
  return null;
}

/** Whether a function view changes state: it takes only unsafe methods, or reads a form body, or writes. */
function changesState(index: ProjectIndex, fn: FunctionInfo): boolean {
  const { methods } = functionViewMethods(index, fn);
  if (methods) return methods.some((m) => UNSAFE.has(m));
  const facts = index.modules.get(fn.module)?.facts;
  const reads = (facts?.flows ?? []).filter((f) => f.enclosing === fn.fact.qualname).flatMap((f) => f.sources ?? []);
  if (reads.some((s) => /request\.(POST|body|FILES|data)\b/.test(s))) return true;
  return index.callsIn(fn.id).some(({ call }) => WRITE_CALL.test(call.callee) || (call.guard !== null && /request\.method\s*==\s*["'](POST|PUT|PATCH|DELETE)/.test(call.guard)) || call.args.some((a) => (a.sources ?? []).some((s) => /request\.(POST|body|FILES)\b/.test(s))));
}

function signed(index: ProjectIndex, fns: FunctionInfo[]): boolean {
  return fns.some((fn) => index.callsIn(fn.id).some(({ call, resolved }) => SIGNATURE_CHECK.test(call.callee) || SIGNATURE_CHECK.test(resolved ?? "")));
}

function djangoExemptViews(index: ProjectIndex): Report[] {
  const reports: Report[] = [];
  const isExempt = (names: string[]) => names.includes(CSRF_EXEMPT);
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file)) || !isServiceCode(mod.file)) continue;
    for (const f of mod.facts.functions) {
      const fn = index.functions.get(`${mod.name}.${f.qualname}`);
      if (!fn) continue;
      const decorators = f.decorators.map((d) => ({ d, names: decoratorNames(index, d, mod.name) }));
      const exempt = decorators.find((d) => isExempt(d.names));
      if (!exempt) continue;
      if (f.className) {
        // `@method_decorator(csrf_exempt)` on `dispatch` or a handler: reported with the class
        reportClass(index, mod, `${mod.name}.${f.className}`, exempt.d.line, reports);
        continue;
      }
      if (decorators.some((d) => d.names.some((n) => lastSegment(n) === "api_view")) || functionViewMethods(index, fn).drf) continue;
      if (MACHINE_VIEW.test(f.name) || signed(index, [fn])) continue;
      const auth = sessionAuth(index, [fn], decorators.map((d) => ({ names: d.names, text: authDecorator(index, d.d, mod.name) })), []);
      if (!auth || !changesState(index, fn)) continue;
      reports.push({
        message: `@csrf_exempt on ${f.name}, a state-changing view for logged-in users (${auth}): any web site the user visits can submit it with their session cookie.`,
        evidence: [{ file: mod.file, line: exempt.d.line, snippet: `@${exempt.d.name}` }],
      });
    }
    for (const c of mod.facts.classes) {
      const exempt = c.decorators.find((d) => isExempt(decoratorNames(index, d, mod.name)));
      if (exempt) reportClass(index, mod, `${mod.name}.${c.qualname}`, exempt.line, reports);
    }
  }
  return reports;
}

function reportClass(index: ProjectIndex, mod: ModuleInfo, classId: string, line: number, reports: Report[]): void {
  if (reports.some((r) => r.evidence[0]?.file === mod.file && r.message.includes(` ${lastSegment(classId)},`))) return;
  const view = classView(index, classId, { file: mod.file, line });
  // DRF views are csrf-exempt by design and enforce CSRF themselves under SessionAuthentication
  if (isDrf(view) || MACHINE_VIEW.test(lastSegment(classId))) return;
  const methods = viewMethods(index, view);
  const handlers = [...methods.values()].filter((fn): fn is FunctionInfo => fn !== null);
  const dispatch = index.functions.get(`${classId}.dispatch`);
  if (signed(index, dispatch ? [...handlers, dispatch] : handlers)) return;
  const unsafe = [...methods.keys()].filter((m) => UNSAFE.has(m));
  if (!unsafe.length) return;
  const classDecorators = view.chain.flatMap((c) => c.fact.decorators.map((d) => ({ names: decoratorNames(index, d, c.module), text: authDecorator(index, d, c.module) })));
  const auth = sessionAuth(index, dispatch ? [...handlers, dispatch] : handlers, classDecorators, [...view.chain.map((c) => c.id), ...view.external]);
  if (!auth) return;
  reports.push({
    message: `@csrf_exempt on ${lastSegment(classId)}, a view for logged-in users (${auth}) that accepts ${unsafe.join("/")}: any web site the user visits can submit it with their session cookie.`,
    evidence: [{ file: mod.file, line }],
  });
}

export default defineCheck({
  id: "SEC012",
  area: "security",
  title: "CSRF protection off",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A browser sends the session cookie with every request to the site, whichever page started it. Without a CSRF token check, any web page the user visits can post a form to a state-changing view (change the e-mail, transfer, delete) and the server takes it as the user's own request.",
  recommendation: "Keep `CsrfViewMiddleware` in Django's MIDDLEWARE and drop `@csrf_exempt` from views that use the session (send the token with `{% csrf_token %}` or the `X-CSRFToken` header from JavaScript); exempt only machine endpoints that verify a signature instead. In Flask, enable `CSRFProtect(app)` from Flask-WTF (it covers JSON and AJAX posts too) and keep `WTF_CSRF_ENABLED` on outside tests. APIs authenticated by bearer tokens rather than cookies do not need CSRF tokens.",
  example: { bad: '@csrf_exempt\n@login_required\ndef update_profile(request):\n    request.user.email = request.POST["email"]\n    request.user.save()', good: '@login_required\n@require_POST\ndef update_profile(request):  # CsrfViewMiddleware checks the token\n    ...' },
  references: ["https://docs.djangoproject.com/en/stable/ref/csrf/", "https://flask-wtf.readthedocs.io/en/stable/csrf/", "https://owasp.org/www-community/attacks/csrf", "https://cwe.mitre.org/data/definitions/352.html"],
  effort: "S",
  libraries: ["flask-wtf", "django"],
  cwe: "CWE-352",
  owasp: "A01:2021",
  run({ model, index }) {
    const reports = djangoExemptViews(index);
    for (const s of deployedDjangoSettings(model, index)) {
      const middleware = s.assignments("MIDDLEWARE");
      const last = middleware[middleware.length - 1];
      if (!last || s.dynamic || !middleware.every((m) => m.fact.kind === "list" || m.fact.kind === "tuple")) continue;
      const items = middleware.flatMap((m) => m.fact.items ?? []);
      if (!items.some((i) => SESSION_MIDDLEWARE.test(i)) || silencedChecks(s).has("security.W003")) continue;
      // a project middleware of its own (`bugsink.middleware.CsrfViewMiddleware`) replaces Django's
      if (items.some((i) => /csrf/i.test(i) && i !== CSRF_MIDDLEWARE)) continue;
      const removed = s.calls.find(({ call }) => /^MIDDLEWARE\.remove$/.test(call.callee) && call.guard === null && call.args.some((a) => a.value === CSRF_MIDDLEWARE));
      if (s.mentions(CSRF_MIDDLEWARE) && !removed) continue;
      const evidence: Evidence = removed ? { file: removed.mod.file, line: removed.call.line, snippet: removed.call.snippet } : { file: last.mod.file, line: last.fact.line, snippet: "MIDDLEWARE = [...]" };
      reports.push({ message: `CsrfViewMiddleware is ${removed ? "removed from" : "missing from"} MIDDLEWARE in ${s.module.name} (${s.reason}) while SessionMiddleware/AuthenticationMiddleware log users in with a cookie: no view checks a CSRF token.`, evidence: [evidence] });
    }
    reports.push(...flaskReports(model, index));
    return reports;
  },
});

function flaskReports(model: SystemModel, index: ProjectIndex): Report[] {
  const reports: Report[] = [];
  let login: Evidence | null = null;
  let protectedBy = false;
  let flaskForm = false;
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : call.callee;
      if (FLASK_CSRF.test(resolved) || /^flask_wtf\.csrf\./.test(resolved)) protectedBy = true;
      if (FLASK_LOGIN.test(resolved) && isServiceCode(mod.file)) login ??= { file: mod.file, line: call.line, snippet: call.snippet };
      const disabled = call.args.find((a) => a.name === "WTF_CSRF_ENABLED" && a.value === false);
      // the same call switching TESTING on configures a test app (`app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)`)
      const forTests = call.args.some((a) => a.name === "TESTING" && a.value === true);
      if (disabled && !forTests && !/test|dev|local/i.test(`${mod.file} ${call.enclosing ?? ""}`)) reports.push({ message: `${call.callee}(WTF_CSRF_ENABLED=False) turns Flask-WTF's CSRF check off outside tests.`, evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }] });
    }
    // a CSRF check of the project's own (CTFd's `csrf()` before_request comparing a session nonce)
    if (mod.facts.functions.some((f) => /csrf/i.test(f.name) && !/exempt/i.test(f.name)) && isServiceCode(mod.file)) protectedBy = true;
    for (const c of mod.facts.classes) {
      if (c.bases.some((b) => /^flask_wtf\.(FlaskForm|Form)$/.test(b.qualified ? index.resolve(b.qualified, mod.name) : b.text))) flaskForm = true;
      const off = c.assignments.find((a) => /^(WTF_)?CSRF_ENABLED$/.test(a.target) && a.value === false);
      if (off && !/test|dev|local/i.test(c.name) && runsInProduction(fileRole(mod.file))) reports.push({ message: `${off.target} = False in ${c.name}, a configuration class not named for tests or development: Flask-WTF forms accept posts without a CSRF token.`, evidence: [{ file: mod.file, line: off.line, snippet: `${off.target} = False` }] });
    }
    // `app.config["WTF_CSRF_ENABLED"] = False`, `app.config.WTF_CSRF_ENABLED = False`, `config_object.WTF_CSRF_ENABLED = False`
    for (const st of mod.facts.switchStores ?? []) {
      if (st.key !== "WTF_CSRF_ENABLED" || st.value !== false || !isServiceCode(mod.file)) continue;
      const testing = (mod.facts.switchStores ?? []).some((o) => o.key === "TESTING" && o.value === true && o.target === st.target);
      if (testing || /test|dev|local/i.test(mod.file)) continue;
      reports.push({ message: `${st.target}.${st.key} = False: Flask-WTF forms accept posts without a CSRF token.`, evidence: [{ file: mod.file, line: st.line, snippet: `${st.target}.${st.key} = False` }] });
    }
    for (const a of mod.facts.assignments) {
      if (/^(WTF_)?CSRF_ENABLED$/.test(a.target) && a.value === false && isServiceCode(mod.file)) reports.push({ message: `${a.target} = False in ${mod.name}: Flask-WTF forms accept posts without a CSRF token.`, evidence: [{ file: mod.file, line: a.line, snippet: `${a.target} = False` }] });
    }
  }
  if (!login || protectedBy) return reports;
  const writes = model.endpoints.filter((e) => (e.framework === "flask" || e.framework === "quart") && UNSAFE.has(e.method) && runsInProduction(fileRole(e.file)));
  if (!writes.length) return reports;
  const example = writes[0];
  reports.push({
    message: `Flask-Login keeps users logged in with a session cookie and ${writes.length} route${writes.length === 1 ? "" : "s"} accept${writes.length === 1 ? "s" : ""} POST/PUT/PATCH/DELETE (such as ${example?.method} ${example?.path}), but CSRFProtect is not enabled${flaskForm ? "; FlaskForm checks a token only in the views that validate a form, not JSON or AJAX posts" : ""}.`,
    evidence: [login, ...(example ? [{ file: example.file, line: example.line }] : [])],
    ...(flaskForm ? { severity: "low" as const, confidence: "low" as const } : {}),
  });
  return reports;
}
