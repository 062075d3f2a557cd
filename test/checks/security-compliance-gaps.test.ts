import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/security/compliance-gaps.js";
import { project, py } from "../helpers/project.js";

const BASE = {
  "requirements.txt": "django==5.1\npsycopg==3.2\ngunicorn==23.0.0\n",
  "mysite/__init__.py": "",
  "mysite/settings.py": py("ROOT_URLCONF = 'mysite.urls'", "INSTALLED_APPS = ['django.contrib.auth', 'clinic']", 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}'),
  "mysite/urls.py": py("from django.urls import path", "from clinic import views", "urlpatterns = [path('patients/', views.patients)]"),
  "clinic/__init__.py": "",
  "clinic/models.py": py("from django.db import models", "class Patient(models.Model):", "    name = models.CharField(max_length=200)"),
  "clinic/views.py": py("from django.http import JsonResponse", "def patients(request):", "    return JsonResponse({})"),
  Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "mysite.wsgi", "--workers", "3"]\n',
};

const controls = (messages: string[]) => messages.map((m) => /No evidence in the repository of ([a-z ]+?), which/.exec(m)?.[1]);

describe("SEC030 compliance gaps", () => {
  it("stays quiet when the context declares no compliance regime", async () => {
    assert.deepEqual((await project(BASE)).run(check), []);
    assert.deepEqual((await project(BASE, { context: { compliance: [] } })).run(check), []);
  });

  it("reports each unmet control as high, naming the regime's clauses, when HIPAA is declared", async () => {
    const findings = (await project(BASE, { context: { compliance: ["HIPAA"] } })).run(check);
    assert.deepEqual(controls(findings.map((f) => f.message)).sort(), ["access logging", "audit logging", "data retention and deletion", "encryption at rest", "encryption in transit"]);
    assert.ok(findings.every((f) => f.severity === "high"));
    const audit = findings.find((f) => /audit logging/.test(f.message));
    assert.deepEqual(audit?.evidence.map((e) => [e.file, e.line]), [["clinic/models.py", null]]);
    assert.match(audit?.message ?? "", /HIPAA §164\.312\(b\) audit controls/);
    assert.match(audit?.message ?? "", /Raised from info: the context declares HIPAA/);
  });

  it("counts each control met by its evidence: history package, KMS in Terraform, TLS on the ingress, a retention job, access logs", async () => {
    const met = {
      ...BASE,
      "requirements.txt": "django==5.1\npsycopg==3.2\ngunicorn==23.0.0\ndjango-simple-history==3.7\n",
      Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "mysite.wsgi", "--workers", "3", "--access-logfile", "-"]\n',
      "infra/db.tf": 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n  storage_encrypted = true\n}\n',
      "k8s/ingress.yaml": ["apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata:", "  name: web", "spec:", "  tls:", "    - hosts: [clinic.example.org]", "      secretName: web-tls", ""].join("\n"),
      "clinic/tasks.py": py("from clinic.models import Patient", "def purge_expired_records():", "    Patient.objects.filter(discharged__lt=cutoff()).delete()"),
    };
    assert.deepEqual((await project(met, { context: { compliance: ["GDPR", "pci-dss"] } })).run(check), []);
    // only the audit trail missing: one finding, for GDPR and PCI-DSS
    const noAudit = { ...met, "requirements.txt": "django==5.1\npsycopg==3.2\ngunicorn==23.0.0\n" };
    const findings = (await project(noAudit, { context: { compliance: ["GDPR", "pci-dss"] } })).run(check);
    assert.deepEqual(controls(findings.map((f) => f.message)), ["audit logging"]);
    assert.match(findings[0]?.message ?? "", /GDPR, PCI-DSS asks for \(GDPR Art\. 5\(2\) accountability, Art\. 30; PCI-DSS Req\. 10\)/);
  });

  it("takes an audit table or a history model as audit logging", async () => {
    const withAudit = { ...BASE, "clinic/models.py": py("from django.db import models", "class Patient(models.Model):", "    name = models.CharField(max_length=200)", "class AuditLogEntry(models.Model):", "    action = models.CharField(max_length=20)") };
    const findings = (await project(withAudit, { context: { compliance: ["SOC 2"] } })).run(check);
    assert.ok(!controls(findings.map((f) => f.message)).includes("audit logging"));
  });
});

describe("SEC030 near-misses found on real backends", () => {
  it("takes an event table with an actor column (saleor's OrderEvent) as audit logging, and an application that encrypts with Fernet as encryption at rest", async () => {
    const files = {
      ...BASE,
      "clinic/models.py": py("from django.db import models", "class Patient(models.Model):", "    name = models.CharField(max_length=200)", "class PatientEvent(models.Model):", "    patient = models.ForeignKey(Patient, on_delete=models.CASCADE)", "    user = models.ForeignKey('auth.User', null=True, on_delete=models.SET_NULL)", "    type = models.CharField(max_length=50)"),
      "clinic/crypto.py": py("from cryptography.fernet import Fernet", "class Fernet256(Fernet):", "    pass"),
    };
    const findings = (await project(files, { context: { compliance: ["SOC2"] } })).run(check);
    const unmet = controls(findings.map((f) => f.message));
    assert.ok(!unmet.includes("audit logging"), unmet.join(", "));
    assert.ok(!unmet.includes("encryption at rest"), unmet.join(", "));
    // a domain event with no actor is not an audit trail
    const domain = { ...BASE, "clinic/models.py": py("from django.db import models", "class Patient(models.Model):", "    name = models.CharField(max_length=200)", "class AdmissionEvent(models.Model):", "    patient = models.ForeignKey(Patient, on_delete=models.CASCADE)") };
    assert.ok(controls((await project(domain, { context: { compliance: ["SOC2"] } })).run(check).map((f) => f.message)).includes("audit logging"));
  });
});
