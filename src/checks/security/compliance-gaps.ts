import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { webServer } from "../../model/capacity-numbers.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { appFile } from "../handlers.js";
import type { Report } from "../types.js";
import { serviceDatabase } from "../database/production-signals.js";

type Regime = "GDPR" | "HIPAA" | "PCI-DSS" | "SOC 2";
type Control = "audit logging" | "encryption at rest" | "encryption in transit" | "data retention and deletion" | "access logging";

/** Regimes as teams write them (`gdpr`, `PCI DSS`, `soc2`, `HIPAA/HITECH`). */
const REGIMES: Array<{ regime: Regime; pattern: RegExp }> = [
  { regime: "GDPR", pattern: /gdpr|uk[- ]?gdpr|dsgvo/i },
  { regime: "HIPAA", pattern: /hipaa|hitech/i },
  { regime: "PCI-DSS", pattern: /pci/i },
  { regime: "SOC 2", pattern: /soc[- _]?2/i },
];

/** Where each regime asks for each control, quoted in the finding. */
const CLAUSES: Record<Control, Partial<Record<Regime, string>>> = {
  "audit logging": { GDPR: "Art. 5(2) accountability, Art. 30", HIPAA: "§164.312(b) audit controls", "PCI-DSS": "Req. 10", "SOC 2": "CC7.2" },
  "encryption at rest": { GDPR: "Art. 32(1)(a)", HIPAA: "§164.312(a)(2)(iv)", "PCI-DSS": "Req. 3.5", "SOC 2": "CC6.1" },
  "encryption in transit": { GDPR: "Art. 32(1)(a)", HIPAA: "§164.312(e)(1)", "PCI-DSS": "Req. 4.2", "SOC 2": "CC6.7" },
  "data retention and deletion": { GDPR: "Art. 5(1)(e) storage limitation, Art. 17 erasure", HIPAA: "§164.310(d)(2) disposal", "PCI-DSS": "Req. 3.2", "SOC 2": "C1.2" },
  "access logging": { GDPR: "Art. 32(1)(d)", HIPAA: "§164.308(a)(1)(ii)(D) activity review", "PCI-DSS": "Req. 10.2", "SOC 2": "CC7.2" },
};

const AUDIT_PACKAGES = /^(django-auditlog|django-simple-history|django-reversion|django-pghistory|django-easy-audit|django-field-history|django-model-history|sqlalchemy-continuum|sqlalchemy-history|flask-continuum|postgresql-audit|django-audit-log|django-pgtrigger|django-activity-stream|django-actstream)$/;
const AUDIT_MODEL = /audit|history|activity_?log|activity_?stream|event_?log|change_?log|object_?change|log_?entry|action_?log|journal|trail/i;
/** `OrderEvent`, `CustomerEvent`: an event table that records who did what (a user or actor column) is an audit trail. */
const ACTOR_EVENT = /Events?$/;
const ACTOR_COLUMN = /^(user|user_id|actor|actor_id|created_by|created_by_id|performed_by|staff|app|app_id)$/;
const FIELD_ENCRYPTION_PACKAGES = /^(django-fernet-fields|django-fernet-encrypted-fields|django-encrypted-model-fields|django-cryptography|django-cryptography-django5|django-pgcrypto-fields|django-searchable-encrypted-fields|encrypted-fields|tink|aws-encryption-sdk|django-mirage-field)$/;
const ENCRYPTION_CALL = /^(cryptography\.fernet\.(Fernet|MultiFernet)|sqlalchemy_utils\.(types\.encrypted\.)?\w*Encrypted\w*|fernet_fields\.|encrypted_model_fields\.|django_cryptography\.|cryptography\.hazmat\.primitives\.ciphers\.aead\.AESGCM|boto3\.client)$/;
const AT_REST_ATTRIBUTES = ["storage_encrypted", "kms_key_id", "kms_key_arn", "encrypted", "server_side_encryption_configuration", "encryption_configuration", "disk_encryption_key", "encryption_key_name", "customer_managed_key", "infrastructure_encryption_enabled", "at_rest_encryption_enabled", "encryption_at_rest"];
const RETENTION_NAME = /delete_(me|my|user|account|profile|personal|data|customer|patient)|(erase|forget|anonymi[sz]e|pseudonymi[sz]e|purge|expunge)\w*|retention|gdpr|data_?export|export_(user|my|personal)_?data|right_to|delete_old|cleanup_old|prune/i;
const PERSONAL_RESOURCE = /(^|\/)(me|users?|accounts?|profiles?|customers?|patients?|members?|persons?|people|contacts?)(\/|$|\{|<)/i;
const ACCESS_LOG_PACKAGES = /^(django-request-logging|django-structlog|asgi-logger|django-easy-audit|flask-log-request-id|starlette-context|django-log-request-id|asgi-correlation-id|fastapi-structlog|drf-api-tracking|django-request)$/;
const LOGGING_MIDDLEWARE = /log|audit|access|trace/i;

function declaredRegimes(compliance: string[] | undefined): Regime[] {
  const out: Regime[] = [];
  for (const item of compliance ?? []) for (const r of REGIMES) if (r.pattern.test(item) && !out.includes(r.regime)) out.push(r.regime);
  return out;
}

function dependency(model: SystemModel, pattern: RegExp): string | null {
  return model.dependencies.find((d) => pattern.test(d.name) && !d.dev)?.name ?? null;
}

function auditLogging(model: SystemModel): boolean {
  return (
    dependency(model, AUDIT_PACKAGES) !== null ||
    model.dataModels.some((m) => {
      const name = m.name.slice(m.name.lastIndexOf(".") + 1);
      if (!runsInProduction(fileRole(m.file))) return false;
      return AUDIT_MODEL.test(name) || AUDIT_MODEL.test(m.table ?? "") || (ACTOR_EVENT.test(name) && [...m.foreignKeys.map((f) => f.field), ...m.fields.map((f) => f.name)].some((f) => ACTOR_COLUMN.test(f)));
    })
  );
}

function encryptionAtRest(model: SystemModel, index: ProjectIndex): boolean {
  if (model.terraform.some((r) => /kms|key_vault/.test(r.type) || AT_REST_ATTRIBUTES.some((k) => r.attributes[k] !== undefined && r.attributes[k] !== false && r.attributes[k] !== "false"))) return true;
  if (dependency(model, FIELD_ENCRYPTION_PACKAGES)) return true;
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file)) continue;
    // the application encrypts values itself (a Fernet subclass, AES from cryptography, libsodium's secret box)
    if (mod.facts.imports.some((i) => /^(cryptography\.fernet|cryptography\.hazmat\.primitives\.ciphers|nacl\.secret|Crypto\.Cipher|Cryptodome\.Cipher)/.test(i.module))) return true;
    if (mod.facts.functions.some((f) => /^encrypt(_\w+)?$/.test(f.name))) return true;
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? index.resolve(call.qualified, mod.name) : "";
      if (ENCRYPTION_CALL.test(resolved) && (resolved !== "boto3.client" || call.args.some((a) => a.value === "kms"))) return true;
    }
  }
  return false;
}

function encryptionInTransit(model: SystemModel, index: ProjectIndex): boolean {
  if (model.operations?.tls.length || model.platforms.length) return true;
  if (model.configValues.some((v) => /sslmode=(require|verify)|ssl=true|ssl_mode=/i.test(v.value) && runsInProduction(fileRole(v.file)))) return true;
  if (dependency(model, /^(flask-talisman|django-sslify|secure)$/)) return true;
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || !runsInProduction(fileRole(mod.file))) continue;
    if (mod.facts.assignments.some((a) => (/^SECURE_(SSL_REDIRECT|HSTS_SECONDS|PROXY_SSL_HEADER)$/.test(a.target) && a.value !== false && a.value !== 0) || /sslmode|HTTPSRedirect/.test(a.text))) return true;
    if (mod.facts.calls.some((c) => /HTTPSRedirectMiddleware|Talisman|ssl_context|sslmode|create_default_context/.test(`${c.callee} ${c.args.map((a) => a.text).join(" ")}`))) return true;
  }
  return false;
}

function retentionAndDeletion(model: SystemModel, index: ProjectIndex): boolean {
  if (model.endpoints.some((e) => e.method === "DELETE" && PERSONAL_RESOURCE.test(e.path))) return true;
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) && !/management\/commands/.test(mod.file)) continue;
    if (mod.facts.functions.some((f) => RETENTION_NAME.test(f.name)) || mod.facts.classes.some((c) => RETENTION_NAME.test(c.name))) return true;
    if (mod.facts.assignments.some((a) => /RETENTION|_TTL_DAYS|KEEP_DAYS|EXPIRY_DAYS/.test(a.target))) return true;
    if (/management\/commands\/\w*(purge|cleanup|prune|retention|anonymi[sz]e|delete)\w*\.py$/.test(mod.file)) return true;
  }
  return false;
}

function accessLogging(model: SystemModel, index: ProjectIndex): boolean {
  if (model.operations?.accessLogs.length || dependency(model, ACCESS_LOG_PACKAGES)) return true;
  // uvicorn, hypercorn and granian log each request unless told not to
  const web = webServer(model);
  if (web && ["uvicorn", "hypercorn", "granian", "fastapi run", "daphne"].includes(web.server.server)) return true;
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || !runsInProduction(fileRole(mod.file))) continue;
    if (mod.facts.functions.some((f) => LOGGING_MIDDLEWARE.test(f.name) && f.decorators.some((d) => /middleware/.test(d.name)))) return true;
    if (mod.facts.classes.some((c) => LOGGING_MIDDLEWARE.test(c.name) && /middleware/i.test(c.name + c.bases.map((b) => b.text).join(" ")))) return true;
    if (mod.facts.assignments.some((a) => a.target === "MIDDLEWARE" && /log|audit|structlog/i.test(a.text))) return true;
  }
  return false;
}

const ADVICE: Record<Control, string> = {
  "audit logging": "record who changed which record and when (django-simple-history or django-auditlog, SQLAlchemy-Continuum, or an append-only audit table written in the same transaction)",
  "encryption at rest": "turn on storage encryption for the database, volumes and buckets in IaC (`storage_encrypted = true` with a KMS key) and encrypt the most sensitive fields in the application (cryptography's Fernet, django-fernet-encrypted-fields)",
  "encryption in transit": "terminate TLS in front of the service (Ingress `tls:` with cert-manager, a load-balancer certificate) and require it to the database (`sslmode=verify-full`); in Django set SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS",
  "data retention and deletion": "implement deletion of a person's data on request and a scheduled job that deletes or anonymises data past its retention period, with the period written in settings",
  "access logging": "log every request with the authenticated user, the resource and the outcome (gunicorn `--access-logfile -`, a logging middleware such as django-structlog or asgi-logger), and keep the logs where they cannot be edited",
};

export default defineCheck({
  id: "SEC030",
  area: "security",
  title: "Compliance control without evidence",
  severity: "info",
  kind: "concern",
  confidence: "low",
  why: "GDPR, HIPAA, PCI-DSS and SOC 2 each ask for the same technical controls: an audit trail of changes, encryption at rest and in transit, deletion and retention of personal data, and logs of who accessed what. An auditor asks for the evidence; a control that exists only outside the repository (or nowhere) is found late and costs most to add after the data has accumulated.",
  recommendation: "For each control, add the mechanism to the repository where it can be reviewed: audit history (django-simple-history, django-auditlog, SQLAlchemy-Continuum), storage encryption in IaC plus field encryption for the most sensitive data (cryptography's Fernet), TLS termination and TLS to the database, deletion and retention jobs, and request access logs kept where they cannot be edited; where a control lives outside the repository (a managed platform, an organisation-wide policy), record where in the design documents.",
  example: { bad: "class Patient(models.Model):\n    name = models.CharField(max_length=200)", good: "class Patient(models.Model):\n    name = models.CharField(max_length=200)\n    history = HistoricalRecords()  # django-simple-history" },
  references: ["https://gdpr-info.eu/art-32-gdpr/", "https://www.hhs.gov/hipaa/for-professionals/security/laws-regulations/index.html", "https://www.pcisecuritystandards.org/document_library/", "https://owasp.org/www-project-application-security-verification-standard/"],
  effort: "L",
  libraries: ["django-simple-history", "django-auditlog", "sqlalchemy-continuum", "cryptography", "django-structlog"],
  cwe: "CWE-778",
  owasp: "A09:2021",
  run({ model, index, context }) {
    const regimes = declaredRegimes(context.compliance);
    // without a declared regime a list of controls would be advice, not a finding
    if (!regimes.length) return [];
    // a service that stores data: otherwise the data controls have nothing to apply to
    const stores = model.technologies.some((t) => t.category === "database" && t.evidence.some((e) => runsInProduction(fileRole(e.file)))) || model.dataModels.length > 0;
    if (!stores && !model.endpoints.length) return [];
    const where = (file: string | undefined): Evidence => ({ file: file ?? appFile(model), line: null });
    const database = serviceDatabase(model)?.evidence;
    // the file that declares most data models: where an audit trail or a deletion job would be added
    const counts = new Map<string, number>();
    for (const m of model.dataModels) if (runsInProduction(fileRole(m.file))) counts.set(m.file, (counts.get(m.file) ?? 0) + 1);
    const models = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
    const web = webServer(model);
    const controls: Array<{ control: Control; met: boolean; evidence: Evidence }> = [
      { control: "audit logging", met: auditLogging(model), evidence: where(models) },
      { control: "encryption at rest", met: !stores || encryptionAtRest(model, index), evidence: database ? { file: database.file, line: database.line, ...(database.snippet ? { snippet: database.snippet } : {}) } : where(models) },
      { control: "encryption in transit", met: encryptionInTransit(model, index), evidence: web ? { file: web.file, line: web.line } : where(undefined) },
      { control: "data retention and deletion", met: !stores || retentionAndDeletion(model, index), evidence: where(models) },
      { control: "access logging", met: accessLogging(model, index), evidence: web ? { file: web.file, line: web.line } : where(undefined) },
    ];
    const named = regimes.join(", ");
    return controls
      .filter((c) => !c.met)
      .map((c) => {
        const clauses = regimes.map((r) => `${r} ${CLAUSES[c.control][r]}`).join("; ");
        // storage encryption is usually a property of the managed service: without its IaC the repository cannot show it
        const outside = c.control === "encryption at rest" && !model.terraform.length ? " The database's infrastructure is not in the repository; if a managed service runs it, record that its storage encryption is on." : "";
        return {
          message: `No evidence in the repository of ${c.control}, which ${named} asks for (${clauses}): ${ADVICE[c.control]}.${outside} Raised from info: the context declares ${named}.`,
          evidence: [c.evidence],
          severity: "high",
        } satisfies Report;
      });
  },
});
