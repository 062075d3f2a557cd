import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runReview } from "../../src/pipeline.js";

describe("review synthesis", () => {
  it("gives stack verdicts that discriminate: watch what findings involve, keep the rest, each with its reason", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const verdict = (name: string) => review.stack.find((s) => s.name === name);
    assert.equal(verdict("Requests")?.verdict, "watch");
    assert.match(verdict("Requests")?.note ?? "", /Involved in \d+ medium or high finding\(s\) \(PERF001, RES001\)/);
    assert.equal(verdict("SQLAlchemy")?.verdict, "watch");
    // prose that merely uses the word ("limits requests") or a health check naming a store does not involve it
    assert.equal(verdict("Redis")?.verdict, "keep");
    assert.equal(verdict("FastAPI")?.verdict, "keep");
    assert.match(verdict("FastAPI")?.note ?? "", /Maintained, and no medium or high finding involves it\.$/);
    assert.ok(new Set(review.stack.map((s) => s.verdict)).size >= 2);
  });

  it("puts scalability items only in the roadmap: no naive datetime, no migration or Celery limit", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const actions = review.roadmap.stages.flatMap((s) => s.actions).join("\n");
    assert.match(actions, /\(DB006\)/);
    assert.match(actions, /\(API003\)/);
    assert.doesNotMatch(actions, /DATA006|RES005|DB001/);
    assert.ok(review.roadmap.currentLimits.every((l) => !/utcnow|naive/i.test(l.limit)));
  });

  it("maps every security checklist item to an OWASP API Security Top 10 (2023) category, with pass, fail or unknown", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    assert.ok(review.securityChecklist.every((c) => /^API(10|[1-9]):2023 /.test(c.owasp)));
    const rateLimit = review.securityChecklist.find((c) => c.item.startsWith("Rate limiting"));
    assert.deepEqual([rateLimit?.owasp, rateLimit?.status], ["API4:2023 Unrestricted Resource Consumption", "fail"]);
    const ssrf = review.securityChecklist.find((c) => c.owasp.startsWith("API7"));
    assert.deepEqual([ssrf?.status, ssrf?.detail], ["pass", "checked by SEC020: no finding"]);
    assert.ok(review.securityChecklist.every((c) => ["pass", "fail", "unknown"].includes(c.status)));
    // SEC016 passes, and the model says how much of the API requires authentication; a declared JWT library is a hint, not a pass
    const auth = review.securityChecklist.find((c) => c.item === "Authentication mechanism present");
    assert.deepEqual([auth?.status, auth?.detail], ["pass", "checked by SEC016: no finding; 9 of 16 endpoints require authentication (first: GET /api/v1/admin/users at app/api/routes/admin.py:16)"]);
    const hashing = review.securityChecklist.find((c) => c.item.startsWith("Password hashing"));
    assert.deepEqual([hashing?.status, hashing?.detail], ["pass", "checked by SEC007: no finding"]);
    const jwt = review.securityChecklist.find((c) => c.item.startsWith("JWT signatures"));
    assert.deepEqual([jwt?.status, jwt?.detail], ["pass", "checked by SEC009: no finding"]);
    // with the check switched off, the declared library is a hint, not a pass
    const { review: ignored } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1, ignore: ["SEC009"] });
    const hint = ignored.securityChecklist.find((c) => c.item.startsWith("JWT signatures"));
    assert.deepEqual([hint?.status, hint?.detail], ["unknown", "PyJWT declared; how tokens are decoded not verified by this version of archscope"]);
  });

  it("scores and grades every assessed area with its reasons, and reads maturity against the stated stage", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const area = (name: string) => review.areas.find((a) => a.area === name);
    // API: two highs (API002, API005) count 25 each, the API003 medium 10
    const api = area("api");
    assert.equal(api?.score, 100 - 25 * (api?.high ?? 0) - 10 * (api?.medium ?? 0) - 2 * (api?.low ?? 0) + 2 * (api?.strengths ?? 0));
    assert.equal(api?.grade, "E");
    assert.match(api?.reasons.join("; ") ?? "", /State-changing endpoint without authentication \(API002, high\)/);
    assert.deepEqual([area("code")?.grade, area("code")?.reasons], ["A", ["no concern from the checks run"]]);
    // the design document was reviewed: its area is scored like the others
    const docs = area("documents");
    assert.equal(docs?.score, 100 - 25 * (docs?.high ?? 0) - 10 * (docs?.medium ?? 0) - 2 * (docs?.low ?? 0));
    assert.match(docs?.reasons.join("; ") ?? "", /Design document and code disagree \(DOC004, high\)/);
    assert.equal(review.summary.maturity.level, "early");
    assert.match(review.summary.maturity.note, /below the stated stage, production/);
  });

  it("writes the executive summary from this system's facts: stores, workers, deployment, the heaviest areas", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const text = review.summary.assessment;
    assert.match(text, /^FastAPI service with 16 endpoints and \d+ modules, backed by (Redis and PostgreSQL|PostgreSQL and Redis), with background work on Celery; run with docker compose \(\d+ services\)\./);
    assert.match(text, /The heaviest areas: API design and communication; Security\./);
    // the design document beside the code: its stated scale with the line, and how far the two agree
    assert.match(text, /Reviewed with its design document docs\/ARCHITECTURE\.md, which states a peak of 200 req\/s \(docs\/ARCHITECTURE\.md:48\); it and the code disagree in 2 places \(DOC004\)\./);
  });

  it("orders next steps must, should, nice, and names the step each waits for", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const order = { "must-fix": 0, "should-fix": 1, "nice-to-have": 2 } as const;
    const ranks = review.nextSteps.map((s) => order[s.priority]);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    assert.deepEqual(review.nextSteps.find((s) => s.checkId === "RES005")?.dependsOn, ["RES001"]);
  });
});

describe("next steps", () => {
  it("orders what a fix needs first: CI that runs tests waits for tests, a foreign key index for migrations", async () => {
    const { buildReview } = await import("../../src/review/build-review.js");
    const { CHECKS } = await import("../../src/checks/registry.js");
    const { project, py } = await import("../helpers/project.js");
    const p = await project({
      "requirements.txt": "fastapi==0.115.0\nsqlalchemy==2.0.36\npsycopg2==2.9.10\n",
      "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
      "app/__init__.py": "",
      "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()", '@app.get("/")', "def root():", "    return {}"),
      "app/models.py": py(
        "from sqlalchemy import ForeignKey",
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
        "class Base(DeclarativeBase): ...",
        "class User(Base):",
        '    __tablename__ = "users"',
        "    id: Mapped[int] = mapped_column(primary_key=True)",
        "class Order(Base):",
        '    __tablename__ = "orders"',
        "    id: Mapped[int] = mapped_column(primary_key=True)",
        '    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))',
      ),
    });
    const findings = p.run(...CHECKS);
    const review = buildReview({ project: "p", version: "0", model: p.model, findings, checks: CHECKS, context: { source: null }, diagnostics: [], analysis: { files: 1, pythonFiles: 1, testFiles: 0, migrationFiles: 0, suppressed: 0, checksRun: CHECKS.length } });
    const after = (id: string) => review.nextSteps.find((s) => s.checkId === id)?.dependsOn;
    assert.deepEqual(after("DEP006"), ["CODE004"]);
    assert.deepEqual(after("DB004"), ["DB001"]);
    assert.deepEqual(after("CODE004"), []);
  });

  it("names a step it depends on only when that step is in the list", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    // the example has tests and migrations: nothing waits for CODE004 or DB001
    assert.ok(review.nextSteps.every((s) => s.dependsOn.every((d) => review.nextSteps.some((o) => o.checkId === d))));
  });
});
