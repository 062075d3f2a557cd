import assert from "node:assert/strict";
import { describe, it } from "node:test";
import diagramTextMismatch from "../../src/checks/documents/diagram-text-mismatch.js";
import documentSummary from "../../src/checks/documents/document-summary.js";
import drift from "../../src/checks/documents/drift.js";
import singlePointOfFailure from "../../src/checks/documents/single-point-of-failure.js";
import targetsWithoutMechanism from "../../src/checks/documents/targets-without-mechanism.js";
import unaddressedAreas from "../../src/checks/documents/unaddressed-areas.js";
import vagueNumbers from "../../src/checks/documents/vague-numbers.js";
import { locations, project, py } from "../helpers/project.js";

const md = (...lines: string[]) => `${lines.join("\n")}\n`;
/** A small FastAPI service on PostgreSQL with a Celery worker on Redis; one public write route. */
const CODE = {
  "requirements.txt": "fastapi==0.115.0\nsqlalchemy==2.0.36\npsycopg2==2.9.10\ncelery==5.4.0\nredis==5.2.0\npyjwt==2.10.1\n",
  "app/__init__.py": "",
  "app/main.py": py(
    "from fastapi import Depends, FastAPI",
    "app = FastAPI()",
    "def current_user(): ...",
    '@app.get("/api/v1/items", dependencies=[Depends(current_user)])',
    "def items(): return []",
    '@app.post("/api/v1/items")',
    "def create_item(): return {}",
    '@app.post("/api/v1/login")',
    "def login(): return {}",
    '@app.get("/health")',
    "def health(): return {}",
  ),
};

/** A thorough design: every topic, numbers with mechanisms, a diagram that matches the text. */
const THOROUGH = md(
  "# Orders service",
  "",
  "```mermaid",
  "flowchart LR",
  '  api["API (FastAPI)"] --> db[("PostgreSQL")]',
  '  api --> redis[("Redis")]',
  '  redis --> worker["Celery worker"]',
  "```",
  "",
  "## Components",
  "The API stores orders in PostgreSQL; Celery workers take jobs from Redis.",
  "",
  "## Scale",
  "Peak 300 requests/s, p95 < 200 ms, 20 GB of data, 99.9 % availability.",
  "Reads are cached in Redis; three API instances behind a load balancer; multi-AZ PostgreSQL with failover.",
  "",
  "## Security",
  "Users log in and receive a JWT.",
  "",
  "## Operations",
  "Logs and metrics go to Grafana; alerts page the on-call engineer.",
  "Outbound calls have timeouts and retries.",
  "Nightly backups, restored monthly in staging.",
  "Deployed with Docker to Kubernetes; CI runs the tests on every pull request.",
);

describe("DOC004 drift between design and code", () => {
  it("reports a store the document names and the code does not use, once, at its first mention", async () => {
    const p = await project({ ...CODE, "docs/ARCHITECTURE.md": md("# Design", "", "Orders live in PostgreSQL; Celery runs on Redis.", "Search is served by OpenSearch.", "", "OpenSearch is re-indexed nightly.") });
    assert.deepEqual(locations(p.run(drift)), [["DOC004", "docs/ARCHITECTURE.md", 4]]);
  });

  it("reports what the code uses and the document leaves out, and what the document says is not used", async () => {
    const tasks = py("import redis", "from celery import Celery", 'app = Celery("shop", broker="redis://redis:6379/0")');
    const diagram = ["```mermaid", "flowchart LR", "  client --> api --> db[(Postgres)]", "```"];
    const p = await project({ ...CODE, "app/tasks.py": tasks, "docs/ARCHITECTURE.md": md("# Design", "", ...diagram, "Orders live in Postgres (RDS).", "We do not use Redis.") });
    const found = p.run(drift);
    assert.deepEqual(
      found.map((f) => f.message),
      ["docs/ARCHITECTURE.md says Redis is not used, but the code uses it (Redis).", "The code uses Celery, but docs/ARCHITECTURE.md does not mention it."],
    );
    // both sides' evidence: the document line and where the code uses it
    assert.deepEqual(found[0]?.evidence.map((e) => e.file), ["docs/ARCHITECTURE.md", "app/tasks.py"]);
    assert.equal(found[0]?.evidence[0]?.line, 8);
    // a package declared and never imported, connected or configured is not a store in use; a page that
    // names one store and draws nothing is not expected to list them all
    const declared = await project({ ...CODE, "docs/ARCHITECTURE.md": md("# Design", "", ...diagram, "Orders live in Postgres (RDS).") });
    assert.deepEqual(declared.run(drift), []);
    const narrow = await project({ ...CODE, "app/tasks.py": tasks, "docs/ARCHITECTURE.md": md("# Design", "", "Orders live in Postgres (RDS).") });
    assert.deepEqual(narrow.run(drift), []);
  });

  it("checks a claim about every route against the endpoint inventory, honouring its exceptions", async () => {
    const claim = await project({ ...CODE, "docs/ARCHITECTURE.md": md("# Design", "", "PostgreSQL, Redis and Celery.", "", "Every endpoint except login requires a JWT.") });
    const found = claim.run(drift);
    assert.deepEqual(locations(found), [["DOC004", "docs/ARCHITECTURE.md", 5]]);
    assert.match(found[0]?.message ?? "", /1 endpoint serves requests without it: POST \/api\/v1\/items\./);
    assert.deepEqual(found[0]?.evidence.map((e) => `${e.file}:${e.line}`), ["docs/ARCHITECTURE.md:5", "app/main.py:7"]);
    // near miss: the exceptions cover every public route (health is exempt without being named)
    const kept = await project({ ...CODE, "docs/ARCHITECTURE.md": md("# Design", "", "PostgreSQL, Redis and Celery.", "", "Every endpoint except login and item creation requires a JWT.") });
    assert.deepEqual(kept.run(drift), []);
  });

  it("stays silent on synonyms, negated alternatives, and a review of the document alone", async () => {
    const p = await project({ ...CODE, "docs/ARCHITECTURE.md": md("# Design", "", "Data in Aurora PostgreSQL, jobs in Celery over ElastiCache.", "We considered Kafka but chose Redis.") });
    assert.deepEqual(p.run(drift), []);
    const alone = await project({ "DESIGN.md": md("# Design", "", "Search runs on Elasticsearch.") });
    assert.deepEqual(alone.run(drift), []);
  });

  it("reports an external service the code calls and the document never names (low: a completeness gap), by its name or its setting's name", async () => {
    const files = {
      ...CODE,
      "requirements.txt": `${CODE["requirements.txt"]}stripe==11.1.0\nhttpx==0.27.2\n`,
      "app/billing.py": py("import stripe", "def charge(amount):", "    return stripe.PaymentIntent.create(amount=amount)"),
      "docker-compose.yml": ["services:", "  api:", "    build: .", "    environment:", "      SHIPPING_API_URL: https://rates.shipfast.example/v1", ""].join("\n"),
    };
    const silent = await project({ ...files, "docs/ARCHITECTURE.md": md("# Design", "", "Orders in PostgreSQL; Celery on Redis.", "Cards are charged through Stripe; quotes come from the shipping rates API.") });
    assert.deepEqual(silent.run(drift).map((f) => f.message), []);
    const p = await project({ ...files, "docs/ARCHITECTURE.md": md("# Design", "", "Orders in PostgreSQL; Celery on Redis.") });
    const found = p.run(drift).filter((f) => /calls/.test(f.message));
    assert.deepEqual(found.map((f) => [f.severity, f.message.replace(/ \(.*\)/, "")]).sort(), [
      ["low", "The code calls Stripe, but no design document names it."],
      ["low", "The code calls rates.shipfast.example, but no design document names it."],
    ]);
  });

  it("reports a worker the deployment runs that the document never mentions, and is silent once it does", async () => {
    const compose = ["services:", "  api:", "    build: .", "  worker:", "    build: .", "    command: celery -A app.tasks worker", ""].join("\n");
    const missing = await project({ ...CODE, "docker-compose.yml": compose, "docs/ARCHITECTURE.md": md("# Design", "", "```mermaid", "flowchart LR", "  api --> db[(PostgreSQL)]", "  api --> cache[(Redis)]", "```", "The API keeps orders in PostgreSQL and caches in Redis.") });
    assert.deepEqual(missing.run(drift).filter((f) => /deployment runs/.test(f.message)).map((f) => [f.severity, f.evidence[0]?.file]), [["medium", "docker-compose.yml"]]);
    const named = await project({ ...CODE, "docker-compose.yml": compose, "docs/ARCHITECTURE.md": md("# Design", "", "```mermaid", "flowchart LR", "  api --> db[(PostgreSQL)]", "  api --> cache[(Redis)]", "```", "The API keeps orders in PostgreSQL; Celery workers send e-mails.") });
    assert.deepEqual(named.run(drift).filter((f) => /deployment runs/.test(f.message)), []);
  });

  it("calls a flavour difference medium: MySQL written, MariaDB run", async () => {
    const p = await project({
      "requirements.txt": "django==5.1\n",
      "docker-compose.yml": "services:\n  db:\n    image: mariadb:11\n",
      "app/__init__.py": "",
      "docs/architecture.md": md("# Design", "", "Data is stored in MySQL."),
    });
    const found = p.run(drift).filter((f) => /flavour/.test(f.message));
    assert.deepEqual(found.map((f) => [f.severity, f.evidence[0]?.line]), [["medium", 3]]);
  });
});

describe("DOC002, DOC005, DOC006: what the design leaves out", () => {
  it("is silent on a thorough design", async () => {
    const p = await project({ ...CODE, "docs/ARCHITECTURE.md": THOROUGH });
    assert.deepEqual(p.run(unaddressedAreas, targetsWithoutMechanism, vagueNumbers, singlePointOfFailure, diagramTextMismatch), []);
  });

  it("reports each area a substantial design does not address, at the document", async () => {
    const thin = md("# Orders service", "", "```mermaid", "flowchart LR", "  client --> api --> db", "```", "## Components", "The API stores orders in PostgreSQL.", "", "## Security", "Users log in with a JWT.", ...Array.from({ length: 16 }, (_, i) => `Detail ${i}.`));
    const p = await project({ "docs/ARCHITECTURE.md": thin });
    assert.deepEqual(
      p.run(unaddressedAreas).map((f) => f.message.replace(/^docs\/ARCHITECTURE.md says nothing about ([^:]+):.*/, "$1")).sort(),
      ["backups and recovery", "deployment", "failure handling", "monitoring", "scaling", "testing and delivery"],
    );
    assert.deepEqual(p.run(vagueNumbers).map((f) => f.message), ["docs/ARCHITECTURE.md states no expected load (requests per second or users), latency target and data volume."]);
    // a note about one part is not expected to cover everything, however long: no diagram, one topic
    const note = await project({ "docs/design/cache.md": md("# Cache", "", "## Keys", "Product reads are cached in Redis for 5 minutes.", ...Array.from({ length: 20 }, (_, i) => `Key family ${i}.`)) });
    assert.deepEqual(note.run(unaddressedAreas, vagueNumbers), []);
  });

  it("reports a target with no mechanism at the number's line", async () => {
    const p = await project({ "DESIGN.md": md("# Design", "", "We promise 99.99 % uptime.", "The API must answer with p99 < 100 ms.") });
    assert.deepEqual(locations(p.run(targetsWithoutMechanism)), [
      ["DOC005", "DESIGN.md", 3],
      ["DOC005", "DESIGN.md", 4],
    ]);
    const answered = await project({ "DESIGN.md": md("# Design", "", "We promise 99.99 % uptime with multi-AZ failover.", "The API must answer with p99 < 100 ms: reads are cached.") });
    assert.deepEqual(answered.run(targetsWithoutMechanism), []);
  });
});

describe("DOC003 and DOC007", () => {
  it("reports a stateful component said to run once, unless the design names a replica or failover", async () => {
    const p = await project({ "DESIGN.md": md("# Design", "", "Everything runs against a single PostgreSQL instance on the app server.") });
    assert.deepEqual(locations(p.run(singlePointOfFailure)), [["DOC003", "DESIGN.md", 3]]);
    const ha = await project({ "DESIGN.md": md("# Design", "", "A single PostgreSQL instance, with a hot standby for failover.") });
    assert.deepEqual(ha.run(singlePointOfFailure), []);
    const replicated = await project({ "DESIGN.md": md("# Design", "", "We run one Postgres database; it streams to a read replica.") });
    assert.deepEqual(replicated.run(singlePointOfFailure), []);
    // AWX: a cluster of application nodes does not replicate the one database they share
    const shared = await project({ "DESIGN.md": md("# Design", "", "The nodes form a cluster behind a load balancer.", "All nodes on the cluster use a single, shared Postgres database.") });
    assert.deepEqual(locations(shared.run(singlePointOfFailure)), [["DOC003", "DESIGN.md", 4]]);
  });

  it("reports a store in the text and not in the diagram, and one in the diagram and not in the text", async () => {
    const p = await project({
      "DESIGN.md": md("# Design", "", "```mermaid", "flowchart LR", '  api --> db[("PostgreSQL")]', '  api --> mq[("RabbitMQ")]', "```", "", "The API writes to PostgreSQL and caches reads in Redis."),
    });
    assert.deepEqual(
      p.run(diagramTextMismatch).map((f) => [f.evidence[0]?.line, f.message]),
      [
        [6, "The diagram in DESIGN.md shows RabbitMQ, but the text never mentions it."],
        [9, "The text of DESIGN.md names Redis, but its diagram has no node for it."],
      ],
    );
  });
});

describe("DOC001", () => {
  it("summarises what each design document describes", async () => {
    const p = await project({ ...CODE, "docs/ARCHITECTURE.md": THOROUGH });
    const [summary] = p.run(documentSummary);
    assert.equal(summary?.kind, "info");
    assert.match(summary?.message ?? "", /^docs\/ARCHITECTURE.md \(Orders service\) names PostgreSQL, Redis, Celery and JWT, states 300 requests\/s, p95 < 200 ms, 20 GB, 99.9 % availability and three API instances and has a flowchart diagram with 4 components and 3 connections\.$/);
  });
});
