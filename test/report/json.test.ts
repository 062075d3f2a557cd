import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { runReview } from "../../src/pipeline.js";
import { renderJson } from "../../src/report/json.js";
import { ReviewSchema, reviewJsonSchema } from "../../src/report/schema.js";

describe("JSON report", () => {
  it("meets the published contract on the example project", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const json = JSON.parse(renderJson(review));
    const result = ReviewSchema.safeParse(json);
    assert.ok(result.success, result.success ? "" : JSON.stringify(result.error.issues.slice(0, 3)));
    assert.ok(!("configValues" in json.model), "literal configuration values never reach the report");
  });

  it("keeps findings in contract order: area A–J, severity, file, line, id", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const areas = ["architecture", "database", "api", "security", "scalability", "observability", "deployment", "code", "data", "resilience", "documents"];
    const rank = { high: 0, medium: 1, low: 2, info: 3 };
    const key = (f: (typeof review.findings)[number]): Array<string | number> => [areas.indexOf(f.area), rank[f.severity], f.evidence[0]?.file ?? "", f.evidence[0]?.line ?? 0, f.id];
    const compare = (a: Array<string | number>, b: Array<string | number>): number => {
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return (a[k] as string | number) < (b[k] as string | number) ? -1 : 1;
      return 0;
    };
    for (let i = 1; i < review.findings.length; i++) {
      assert.ok(compare(key(review.findings[i - 1] as never), key(review.findings[i] as never)) <= 0, `findings ${i - 1} and ${i} out of order`);
    }
  });

  it("has an up-to-date committed JSON Schema (npm run schema)", async () => {
    const committed = JSON.parse(await readFile("schema/review.schema.json", "utf8"));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(reviewJsonSchema())));
  });
});
