import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { runReview } from "../../src/pipeline.js";

const ROOT = "examples/shop-api";

/** Rows of the example README's "What archscope should report" table. */
async function expectedRows(): Promise<Array<{ id: string; file: string; line: number | null; planned: boolean }>> {
  const readme = await readFile(`${ROOT}/README.md`, "utf8");
  const section = readme.split("## What archscope should report")[1]?.split("\n## ")[0] ?? "";
  const rows = [];
  // `file:line`, or just `file` for a finding about something absent (line null)
  for (const m of section.matchAll(/^\| ([A-Z]+\d{3})( \(planned\))? \| ([^|:]+?)(?::(\d+))? \|/gm)) {
    rows.push({ id: m[1] as string, planned: Boolean(m[2]), file: (m[3] as string).trim(), line: m[4] ? Number(m[4]) : null });
  }
  return rows;
}

describe("examples/shop-api", () => {
  it("reports exactly what its README says, at the lines it says", async () => {
    const { review } = await runReview(ROOT, { cacheDir: null, jobs: 1 });
    const rows = await expectedRows();
    assert.ok(rows.filter((r) => !r.planned).length >= 10, "the README table has the planted problems");
    const reported = review.findings.filter((f) => !f.suppressed && f.kind === "concern");
    const key = (id: string, file: string, line: number | null) => `${id} ${file}:${line}`;
    const reportedKeys = new Set(reported.map((f) => key(f.id, f.evidence[0]?.file ?? "", f.evidence[0]?.line ?? null)));
    for (const row of rows.filter((r) => !r.planned)) {
      assert.ok(reportedKeys.has(key(row.id, row.file, row.line)), `expected ${key(row.id, row.file, row.line)}; reported: ${[...reportedKeys].join(", ")}`);
    }
    const listed = new Set(rows.map((r) => key(r.id, r.file, r.line)));
    const unlisted = reported.filter((f) => f.severity !== "low" && !listed.has(key(f.id, f.evidence[0]?.file ?? "", f.evidence[0]?.line ?? null)));
    assert.deepEqual(unlisted.map((f) => `${f.id} ${f.message}`), [], "medium/high findings the README does not list");
  });

  it("models the FastAPI endpoints with prefixes and auth", async () => {
    const { review } = await runReview(ROOT, { cacheDir: null, jobs: 1 });
    const byKey = new Map(review.model.endpoints.map((e) => [`${e.method} ${e.path}`, e]));
    assert.equal(byKey.get("POST /api/v1/auth/login")?.auth, false);
    assert.equal(byKey.get("GET /api/v1/orders")?.auth, true);
    assert.equal(byKey.get("POST /api/v1/products")?.auth, false);
    assert.equal(byKey.get("GET /health")?.handler, "app.main.health");
    assert.equal(review.context.stage, "production");
  });

  it("reviews its design document on its own as its README says: DOC002 and DOC005, no drift without the code", async () => {
    const { review } = await runReview(`${ROOT}/docs/ARCHITECTURE.md`, { cacheDir: null, jobs: 1 });
    assert.equal(review.documentOnly, true);
    const concerns = review.findings.filter((f) => f.kind === "concern").map((f) => `${f.id} ${f.evidence[0]?.file}:${f.evidence[0]?.line}`);
    assert.deepEqual(concerns.sort(), ["DOC002 ARCHITECTURE.md:null", "DOC005 ARCHITECTURE.md:54"]);
    assert.equal(review.context.fromDocuments?.peak_rps?.line, 48);
    assert.ok(review.areas.filter((a) => a.area !== "documents").every((a) => a.score === null && /needs the code/.test(a.reasons[0] ?? "")));
  });
});
