import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHECKS } from "../../src/checks/registry.js";
import { applyPerFileIgnores, loadConfig, selectChecks } from "../../src/config/load-config.js";
import { runReview } from "../../src/pipeline.js";
import type { FileSet } from "../../src/workspace/types.js";
import { tempTrees } from "../helpers/temp-tree.js";

const tree = tempTrees("config");

function files(entries: Record<string, string>): FileSet {
  return { root: "/virtual", isGitWorkTree: false, diagnostics: [], files: Object.entries(entries).map(([path, text]) => ({ path, kind: path.endsWith(".toml") ? "config" : "other", size: text.length, text })) };
}

describe("configuration", () => {
  it("reads select, ignore, per-file-ignores and context from pyproject.toml [tool.archscope]", () => {
    const pyproject = ['[project]', 'name = "shop"', "[tool.archscope]", 'select = ["SEC", "api"]', 'ignore = ["SEC029"]', '[tool.archscope.per-file-ignores]', '"scripts/*" = ["RES001"]', "[tool.archscope.context]", 'stage = "production"'].join("\n");
    const { config, problems } = loadConfig(files({ "pyproject.toml": pyproject }), CHECKS);
    assert.deepEqual(problems, []);
    assert.deepEqual([config.select, config.ignore, config.perFileIgnores, config.context.stage, config.source], [["SEC", "api"], ["SEC029"], [{ pattern: "scripts/*", selectors: ["RES001"] }], "production", "pyproject.toml [tool.archscope]"]);
    const ids = selectChecks(CHECKS, config).map((c) => c.id);
    assert.ok(ids.includes("SEC001") && ids.includes("API002") && !ids.includes("SEC029") && !ids.includes("RES001"), ids.join(","));
  });

  it("prefers archscope.toml, lets the command line select and add ignores, and ignores the repository under --isolated", () => {
    const set = files({ "archscope.toml": 'select = ["DEP"]\nignore = ["DEP003"]\n', "pyproject.toml": '[tool.archscope]\nselect = ["SEC"]\n' });
    const { config } = loadConfig(set, CHECKS, { select: ["OBS", "DEP002"], ignore: ["OBS006"] });
    assert.equal(config.source, "archscope.toml");
    assert.deepEqual(selectChecks(CHECKS, config).map((c) => c.id).sort(), CHECKS.filter((c) => c.id.startsWith("OBS") && c.id !== "OBS006").map((c) => c.id).concat("DEP002").sort());
    const isolated = loadConfig(set, CHECKS, { isolated: true }).config;
    assert.equal(isolated.select, null);
    assert.equal(isolated.source, null);
  });

  it("names each bad key and value, keeps the rest, and goes on", () => {
    const bad = ["[tool.archscope]", 'select = ["NOPE1"]', 'ignore = "SEC001"', "colour = true", "[tool.archscope.context]", 'stage = "beta"', "team_size = 4"].join("\n");
    const { config, problems } = loadConfig(files({ "pyproject.toml": bad }), CHECKS);
    assert.deepEqual(config.select, []);
    assert.equal(config.context.team_size, 4);
    assert.equal(config.context.stage, undefined);
    assert.ok(problems.some((p) => /unknown key "colour"/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /select: unknown rule selector "NOPE1"/.test(p)));
    assert.ok(problems.some((p) => /ignore must be a list/.test(p)));
    assert.ok(problems.some((p) => /stage = "beta"/.test(p)));
    const broken = loadConfig(files({ "pyproject.toml": "[tool.archscope\n" }), CHECKS);
    assert.match(broken.problems[0] ?? "", /not valid TOML/);
  });

  it("reads every context field, with 99.9% as a number and the older latency name, and names a bad value", () => {
    const context = ["[tool.archscope.context]", 'stage = "Production"', 'exposure = "public"', "users = 20000", "peak_rps = 150", "data_volume_gb = 80", "latency-target-ms = 300", 'availability_target = "99.9%"', 'compliance = ["GDPR"]', "team_size = 5", 'team_experience = "guru"', 'budget = "5k EUR/month"', 'timeline = "Q3"', 'integrations = ["Stripe", "SendGrid"]'].join("\n");
    const { config, problems } = loadConfig(files({ "pyproject.toml": context }), CHECKS);
    const { source: _source, ...fields } = config.context;
    assert.deepEqual(fields, { stage: "production", exposure: "public", users: 20000, peak_rps: 150, data_volume_gb: 80, latency_p99_ms: 300, availability_target: 99.9, compliance: ["GDPR"], team_size: 5, budget: "5k EUR/month", timeline: "Q3", integrations: ["Stripe", "SendGrid"] });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? "", /team_experience = "guru"/);
  });

  it("suppresses findings in files a per-file-ignores pattern names, saying which pattern", () => {
    const finding = (file: string, id = "RES001", area = "resilience") => ({ id, area, evidence: [{ file, line: 3 }] }) as never;
    const findings = [finding("scripts/sync.py"), finding("app/pay.py"), finding("scripts/sync.py", "SEC001", "security")];
    applyPerFileIgnores(findings, { perFileIgnores: [{ pattern: "scripts/*", selectors: ["resilience"] }], source: "archscope.toml" });
    assert.deepEqual(findings.map((f: { suppressed?: boolean; suppressionReason?: string }) => [f.suppressed ?? false, f.suppressionReason]), [[true, 'per-file-ignores "scripts/*" in archscope.toml'], [false, undefined], [false, undefined]]);
  });

  it("runs only the selected checks in a whole review", async () => {
    const root = await tree({
      "app/main.py": "import requests\nfrom fastapi import FastAPI\napp = FastAPI()\nSECRET_KEY = 'Zq8wV2mK9xP4rT6yB1nC5hJ3'\n@app.get('/x')\ndef x():\n    return requests.get('https://a.example').json()\n",
      "pyproject.toml": '[project]\nname = "x"\ndependencies = ["fastapi>=0.115"]\n[tool.archscope]\nselect = ["security"]\n',
    });
    const { review } = await runReview(root, { cacheDir: null, jobs: 1 });
    assert.ok(review.findings.length > 0);
    assert.ok(review.findings.every((f) => f.area === "security"), review.findings.map((f) => f.id).join(","));
    assert.equal(review.analysis.checksRun, CHECKS.filter((c) => c.area === "security").length);
  });
});
