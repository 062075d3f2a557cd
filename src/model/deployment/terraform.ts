import { createRequire } from "node:module";
import { compareCodeUnits, type Diagnostic, readGuarded, readGuardedAsync } from "../../core/diagnostics.js";
import { redactValue } from "../../core/secrets.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { TerraformResource } from "../types.js";
import { asRecord } from "./yaml-documents.js";

/**
 * Resource types the deployment checks read (data stores, buckets, queues, networking, encryption):
 * exact names and prefixes. Everything else (IAM, compute, DNS, monitoring) is left out of the model.
 */
const KEPT_TYPES: ReadonlyArray<string | RegExp> = [
  // AWS data stores and storage
  /^aws_db_/, /^aws_rds_/, /^aws_elasticache_/, /^aws_s3_bucket/, "aws_dynamodb_table", /^aws_docdb_/,
  "aws_opensearch_domain", "aws_elasticsearch_domain", "aws_redshift_cluster", "aws_efs_file_system", "aws_ebs_volume",
  // AWS queues and streams
  "aws_sqs_queue", "aws_sns_topic", "aws_msk_cluster", "aws_mq_broker", "aws_kinesis_stream",
  // AWS networking and encryption
  /^aws_security_group/, /^aws_vpc_security_group_(ingress|egress)_rule$/, /^aws_lb/, /^aws_alb/, "aws_network_acl_rule",
  /^aws_kms_/, "aws_secretsmanager_secret",
  // Google Cloud
  /^google_sql_/, /^google_storage_bucket/, "google_redis_instance", /^google_alloydb_/, "google_compute_firewall",
  /^google_kms_/, "google_pubsub_topic", "google_pubsub_subscription",
  // Azure
  /^azurerm_postgresql_/, /^azurerm_mysql_/, /^azurerm_mssql_/, /^azurerm_cosmosdb_/, "azurerm_storage_account",
  "azurerm_storage_container", "azurerm_redis_cache", /^azurerm_network_security_/, "azurerm_key_vault",
  /^azurerm_servicebus_/,
];

/** Whether the model keeps resources of this type. */
export function isKeptResourceType(type: string): boolean {
  return KEPT_TYPES.some((kept) => (typeof kept === "string" ? kept === type : kept.test(type)));
}

interface HclParser {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
}

let hclParser: HclParser | undefined;

/**
 * HashiCorp's own HCL parser compiled to WebAssembly (`@cdktn/hcl2json`), loaded on first use: about
 * 0.2 s to start, so a repository without Terraform never pays for it. Loaded through `require`
 * so that its declaration files (which pull in the DOM library) stay out of our type check.
 */
function hcl(): HclParser {
  hclParser ??= createRequire(import.meta.url)("@cdktn/hcl2json") as HclParser;
  return hclParser;
}

/** Terraform resources about data stores, buckets, networking and encryption, with their top-level attributes. */
export async function readTerraform(files: WorkspaceFile[], diagnostics: Diagnostic[]): Promise<TerraformResource[]> {
  const resources: TerraformResource[] = [];
  for (const file of files) {
    if (file.kind !== "terraform" || file.text === undefined) continue;
    const text = file.text;
    if (file.path.endsWith(".tf.json")) resources.push(...readGuarded(file.path, "Terraform", diagnostics, [], () => readJsonConfiguration(file.path, text, diagnostics)));
    else if (file.path.endsWith(".tf")) resources.push(...(await readGuardedAsync(file.path, "Terraform", diagnostics, [], () => readNativeConfiguration(file.path, text, diagnostics))));
  }
  return resources.sort((a, b) => compareCodeUnits(a.file, b.file) || a.line - b.line || compareCodeUnits(a.type, b.type) || compareCodeUnits(a.name, b.name));
}

async function readNativeConfiguration(path: string, text: string, diagnostics: Diagnostic[]): Promise<TerraformResource[]> {
  // Skip the parser for files that declare no resource at all (variables.tf, outputs.tf, providers.tf)
  if (!/^\s*resource\s/m.test(text)) return [];
  let parsed: Record<string, unknown>;
  try {
    parsed = await hcl().parse(path, text);
  } catch (error) {
    diagnostics.push(parseDiagnostic(path, error));
    return [];
  }
  const seen = new Map<string, number>();
  return resourceBodies(parsed.resource).map(({ type, name, body }) => {
    // The nth block with this type and name in the text is the nth body the parser returned
    const key = `${type}\u0000${name}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { file: path, line: resourceLine(text, type, name, occurrence), type, name, attributes: body };
  });
}

/** Terraform's JSON syntax: the same structure, read with JSON.parse; lines found by searching the text. */
function readJsonConfiguration(path: string, text: string, diagnostics: Diagnostic[]): TerraformResource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    diagnostics.push({ level: "warning", code: "invalid-config", message: `invalid Terraform JSON: ${(error as Error).message}`, file: path });
    return [];
  }
  const root = asRecord(parsed);
  const blocks = Array.isArray(root?.resource) ? root.resource : [root?.resource];
  return blocks.flatMap((block) =>
    resourceBodies(block).map(({ type, name, body }) => ({ file: path, line: jsonResourceLine(text, type, name), type, name, attributes: body })),
  );
}

/** `{ type: { name: [body, ...] | body } }` → one entry per body of a kept type. */
function resourceBodies(resource: unknown): Array<{ type: string; name: string; body: Record<string, unknown> }> {
  const out: Array<{ type: string; name: string; body: Record<string, unknown> }> = [];
  for (const [type, byName] of Object.entries(asRecord(resource) ?? {})) {
    if (!isKeptResourceType(type)) continue;
    for (const [name, bodies] of Object.entries(asRecord(byName) ?? {})) {
      for (const body of Array.isArray(bodies) ? bodies : [bodies]) {
        const record = asRecord(body);
        if (record) out.push({ type, name, body: redactAttributes(record) });
      }
    }
  }
  return out;
}

/**
 * The model is written to reports: a literal that looks like a secret (`password = "..."`) is replaced
 * as configuration values are; references and interpolations (`\${var.db_password}`) are kept.
 */
function redactAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const redact = (key: string, value: unknown, depth: number): unknown => {
    if (typeof value === "string") return /^\$\{[^}]*\}$/.test(value) ? value : redactValue(key, value);
    // no Terraform block nests this deep: what lies below is dropped, never copied unredacted
    if (value !== null && typeof value === "object" && depth >= MAX_ATTRIBUTE_DEPTH) return null;
    if (Array.isArray(value)) return value.map((item) => redact(key, item, depth + 1));
    const record = asRecord(value);
    return record ? Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redact(k, v, depth + 1)])) : value;
  };
  return redact("", body, 0) as Record<string, unknown>;
}

/** Nesting kept in a resource's attributes. */
const MAX_ATTRIBUTE_DEPTH = 32;

function resourceLine(text: string, type: string, name: string, occurrence: number): number {
  const pattern = new RegExp(`^[ \\t]*resource[ \\t]+"?${escapeRegExp(type)}"?[ \\t]+"?${escapeRegExp(name)}"?[ \\t]*\\{`, "gm");
  const matches = [...text.matchAll(pattern)];
  const match = matches[occurrence] ?? matches[0];
  return match?.index === undefined ? 1 : lineAt(text, match.index);
}

function jsonResourceLine(text: string, type: string, name: string): number {
  const typeAt = text.search(new RegExp(`"${escapeRegExp(type)}"\\s*:`));
  if (typeAt < 0) return 1;
  const nameAt = text.slice(typeAt).search(new RegExp(`"${escapeRegExp(name)}"\\s*:`));
  return lineAt(text, nameAt < 0 ? typeAt : typeAt + nameAt);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `parse config: [main.tf:2,7-3,1: Invalid expression; Expected ...]` → message and line. */
function parseDiagnostic(path: string, error: unknown): Diagnostic {
  const raw = error instanceof Error ? error.message : String(error);
  const located = /:(\d+),\d+(?:-\d+(?:,\d+)?)?:\s*([^\]]*)/.exec(raw);
  const message = (located?.[2] ?? raw.replace(/^parse config:\s*/, "")).replace(/^\[|\]$/g, "").trim();
  return { level: "warning", code: "invalid-config", message: `invalid Terraform (HCL): ${message}`, file: path, ...(located?.[1] ? { line: Number(located[1]) } : {}) };
}
