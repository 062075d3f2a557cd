import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { redactSecret } from "../../core/redact.js";
import { judgeSecret } from "../../core/secrets.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Evidence, KubernetesSecret, SecurityConfig } from "../types.js";
import { asRecord, readYamlDocuments } from "./yaml-documents.js";

/**
 * Security settings that live outside the Python code: security response headers set by a proxy or ingress
 * (SEC015), dependency vulnerability scanning (SEC019) and Kubernetes Secret manifests with literal values
 * (SEC018). Secret values are judged and redacted here: the model keeps no value.
 */

/** Headers set in proxy or ingress configuration: nginx/Caddy header names, Traefik headers middleware options, ingress-nginx HSTS. */
const HEADER_CONFIG = /Strict-Transport-Security|Content-Security-Policy|X-Content-Type-Options|\bstsSeconds\b|\bcontentSecurityPolicy\b|\bcontentTypeNosniff\b|\bframeDeny\b|\bbrowserXssFilter\b|\.headers\.(sts|customresponseheaders|contentsecuritypolicy|framedeny)|nginx\.ingress\.kubernetes\.io\/(hsts|configuration-snippet:.*add_header)/i;
/** Dependency vulnerability scanners run in CI or pre-commit (not SAST such as bandit or CodeQL). */
const DEPENDENCY_SCANNER = /\bpip[-_]audit\b|\bsafety\b.*\b(check|scan)\b|pyupio\/safety|\bosv-scanner\b|google\/osv-scanner|\btrivy\b|aquasecurity\/trivy|\bsnyk\b|dependency-review-action|\buv\s+audit\b|Dependency-Scanning|\bgrype\b|anchore\/scan-action|\bjake\s+ddt\b/i;
const DEPENDABOT = /(^|\/)\.github\/dependabot\.ya?ml$/;
const RENOVATE = /(^|\/)(renovate\.json5?|\.renovaterc(\.json5?)?|\.github\/renovate\.json5?|\.gitlab\/renovate\.json5?)$/;
/** Dependabot ecosystems that cover Python dependencies. */
const PYTHON_ECOSYSTEM = /package-ecosystem:\s*["']?(pip|uv|poetry|pipenv)["']?/;

function firstLine(text: string, pattern: RegExp): number | null {
  const lines = text.split("\n");
  const at = lines.findIndex((l) => pattern.test(l) && !/^\s*#/.test(l));
  return at < 0 ? null : at + 1;
}

export function readSecurityConfig(files: WorkspaceFile[]): SecurityConfig {
  const headers: Evidence[] = [];
  const dependencyScanning: Evidence[] = [];
  const kubernetesSecrets: KubernetesSecret[] = [];
  for (const f of files) {
    const role = fileRole(f.path);
    if (DEPENDABOT.test(f.path)) {
      // Dependabot that only updates GitHub Actions or npm does not watch the Python dependencies
      const line = f.text === undefined ? 1 : firstLine(f.text, PYTHON_ECOSYSTEM);
      if (line !== null) dependencyScanning.push({ file: f.path, line, snippet: "Dependabot" });
      continue;
    }
    if (RENOVATE.test(f.path)) {
      dependencyScanning.push({ file: f.path, line: 1, snippet: "Renovate" });
      continue;
    }
    if (f.text === undefined) continue;
    if (f.kind === "ci" || f.path.endsWith(".pre-commit-config.yaml") || f.path.endsWith(".pre-commit-config.yml")) {
      const line = firstLine(f.text, DEPENDENCY_SCANNER);
      if (line !== null) dependencyScanning.push({ file: f.path, line, snippet: (f.text.split("\n")[line - 1] ?? "").trim().slice(0, 160) });
      continue;
    }
    if (role === "test" || role === "fixture" || role === "example") continue;
    if (["compose", "k8s", "helm", "other", "config", "terraform"].includes(f.kind) && runsInProduction(role)) {
      const line = firstLine(f.text, HEADER_CONFIG);
      if (line !== null) headers.push({ file: f.path, line, snippet: (f.text.split("\n")[line - 1] ?? "").trim().slice(0, 160) });
    }
    if (f.kind === "k8s" && /^kind:\s*Secret\s*$/m.test(f.text)) kubernetesSecrets.push(...readSecrets(f));
  }
  return { headers, dependencyScanning, kubernetesSecrets };
}

/** `kind: Secret` documents with literal `data` (base64, decoded here) or `stringData` that look secret; templated values are left out. */
function readSecrets(file: WorkspaceFile): KubernetesSecret[] {
  const out: KubernetesSecret[] = [];
  for (const doc of readYamlDocuments(file.text ?? "", file.path, [])) {
    const data = asRecord(doc.data);
    if (data?.kind !== "Secret") continue;
    const name = String(asRecord(data.metadata)?.name ?? "");
    const entries: KubernetesSecret["entries"] = [];
    for (const field of ["data", "stringData"] as const) {
      const values = asRecord(data[field]);
      if (!values) continue;
      for (const [key, raw] of Object.entries(values)) {
        if (typeof raw !== "string" || raw.includes("{{") || raw.includes("${")) continue;
        const value = field === "data" ? decodeBase64(raw) : raw;
        const verdict = value === null ? null : judgeSecret(key, value);
        if (!verdict) continue;
        entries.push({ key, line: doc.line([field, key]) ?? doc.line([field]) ?? 1, severity: verdict.severity, confidence: verdict.confidence, kind: verdict.kind, redacted: redactSecret(verdict.secret) });
      }
    }
    out.push({ file: file.path, line: doc.line(["kind"]) ?? 1, name, entries });
  }
  return out;
}

function decodeBase64(value: string): string | null {
  const trimmed = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed)) return null;
  const decoded = Buffer.from(trimmed, "base64").toString("utf8");
  // binary data (a keystore, a certificate in DER) is not a readable value to judge
  return /^[\x20-\x7e\t\r\n]*$/.test(decoded) ? decoded : null;
}
