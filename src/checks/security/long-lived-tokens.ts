import type { AssignmentFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { isApplicationCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const HOUR = 3600;
const DAY = 24 * HOUR;
/** Access tokens should live for minutes to hours; over a day, a stolen one stays useful for too long. */
const ACCESS_LIMIT = DAY;
/** Sessions: Django's default is two weeks; over a month is a session that effectively never ends. */
const SESSION_LIMIT = 30 * DAY;

/** Settings that set an access token's lifetime (FastAPI templates, djangorestframework-jwt, flask-jwt-extended). */
const ACCESS_LIFETIME = /^(\w*ACCESS_TOKEN\w*(EXPIRE|EXPIRES|EXPIRATION|EXPIRY|LIFETIME|TTL|AGE|DURATION|VALIDITY)\w*|JWT_(EXPIRATION|EXPIRATION_DELTA|EXPIRE|EXPIRES|EXPIRY|TTL|LIFETIME|EXP)\w*|(AUTH_)?TOKEN_(EXPIRE|EXPIRES|EXPIRATION|EXPIRY|LIFETIME|TTL)\w*)$/i;
/** Refresh tokens are meant to live long; reset, confirmation and invitation tokens are not access tokens. */
const NOT_ACCESS = /REFRESH|RESET|CONFIRM|VERIF|INVIT|EMAIL|ACTIVATION|PASSWORD|MAGIC|DOWNLOAD|UPLOAD|SIGNUP|REGISTRATION|OTP|CODE|NONCE|LEEWAY|SLIDING|CACHE|TRUST_RELATIONSHIP/i;
/** JWT encoders: PyJWT, python-jose, Authlib, joserfc. */
const JWT_ENCODE = /^(jwt|jose\.jwt|jwt\.api_jwt|jwt\.PyJWT|authlib\.jose\.jwt|joserfc\.jwt)\.encode$/;
/** Functions that issue access tokens (by name). */
const ISSUES_ACCESS = /(access_token|create_token|generate_token|issue_token|make_token|encode_token|new_token|get_token|create_jwt|generate_jwt|encode_jwt|make_jwt|issue_jwt|jwt_token|login|sign_in|signin|authenticate|obtain_token|token_for|auth_token)/i;
const NOT_ACCESS_FUNCTION = /refresh|reset|verif|confirm|invit|email|unsubscribe|download|upload|share|link|magic|signup|registration|activation|webhook|state|csrf|nonce|test/i;

/** Evaluates integer arithmetic (`60 * 24 * 8`, `(7 * 24) * 3600`) without running code; null for anything else. */
function arithmetic(text: string): number | null {
  const source = text.replace(/_/g, "").trim();
  if (!/^[\d\s*+\-/().]+$/.test(source)) return null;
  const tokens = source.match(/\d+(\.\d+)?|[*+\-/()]/g) ?? [];
  let at = 0;
  const expr = (): number | null => {
    let left = term();
    while (left !== null && (tokens[at] === "+" || tokens[at] === "-")) {
      const op = tokens[at++];
      const right = term();
      if (right === null) return null;
      left = op === "+" ? left + right : left - right;
    }
    return left;
  };
  const term = (): number | null => {
    let left = factor();
    while (left !== null && (tokens[at] === "*" || tokens[at] === "/")) {
      const op = tokens[at++];
      const right = factor();
      if (right === null || (op === "/" && right === 0)) return null;
      left = op === "*" ? left * right : left / right;
    }
    return left;
  };
  const factor = (): number | null => {
    const token = tokens[at++];
    if (token === "(") {
      const inner = expr();
      return tokens[at++] === ")" ? inner : null;
    }
    return token !== undefined && /^\d/.test(token) ? Number(token) : null;
  };
  const value = expr();
  return at === tokens.length ? value : null;
}

const TIMEDELTA_UNITS: Record<string, number> = { weeks: 7 * DAY, days: DAY, hours: HOUR, minutes: 60, seconds: 1 };

/** `timedelta(days=7, hours=12)` or `timedelta(7)` in seconds; null when it is not a timedelta of constants. */
function timedeltaSeconds(text: string): number | null {
  const m = /^(?:datetime\.)?timedelta\(([^()]*(?:\([^()]*\)[^()]*)*)\)$/.exec(text.trim());
  if (!m) return null;
  let total = 0;
  for (const [i, part] of (m[1] as string).split(",").map((p) => p.trim()).filter(Boolean).entries()) {
    const kw = /^(\w+)\s*=\s*(.+)$/.exec(part);
    const unit = kw ? TIMEDELTA_UNITS[kw[1] as string] : i === 0 ? DAY : undefined;
    const value = arithmetic(kw ? (kw[2] as string) : part);
    if (unit === undefined || value === null) return null;
    total += unit * value;
  }
  return total;
}

/** The value a setting defaults to when read from the environment: `env.int("X", default=...)`, `os.getenv("X", "60")`. */
function defaultOf(text: string): string | null {
  const kw = /\bdefault\s*=\s*((?:timedelta\([^)]*\))|[^,)]+)/.exec(text);
  if (kw) return (kw[1] as string).replace(/^["']|["']$/g, "");
  const positional = /\b(?:getenv|environ\.get|get)\(\s*["'][^"']*["']\s*,\s*((?:timedelta\([^)]*\))|[^,)]+)/.exec(text);
  return positional ? (positional[1] as string).trim().replace(/^["']|["']$/g, "") : null;
}

/** Seconds per unit a setting's name states (`_MINUTES`, `_HOURS`), or null when it states none. */
function unitOf(name: string): number | null {
  if (/MINUTES?$|_MINS?$/i.test(name)) return 60;
  if (/HOURS?$|_HRS?$/i.test(name)) return HOUR;
  if (/DAYS?$/i.test(name)) return DAY;
  if (/SECONDS?$|_SECS?$|_S$|^SESSION_COOKIE_AGE$/i.test(name)) return 1;
  return null;
}

/** A setting's lifetime in seconds, with whether it is only the default of an environment variable. */
function lifetimeOf(index: ProjectIndex, mod: ModuleInfo, name: string, text: string, value: AssignmentFact["value"]): { seconds: number; fromDefault: boolean } | null {
  const direct = timedeltaSeconds(text);
  if (direct !== null) return { seconds: direct, fromDefault: false };
  const unit = unitOf(name) ?? (/^JWT_ACCESS_TOKEN_EXPIRES$/i.test(name) ? 1 : null);
  if (typeof value === "number" && unit !== null) return { seconds: value * unit, fromDefault: false };
  const number = arithmetic(text);
  if (number !== null && unit !== null) return { seconds: number * unit, fromDefault: false };
  const fallback = defaultOf(text);
  if (fallback !== null) {
    const inner = timedeltaSeconds(fallback) ?? (unit !== null ? (arithmetic(fallback) ?? NaN) * unit : null);
    if (inner !== null && !Number.isNaN(inner)) return { seconds: inner, fromDefault: true };
  }
  if (/^[A-Za-z_][\w.]*$/.test(text.trim()) && unit !== null) {
    const constant = index.constantValue(`#${text.trim()}`, mod.name);
    if (typeof constant === "number") return { seconds: constant * unit, fromDefault: false };
  }
  return null;
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function human(seconds: number): string {
  const hours = seconds / HOUR;
  if (seconds >= 2 * DAY) return `${Number((seconds / DAY).toFixed(1))} days (${Number(hours.toFixed(1))} h)`;
  return `${Number(hours.toFixed(1))} h`;
}

export default defineCheck({
  id: "SEC026",
  area: "security",
  title: "Long-lived or non-expiring tokens",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A bearer token works for whoever holds it until it expires: one leaked from a log, a browser extension or a laptop stays valid for its whole lifetime, and a JWT cannot be revoked before then without extra machinery. Access tokens that live for days, or never expire, turn every leak into a long-lasting account takeover.",
  recommendation: "Keep access tokens short (5 to 60 minutes) and renew them with a refresh token that is rotated on use and can be revoked (SimpleJWT's `ROTATE_REFRESH_TOKENS` and blacklist app, flask-jwt-extended refresh tokens, Authlib's token endpoint); always set `exp`, and end sessions within weeks (`SESSION_COOKIE_AGE`).",
  example: { bad: "ACCESS_TOKEN_EXPIRE_MINUTES: int = 60 * 24 * 8  # 8 days", good: "ACCESS_TOKEN_EXPIRE_MINUTES: int = 30\nREFRESH_TOKEN_EXPIRE_DAYS: int = 14" },
  references: ["https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html#token-explicit-revocation-by-the-user", "https://datatracker.ietf.org/doc/html/rfc9700#section-4.14", "https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html", "https://cwe.mitre.org/data/definitions/613.html"],
  effort: "M",
  libraries: ["djangorestframework-simplejwt", "flask-jwt-extended", "pyjwt", "authlib"],
  cwe: "CWE-613",
  owasp: "API2:2023",
  run({ index }) {
    const reports: Report[] = [];
    for (const mod of index.modules.values()) {
      if (!isApplicationCode(mod.file)) continue;
      const settings: Array<{ a: AssignmentFact; owner: string | null }> = [...mod.facts.assignments.map((a) => ({ a, owner: null })), ...mod.facts.classes.flatMap((c) => c.assignments.map((a) => ({ a, owner: c.name })))];
      for (const { a, owner } of settings) {
        const evidence = [{ file: mod.file, line: a.line, snippet: `${a.target}${a.annotation ? `: ${a.annotation}` : ""} = ${a.text}`.slice(0, 160) }];
        const label = owner ? `${owner}.${a.target}` : a.target;
        if (ACCESS_LIFETIME.test(a.target) && !NOT_ACCESS.test(a.target)) {
          // flask-jwt-extended: `JWT_ACCESS_TOKEN_EXPIRES = False` issues tokens that never expire
          if (/^JWT_ACCESS_TOKEN_EXPIRES$/i.test(a.target) && (a.value === false || a.text === "False")) {
            reports.push({ message: `${label} = False (line ${a.line}): access tokens never expire.`, evidence, confidence: "high" });
            continue;
          }
          const life = lifetimeOf(index, mod, a.target, a.text, a.value);
          if (life && life.seconds > ACCESS_LIMIT) {
            const how = life.fromDefault ? "by default (when the environment does not set it)" : "";
            reports.push({ message: `${label} = ${short(a.text)} (line ${a.line}) gives access tokens a lifetime of ${human(life.seconds)}${how ? ` ${how}` : ""}: over 24 h, a leaked token stays valid for too long.`, evidence });
          }
          continue;
        }
        // DRF SimpleJWT: SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(days=30), ...}
        if (a.target === "SIMPLE_JWT" && a.kind === "dict") {
          const m = /["']ACCESS_TOKEN_LIFETIME["']\s*:\s*((?:datetime\.)?timedelta\([^)]*\)|None)/.exec(a.text);
          if (!m) continue;
          const seconds = m[1] === "None" ? null : timedeltaSeconds(m[1] as string);
          if (m[1] === "None") reports.push({ message: `SIMPLE_JWT sets ACCESS_TOKEN_LIFETIME to None (line ${a.line}): access tokens are issued without a usable expiry.`, evidence });
          else if (seconds !== null && seconds > ACCESS_LIMIT) reports.push({ message: `SIMPLE_JWT sets ACCESS_TOKEN_LIFETIME to ${m[1]} (line ${a.line}): access tokens live ${human(seconds)}, over 24 h.`, evidence });
          continue;
        }
        if (a.target === "SESSION_COOKIE_AGE") {
          const life = lifetimeOf(index, mod, a.target, a.text, a.value);
          if (life && life.seconds > SESSION_LIMIT) reports.push({ message: `SESSION_COOKIE_AGE = ${short(a.text)} (line ${a.line}) keeps sessions for ${human(life.seconds)}${life.fromDefault ? " by default" : ""}: over 30 days, a stolen session cookie works for too long.`, evidence });
        }
      }
      // jwt.encode() of an access token with no `exp` claim
      for (const call of mod.facts.calls) {
        const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : null;
        if (!resolved || !JWT_ENCODE.test(resolved) || !call.enclosing) continue;
        const fn = call.enclosing.split(".").pop() ?? "";
        if (!ISSUES_ACCESS.test(fn) || NOT_ACCESS_FUNCTION.test(fn)) continue;
        const positional = call.args.filter((a) => a.name === null);
        const payload = call.args.find((a) => a.name === "payload" || a.name === "claims") ?? (resolved.startsWith("authlib") || resolved.startsWith("joserfc") ? positional[1] : positional[0]);
        if (!payload) continue;
        // only a payload written in the call, and seen whole, shows that no `exp` is set: a payload built in a variable
        // (`payload = {...}`, `to_encode.update({"exp": ...})`) is not visible key by key
        if (payload.kind !== "dict" || payload.text.length >= 200 || /["']exp["']\s*:|\*\*/.test(payload.text)) continue;
        reports.push({
          message: `\`${call.callee}()\` in ${call.enclosing} issues a token whose payload has no \`exp\` claim: it stays valid forever.`,
          evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }],
          confidence: "high",
        });
      }
    }
    return reports;
  },
});
