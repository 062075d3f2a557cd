import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runReview } from "../../src/pipeline.js";
import { renderJson } from "../../src/report/json.js";
import { ReviewSchema } from "../../src/report/schema.js";
import { diffReviews, earlierFindings } from "../../src/review/baseline.js";
import { tempTrees } from "../helpers/temp-tree.js";

const tree = tempTrees("baseline");

const payments = (timeout: string) => `import requests\n\ndef charge(body):\n    return requests.post("https://pay.example/charges", json=body${timeout})\n`;
const api = (prefix: string) =>
  `${prefix}from fastapi import FastAPI\nfrom app.payments import charge\nimport requests\napp = FastAPI()\n@app.post("/orders")\ndef order(body: dict):\n    return charge(body)\n@app.get("/rates")\ndef rates():\n    return requests.get("https://rates.example").json()\n`;

describe("reviews over time", () => {
  it("matches findings after a refactor that moves lines, marks the new one and lists the fixed one", async () => {
    const before = await tree({ "app/__init__.py": "", "app/payments.py": payments(""), "app/main.py": api(""), "pyproject.toml": '[project]\nname = "shop"\n' });
    const old = renderJson((await runReview(before, { cacheDir: null, jobs: 1 })).review);
    const oldIds = earlierFindings(old, "old.json").filter((f) => f.id === "RES001").length;
    assert.equal(oldIds, 2);
    // ten lines added above everything in main.py (the /rates call moves down), the payment call fixed, a new call without a timeout added
    const after = await tree({
      "app/__init__.py": "",
      "app/payments.py": `${payments(", timeout=10")}\ndef refund(body):\n    return requests.post("https://pay.example/refunds", json=body)\n`,
      "app/main.py": api("# comment\n".repeat(10)).replace("return charge(body)", "charge(body)\n    from app.payments import refund\n    return refund(body)"),
      "pyproject.toml": '[project]\nname = "shop"\n',
    });
    const { review } = await runReview(after, { cacheDir: null, jobs: 1, baseline: { source: "old.json", text: old } });
    const res001 = review.findings.filter((f) => f.id === "RES001");
    assert.deepEqual(res001.map((f) => [f.evidence[0]?.file, f.baseline]).sort(), [["app/main.py", "unchanged"], ["app/payments.py", "new"]]);
    assert.deepEqual(review.baseline?.fixed.map((f) => [f.id, f.file, f.line]), [["RES001", "app/payments.py", 4]]);
    // the JSON contract holds with the comparison in it
    const json = JSON.parse(renderJson(review));
    assert.ok(ReviewSchema.safeParse(json).success);
    // diff of two saved reviews says the same
    const diff = diffReviews(earlierFindings(old, "old"), earlierFindings(renderJson(review), "new"));
    assert.deepEqual([diff.new.map((f) => f.file), diff.fixed.map((f) => f.file)], [["app/payments.py"], ["app/payments.py"]]);
  });

  it("refuses a baseline that is not an archscope JSON review, with a plain message", () => {
    assert.throws(() => earlierFindings("{nope", "old.json"), /old\.json is not JSON/);
    assert.throws(() => earlierFindings('{"findings": []}', "other.json"), /not an archscope JSON review/);
  });
});
