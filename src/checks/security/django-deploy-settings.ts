import type { Evidence } from "../../model/types.js";
import type { AssignmentFact } from "../../python/facts.js";
import { productionSignal } from "../database/production-signals.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { type DeployedSettings, deployedDjangoSettings, runsDeployCheck, settingText, silencedChecks } from "./django-deployment.js";

const SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware";

/** A setting switched on unless the value is a literal False, 0, None or an empty string. */
const off = (a: AssignmentFact) => a.value === false || a.value === 0 || a.value === null || a.value === "" || a.text === "0";

interface Gap {
  /** The `security.W0xx` warning of `check --deploy`. */
  code: string;
  text: string;
  evidence: Evidence;
}

/** Settings that `check --deploy` wants on and Django leaves off by default (W008, W012, W016, W004). */
const WANTED_ON: Array<{ name: string; code: string; why: string }> = [
  { name: "SECURE_SSL_REDIRECT", code: "W008", why: "plain-http requests are not redirected to https" },
  { name: "SESSION_COOKIE_SECURE", code: "W012", why: "the session cookie is sent over plain http" },
  { name: "CSRF_COOKIE_SECURE", code: "W016", why: "the CSRF cookie is sent over plain http" },
  { name: "SECURE_HSTS_SECONDS", code: "W004", why: "no Strict-Transport-Security header" },
];

function gapsOf(s: DeployedSettings): Gap[] {
  const file = s.module.file;
  const gaps: Gap[] = [];
  const at = (a: { fact: AssignmentFact; mod: { file: string } }): Evidence => ({ file: a.mod.file, line: a.fact.line, snippet: settingText(a.fact) });
  const hosts = s.assignments("ALLOWED_HOSTS");
  const literalHosts = hosts.length > 0 && hosts.every((h) => h.fact.kind === "list" || h.fact.kind === "tuple");
  const last = hosts[hosts.length - 1];
  // an empty list fails closed (Django refuses every request when DEBUG is off): a broken deployment, not an open one
  if (literalHosts && last && hosts.every((h) => (h.fact.items ?? []).includes("*"))) gaps.push({ code: "W020", text: "ALLOWED_HOSTS accepts any host ('*')", evidence: at(last) });
  // a cookie flag matters only where Django sets that cookie: no session middleware, no session cookie (an API on bearer tokens)
  const middlewareText = s.assignments("MIDDLEWARE").map((a) => a.fact.text).join("\n");
  const setsCookie: Record<string, boolean> = {
    SESSION_COOKIE_SECURE: s.dynamic || !middlewareText || /SessionMiddleware/.test(middlewareText),
    CSRF_COOKIE_SECURE: s.dynamic || !middlewareText || /CsrfViewMiddleware/.test(middlewareText),
  };
  for (const { name, code, why } of WANTED_ON) {
    if (setsCookie[name] === false) continue;
    const set = s.assignments(name);
    const lastSet = set[set.length - 1];
    // any value that is not a literal False (from the environment, `not DEBUG`, a configuration object) counts as set
    if (lastSet && set.every((a) => off(a.fact))) gaps.push({ code, text: `${name} = ${lastSet.fact.text} (${why})`, evidence: at(lastSet) });
    else if (!lastSet && !s.dynamic) gaps.push({ code, text: `${name} not set (${why})`, evidence: { file, line: null } });
  }
  // on by default since Django 3.0: only an explicit False is a gap
  const nosniff = s.assignments("SECURE_CONTENT_TYPE_NOSNIFF");
  const lastNosniff = nosniff[nosniff.length - 1];
  if (lastNosniff && nosniff.every((a) => off(a.fact))) gaps.push({ code: "W006", text: "SECURE_CONTENT_TYPE_NOSNIFF = False (no X-Content-Type-Options: nosniff)", evidence: at(lastNosniff) });
  const middleware = s.assignments("MIDDLEWARE");
  const lastMiddleware = middleware[middleware.length - 1];
  if (lastMiddleware && !s.dynamic && middleware.every((m) => m.fact.kind === "list" || m.fact.kind === "tuple") && !s.mentions(SECURITY_MIDDLEWARE)) {
    gaps.push({ code: "W001", text: "SecurityMiddleware is not in MIDDLEWARE (none of the SECURE_* settings take effect)", evidence: at(lastMiddleware) });
  }
  return gaps;
}

export default defineCheck({
  id: "SEC014",
  area: "security",
  title: "Django deployment settings incomplete",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "Django ships development-friendly defaults: without the deployment settings, session and CSRF cookies travel over plain http where anyone on the network can read them, browsers are never told to insist on https (HSTS), http is not redirected, and with ALLOWED_HOSTS = ['*'] forged Host headers reach password-reset links and caches. `manage.py check --deploy` lists these, but only if someone runs it.",
  recommendation: "In the production settings, set `SECURE_SSL_REDIRECT`, `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE` to True and `SECURE_HSTS_SECONDS` (start small, then 31536000), list the real hosts in `ALLOWED_HOSTS`, keep `SecurityMiddleware` first in MIDDLEWARE, and read each from the environment (django-environ) where deployments differ. Behind a proxy that terminates TLS, set `SECURE_PROXY_SSL_HEADER` so Django knows the request was https. Run `manage.py check --deploy` in CI.",
  example: {
    bad: "ALLOWED_HOSTS = ['*']\n# SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, SECURE_HSTS_SECONDS left at their defaults",
    good: 'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")\nSECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)\nSESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True\nSECURE_HSTS_SECONDS = 31536000',
  },
  references: ["https://docs.djangoproject.com/en/stable/howto/deployment/checklist/", "https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.security", "https://cwe.mitre.org/data/definitions/614.html"],
  effort: "S",
  libraries: ["django-environ"],
  cwe: "CWE-614",
  owasp: "A05:2021",
  run({ model, index, context }) {
    const reports: Report[] = [];
    const deployed = productionSignal(model, context);
    // the image runs `check --deploy` before it starts: the team sees these warnings and decided on each
    if (runsDeployCheck(model)) return [];
    for (const s of deployedDjangoSettings(model, index)) {
      // warnings silenced in SILENCED_SYSTEM_CHECKS (HSTS and redirects done by the proxy) are decisions, not gaps
      const silenced = silencedChecks(s);
      const gaps = gapsOf(s).filter((g) => !silenced.has(`security.${g.code}`));
      if (!gaps.length) continue;
      const explicit = gaps.filter((g) => g.evidence.line !== null);
      const evidence = [...explicit.map((g) => g.evidence), ...(gaps.length > explicit.length ? [{ file: s.module.file, line: null }] : [])];
      const proxy = s.assignments("SECURE_PROXY_SSL_HEADER")[0];
      const notes: string[] = [];
      if (proxy) notes.push(`SECURE_PROXY_SSL_HEADER is set (${proxy.mod.file}:${proxy.fact.line}): TLS is terminated by a proxy, which may redirect http and add HSTS itself; the cookie flags are still Django's to set.`);
      let severity: Report["severity"];
      const selfHosted = model.hostUserMapping[0];
      if (selfHosted) {
        severity = "low";
        notes.push(`The image maps its user to the host's (${selfHosted.file}:${selfHosted.line}), the mark of a product people run on their own servers, often on plain http inside a home network: the secure-cookie and redirect settings cannot be on by default there, so offer them as options that operators with https turn on.`);
      } else if (!deployed && !s.namedByDeployment) {
        severity = "low";
        notes.push("Nothing in the repository deploys it (no production server, Kubernetes workload or hosting platform found), so these may be settings for development only.");
      }
      reports.push({
        message: `Django settings ${s.module.name} (${s.reason}) miss ${gaps.length === 1 ? "a deployment setting" : `${gaps.length} deployment settings`}, as \`manage.py check --deploy\` would report: ${gaps.map((g) => g.text).join("; ")}.${notes.length ? ` ${notes.join(" ")}` : ""}`,
        evidence,
        ...(severity ? { severity } : {}),
      });
    }
    return reports;
  },
});
