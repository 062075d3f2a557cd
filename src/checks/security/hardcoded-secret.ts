import { redactIn, redactSecret } from "../../core/redact.js";
import type { Evidence } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report, Severity } from "../types.js";

const SECRET_NAME = /(secret|passw(or)?d|passwd|pwd|token|api_?key|apikey|private_?key|access_?key|auth_?key|signing_?key|credential|client_secret|encryption_?key|jwt_?key)/i;
const NOT_A_SECRET_NAME = /(url$|uri$|_url|_uri|_file|_path|_dir|_name|_length|_len|_header|_field|_env|expire|expiry|_ttl|_lifetime|_minutes|_seconds|_days|_algorithm|_alg|_type|_endpoint|_prefix|_min|_max|_timeout|_hasher|_hash_|_id$|_ids$|_scheme|_policy|_regex|_pattern|_location|_url_|_length_|_reset|_rounds|_backend|_class|_version)/i;
const PLACEHOLDER = /^(|changeme|change[-_ ]?(me|this|it)\b.*|changethis|x+|\*+|\.+|secret|password|passwd|token|none|null|test|testing|dummy|example|sample|placeholder|todo|tbd|replace[-_ ]?me.*|your[-_ ].*|<.*>|\$\{.*\}|\$[A-Z_]+|%\(.*\)s|\{\{.*\}\}|fake.*|foo|bar|admin|root|postgres|user|pass|insecure.*|django-insecure-.*|not[-_ ]?a[-_ ]?secret.*)$/i;
const WEAK_CONTEXT = /(dev|test|local|example|sample|dummy|fake|changeme|insecure|demo)/i;
const TOKEN_FORMATS: Array<{ name: string; pattern: RegExp }> = [
  { name: "AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "GitHub token", pattern: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/ },
  { name: "Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { name: "Stripe live key", pattern: /\b(sk|rk)_live_[0-9A-Za-z]{20,}\b/ },
  { name: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: "SendGrid key", pattern: /\bSG\.[\w-]{22}\.[\w-]{43}\b/ },
  { name: "private key", pattern: /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/ },
];
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]+)@/i;

interface Candidate {
  file: string;
  line: number;
  key: string;
  value: string;
  where: string;
}

/** Judges one name/value pair; null when it is not a hardcoded secret. */
export function judgeSecret(key: string, value: string): { severity: Severity; kind: string; secret: string; confidence: "high" | "medium" | "low" } | null {
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
  if (PLACEHOLDER.test(trimmed) || trimmed.length < 8 || /^(.)\1+$/.test(trimmed) || /\s/.test(trimmed) && trimmed.split(/\s+/).length > 3) return null;
  const weak = WEAK_CONTEXT.test(trimmed);
  return { severity: weak ? "low" : "high", kind: `value of ${key}`, secret: trimmed, confidence: weak ? "low" : "high" };
}

export default defineCheck({
  id: "SEC001",
  area: "security",
  title: "Hardcoded secret",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "A secret in the repository is readable by everyone with access to the code, its history, its CI logs and every image built from it; it cannot be rotated without a code change, and it usually ends up the same in every environment.",
  recommendation: "Read secrets from the environment or a secret manager through one settings object (pydantic-settings, django-environ), rotate the exposed value, and purge it from history if the repository was ever shared.",
  example: {
    bad: 'SECRET_KEY = "9f2c1e7a0b4d..."',
    good: "class Settings(BaseSettings):\n    secret_key: SecretStr  # from SECRET_KEY in the environment",
  },
  references: ["https://cwe.mitre.org/data/definitions/798.html", "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/", "https://12factor.net/config"],
  effort: "S",
  libraries: ["pydantic-settings", "django-environ", "python-dotenv"],
  cwe: "CWE-798",
  owasp: "A07:2021",
  run({ model, index }) {
    const candidates: Candidate[] = [];
    for (const mod of index.modules.values()) {
      for (const a of mod.facts.assignments) {
        if (typeof a.value === "string") candidates.push({ file: mod.file, line: a.line, key: a.target, value: a.value, where: "module constant" });
      }
      for (const c of mod.facts.classes) {
        for (const a of c.assignments) {
          if (typeof a.value === "string") candidates.push({ file: mod.file, line: a.line, key: a.target, value: a.value, where: `${c.name} default` });
        }
      }
      for (const call of mod.facts.calls) {
        for (const arg of call.args) {
          if (typeof arg.value === "string" && (arg.name || URL_CREDENTIALS.test(arg.value) || TOKEN_FORMATS.some((f) => f.pattern.test(arg.value as string)))) {
            candidates.push({ file: mod.file, line: call.line, key: arg.name ?? "", value: arg.value, where: `argument of ${call.callee}()` });
          }
        }
      }
    }
    const templates = /\.(example|sample|template|dist|defaults?)$|\.env\.(test|ci)$/i;
    for (const v of model.configValues) {
      if (v.origin === "env" && templates.test(v.file)) continue;
      // an env file that git ignores and does not track stays on the developer's machine: that is the intended use
      const envFile = model.envFiles.find((e) => e.file === v.file);
      if (envFile?.gitignored && envFile.tracked !== true) continue;
      candidates.push({ file: v.file, line: v.line, key: v.key, value: v.value, where: v.origin === "env" ? "env file" : v.origin === "compose" ? "compose environment" : "Dockerfile ENV/ARG" });
    }
    const reports: Report[] = [];
    const seen = new Set<string>();
    for (const c of candidates) {
      const verdict = judgeSecret(c.key, c.value);
      if (!verdict) continue;
      const key = `${c.file}:${c.line}:${c.key}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const shown = c.key ? `${c.key} = ${redactSecret(verdict.secret)}` : redactSecret(verdict.secret);
      const evidence: Evidence = { file: c.file, line: c.line, snippet: redactIn(shown, verdict.secret) };
      const weak = verdict.severity === "low" ? " It looks like a development value; make sure no real environment uses it." : "";
      reports.push({
        message: `Hardcoded secret (${verdict.kind}) in ${c.where}: ${redactSecret(verdict.secret)}.${weak}`,
        evidence: [evidence],
        severity: verdict.severity,
        confidence: verdict.confidence,
      });
    }
    return reports;
  },
});
