import type { TerraformResource } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const DATABASE = /^(aws_db_instance|aws_rds_cluster|aws_docdb_cluster|aws_neptune_cluster|aws_redshift_cluster)$/;
/** Ports of databases, caches and search engines that should never face the internet. */
const DATABASE_PORTS: Record<number, string> = { 5432: "PostgreSQL", 3306: "MySQL", 1433: "SQL Server", 1521: "Oracle", 27017: "MongoDB", 6379: "Redis", 11211: "Memcached", 9200: "Elasticsearch", 5439: "Redshift", 9042: "Cassandra" };
const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);
const PUBLIC_BY_NAME = /public|assets|static|cdn|website|media/i;
const PRODUCTION = /(^|[/_.-])(prod|production|live)([/_.-]|$)/i;

/** HCL attributes read by the HCL parser: a literal `true`/`false`, or the same as a string. */
function flag(value: unknown): boolean | null {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return null;
}

function number(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return null;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return [];
}

/** Nested blocks as the parser returns them: a list of bodies (or one body). */
function blocks(value: unknown): Array<Record<string, unknown>> {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v));
}

/** The database ports an ingress rule open to the internet covers. */
function openDatabasePorts(rule: Record<string, unknown>): string[] {
  if (!strings(rule.cidr_blocks).concat(strings(rule.ipv6_cidr_blocks), strings(rule.cidr_ipv4), strings(rule.cidr_ipv6)).some((c) => ANYWHERE.has(c))) return [];
  const from = number(rule.from_port);
  const to = number(rule.to_port) ?? from;
  if (from === null || to === null) return [];
  // protocol "-1" with ports 0-0 opens everything
  const all = rule.protocol === "-1" || rule.ip_protocol === "-1";
  return Object.entries(DATABASE_PORTS)
    .filter(([port]) => all || (Number(port) >= from && Number(port) <= to))
    .map(([port, name]) => `${port} (${name})`);
}

function problems(r: TerraformResource): Array<{ text: string; severity?: "medium" | "low" }> {
  const a = r.attributes;
  const out: Array<{ text: string; severity?: "medium" | "low" }> = [];
  if ((r.type === "aws_s3_bucket" || r.type === "aws_s3_bucket_acl") && /^public-read(-write)?$/.test(String(a.acl ?? ""))) out.push({ text: `acl = "${a.acl}" makes the bucket readable by anyone` });
  if (r.type === "aws_s3_bucket_public_access_block") {
    const off = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].filter((k) => flag(a[k]) === false);
    // a bucket named for public content (assets, static files, a website) is public on purpose: the policy decides what is exposed
    if (off.length > 0 && PUBLIC_BY_NAME.test(`${r.name} ${String(a.bucket ?? "")}`)) out.push({ text: `public-access blocks turned off (${off.join(", ")} = false) on a bucket named for public content: check that its policy exposes only what is meant to be public`, severity: "low" });
    else if (off.length === 4) out.push({ text: "every public-access block is turned off (block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets = false)" });
    else if (off.length > 0) out.push({ text: `public-access blocks turned off: ${off.join(", ")} = false`, severity: "medium" });
  }
  if (/^google_storage_bucket_iam_(member|binding)$/.test(r.type)) {
    const members = strings(a.member).concat(strings(a.members)).filter((m) => m === "allUsers" || m === "allAuthenticatedUsers");
    if (members.length) out.push({ text: `grants ${String(a.role ?? "a role")} on the bucket to ${members.join(", ")}` });
  }
  if (r.type === "azurerm_storage_account" && (flag(a.allow_blob_public_access) === true || flag(a.allow_nested_items_to_be_public) === true)) out.push({ text: "allows public access to its blobs" });
  if (DATABASE.test(r.type) || r.type === "aws_db_instance") {
    if (flag(a.publicly_accessible) === true) out.push({ text: "publicly_accessible = true gives the database a public address" });
    if (flag(a.storage_encrypted) === false) out.push({ text: "storage_encrypted = false stores the data and its snapshots unencrypted" });
    if (number(a.backup_retention_period) === 0) out.push({ text: "backup_retention_period = 0 turns automated backups off" });
    if (flag(a.deletion_protection) === false && PRODUCTION.test(`${r.file} ${r.name} ${String(a.identifier ?? "")}`)) out.push({ text: "deletion_protection = false on a production database", severity: "medium" });
  }
  if (r.type === "aws_elasticache_replication_group" && flag(a.at_rest_encryption_enabled) === false) out.push({ text: "at_rest_encryption_enabled = false", severity: "medium" });
  if (r.type === "aws_ebs_volume" && flag(a.encrypted) === false) out.push({ text: "encrypted = false", severity: "medium" });
  if (r.type === "google_sql_database_instance") {
    for (const settings of blocks(a.settings)) {
      for (const ip of blocks(settings.ip_configuration)) {
        if (blocks(ip.authorized_networks).some((n) => ANYWHERE.has(String(n.value ?? "")))) out.push({ text: "authorized_networks admits 0.0.0.0/0" });
      }
      for (const backup of blocks(settings.backup_configuration)) if (flag(backup.enabled) === false) out.push({ text: "backup_configuration.enabled = false turns backups off" });
    }
    if (flag(a.deletion_protection) === false && PRODUCTION.test(`${r.file} ${r.name}`)) out.push({ text: "deletion_protection = false on a production database", severity: "medium" });
  }
  const rules = r.type === "aws_security_group" ? blocks(a.ingress) : (r.type === "aws_security_group_rule" && a.type === "ingress") || r.type === "aws_vpc_security_group_ingress_rule" ? [a] : [];
  for (const rule of rules) {
    const ports = openDatabasePorts(rule);
    if (ports.length) out.push({ text: `ingress from 0.0.0.0/0 on database port${ports.length > 1 ? "s" : ""} ${ports.slice(0, 4).join(", ")}` });
  }
  return out;
}

export default defineCheck({
  id: "DEP009",
  area: "deployment",
  title: "Cloud infrastructure misconfiguration in Terraform",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "Terraform is what production becomes: a bucket readable by anyone, a database with a public address or a security group open to the internet on its port, storage without encryption, or backups turned off are breaches and unrecoverable losses waiting for their first scan or first mistake.",
  recommendation: "Keep buckets private behind `aws_s3_bucket_public_access_block` (all four flags true), databases in private subnets with `publicly_accessible = false`, `storage_encrypted = true`, a non-zero `backup_retention_period` and `deletion_protection = true` in production, and ingress to database ports only from the application's security group. Run tfsec, Checkov or Trivy config scanning in CI.",
  example: {
    bad: 'resource "aws_db_instance" "main" {\n  publicly_accessible     = true\n  backup_retention_period = 0\n}',
    good: 'resource "aws_db_instance" "main" {\n  publicly_accessible     = false\n  storage_encrypted       = true\n  backup_retention_period = 7\n  deletion_protection     = true\n}',
  },
  references: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html", "https://www.checkov.io/"],
  effort: "S",
  libraries: [],
  cwe: "CWE-284",
  owasp: "A05:2021",
  run({ model }) {
    const reports: Report[] = [];
    for (const r of model.terraform) {
      const found = problems(r);
      if (found.length === 0) continue;
      // the finding is as severe as its worst problem
      const severity = found.some((p) => !p.severity) ? undefined : found.some((p) => p.severity === "medium") ? "medium" : "low";
      reports.push({ message: `${r.type}.${r.name}: ${found.map((p) => p.text).join("; ")}.`, evidence: [{ file: r.file, line: r.line, snippet: `resource "${r.type}" "${r.name}"` }], ...(severity ? { severity } : {}) });
    }
    return reports;
  },
});
