import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import AjvDraft04 from "ajv-draft-04";
import { runReview } from "../../src/pipeline.js";
import { renderSarif } from "../../src/report/sarif.js";
import { tempTrees } from "../helpers/temp-tree.js";

const tree = tempTrees("sarif");

/**
 * The official SARIF 2.1.0 schema (JSON Schema draft-04), vendored from oasis-tcs/sarif-spec
 * (sarif-2.1/schema/sarif-schema-2.1.0.json at commit e058381).
 */
async function sarifValidator() {
  const schema = JSON.parse(await readFile("test/data/sarif-schema-2.1.0.json", "utf8"));
  // a CommonJS module: its class is the default export's `default` under Node's ESM interop
  const Ajv = (AjvDraft04 as unknown as { default: new (options: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null } } }).default;
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  return ajv.compile(schema);
}

describe("SARIF report", () => {
  it("is valid SARIF 2.1.0 on the example project, with rules, levels, fingerprints and relative locations", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const log = JSON.parse(renderSarif(review));
    const validate = await sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    const run = log.runs[0];
    const concerns = review.findings.filter((f) => f.kind === "concern");
    assert.equal(run.results.length, concerns.length);
    // every result names a rule that the driver describes, at the index it gives
    for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    const secret = run.results.find((r: { ruleId: string; level: string }) => r.ruleId === "SEC001" && r.level === "error");
    assert.deepEqual(secret.locations[0].physicalLocation.artifactLocation, { uri: "app/core/security.py", uriBaseId: "%SRCROOT%" });
    assert.equal(secret.locations[0].physicalLocation.region.startLine, 11);
    assert.match(secret.partialFingerprints["archscopeFingerprint/v1"], /^[0-9a-f]{16,}$/);
    // a security rule carries its CWE tag and a security-severity GitHub can rank by
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === "SEC001");
    assert.ok(rule.properties.tags.includes("external/cwe/cwe-798"));
    assert.equal(rule.properties["security-severity"], "8.0");
    assert.match(rule.help.text, /\S/);
    // a finding about something absent points at the file where the fix belongs, with no region
    const absent = run.results.find((r: { ruleId: string }) => r.ruleId === "DEP012");
    assert.deepEqual(absent.locations[0].physicalLocation, { artifactLocation: { uri: "pyproject.toml", uriBaseId: "%SRCROOT%" } });
    // low findings are notes, medium ones warnings
    const levels = new Set(run.results.map((r: { level: string }) => r.level));
    assert.ok(levels.has("note") && levels.has("warning") && levels.has("error"));
  });

  it("keeps hostile repository text inert: no control characters, encoded paths, secrets redacted", async () => {
    const root = await tree({
      "app/we ird#1.py": "from fastapi import FastAPI\napp = FastAPI()\nSECRET_KEY = 'Zq8wV2mK9xP4rT6yB1nC5hJ3\u001b[31m'\n@app.post('/x')\ndef x(): return save()\n",
    });
    const { review } = await runReview(root, { cacheDir: null, jobs: 1 });
    const text = renderSarif(review);
    assert.doesNotMatch(text, /\u001b|\\u001b/);
    assert.doesNotMatch(text, /Zq8wV2mK9xP4rT6yB1nC5hJ3/);
    const log = JSON.parse(text);
    const validate = await sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    const uris = log.runs[0].results.flatMap((r: { locations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => (r.locations ?? []).map((l) => l.physicalLocation.artifactLocation.uri));
    assert.ok(uris.includes("app/we%20ird%231.py"), uris.join(", "));
  });
});
