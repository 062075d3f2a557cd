import { isProductionArtefact } from "../../model/capacity-numbers.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";
import { productionSignal, serviceDatabase } from "./production-signals.js";

/** Packages that back a database up from the application (`manage.py dbbackup`). */
const BACKUP_PACKAGES = /^(django-dbbackup|django-db-backup|django-backup|flask-alchemydumps|litestream)$/;
/** Management commands and CLI modules named for backups or exports (`management/commands/backup.py`, `document_exporter.py`). */
const BACKUP_COMMAND = /(^|\/)(management\/commands|commands|cli)\/\w*(backup|dump|exporter|snapshot)\w*\.py$/;

export default defineCheck({
  id: "DB009",
  area: "database",
  title: "No backup or restore evidence for the production database",
  severity: "medium",
  kind: "concern",
  confidence: "low",
  why: "Data lost to a bad migration, a deleted volume, an operator mistake or ransomware is gone unless a backup exists and has been restored at least once. Backups set up by hand outside the repository are easy to lose track of: nobody knows the retention, whether point-in-time recovery is on, or whether a restore works.",
  recommendation: "Keep the backup in the repository with the deployment: a managed database's automated backups and point-in-time recovery in IaC (`backup_retention_period` on RDS, `backup_configuration` on Cloud SQL), or a scheduled job (a Kubernetes CronJob running pg_dump or pgBackRest/WAL-G, velero for volumes, django-dbbackup), and a runbook section that says how to restore and when it was last tested.",
  example: { bad: 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n}', good: 'resource "aws_db_instance" "main" {\n  engine                  = "postgres"\n  backup_retention_period = 14\n  deletion_protection     = true\n}' },
  references: ["https://www.postgresql.org/docs/current/backup.html", "https://pgbackrest.org/", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html"],
  effort: "M",
  libraries: ["django-dbbackup"],
  run({ model, index, context }) {
    const production = productionSignal(model, context);
    if (!production) return [];
    // the database the service itself runs against, declared in application code or deployment files
    // a database server: an embedded SQLite file in production is DB008's concern
    const database = serviceDatabase(model);
    if (!database) return [];
    if (model.operations?.backups.length) return [];
    if (model.dependencies.some((d) => BACKUP_PACKAGES.test(d.name) && !d.dev)) return [];
    if ([...index.modules.values()].some((m) => BACKUP_COMMAND.test(m.file))) return [];
    if (model.designDocuments.some((d) => d.topics["backups and recovery"] !== undefined || d.linkedTopics?.["backups and recovery"] !== undefined)) return [];
    const declared = database.evidence;
    const selfHosted = model.hostUserMapping[0];
    // the database appears only in a sample deployment for others to copy: backups are the operators' to set up
    if (!isProductionArtefact(declared.file, model)) {
      return [
        {
          message: `No backup or restore evidence in the repository for the ${database.name} database, which only the sample deployment ${declared.file}${declared.line !== null ? `:${declared.line}` : ""} runs: operators who copy it need to be told how to back up and restore it (a documentation section, a backup service in the sample).`,
          evidence: [declared],
          severity: "low",
        },
      ] satisfies Report[];
    }
    const where = `${declared.file}${declared.line !== null ? `:${declared.line}` : ""}`;
    if (selfHosted) {
      return [
        {
          message: `No backup or restore evidence in the repository for the ${database.name} database (${where}); the image maps its user to the host's, so operators run it on their own servers: document how they back up and restore the database and its volumes.`,
          evidence: [declared],
          severity: "low",
        },
      ] satisfies Report[];
    }
    // a managed platform's database add-on (Heroku Postgres, Render, Fly.io) is backed up by the platform unless its plan says otherwise
    const platform = model.platforms.find((p) => p.name !== "Google Cloud Run" && p.name !== "Google App Engine");
    if (platform) {
      return [
        {
          message: `No backup or restore evidence in the repository for the ${database.name} database (${where}); the service runs on ${platform.name} (${platform.evidence.file}${platform.evidence.line !== null ? `:${platform.evidence.line}` : ""}), whose managed databases are backed up by the plan: check that the plan in use keeps backups, and write down how to restore one.`,
          evidence: [declared, platform.evidence],
          severity: "low",
        },
      ] satisfies Report[];
    }
    return [
      {
        message: `No backup or restore evidence in the repository for the ${database.name} database (${where}), while ${production.reason}: no backup job (pg_dump, pgBackRest, WAL-G, velero), no managed-database backup setting in IaC, no backup package, and no document section on backups or restoring. Backups may be configured outside the repository; if so, say where in a runbook.`,
        evidence: [declared, ...(production.evidence ? [production.evidence] : [])],
      },
    ] satisfies Report[];
  },
});
