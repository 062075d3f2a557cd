import { fileRole, runsInProduction } from "../core/file-roles.js";
import type { WorkspaceFile } from "../workspace/types.js";
import type { Evidence, OperationsEvidence } from "./types.js";

/** Tools that dump, archive or snapshot a database or a cluster's volumes. */
const BACKUP_TOOL = /(^|[^\w-])(pg_dump(all)?|pg_basebackup|mysqldump|mariadb-dump|mariabackup|xtrabackup|barman|wal-g|wal-e|pgbackrest|velero|mongodump|litestream|dbbackup|mediabackup)([^\w-]|$)/i;
/** Managed-database backup settings in IaC; `backup_retention_period = 0` turns backups off and is not evidence. */
const IAC_BACKUP = /\b(backup_retention_period|backup_configuration|point_in_time_recovery(_enabled)?|geo_redundant_backup_enabled|backup_retention_days|preferred_backup_window|aws_backup_plan|aws_backup_selection|google_sql_backup_run|continuous_backup)\b/;
/** A heading about backups or restoring (Markdown `#` headings, reStructuredText titles underlined on the next line). */
const BACKUP_HEADING = /\b(backups?|back(ing)? up|restor(e|es|ing)|disaster recovery)\b/i;
/** A configured connection limit: `-c max_connections=200`, `max_connections: 200`, `POSTGRESQL_MAX_CONNECTIONS=200`, Helm `maxConnections: 200`. */
const MAX_CONNECTIONS = /\b(?:POSTGRES(?:QL)?_)?max_?connections["']?\s*[=:]\s*["']?(\d+)/i;
/** Terraform's parameter block: `name = "max_connections"` followed by `value = "200"`. */
const TF_PARAMETER = /name\s*=\s*"max_connections"/;
const TF_VALUE = /value\s*=\s*"?(\d+)/;
/** TLS set up in the deployment: Ingress `tls:` blocks, cert-manager, ACME resolvers, load-balancer certificates, required TLS to the database. */
const TLS = /^\s*-?\s*tls:\s*(\[|$)|cert-manager\.io|certresolver|certificatesresolvers|letsencrypt|\bcertificate_arn\b|\bssl_policy\b|\bssl_certificate\b|sslmode=(require|verify-ca|verify-full)|require_secure_transport|rds\.force_ssl|\bssl_mode\s*=\s*"?(ENCRYPTED_ONLY|TRUSTED_CLIENT_CERTIFICATE_REQUIRED)|\brequire_ssl\b|managed_certificate|google_compute_managed_ssl_certificate|aws_acm_certificate/i;
/** Access logs turned on: gunicorn `--access-logfile`/`accesslog`, nginx `access_log`, load-balancer `access_logs`, ingress access logs, pgaudit. */
const ACCESS_LOG = /--access-logfile|\baccesslog\s*=|\baccess_log\b(?!\s+off)|\baccess_logs\b|enable-access-log|--access-log\b|\bpgaudit\b|log_connections|cloudtrail|aws_cloudtrail/i;
/** Connection poolers in front of the database. */
const POOLER = /(^|[^\w-])(pgbouncer|pgpool(-ii)?|pgcat|odyssey|supavisor|aws_db_proxy|rds[-_ ]proxy)([^\w]|$)/i;

const KINDS = new Set(["compose", "k8s", "helm", "terraform", "ci", "config", "other", "dockerfile"]);

/** A line as it may be shown: a backup command often carries a connection URL or a password (`PGPASSWORD=... pg_dump`). */
function snippet(text: string): string {
  return text
    .trim()
    .replace(/(:\/\/[^:/@\s]+:)[^@\s]+@/g, "$1***@")
    .replace(/\b([\w-]*(password|passwd|secret|token|pass)[\w-]*["']?\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, "$1***")
    .replace(/(\s-p)(\S+)/g, "$1***")
    .slice(0, 160);
}

/**
 * What the deployment and documents say about operating the service: backup jobs and settings (pg_dump, WAL
 * archiving, velero, managed backups in IaC, a document section on backups), the database connection limit it
 * configures, connection poolers in front of the database, TLS termination and access logs. Test files and fixtures are left out; development tooling counts for backups (a
 * `scripts/backup.sh` is still how the team backs up) but not for limits and poolers, which must be deployed.
 */
export function operationsEvidence(files: WorkspaceFile[]): OperationsEvidence {
  const out: OperationsEvidence = { backups: [], maxConnections: [], poolers: [], tls: [], accessLogs: [] };
  for (const file of files) {
    if (file.text === undefined) continue;
    const role = fileRole(file.path);
    if (role === "test" || role === "fixture") continue;
    const deployed = runsInProduction(role);
    const lines = file.text.split(/\r?\n/);
    if (file.kind === "doc") {
      lines.forEach((raw, i) => {
        const heading = /^#{1,6}\s+(.*)$/.exec(raw)?.[1] ?? (/^[=\-~^"'`#*+]{3,}\s*$/.test(lines[i + 1] ?? "") && raw.trim() ? raw : null);
        if (heading && BACKUP_HEADING.test(heading)) out.backups.push({ file: file.path, line: i + 1, snippet: snippet(raw) });
        else if (BACKUP_TOOL.test(raw)) out.backups.push({ file: file.path, line: i + 1, snippet: snippet(raw) });
      });
      continue;
    }
    const script = /\.(sh|bash)$/i.test(file.path) || /(^|\/)(docker-)?entrypoint$/i.test(file.path) || /(^|\/)crontab$/i.test(file.path);
    if (!KINDS.has(file.kind) && !script) continue;
    lines.forEach((raw, i) => {
      const line = raw.replace(/^\s*#.*$/, "");
      if (!line.trim()) return;
      const at: Evidence = { file: file.path, line: i + 1, snippet: snippet(raw) };
      if (BACKUP_TOOL.test(line)) out.backups.push(at);
      else if (file.kind === "terraform" && IAC_BACKUP.test(line) && !/backup_retention_period\s*=\s*0\b/.test(line)) out.backups.push(at);
      if (!deployed) return;
      const limit = MAX_CONNECTIONS.exec(line);
      if (limit?.[1]) out.maxConnections.push({ ...at, value: Number(limit[1]) });
      else if (file.kind === "terraform" && TF_PARAMETER.test(line)) {
        const value = lines.slice(i, i + 4).map((l) => TF_VALUE.exec(l)?.[1]).find((v) => v !== undefined);
        if (value) out.maxConnections.push({ ...at, value: Number(value) });
      }
      if (POOLER.test(line)) out.poolers.push(at);
      if (TLS.test(line)) out.tls.push(at);
      if (ACCESS_LOG.test(line)) out.accessLogs.push(at);
    });
  }
  return out;
}
