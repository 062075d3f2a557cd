import assert from "node:assert/strict";
import { describe, it } from "node:test";
import terraformMisconfiguration from "../../src/checks/deployment/terraform-misconfiguration.js";
import { locations, project } from "../helpers/project.js";

describe("DEP009 Terraform misconfiguration", () => {
  it("fires on a public, unencrypted database without backups, at the resource line", async () => {
    const tf = 'provider "aws" {}\n\nresource "aws_db_instance" "main" {\n  engine                  = "postgres"\n  publicly_accessible     = true\n  storage_encrypted       = false\n  backup_retention_period = 0\n}\n';
    const findings = (await project({ "infra/main.tf": tf })).run(terraformMisconfiguration);
    assert.deepEqual(locations(findings), [["DEP009", "infra/main.tf", 3]]);
    assert.equal(findings[0]?.severity, "high");
    assert.match(findings[0]?.message ?? "", /publicly_accessible = true.*storage_encrypted = false.*backup_retention_period = 0/);
  });

  it("fires on a security group open to the internet on the PostgreSQL port", async () => {
    const tf = 'resource "aws_security_group" "db" {\n  name = "db"\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const findings = (await project({ "infra/network.tf": tf })).run(terraformMisconfiguration);
    assert.deepEqual(locations(findings), [["DEP009", "infra/network.tf", 1]]);
    assert.match(findings[0]?.message ?? "", /5432 \(PostgreSQL\)/);
  });

  it("fires on a public-read bucket ACL", async () => {
    const tf = 'resource "aws_s3_bucket_acl" "uploads" {\n  bucket = "uploads"\n  acl    = "public-read"\n}\n';
    assert.deepEqual(locations((await project({ "infra/s3.tf": tf })).run(terraformMisconfiguration)), [["DEP009", "infra/s3.tf", 1]]);
  });

  it("is low for public-access blocks turned off on a bucket named for public assets", async () => {
    const tf = 'resource "aws_s3_bucket_public_access_block" "public_assets" {\n  bucket                  = "x"\n  block_public_acls       = true\n  ignore_public_acls      = true\n  block_public_policy     = false\n  restrict_public_buckets = false\n}\n';
    const findings = (await project({ "infra/s3.tf": tf })).run(terraformMisconfiguration);
    assert.deepEqual(locations(findings), [["DEP009", "infra/s3.tf", 1]]);
    assert.equal(findings[0]?.severity, "low");
  });

  it("stays quiet on a private, encrypted, backed-up database and on HTTPS open to the world", async () => {
    const tf = [
      'resource "aws_db_instance" "main" {\n  publicly_accessible     = false\n  storage_encrypted       = true\n  backup_retention_period = 7\n  deletion_protection     = true\n}',
      'resource "aws_security_group" "lb" {\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}',
      'resource "aws_security_group" "db" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/16"]\n  }\n}',
      'resource "aws_s3_bucket_acl" "uploads" {\n  bucket = "uploads"\n  acl    = "private"\n}',
    ].join("\n\n");
    const p = await project({ "infra/main.tf": `${tf}\n` });
    assert.equal(p.model.terraform.length, 4);
    assert.deepEqual(p.run(terraformMisconfiguration), []);
  });

  it("flags deletion_protection = false only on a production database", async () => {
    const tf = (name: string) => `resource "aws_db_instance" "${name}" {\n  deletion_protection = false\n}\n`;
    assert.deepEqual((await project({ "infra/staging/db.tf": tf("staging") })).run(terraformMisconfiguration), []);
    const findings = (await project({ "infra/prod/db.tf": tf("main") })).run(terraformMisconfiguration);
    assert.deepEqual(locations(findings), [["DEP009", "infra/prod/db.tf", 1]]);
    assert.equal(findings[0]?.severity, "medium");
  });
});
