import assert from "node:assert/strict";
import { describe, it } from "node:test";
import diagramTextMismatch from "../../src/checks/documents/diagram-text-mismatch.js";
import drift from "../../src/checks/documents/drift.js";
import unaddressedAreas from "../../src/checks/documents/unaddressed-areas.js";
import vagueNumbers from "../../src/checks/documents/vague-numbers.js";
import { readDesignDocuments } from "../../src/model/documents/find-documents.js";
import { parseDesignDocument } from "../../src/model/documents/parse-document.js";
import type { WorkspaceFile } from "../../src/workspace/types.js";
import { project, py } from "../helpers/project.js";

/** Near misses from real repositories (zulip, Flagsmith, GSA-TTS/FAC, cisagov/manage.get.gov), each a false alarm once. */
const md = (...lines: string[]) => `${lines.join("\n")}\n`;
const DJANGO = { "requirements.txt": "django==5.1\npsycopg2==2.9.10\n", "app/__init__.py": "", "app/views.py": py("def home(request): ...") };

describe("design documents on real repositories: near misses", () => {
  it("does not take an option or a decision record's context for a part of the system", async () => {
    const options = await project({ ...DJANGO, "docs/architecture.md": md("# Platform", "", "Data lives in PostgreSQL.", "Enterprise features: support for additional databases (Oracle, MySQL).") });
    assert.deepEqual(options.run(drift), []);
    const adr = md("# 5. Use PostgreSQL", "", "## Status", "Accepted", "", "## Context", "Cloud.gov supports MySQL, PostgreSQL, and Oracle.", "", "## Decision", "To use PostgreSQL.");
    const decided = await project({ ...DJANGO, "docs/decisions/0005-postgresql.md": adr });
    assert.deepEqual(decided.model.designDocuments.map((d) => d.role), ["adr"]);
    assert.deepEqual(decided.run(drift, unaddressedAreas, vagueNumbers), []);
    // given explicitly, an ADR-shaped document stays a decision record
    const explicit = readDesignDocuments([{ path: "notes/pg.md", kind: "doc", size: adr.length, text: adr }], new Set(["notes/pg.md"]));
    assert.deepEqual(explicit.map((d) => d.role), ["adr"]);
  });

  it("finds the code's store through packages the catalog does not know, and ignores development requirement files", async () => {
    const p = await project({
      "requirements.txt": "django==5.1\npsycopg2==2.9.10\npython-binary-memcached==0.31.2\n",
      "requirements/dev.txt": "pymongo==4.10.1\n",
      "app/__init__.py": "",
      "app/views.py": py("def home(request): ..."),
      "docs/architecture.md": md("# Design", "", "Data in PostgreSQL; sessions and caches in memcached."),
    });
    assert.deepEqual(p.run(drift).map((f) => f.message), []);
  });

  it("does not take a driver's import for a store in use: pymongo installed to read bson files", async () => {
    const p = await project({
      "requirements.txt": "django==5.1\npsycopg2==2.9.10\npymongo==4.2.0\n",
      "app/__init__.py": "",
      "app/views.py": py("def home(request): ..."),
      "app/data_import.py": py("import bson", "def read(path):", "    return bson.decode_all(open(path, 'rb').read())"),
      "docs/architecture.md": md("# Design", "", "```mermaid", "flowchart LR", "  web --> db[(PostgreSQL)]", "  web --> cache[(Redis)]", "```", "Data in PostgreSQL, sessions in Redis."),
    });
    assert.deepEqual(p.run(drift).filter((f) => /MongoDB|PyMongo/.test(f.message)), []);
  });

  it("matches services by concept, whole words and longer forms only: S3 named, 'sent' is not Sentry", async () => {
    const files = { ...DJANGO, "requirements.txt": "django==5.1\npsycopg2==2.9.10\nboto3==1.35.0\nsentry-sdk==2.19.0\n", "app/storage.py": py("import boto3", "s3 = boto3.client('s3')"), "app/main.py": py("import sentry_sdk", "sentry_sdk.init()") };
    const doc = (line: string) => md("# Design", "", "```mermaid", "flowchart LR", "  web --> db[(PostgreSQL)]", "  web --> files[(S3)]", "```", "Data in PostgreSQL; uploads on a cloud storage service like Amazon S3.", line);
    const sent = await project({ ...files, "docs/architecture.md": doc("Messages are sent to the Tornado server.") });
    assert.deepEqual(sent.run(drift).map((f) => f.message), ["The code calls Sentry (SDK), but no design document names it."]);
    const named = await project({ ...files, "docs/architecture.md": doc("Errors go to Sentry.") });
    assert.deepEqual(named.run(drift), []);
  });

  it("reads C4-PlantUML macros, curly quotes and two-way arrows, and does not take a sequence diagram for the system", () => {
    const d = parseDesignDocument(
      "docs/architecture/context.md",
      md("# Context", "", "```plantuml", "@startuml", '!include <C4/C4_Context>', 'Person(user, "Auditee")', 'System(fac, "FAC.gov", "Django")', 'SystemDb(db, "Database", "PostgreSQL")', 'Rel(user, fac, "Submits audits", "HTTPS")', 'Rel(fac, db, "reads and writes")', "@enduml", "```", "", "```plantuml", "@startuml", "Participant “FAC.gov” as FAC", "Database “DataStore” as DB", "FAC <-> DB : store", "@enduml", "```"),
      "design",
    );
    assert.deepEqual(d.diagrams.map((g) => [g.kind, g.nodes.length, g.edges.length]), [
      ["plantuml", 3, 2],
      ["sequence", 2, 1],
    ]);
    assert.ok(d.mentions.some((m) => m.concept === "postgresql" && m.section === "diagram"));
  });

  it("reads topics through identifiers, diagram labels and linked pages; never from link targets", async () => {
    const design = md(
      "# Overview",
      "",
      "```mermaid",
      "flowchart LR",
      '  user -->|"Redirects for authentication"| web --> db[(PostgreSQL)]',
      "```",
      "## Storage",
      "Backups run from `puppet/manifests/postgresql_backups.pp`.",
      "## More",
      "See [this page](../testing/overview.md) and [that one](https://logs.example/app#/scale:(type:linear)).",
      ...Array.from({ length: 14 }, (_, i) => `Line ${i}.`),
    );
    const p = await project({ ...DJANGO, "docs/overview/architecture-overview.md": design, "docs/testing/overview.md": md("# Testing", "", "CI runs the tests on every pull request.") });
    const doc = p.model.designDocuments[0];
    assert.deepEqual(Object.keys(doc?.topics ?? {}).sort(), ["authentication", "backups and recovery"]);
    assert.deepEqual(doc?.linkedTopics, { "testing and delivery": "docs/testing/overview.md" });
    const missing = p.run(unaddressedAreas).map((f) => f.message.replace(/^.* says nothing about ([^:]+):.*$/, "$1")).sort();
    assert.deepEqual(missing, ["deployment", "failure handling", "monitoring", "scaling"]);
  });

  it("takes a design note beside one package's code for that component, and boto3 for S3 only where the code calls S3", async () => {
    const note = md("# Consumer", "", "```mermaid", "flowchart LR", "  kafka --> parse --> batch --> write", "```", "## Steps", "Each message is parsed and batched.", ...Array.from({ length: 20 }, (_, i) => `Step ${i}.`));
    const p = await project({ ...DJANGO, "rust_consumer/Cargo.toml": "[package]\nname = \"consumer\"\n", "rust_consumer/ARCHITECTURE.md": note });
    assert.equal(p.model.designDocuments[0]?.scope, "component");
    assert.deepEqual(p.run(unaddressedAreas, vagueNumbers), []);
    const sns = { ...DJANGO, "requirements.txt": "django==5.1\npsycopg2==2.9.10\nboto3==1.35.0\n", "app/notify.py": py("import boto3", "sns = boto3.client('sns')") };
    const design = md("# Design", "", "```mermaid", "flowchart LR", "  web --> db[(PostgreSQL)]", "  web --> cache[(Redis)]", "```", "Data in PostgreSQL, sessions in Redis.");
    const q = await project({ ...sns, "docs/architecture.md": design });
    assert.deepEqual(q.run(drift).filter((f) => /S3|Boto3/.test(f.message)), []);
  });

  it("does not hold a page that is only a diagram against its text", async () => {
    const p = await project({ "docs/architecture/sequence.md": md("# Interaction view", "", "```mermaid", "flowchart LR", "  web --> files[(S3)]", "  web --> db[(PostgreSQL)]", "```", "## Looks like updates are needed") });
    assert.deepEqual(p.run(diagramTextMismatch), []);
  });

  it("reads the numbers real documents use", () => {
    const d = parseDesignDocument("ARCHITECTURE.md", md("# Scale", "", "From a small team to 10,000s of users.", "Page loads stay under 200ms, usually around 40-80ms.", "Tens of thousands of customers."), "design");
    assert.deepEqual(d.numbers.map((n) => `${n.kind}:${n.value}${n.percentile ? `:${n.percentile}` : ""}@${n.line}`), ["users:10000@3", "latency:200:typical@4", "users:10000@5"]);
  });

  it("chooses design documents by name with care, and reads front matter as metadata", () => {
    const file = (path: string, text = "# T\n"): WorkspaceFile => ({ path, kind: "doc", size: text.length, text });
    const docs = readDesignDocuments([
      file("docs/contributing/design-discussions.md"),
      file("docs/flagsmith-concepts/platform-architecture.md", "---\ntitle: Platform Architecture\nsidebar_position: 2\n---\n\nData in PostgreSQL.\n"),
      file("docs/architecture/diagrams/context.md"),
      file("README.md", "# Infrastructure as a (public) service\n\nWe run MySQL.\n"),
    ]);
    assert.deepEqual(docs.map((d) => [d.file, d.title]), [
      ["docs/architecture/diagrams/context.md", "T"],
      ["docs/flagsmith-concepts/platform-architecture.md", "Platform Architecture"],
    ]);
    assert.deepEqual(docs[1]?.mentions.map((m) => m.line), [6]);
  });

  it("does not count a mechanism the document decides against", () => {
    const d = parseDesignDocument("DESIGN.md", md("# Caching", "", "We measured it and leave caching off.", "Reads are cached in the CDN."), "design");
    assert.equal(d.mechanisms.caching, 4);
  });
});
