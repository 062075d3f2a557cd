import type { ArgumentFact, CallFact } from "../../python/facts.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { applicationCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report, Severity } from "../types.js";

const LEVELS = "(debug|info|warning|warn|error|exception|critical|fatal|log|msg)";
/** Loggers resolved through imports: the standard library, structlog, loguru. */
const LOGGER = new RegExp(`^(logging|logging\\.getLogger\\(\\)|logging\\.Logger|logging\\.LoggerAdapter|structlog|structlog\\.get_logger\\(\\)|structlog\\.getLogger\\(\\)|structlog\\.stdlib\\.get_logger\\(\\)|structlog\\.stdlib\\.BoundLogger|loguru\\.logger)\\.${LEVELS}$`);
/** Loggers by their conventional names when the type is not known (`self.logger`, `log`, `_LOGGER`). */
const LOGGER_NAME = new RegExp(`(^|\\.)_*(logger|log|logging|LOGGER|LOG|_logger|_log|audit_log|audit_logger)\\.${LEVELS}$`);

/** Last word(s) of a name that make it a secret: the name's last segment, split on underscores. */
const SENSITIVE_LAST = /(^|_)(password|passwd|pwd|passphrase|secret|token|apikey|api_key|private_key|secret_key|access_key|card_number|cc_number|credit_card|credit_card_number|card_no|cvv|cvc|cvv2|ssn|authorization|auth_header)$/;
/** Flags, counts and other values about a secret that are not the secret (`has_password`, `num_tokens`, `page_token`). */
const NOT_SECRET_PREFIX = /^(has|is|should|needs|need|use|uses|require|requires|required|num|n|count|len|max|min|total|can|must|show|with|without|no|valid|invalid|missing|expired|page|next_page|prev_page|previous_page|pagination|continuation|cursor|sync|resume|csrf_cookie|verbose|sentence|word|input|output|prompt|completion|max_tokens|eos|bos|pad|unk|reservation|idempotency|correlation|cancellation|cancel|lock|lease|slot|concurrency|trace|span)_/;
/** Wrappers that mask or reduce the value before it is logged (`mask(token)`, `len(token)`, `token[:4]`). */
const SAFE_WRAPPER = /\b(len|bool|type|id|isinstance|hasattr|mask\w*|redact\w*|obfuscate\w*|censor\w*|sanitize\w*|sanitise\w*|scrub\w*|anonymi[sz]e\w*|hash\w*|sha\d*\w*|md5\w*|truncate\w*|last4|last_four|partial\w*|\w*_masked|masked\w*|\w*fingerprint\w*)\s*\([^()]*(\([^()]*\)[^()]*)*\)/g;
/** A slice keeps a short prefix or suffix: `token[:4]`, `card_number[-4:]`. */
const SLICE = /[\w.]+\[\s*-?\d*\s*:\s*-?\d*\s*\]/g;
/** The Authorization header read by key: `request.headers["Authorization"]`, `headers.get("authorization")`, `META["HTTP_AUTHORIZATION"]`. */
const AUTH_HEADER = /\b[\w.]*(headers|META)\s*(\[\s*|\.get\(\s*)["'](HTTP_)?authorization["']/i;

/** `fooBar` → `foo_bar`, lower-case. */
function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Push-notification device tokens (APNs, FCM, Expo) address a device; they grant nothing. */
const DEVICE_TOKEN = /(^|[._])(device|devices|push|fcm|apns|gcm|expo|registration)([._]|$)/i;

/** Whether a plain name (an identifier or the last segment of an attribute chain) names a secret. */
function isSecretName(name: string): boolean {
  const words = snake(name).replace(/^_+/, "");
  return SENSITIVE_LAST.test(words) && !NOT_SECRET_PREFIX.test(words);
}

/** Model attributes with a secret's name that the project declares as UUIDs: public identifiers (Saleor's `checkout.token`). */
function uuidIdentifiers(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  for (const mod of index.modules.values()) {
    for (const cls of mod.facts.classes) {
      for (const a of cls.assignments) if (isSecretName(a.target) && /UUID/.test(`${a.text} ${a.annotation ?? ""}`)) out.add(a.target);
    }
  }
  return out;
}

/** The interpolated expressions of an f-string, format specs and conversions dropped. */
function interpolations(text: string): string[] {
  const out: string[] = [];
  const body = text.replace(/\{\{|\}\}/g, "");
  for (const m of body.matchAll(/\{([^{}]+)\}/g)) out.push((m[1] as string).replace(/![rsa]$|![rsa]?:[^:]*$|=$/, "").split(/(?<![=!<>]):(?![^[]*\])/)[0] as string);
  return out;
}

const NO_IDENTIFIERS = new Set<string>();

/** The secret an expression reads, as written, or null: names whose value would land in the log unmasked. */
function secretIn(expression: string, identifiers: Set<string> = NO_IDENTIFIERS): string | null {
  if (AUTH_HEADER.test(expression)) return AUTH_HEADER.exec(expression)?.[0] ?? null;
  // string literals are message text, masked values and slices are fine, calls return something else
  let text = expression.replace(/[rbfu]*("""[\s\S]*?"""|'''[\s\S]*?'''|"(\\.|[^"\\])*"|'(\\.|[^'\\])*')/gi, '""');
  // text cut short can end inside a string; a condition (`x if token else y`) does not log the value it tests
  text = text.replace(/(?<!["'])["'](?!["'])[^"']*$/, '""').replace(SAFE_WRAPPER, "_").replace(SLICE, "_").replace(/\bif\b[\s\S]*?\belse\b/g, " ");
  for (const m of text.matchAll(/(?<![\w.])([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)(\s*\()?/g)) {
    if (m[2]) continue;
    const chain = m[1] as string;
    const last = chain.split(".").pop() as string;
    if (!isSecretName(last) || DEVICE_TOKEN.test(chain)) continue;
    if (chain.includes(".") && identifiers.has(last)) continue;
    return chain;
  }
  return null;
}

/** What in a logging call's arguments is a secret: `(what, how)` or null. */
function loggedSecret(call: CallFact, isPrint: boolean, identifiers: Set<string>): { what: string; how: string } | null {
  for (const [i, arg] of call.args.entries()) {
    const found = secretOfArgument(arg, i === 0 && !isPrint, identifiers);
    if (found) return found;
  }
  return null;
}

function secretOfArgument(arg: ArgumentFact, isMessage: boolean, identifiers: Set<string>): { what: string; how: string } | null {
  if (arg.kind === "string" || arg.kind === "number" || arg.kind === "bool" || arg.kind === "none") return null;
  if (arg.name !== null && ["exc_info", "stack_info", "stacklevel", "sep", "end", "file", "flush", "level"].includes(arg.name)) return null;
  if (arg.kind === "fstring") {
    for (const part of interpolations(arg.text)) {
      const secret = secretIn(part, identifiers);
      if (secret) return { what: secret, how: "in the f-string" };
    }
    return null;
  }
  if (arg.kind === "dict") {
    // `extra={"password": password}`: a secret key with a value that is not a literal, or a secret value
    for (const m of arg.text.matchAll(/["'](\w+)["']\s*:\s*([^,}]+)/g)) {
      const value = (m[2] as string).trim();
      if (/^(["']|\d|None\b|True\b|False\b)/.test(value)) continue;
      if (secretIn(value, identifiers) || (isSecretName(m[1] as string) && !DEVICE_TOKEN.test(m[1] as string))) return { what: secretIn(value, identifiers) ?? value, how: `under "${m[1]}" in ${arg.name ? `${arg.name}=` : "a dict"}` };
    }
    return null;
  }
  // structlog and loguru keyword fields: `log.info("login", password=password)`
  if (arg.name !== null && isSecretName(arg.name) && secretIn(arg.text, identifiers) !== null) return { what: arg.text, how: `as the field ${arg.name}=` };
  if (arg.name !== null && isSecretName(arg.name) && !DEVICE_TOKEN.test(arg.name) && (arg.kind === "name" || arg.kind === "attribute") && !DEVICE_TOKEN.test(arg.text)) return { what: arg.text, how: `as the field ${arg.name}=` };
  const secret = secretIn(arg.text, identifiers);
  if (!secret) return null;
  return { what: secret, how: isMessage ? "as the message" : arg.name ? `as ${arg.name}=` : "as an argument" };
}

export default defineCheck({
  id: "SEC024",
  area: "security",
  title: "Sensitive data logged",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Logs are copied to aggregators, shared in tickets and kept for months, read by far more people than the database: a password, token or card number written there is exposed to all of them and outlives any rotation. For regulated data (PCI-DSS, HIPAA, GDPR) it is a reportable breach in itself.",
  recommendation: "Log who and what, never the secret: the user id, the last four digits, a token's id or hash. Mask at the source (`mask(token)`, `token[:4] + \"…\"`), and add a filter that redacts known keys everywhere (a `logging.Filter`, structlog's processor chain, Sentry's `before_send`/`send_default_pii=False`).",
  example: { bad: 'logger.info(f"login attempt for {username} with {password}")', good: 'logger.info("login attempt", extra={"user": username})' },
  references: ["https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html", "https://cwe.mitre.org/data/definitions/532.html", "https://www.structlog.org/en/stable/processors.html"],
  effort: "S",
  libraries: ["structlog"],
  cwe: "CWE-532",
  owasp: "A09:2021",
  run({ index, context }) {
    const reports: Report[] = [];
    const compliance = (context.compliance ?? []).filter((c) => c.trim() !== "");
    const severity: Severity | undefined = compliance.length ? "high" : undefined;
    const raised = compliance.length ? ` (raised from medium: compliance declared: ${compliance.join(", ")})` : "";
    const identifiers = uuidIdentifiers(index);
    for (const { mod, call, resolved } of applicationCalls(index)) {
      const isPrint = resolved === "print";
      // by type where the resolver knows it, else by the logger's conventional name (`self.logger`, `log`), unless it is a project function
      const isLogger = (resolved !== null && LOGGER.test(resolved)) || (LOGGER_NAME.test(call.callee) && (resolved === null || index.symbol(resolved)?.kind !== "function"));
      if (!isPrint && !isLogger) continue;
      const found = loggedSecret(call, isPrint, identifiers);
      if (!found) continue;
      // a parameter typed UUID, or a local drawn from uuid4(), is an identifier (a concurrency slot, a correlation id)
      const params = call.enclosing ? (index.functions.get(`${mod.name}.${call.enclosing}`)?.fact.params ?? []) : [];
      if (params.some((p) => p.name === found.what && /\bUUID\b/i.test(p.annotation ?? ""))) continue;
      if (/^\w+$/.test(found.what) && mod.facts.flows.some((f) => f.enclosing === call.enclosing && f.targets.includes(found.what) && /(^|\.)uuid[14]$/.test(f.call ?? ""))) continue;
      // a bare `token` in a push-notification function is the device's address
      if (/^token$/i.test(found.what) && DEVICE_TOKEN.test(snake(call.enclosing?.split(".").pop() ?? ""))) continue;
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      reports.push({
        message: `\`${call.callee}()\`${where} writes \`${found.what.slice(0, 60)}\` ${found.how} to the ${isPrint ? "output" : "log"}: a secret in the logs is readable by everyone who reads them${raised}.`,
        evidence: [{ file: mod.file, line: call.line, snippet: call.snippet }],
        ...(severity ? { severity } : {}),
      });
    }
    return reports;
  },
});
