import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { runReview } from "../../src/pipeline.js";
import type { Review } from "../../src/review/types.js";
import { classifyPath, refineYamlKind } from "../../src/workspace/classify.js";
import { decodeText, isBinary } from "../../src/workspace/text.js";
import { checkFailures } from "./analyse.js";
import { billionLaughs, DOCKERFILE_TOKENS, HCL_TOKENS, HELM_TOKENS, LINE_TOKENS, MARKDOWN_TOKENS, type MutatedInput, mutated, params, PYTHON_TOKENS, timeoutFor, TOML_TOKENS, YAML_TOKENS } from "./mutate.js";
import * as S from "./samples.js";

/**
 * The whole pipeline (scan → parse → model → checks → review) on a project of a few good files plus one bad
 * one: the run completes, the good files' findings are all still reported, no check throws, and a file that
 * is certainly bad (invalid UTF-8, binary, over the size limit) is named in the analysis notes.
 */

/** The good part of every project: a Django settings module in debug mode with a hard-coded secret key. */
const GOOD: Record<string, string> = {
  "app/__init__.py": "",
  "app/settings.py": "import os\n\nDEBUG = True\nSECRET_KEY = 'q8f7Za9s-D8f7a9s8Xf7a98sNf7a9s8Kf'\nALLOWED_HOSTS = ['*']\n",
  "app/views.py": "from django.http import JsonResponse\n\ndef health(request):\n    return JsonResponse({'ok': True})\n",
  "requirements.txt": "django==4.2.7\n",
};
/** Findings the good files must keep, whatever the bad file holds. */
const KEPT = ["SEC001", "SEC002"];

/** Where a bad file of each kind goes, with the samples and tokens it is mutated from. */
const KINDS: Array<{ path: string; samples: readonly string[]; tokens: readonly string[]; extra?: Record<string, string> }> = [
  { path: "app/broken.py", samples: S.PYTHON, tokens: PYTHON_TOKENS },
  { path: "pyproject.toml", samples: S.PYPROJECT.slice(0, 1), tokens: TOML_TOKENS },
  { path: "requirements-dev.txt", samples: S.REQUIREMENTS, tokens: LINE_TOKENS },
  { path: "Pipfile", samples: S.PIPFILE, tokens: TOML_TOKENS },
  { path: "Dockerfile", samples: S.DOCKERFILE, tokens: DOCKERFILE_TOKENS },
  { path: "docker-compose.yml", samples: S.COMPOSE, tokens: YAML_TOKENS },
  { path: "k8s/deployment.yaml", samples: S.KUBERNETES, tokens: YAML_TOKENS },
  { path: "chart/templates/deployment.yaml", samples: S.HELM_TEMPLATE, tokens: HELM_TOKENS, extra: { "chart/values.yaml": S.HELM_VALUES[0] as string, "chart/Chart.yaml": "name: c\n" } },
  { path: "chart/values.yaml", samples: S.HELM_VALUES, tokens: YAML_TOKENS, extra: { "chart/templates/deployment.yaml": S.HELM_TEMPLATE[0] as string } },
  { path: "infra/main.tf", samples: S.TERRAFORM, tokens: HCL_TOKENS },
  { path: "infra/main.tf.json", samples: S.TERRAFORM_JSON, tokens: ["[", "{", "}", "]", ",", ":", '"'] },
  { path: "Procfile", samples: S.PROCFILE, tokens: LINE_TOKENS },
  { path: "docs/ARCHITECTURE.md", samples: S.MARKDOWN, tokens: MARKDOWN_TOKENS },
  { path: ".github/workflows/ci.yml", samples: S.GITHUB_WORKFLOW, tokens: YAML_TOKENS },
  { path: "openapi.yaml", samples: S.OPENAPI, tokens: YAML_TOKENS },
  // no selector here can reach SEC001/SEC002, whatever the mutation
  { path: "archscope.toml", samples: ['ignore = ["DB001"]\n[per-file-ignores]\n"tests/*" = ["API001"]\n[context]\nstage = "production"\nusers = 10000\n'], tokens: TOML_TOKENS },
];

let base = "";
let counter = 0;
before(async () => {
  base = await mkdtemp(join(tmpdir(), "archscope-robustness-"));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

async function projectOnDisk(files: Record<string, string | Buffer>): Promise<string> {
  const root = join(base, `p${counter++}`);
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, ...rel.split("/"));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return root;
}

async function review(files: Record<string, string | Buffer>): Promise<Review> {
  const root = await projectOnDisk(files);
  try {
    return (await runReview(root, { cacheDir: null, jobs: 1 })).review;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function kept(r: Review): string[] {
  return r.findings
    .filter((f) => KEPT.includes(f.id) && f.evidence[0]?.file === "app/settings.py")
    .map((f) => `${f.id}@${f.evidence[0]?.line}`)
    .sort();
}

/** A reader that threw: the run survives it (the file is left out, with a note), but each is a reader bug. */
function readerFailures(r: Review): string[] {
  return r.diagnostics.filter((d) => d.code === "reader-failed").map((d) => `${d.file}: ${d.message}`);
}

const badFile = (force: boolean) =>
  fc.integer({ min: 0, max: KINDS.length - 1 }).chain((k) => {
    const kind = KINDS[k] as (typeof KINDS)[number];
    return mutated(kind.samples, kind.tokens).map((input: MutatedInput) => {
      // certainly bad: bytes that are not UTF-8 at the end (a NUL elsewhere may make it binary instead)
      const bytes = force ? Buffer.concat([input.bytes, Buffer.from([0xff, 0xfe])]) : input.bytes;
      return { kind, bytes, [fc.toStringMethod]: () => `${kind.path}${force ? " (+ invalid UTF-8)" : ""}: ${fc.stringify(input)}` };
    });
  });

describe("robustness: the whole pipeline with one bad file among good ones", () => {
  let baseline: string[] = [];
  before(async () => {
    baseline = kept(await review(GOOD));
  });

  it("the good project has the findings the properties look for", () => {
    assert.deepEqual(baseline, ["SEC001@4", "SEC002@3"]);
  });

  const RUNS = 40;
  it("a mutated file of any kind neither ends the run nor costs the other files' findings", { timeout: timeoutFor(RUNS) }, async () => {
    await fc.assert(
      fc.asyncProperty(badFile(false), async ({ kind, bytes }) => {
        const r = await review({ ...GOOD, ...kind.extra, [kind.path]: bytes });
        assert.deepEqual(kept(r), baseline);
        assert.deepEqual(checkFailures(r.diagnostics), []);
        assert.deepEqual(readerFailures(r), []);
      }),
      params(RUNS),
    );
  });

  it("a file that cannot be read as text is named in the analysis notes", { timeout: timeoutFor(RUNS) }, async () => {
    await fc.assert(
      fc.asyncProperty(badFile(true), async ({ kind, bytes }) => {
        const r = await review({ ...GOOD, ...kind.extra, [kind.path]: bytes });
        assert.deepEqual(kept(r), baseline);
        // a YAML file is a Kubernetes manifest by its text: one whose text no longer says so is any YAML file, not read when binary
        const { text } = decodeText(bytes);
        if (refineYamlKind(classifyPath(kind.path), kind.path, text) === "other" && isBinary(bytes.subarray(0, 8192))) return;
        const named = r.diagnostics.filter((d) => d.file === kind.path).map((d) => d.code);
        assert.ok(
          named.some((code) => ["non-utf8", "binary-file", "file-too-large"].includes(code)),
          `a diagnostic names ${kind.path} (got ${JSON.stringify(r.diagnostics.filter((d) => d.file === kind.path))})`,
        );
        assert.deepEqual(checkFailures(r.diagnostics), []);
        assert.deepEqual(readerFailures(r), []);
      }),
      params(RUNS),
    );
  });

  it("pathological files of every kind at once: the run completes and names each file it could not read", { timeout: 60_000 }, async () => {
    const laughs = fc.sample(billionLaughs, { seed: 1, numRuns: 1 })[0] as { text: string; levels: number };
    const deep = (open: string, close: string, n: number) => open.repeat(n) + close.repeat(n);
    const r = await review({
      ...GOOD,
      "app/deep.py": `x = ${deep("(", ")", 5000)}\n`,
      "app/chain.py": `${Array.from({ length: 3000 }, (_, i) => `class C${i}(C${i + 1}):\n    pass\n`).join("")}`,
      "app/binary.py": Buffer.from([0x69, 0x6d, 0x70, 0x00, 0xff, 0x00]),
      "app/huge.py": `x = '${"a".repeat(2.5 * 1024 * 1024)}'\n`,
      "docker-compose.yml": `${laughs.text}\nservices:\n  web:\n    image: app\n    command: *l${laughs.levels - 1}\n`,
      "k8s/deep.yaml": `apiVersion: apps/v1\nkind: Deployment\nspec:\n${"- ".repeat(4000)}x\n`,
      "k8s/laughs.yaml": `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\n${laughs.text}\nspec: *l${laughs.levels - 1}\n`,
      "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n{{ .Values.spec | indent -2 }}\n{{ ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((.Values.spec)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) }}\n",
      "chart/values.yaml": "spec: { replicas: 2 }\n",
      "infra/main.tf.json": `{"resource": {"aws_s3_bucket": {"b": {"x": ${deep("[", "]", 20000)}}}}}`,
      "infra/broken.tf": 'resource "aws_s3_bucket" "b" {\n  acl = \n',
      "pyproject.toml": '[tool.poetry.dependencies]\n"a(b" = "1"\n',
      "Pipfile": "[packages]\nflask = \n",
      "docs/ARCHITECTURE.md": `# Architecture\n${"> ".repeat(3000)}x\n${"- ".repeat(3000)}y\n`,
      "openapi.yaml": `openapi: 3.0.0\n${laughs.text}\npaths: *l${laughs.levels - 1}\n`,
      ".github/workflows/ci.yml": `on: push\njobs:\n${"- ".repeat(4000)}x\n`,
      "notes/big.md": `# notes\n${"word ".repeat(300_000)}`,
      "k8s/big.yaml": `apiVersion: v1\nkind: ConfigMap\ndata:\n  blob: ${"x".repeat(1100 * 1024)}\n`,
      "k8s/binary.yaml": Buffer.from("apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: \u0000 }\n"),
      "fixtures/big.json": `[${"1,".repeat(600 * 1024)}1]`,
      "poetry.lock": `# lock\n${"x = 1\n".repeat(200 * 1024)}`,
    });
    assert.deepEqual(kept(r), baseline);
    assert.deepEqual(checkFailures(r.diagnostics), []);
    assert.deepEqual(readerFailures(r), []);
    const codes = (file: string) => r.diagnostics.filter((d) => d.file === file).map((d) => d.code);
    assert.ok(codes("app/binary.py").includes("binary-file"));
    assert.ok(codes("app/huge.py").includes("file-too-large"));
    assert.ok(codes("notes/big.md").includes("file-too-large"));
    // a Kubernetes manifest is known by its first lines even when it is not read; data and lock files are not noted
    assert.ok(codes("k8s/big.yaml").includes("file-too-large"));
    assert.ok(codes("k8s/binary.yaml").includes("binary-file"));
    assert.deepEqual(codes("fixtures/big.json"), []);
    assert.deepEqual(codes("poetry.lock"), []);
    assert.ok(codes("k8s/deep.yaml").includes("invalid-yaml"));
    assert.ok(codes(".github/workflows/ci.yml").includes("invalid-yaml"));
    assert.ok(codes("infra/broken.tf").includes("invalid-config"));
    assert.ok(codes("Pipfile").includes("invalid-toml"));
  });
});
