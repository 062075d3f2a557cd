/**
 * What a secret looks like: by name (`SECRET_KEY`), by known token formats (AWS, GitHub, Stripe…)
 * and as the password in a connection URL. Shared by the model (which redacts what it keeps)
 * and SEC001 (which reports it). Knowledge as data; values are never logged.
 */
export type SecretSeverity = "high" | "medium" | "low";

export const SECRET_NAME = /(secret|passw(or)?d|passwd|pwd|token|api_?key|apikey|private_?key|access_?key|auth_?key|signing_?key|credential|client_secret|encryption_?key|jwt_?key)/i;
export const NOT_A_SECRET_NAME = /(url$|uri$|_url|_uri|_file|_path|_dir|_name|_length|_len|_header|_field|_env|expire|expiry|_ttl|_lifetime|_minutes|_seconds|_days|_algorithm|_alg|_type|_endpoint|_prefix|_min|_max|_timeout|_hasher|_hash_|_id$|_ids$|_scheme|_policy|_regex|_pattern|_location|_url_|_length_|_reset|_rounds|_backend|_class|_version|charset|chars$|alphabet|_format|_template|_placeholder|_changed|_marker|_sentinel|_label|_message|_help|_text$|_session_key$|_cache_key$|_key_name$|_cookie_name$|_storage_key$|_param$)/i;
/** `{module}`, `***CHANGED***`, `%s`: format templates and masks, not secrets. */
const TEMPLATE = /^\{[^{}]*\}$|\*{3,}|^%[sd]$|^<[^>]*>$/;

/** `abcdefghijklmnopqrstuvwxyz0123456789`: a character set, not a secret (mostly ascending runs). */
function looksLikeAlphabet(value: string): boolean {
  let ascending = 0;
  for (let i = 1; i < value.length; i++) if (value.charCodeAt(i) === value.charCodeAt(i - 1) + 1) ascending++;
  return value.length >= 10 && ascending / (value.length - 1) > 0.7;
}

const PLACEHOLDER = /^(|changeme|change[-_ ]?(me|this|it)\b.*|changethis|x+|\*+|\.+|secret|password|passwd|token|none|null|test|testing|dummy|example|sample|placeholder|todo|tbd|replace[-_ ]?me.*|your[-_ ].*|<.*>|\$\{.*\}|\$[A-Z_]+|%\(.*\)s|\{\{.*\}\}|fake.*|foo|bar|admin|root|postgres|user|pass|insecure.*|django-insecure-.*|not[-_ ]?a[-_ ]?secret.*)$/i;
const WEAK_CONTEXT = /(dev|test|local|example|sample|dummy|fake|changeme|insecure|demo|passw(or)?d|secret|letmein|qwerty|valid)/i;
export const TOKEN_FORMATS: Array<{ name: string; pattern: RegExp }> = [
  { name: "AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "GitHub token", pattern: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/ },
  { name: "Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { name: "Stripe live key", pattern: /\b(sk|rk)_live_[0-9A-Za-z]{20,}\b/ },
  { name: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: "SendGrid key", pattern: /\bSG\.[\w-]{22}\.[\w-]{43}\b/ },
  { name: "private key", pattern: /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/ },
];
const DEFAULT_ACCOUNT = /(default|initial|bootstrap|first|seed)_?(admin|user|superuser|account)?_?passw(or)?d|(admin|superuser|root)_?passw(or)?d/i;
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
    const user = /^[a-z][a-z0-9+.-]*:\/\/([^:/@\s]+):/i.exec(value)?.[1] ?? "";
    const weak = WEAK_CONTEXT.test(password) || WEAK_CONTEXT.test(value) || password === user || !hasSecretStrength(password);
    return { severity: weak ? "low" : "high", kind: "password in a connection URL", secret: password, confidence: weak ? "low" : "medium" };
  }
  if (!SECRET_NAME.test(key) || NOT_A_SECRET_NAME.test(key)) return null;
  const trimmed = value.trim();
  if (/^(\/|https?:\/\/|[a-z]+:\/\/)/i.test(trimmed)) return null;
  if (PLACEHOLDER.test(trimmed) || TEMPLATE.test(trimmed) || looksLikeAlphabet(trimmed) || trimmed.length < 8 || /^(.)\1+$/.test(trimmed)) return null;
  if (!looksLikeSecretValue(key, trimmed)) return null;
  const weak = WEAK_CONTEXT.test(trimmed) || !hasSecretStrength(trimmed);
  // the password of an account the code creates (`DEFAULT_ADMIN_PASSWORD = "MyPassword"`): weak or not, every install that keeps it is open
  if (weak && DEFAULT_ACCOUNT.test(key)) return { severity: "medium", kind: `default account password ${key}`, secret: trimmed, confidence: "medium" };
  return { severity: weak ? "low" : "high", kind: `value of ${key}`, secret: trimmed, confidence: weak ? "low" : "high" };
}

/**
 * Whether a value under a secret-like name could be a secret at all: messages (`"Invalid password."`),
 * dotted import paths (`"app.auth.TokenStrategy"`), identifiers that spell their own name
 * (`PASSWORD_TOO_SHORT = "password_too_short"`, `access_token = "polar_access_token"`) and lowercase
 * codes made of words (`"polar_cl_e2e_seed_checkout_link"`) are labels, not secrets.
 */
export function looksLikeSecretValue(key: string, value: string): boolean {
  if (/\s/.test(value)) return false;
  if (/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(value) && /[a-z]/.test(value)) return false;
  return !closeToName(key, value);
}

/** Snake, kebab or colon codes of lowercase words (`"polar_cl_e2e_seed_checkout_link"`): a label or a development value, never random. */
function isWordCode(raw: string): boolean {
  // a leading underscore marks a private name (`_app_refresh_token`), not randomness
  const value = raw.replace(/^_+/, "");
  return /^[a-z][a-z0-9]*([_:.\-/][a-z0-9]+)+$/.test(value) && value.split(/[_:.\-/]/).every((part) => /^[a-z]+\d{0,2}$|^\d{1,2}$/.test(part));
}

/** The value spells its own name: the same words, perhaps with a prefix (`polar_access_token` for `access_token`) or fewer words. */
function closeToName(key: string, value: string): boolean {
  const words = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const k = words(key);
  const v = words(value);
  if (!k.length || !v.length) return false;
  const flat = (w: string[]) => w.join("");
  if (flat(k) === flat(v) || flat(k).includes(flat(v))) return true;
  const keyWords = new Set(k);
  const extra = v.filter((w) => !keyWords.has(w)).length;
  // the name with one word more (`polar_access_token` for `access_token`), or mostly the name's words
  if (flat(v).includes(flat(k)) && extra <= 1) return true;
  return v.length - extra >= Math.max(2, Math.ceil(v.length * 0.6));
}

/** A string with the length and randomness of a real secret: not one word, not a run (`1234`), not a repeat (`polarpolar`). */
export function hasSecretStrength(value: string): boolean {
  if (value.length < 10 || isWordCode(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  if (classes < 2) return false;
  if (/(.{3,})\1/.test(value)) return false;
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= 4) return false;
  }
  return shannonEntropy(value) >= 3;
}

function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}


/** A configuration value as it may be shown: secrets replaced, a URL keeping everything but its password. */
export function redactValue(key: string, value: string): string {
  const url = URL_CREDENTIALS.exec(value);
  if (url?.[1]) return value.replace(`:${url[1]}@`, ":***@");
  return judgeSecret(key, value) || (SECRET_NAME.test(key) && !NOT_A_SECRET_NAME.test(key) && value !== "") ? "***" : value;
}

/**
 * A shell command as it may be shown (a Dockerfile RUN or CMD, a compose command): a URL keeps all but its
 * password, and a `NAME=value` whose value is a secret (by its name or its look) is replaced.
 */
export function redactCommand(text: string): string {
  return text
    .replace(/([a-z][\w+.-]*:\/\/[^:\s/@]+:)([^@\s]+)@/gi, "$1***@")
    .replace(/\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|'"]+)/g, (whole: string, key: string, quoted: string) => {
      const value = quoted.replace(/^["']|["']$/g, "");
      return value.includes("***") || redactValue(key, value) === value ? whole : `${key}=***`;
    });
}
