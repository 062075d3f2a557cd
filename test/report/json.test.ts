import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { runReview } from "../../src/pipeline.js";
import { publicModel, renderJson } from "../../src/report/json.js";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { main } from "../../src/cli/main.js";
import { jsonSchemas, ReviewSchema } from "../../src/report/schema.js";

/** Runs the CLI in process and returns what it wrote to stdout. */
async function cliJson(...argv: string[]): Promise<unknown> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    env: {},
  });
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

describe("JSON report", () => {
  it("meets the published contract on the example project", async () => {
    const { review } = await runReview("examples/shop-api", { cacheDir: null, jobs: 1 });
    const json = JSON.parse(renderJson(review));
    const result = ReviewSchema.safeParse(json);
    assert.ok(result.success, result.success ? "" : JSON.stringify(result.error.issues.slice(0, 3)));
    assert.ok(!("configValues" in json.model), "literal configuration values never reach the report");
  });

  it("redacts a Dockerfile's secret-looking ENV values in the published model", async () => {
    const { project } = await import("../helpers/project.js");
    const token = "ghp_R8x2Lq9Vt4Zw7Ns1Kp3Jm6Hd5Fg0Cb2Ya8Xe";
    const p = await project({ Dockerfile: `FROM python:3.12-slim\nENV API_TOKEN=${token} PORT=8000\nCMD ["gunicorn", "app:app"]\n` });
    const published = JSON.stringify(publicModel(p.model));
    assert.ok(!published.includes(token), "the token never reaches the report");
    assert.match(published, /"PORT":"8000"/);
  });

  it("redacts secrets in every stage's ENV, RUN and CMD, and in compose commands, in the published model", async () => {
    const { project } = await import("../helpers/project.js");
    const token = "ghp_R8x2Lq9Vt4Zw7Ns1Kp3Jm6Hd5Fg0Cb2Ya8Xe";
    const password = "Xq7-pL2v-Rk9s";
    const p = await project({
      Dockerfile: [
        "FROM python:3.12-slim AS build",
        `ENV PIP_TOKEN=${token}`,
        `RUN pip install --index-url https://ci:${password}@pypi.example.com/simple app && GITHUB_TOKEN=${token} make`,
        "FROM python:3.12-slim",
        `CMD ["gunicorn", "app:app", "--env", "API_KEY=${token}"]`,
      ].join("\n"),
      "docker-compose.yml": `services:\n  web:\n    build: .\n    command: ./run.sh --dsn postgres://app:${password}@db/app\n`,
    });
    const published = JSON.stringify(publicModel(p.model));
    assert.ok(!published.includes(token), "the token never reaches the report");
    assert.ok(!published.includes(password), "the password never reaches the report");
    assert.match(published, /https:\/\/ci:\*\*\*@pypi\.example\.com/);
    assert.match(published, /gunicorn/);
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

  it("has up-to-date committed JSON Schemas for every JSON output (npm run schema)", async () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      const committed = JSON.parse(await readFile(join("schema", file), "utf8"));
      assert.deepEqual(committed, JSON.parse(JSON.stringify(schema)), file);
    }
  });

  it("validates every JSON output of the CLI (review, model, diff, rules) against its committed schema with ajv", async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = async (file: string, data: unknown) => {
      const check = ajv.compile(JSON.parse(await readFile(join("schema", file), "utf8")));
      assert.ok(check(data), `${file}: ${JSON.stringify(check.errors?.slice(0, 3))}`);
    };
    const dir = await mkdtemp(join(tmpdir(), "archscope-json-"));
    try {
      const review = await cliJson("review", "examples/shop-api", "--no-cache", "--jobs", "1", "--format", "json", "--quiet");
      await validate("review.schema.json", review);
      await validate("model.schema.json", await cliJson("model", "examples/shop-api", "--no-cache", "--jobs", "1", "--format", "json"));
      await validate("rules.schema.json", await cliJson("rules", "--format", "json"));
      // a diff with something on each side: the later review lost one finding and gained one
      const before = review as { findings: Array<{ fingerprint: string }> };
      const after = { ...before, findings: [...before.findings.slice(1), { ...before.findings[0], fingerprint: "0123456789abcdef" }] };
      await writeFile(join(dir, "old.json"), JSON.stringify(before));
      await writeFile(join(dir, "new.json"), JSON.stringify(after));
      const diff = (await cliJson("diff", join(dir, "old.json"), join(dir, "new.json"), "--format", "json")) as { new: unknown[]; fixed: unknown[] };
      assert.deepEqual([diff.new.length, diff.fixed.length], [1, 1]);
      await validate("diff.schema.json", diff);
      // and the schemas reject what breaks the contract
      const check = ajv.getSchema("https://archscope.dev/schema/diff-1.0.json");
      assert.equal(check?.({ ...diff, extra: 1 }), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
