import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Diagnostic } from "../../../src/core/diagnostics.js";
import { isKeptResourceType, readTerraform } from "../../../src/model/deployment/terraform.js";
import type { WorkspaceFile } from "../../../src/workspace/types.js";

function tf(path: string, ...lines: string[]): WorkspaceFile {
  const text = `${lines.join("\n")}\n`;
  return { path, kind: "terraform", size: text.length, text };
}

/** Terraform's interpolation syntax, `${expression}`, as the parser returns references. */
const ref = (expression: string) => `\${${expression}}`;

async function read(...files: WorkspaceFile[]) {
  const diagnostics: Diagnostic[] = [];
  return { resources: await readTerraform(files, diagnostics), diagnostics };
}

describe("readTerraform", () => {
  it("keeps data stores, buckets and security groups with their attributes and lines, and leaves IAM out", async () => {
    const { resources, diagnostics } = await read(
      tf(
        "infra/main.tf",
        'resource "aws_iam_role" "app" {', // 1
        '  name = "app"',
        "}",
        "",
        'resource "aws_db_instance" "main" {', // 5
        '  engine                  = "postgres"',
        "  publicly_accessible     = true",
        "  storage_encrypted       = false",
        "  backup_retention_period = 0",
        `  identifier              = "${ref("var.env")}-db"`,
        "  password                = var.db_password",
        "  vpc_security_group_ids  = [aws_security_group.db.id]",
        "  lifecycle {",
        "    prevent_destroy = true",
        "  }",
        "}",
        "",
        'resource "aws_security_group" "db" {', // 18
        "  ingress {",
        "    from_port   = 5432",
        "    to_port     = 5432",
        '    cidr_blocks = ["0.0.0.0/0"]',
        "  }",
        "}",
      ),
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(resources, [
      {
        file: "infra/main.tf",
        line: 5,
        type: "aws_db_instance",
        name: "main",
        attributes: {
          engine: "postgres",
          publicly_accessible: true,
          storage_encrypted: false,
          backup_retention_period: 0,
          identifier: `${ref("var.env")}-db`,
          password: ref("var.db_password"),
          vpc_security_group_ids: [ref("aws_security_group.db.id")],
          lifecycle: [{ prevent_destroy: true }],
        },
      },
      {
        file: "infra/main.tf",
        line: 18,
        type: "aws_security_group",
        name: "db",
        attributes: { ingress: [{ from_port: 5432, to_port: 5432, cidr_blocks: ["0.0.0.0/0"] }] },
      },
    ]);
  });

  it("redacts a literal secret but keeps references", async () => {
    const { resources } = await read(
      tf("infra/cache.tf", 'resource "aws_elasticache_replication_group" "redis" {', '  auth_token = "s3cr3t-Pa55word-2024"', "  transit_encryption_enabled = true", "}"),
    );
    assert.deepEqual(resources[0]?.attributes, { auth_token: "***", transit_encryption_enabled: true });
  });

  it("finds the line of unquoted labels and of each of two files' blocks", async () => {
    const { resources } = await read(
      tf("infra/a.tf", "# buckets", "resource aws_s3_bucket logs {", '  bucket = "logs"', "}"),
      tf("infra/b.tf", "", "", 'resource "aws_s3_bucket" "logs" {', '  bucket = "other-logs"', "}"),
    );
    assert.deepEqual(
      resources.map((r) => [r.file, r.line, r.attributes.bucket]),
      [
        ["infra/a.tf", 2, "logs"],
        ["infra/b.tf", 3, "other-logs"],
      ],
    );
  });

  it("reads Terraform JSON syntax", async () => {
    const { resources } = await read(
      tf("infra/queue.tf.json", "{", '  "resource": {', '    "aws_sqs_queue": {', '      "jobs": {', '        "sqs_managed_sse_enabled": false', "      }", "    }", "  }", "}"),
    );
    assert.deepEqual(resources, [{ file: "infra/queue.tf.json", line: 4, type: "aws_sqs_queue", name: "jobs", attributes: { sqs_managed_sse_enabled: false } }]);
  });

  it("reports a syntax error as invalid-config with its line and keeps reading other files", async () => {
    const { resources, diagnostics } = await read(
      tf("infra/broken.tf", 'resource "aws_s3_bucket" "b" {', '  acl = "private"', "  bucket =", "}"),
      tf("infra/ok.tf", 'resource "aws_kms_key" "k" {', "  enable_key_rotation = true", "}"),
    );
    assert.deepEqual(resources.map((r) => r.type), ["aws_kms_key"]);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.file, d.line]), [["invalid-config", "infra/broken.tf", 3]]);
    assert.match(diagnostics[0]?.message ?? "", /^invalid Terraform \(HCL\): /);
  });

  it("reports invalid Terraform JSON", async () => {
    const { resources, diagnostics } = await read(tf("infra/bad.tf.json", "{ resource: }"));
    assert.deepEqual(resources, []);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.file]), [["invalid-config", "infra/bad.tf.json"]]);
  });

  it("returns nothing for files without resources (variables, outputs, tfvars)", async () => {
    const { resources, diagnostics } = await read(
      tf("infra/variables.tf", 'variable "env" {', '  default = "prod"', "}"),
      tf("infra/prod.tfvars", 'env = "prod"'),
    );
    assert.deepEqual(resources, []);
    assert.deepEqual(diagnostics, []);
  });

  it("keeps the resource types the deployment checks read, and no others", () => {
    for (const kept of ["aws_db_instance", "aws_rds_cluster", "aws_elasticache_cluster", "aws_s3_bucket_public_access_block", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_kms_key", "aws_lb_listener", "aws_msk_cluster", "aws_sqs_queue", "google_sql_database_instance", "google_storage_bucket", "azurerm_postgresql_flexible_server", "azurerm_storage_account"]) {
      assert.ok(isKeptResourceType(kept), kept);
    }
    for (const left of ["aws_iam_role", "aws_instance", "aws_route53_record", "aws_cloudwatch_log_group", "google_project_iam_member", "azurerm_resource_group", "aws_lambda_function"]) {
      assert.ok(!isKeptResourceType(left), left);
    }
  });
});
