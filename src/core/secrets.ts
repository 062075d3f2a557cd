/**
 * What a secret looks like: by name (`SECRET_KEY`), by known token formats (AWS, GitHub, Stripe…)
 * and as the password in a connection URL. Shared by the model (which redacts what it keeps)
 * and SEC001 (which reports it). Knowledge as data; values are never logged.
 */
export type SecretSeverity = "high" | "low";

export const SECRET_NAME = /(secret|passw(or)?d|passwd|pwd|token|api_?key|apikey|private_?key|access_?key|auth_?key|signing_?key|credential|client_secret|encryption_?key|jwt_?key)/i;
export const NOT_A_SECRET_NAME = /(url$|uri$|_url|_uri|_file|_path|_dir|_name|_length|_len|_header|_field|_env|expire|expiry|_ttl|_lifetime|_minutes|_seconds|_days|_algorithm|_alg|_type|_endpoint|_prefix|_min|_max|_timeout|_hasher|_hash_|_id$|_ids$|_scheme|_policy|_regex|_pattern|_location|_url_|_length_|_reset|_rounds|_backend|_class|_version|charset|chars$|alphabet|_format|_template|_placeholder|_changed|_marker|_sentinel|_label|_message|_help|_text$)/i;
/** `{module}`, `***CHANGED***`, `%s`: format templates and masks, not secrets. */
const TEMPLATE = /^\{[^{}]*\}$|\*{3,}|^%[sd]$|^<[^>]*>$/;

/** `abcdefghijklmnopqrstuvwxyz0123456789`: a character set, not a secret (mostly ascending runs). */
function looksLikeAlphabet(value: string): boolean {
  let ascending = 0;
  for (let i = 1; i < value.length; i++) if (value.charCodeAt(i) === value.charCodeAt(i - 1) + 1) ascending++;
  return value.length >= 10 && ascending / (value.length - 1) > 0.7;
}

const PLACEHOLDER = /^(|changeme|change[-_ ]?(me|this|it)\b.*|changethis|x+|\*+|\.+|secret|password|passwd|token|none|null|test|testing|dummy|example|sample|placeholder|todo|tbd|replace[-_ ]?me.*|your[-_ ].*|<.*>|\$\{.*\}|\$[A-Z_]+|%\(.*\)s|\{\{.*\}\}|fake.*|foo|bar|admin|root|postgres|user|pass|insecure.*|django-insecure-.*|not[-_ ]?a[-_ ]?secret.*)$/i;
const WEAK_CONTEXT = /(dev|test|local|example|sample|dummy|fake|changeme|insecure|demo)/i;
export const TOKEN_FORMATS: Array<{ name: string; pattern: RegExp }> = [
  { name: "AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "GitHub token", pattern: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/ },
  { name: "Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { name: "Stripe live key", pattern: /\b(sk|rk)_live_[0-9A-Za-z]{20,}\b/ },
  { name: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: "SendGrid key", pattern: /\bSG\.[\w-]{22}\.[\w-]{43}\b/ },
  { name: "private key", pattern: /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/ },
];
export const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]+)@/i;

/** Judges one name/value pair; null when it is not a hardcoded secret. */
export function judgeSecret(key: string, value: string): { severity: SecretSeverity; kind: string; secret: string; confidence: "high" | "medium" | "low" } | null {
  for (const format of TOKEN_FORMATS) {
    const match = format.pattern.exec(value);
    if (match) return { severity: "high", kind: format.name, secret: format.name === "private key" ? value : match[0], confidence: "high" };
  }
  const url = URL_CREDENTIALS.exec(value);
  if (url?.[1]) {
    const password = url[1];
    if (PLACEHOLDER.test(password) || /^\$|\{/.test(password)) return null;
    const weak = WEAK_CONTEXT.test(password) || WEAK_CONTEXT.test(value);
    return { severity: weak ? "low" : "high", kind: "password in a connection URL", secret: password, confidence: weak ? "low" : "medium" };
  }
  if (!SECRET_NAME.test(key) || NOT_A_SECRET_NAME.test(key)) return null;
  const trimmed = value.trim();
  if (/^(\/|https?:\/\/|[a-z]+:\/\/)/i.test(trimmed)) return null;
  if (PLACEHOLDER.test(trimmed) || TEMPLATE.test(trimmed) || looksLikeAlphabet(trimmed) || trimmed.length < 8 || /^(.)\1+$/.test(trimmed) || /\s/.test(trimmed) && trimmed.split(/\s+/).length > 3) return null;
  const weak = WEAK_CONTEXT.test(trimmed);
  return { severity: weak ? "low" : "high", kind: `value of ${key}`, secret: trimmed, confidence: weak ? "low" : "high" };
}


/** A configuration value as it may be shown: secrets replaced, a URL keeping everything but its password. */
export function redactValue(key: string, value: string): string {
  const url = URL_CREDENTIALS.exec(value);
  if (url?.[1]) return value.replace(`:${url[1]}@`, ":***@");
  return judgeSecret(key, value) || (SECRET_NAME.test(key) && !NOT_A_SECRET_NAME.test(key) && value !== "") ? "***" : value;
}
