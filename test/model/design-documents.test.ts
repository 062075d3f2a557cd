import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readDesignDocuments } from "../../src/model/documents/find-documents.js";
import { parseDesignDocument, parseMermaid } from "../../src/model/documents/parse-document.js";
import type { WorkspaceFile } from "../../src/workspace/types.js";

const doc = (...lines: string[]) => parseDesignDocument("docs/ARCHITECTURE.md", `${lines.join("\n")}\n`, "design");
const positive = (d: ReturnType<typeof doc>) => d.mentions.filter((m) => !m.negated).map((m) => `${m.concept}@${m.line}`);
const negative = (d: ReturnType<typeof doc>) => d.mentions.filter((m) => m.negated).map((m) => `${m.concept}@${m.line}`);

describe("design documents: technologies", () => {
  it("recognises synonyms and managed-service names through one vocabulary", () => {
    const d = doc("# Design", "", "Data lives in Aurora Postgres; sessions in ElastiCache.", "Events go through MSK, jobs through Celery, files to S3.", "Errors go to Sentry and metrics to Prometheus.");
    assert.deepEqual(positive(d), ["postgresql@3", "redis@3", "kafka@4", "celery@4", "object-storage@4", "sentry@5", "prometheus@5"]);
  });

  it("reads negations within the clause before the mention, and not after it", () => {
    const d = doc("# Design", "", "We use PostgreSQL, not MongoDB.", "We do not use Kafka; Redis holds the queue.", "Instead of RabbitMQ we chose SQS.");
    assert.deepEqual(positive(d), ["postgresql@3", "redis@4", "sqs@5"]);
    assert.deepEqual(negative(d), ["mongodb@3", "kafka@4", "rabbitmq@5"]);
  });
});

describe("design documents: diagrams", () => {
  it("parses a Mermaid flowchart into labelled nodes and edges, with labels that hold brackets", () => {
    const d = parseMermaid(['flowchart LR', '  api["shop-api (FastAPI)"] -->|"SQL"| db[("PostgreSQL 16")]', "  api --> cache[(Redis)]", "  worker -.-> db"].join("\n"), 10);
    assert.equal(d.kind, "flowchart");
    assert.deepEqual(d.nodes.map((n) => `${n.id}=${n.label}@${n.line}`), ["api=shop-api (FastAPI)@12", "db=PostgreSQL 16@12", "cache=Redis@13", "worker=worker@14"]);
    assert.deepEqual(d.edges.map((e) => `${e.from}->${e.to}:${e.label}`), ["api->db:SQL", "api->cache:", "worker->db:"]);
  });

  it("parses sequence and C4 diagrams, and PlantUML blocks, and counts their labels as mentions", () => {
    const d = doc(
      "# Design",
      "```mermaid",
      "sequenceDiagram",
      "  participant A as API",
      "  participant Q as RabbitMQ",
      "  A->>Q: publish order",
      "```",
      "```mermaid",
      "C4Container",
      '  ContainerDb(db, "Orders DB", "MySQL")',
      '  Container(api, "API", "FastAPI")',
      '  Rel(api, db, "reads and writes")',
      "```",
      "```plantuml",
      "@startuml",
      'database "MongoDB" as mongo',
      "component api",
      "api --> mongo : stores documents",
      "@enduml",
      "```",
    );
    assert.deepEqual(d.diagrams.map((g) => [g.kind, g.nodes.length, g.edges.map((e) => `${e.from}->${e.to}`).join(",")]), [
      ["sequence", 2, "A->Q"],
      ["c4", 2, "api->db"],
      ["plantuml", 2, "api->mongo"],
    ]);
    assert.deepEqual(positive(d).filter((m) => m.startsWith("rabbitmq") || m.startsWith("mongodb")), ["rabbitmq@5", "mongodb@16"]);
  });
});

describe("design documents: numbers, claims and topics", () => {
  it("reads numbers with their units, normalised", () => {
    const d = doc("# Scale", "", "Peak **2k requests/s**, 600 req/min at night, 1.2M users.", "p99 < 250 ms for reads and p95 under 1.5 s for checkout.", "About 3 TB of data; 99.95 % availability; 50 messages per second.");
    assert.deepEqual(
      d.numbers.map((n) => `${n.kind}:${n.value}${n.unit}${n.percentile ? `:${n.percentile}` : ""}@${n.line}`),
      ["throughput:2000req/s@3", "throughput:10req/s@3", "users:1200000users@3", "latency:250ms:p99@4", "latency:1500ms:p95@4", "messages:50msg/s@5", "data:3000GB@5", "availability:99.95%@5"],
    );
  });

  it("reads claims about every route across wrapped lines, with their exceptions, and leaves other sentences alone", () => {
    const d = doc("# Security", "", "Every endpoint except login and the catalogue reads", "requires a JWT.", "", "All routes live under `/api/v2`.", "", "Some endpoints require a token.");
    assert.deepEqual(d.claims.map((c) => [c.kind, c.line, c.exceptions, c.prefix ?? null]), [
      ["auth", 3, ["login", "the catalogue reads"], null],
      ["versioning", 6, [], "/api/v2"],
    ]);
  });

  it("notes the first line addressing each review topic and each mechanism", () => {
    const d = doc("# Ops", "", "Daily snapshots, restored monthly.", "Two API instances behind a load balancer.", "Alerts page the on-call engineer.");
    assert.deepEqual(d.topics, { "backups and recovery": 3, scaling: 4, monitoring: 5 });
    assert.equal(d.mechanisms["scaling out"], 4);
    assert.equal(d.mechanisms.redundancy, undefined);
  });

  it("reads reStructuredText and plain text line by line, with underlined headings", () => {
    const d = parseDesignDocument("docs/design.rst", "Storage\n=======\n\nOrders are kept in PostgreSQL; the peak is 300 rps.\n", "design");
    assert.deepEqual(d.headings.map((h) => [h.text, h.line]), [["Storage", 1]]);
    assert.deepEqual(positive(d), ["postgresql@4"]);
    assert.deepEqual(d.numbers.map((n) => n.value), [300]);
  });
});

describe("design documents: which files", () => {
  it("takes architecture and design documents and decision records, not other documentation or vendored files", () => {
    const file = (path: string): WorkspaceFile => ({ path, kind: "doc", size: 10, text: "# T\n\nPostgreSQL.\n" });
    const docs = readDesignDocuments([file("ARCHITECTURE.md"), file("docs/design/storage.md"), file("docs/adr/0001-use-postgres.md"), file("docs/user-guide.md"), file("node_modules/x/DESIGN.md"), file("notes/plan.md")], new Set(["notes/plan.md"]));
    assert.deepEqual(docs.map((d) => [d.file, d.role]), [
      ["ARCHITECTURE.md", "design"],
      ["docs/adr/0001-use-postgres.md", "adr"],
      ["docs/design/storage.md", "design"],
      ["notes/plan.md", "design"],
    ]);
  });
});

describe("design documents: not this backend's", () => {
  it("skips tool folders and the front end's own documents", () => {
    const file = (path: string): WorkspaceFile => ({ path, kind: "doc", size: 10, text: "# T\n" });
    const docs = readDesignDocuments([file("frontend/ARCHITECTURE.md"), file("frontend/.claude/context/architecture.md"), file(".github/DESIGN.md"), file("backend/ARCHITECTURE.md")]);
    assert.deepEqual(docs.map((d) => d.file), ["backend/ARCHITECTURE.md"]);
  });
});

describe("design documents: README architecture sections", () => {
  it("takes only the architecture sections of a README, keeping their line numbers", async () => {
    const { architectureSection } = await import("../../src/model/documents/find-documents.js");
    const readme = ["# Shop", "", "Install Redis for development.", "", "## Architecture", "", "Orders live in PostgreSQL.", "", "### Workers", "Celery runs the jobs.", "", "## Contributing", "Kafka fans welcome."].join("\n");
    const section = architectureSection(readme) ?? "";
    const d = parseDesignDocument("README.md", section, "readme");
    assert.deepEqual(positive(d), ["postgresql@7", "celery@10"]);
    assert.equal(architectureSection("# Shop\n\nJust a shop.\n"), null);
    const file = (path: string, text: string): WorkspaceFile => ({ path, kind: "doc", size: text.length, text });
    assert.deepEqual(readDesignDocuments([file("README.md", readme), file("docs/README.md", readme)]).map((x) => [x.file, x.role]), [["README.md", "readme"]]);
  });
});

describe("design documents: architecture style", () => {
  it("reads the styles a document says the system follows, not those it rejects", () => {
    const d = parseDesignDocument("DESIGN.md", "# Design\n\nshop-api is a modular monolith, not microservices.\nOrders flow through an event-driven pipeline.\n", "design");
    assert.deepEqual(d.styles, [
      { style: "modular monolith", line: 3 },
      { style: "event-driven", line: 4 },
    ]);
  });
});
