import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CHECKS } from "../../src/checks/registry.js";
import { loadConfig } from "../../src/config/load-config.js";
import { type Diagnostic, readGuarded } from "../../src/core/diagnostics.js";
import { readCi } from "../../src/model/deployment/ci.js";
import { readCompose } from "../../src/model/deployment/compose.js";
import { readContainerScript } from "../../src/model/deployment/container-scripts.js";
import { readDockerfile } from "../../src/model/deployment/dockerfile.js";
import { readEnvFile } from "../../src/model/deployment/env-files.js";
import { readKubernetes } from "../../src/model/deployment/kubernetes.js";
import { readProcfiles } from "../../src/model/deployment/procfile.js";
import { readSecurityConfig } from "../../src/model/deployment/security-config.js";
import { readTerraform } from "../../src/model/deployment/terraform.js";
import { readDesignDocuments } from "../../src/model/documents/find-documents.js";
import { parseDesignDocument } from "../../src/model/documents/parse-document.js";
import { readManifests } from "../../src/model/manifests/dependencies.js";
import { parseFile } from "../../src/python/parser.js";
import { decodeText } from "../../src/workspace/text.js";
import type { FileKind, FileSet, WorkspaceFile } from "../../src/workspace/types.js";
import { analyse, checkFailures } from "./analyse.js";
import {
  billionLaughs,
  DOCKERFILE_TOKENS,
  HCL_TOKENS,
  HELM_TOKENS,
  LINE_TOKENS,
  MARKDOWN_TOKENS,
  mutated,
  params,
  PYTHON_TOKENS,
  timeoutFor,
  TOML_TOKENS,
  YAML_TOKENS,
} from "./mutate.js";
import * as S from "./samples.js";

/**
 * Every reader of the review's input, fed mutated real-looking files (fast-check, fixed seed): it returns
 * instead of throwing, and what it reports about a file names that file. `FUZZ_RUNS` multiplies the runs
 * (scripts/fuzz.mjs); `npm test` keeps them few.
 */

function file(path: string, kind: FileKind, text: string): WorkspaceFile {
  return { path, kind, size: text.length, text };
}

/**
 * Every diagnostic names the file it is about, and none says a reader threw: the readers catch their own
 * failures (`reader-failed`) so that a review survives them, but each is a bug to fix.
 */
function assertNamed(diagnostics: Diagnostic[], paths: string[]): void {
  for (const d of diagnostics) {
    assert.ok(d.file !== undefined && paths.includes(d.file), `diagnostic ${JSON.stringify(d)} names one of ${paths.join(", ")}`);
    assert.notEqual(d.code, "reader-failed", d.message);
  }
}

/** YAML built around an exponential alias expansion, the last anchor used where the reader looks. */
const laughsUnder = (prefix: string, key: string) => billionLaughs.map(({ text, levels }) => `${prefix}\n${text.split("\n").map((l) => `x-${l}`).join("\n")}\n${key} *x-l${levels - 1}\n`);

describe("robustness: Python parsing and extraction", () => {
  const RUNS = 40;
  it("parseFile returns facts for any mutated source (truncated, NUL bytes, invalid UTF-8, deep nesting, 1 MB scalars)", { timeout: timeoutFor(RUNS) }, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(S.PYTHON, PYTHON_TOKENS), async ({ text }) => {
        const facts = await parseFile(text, "app/views.py");
        assert.equal(facts.path, "app/views.py");
        assert.ok(Array.isArray(facts.errors));
      }),
      params(RUNS),
    );
  });

  const CHECK_RUNS = 12;
  it("every registered check runs on the facts of a mutated file without throwing", { timeout: timeoutFor(CHECK_RUNS) }, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(S.PYTHON, PYTHON_TOKENS, { heavy: false }), async ({ text }) => {
        const { diagnostics } = await analyse({ "app/__init__.py": "", "app/views.py": text, "app/settings.py": "DEBUG = True\n" });
        assert.deepEqual(checkFailures(diagnostics), []);
      }),
      params(CHECK_RUNS),
    );
  });
});

describe("robustness: dependency manifests", () => {
  const RUNS = 40;
  const cases: Array<[string, readonly string[], readonly string[]]> = [
    ["pyproject.toml", S.PYPROJECT, TOML_TOKENS],
    ["requirements.txt", S.REQUIREMENTS, LINE_TOKENS],
    ["Pipfile", S.PIPFILE, TOML_TOKENS],
    ["setup.cfg", S.SETUP_CFG, LINE_TOKENS],
  ];
  for (const [path, samples, tokens] of cases) {
    it(`readManifests copes with a mutated ${path}`, { timeout: timeoutFor(RUNS) }, () => {
      fc.assert(
        fc.property(mutated(samples, tokens), ({ text }) => {
          const result = readManifests([file(path, "manifest", text), file("requirements-dev.txt", "manifest", "pytest==8.0.0\n")]);
          assertNamed(result.diagnostics, [path]);
          // the other manifest is still read
          assert.ok(result.dependencies.some((d) => d.name === "pytest" && d.manifest === "requirements-dev.txt"));
        }),
        params(RUNS),
      );
    });
  }

  it("a TOML key with regular-expression characters is looked up as text (Poetry `\"a(b\" = \"1\"`)", () => {
    const result = readManifests([file("pyproject.toml", "manifest", '[tool.poetry.dependencies]\n"a(b" = "1"\n"[x" = "*"\n')]);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.dependencies.map((d) => [d.name, d.line]),
      [["a(b", 2], ["[x", 3]],
    );
  });
});

describe("robustness: Dockerfile, compose, Procfile, env files, container scripts", () => {
  const RUNS = 40;
  it("readDockerfile copes with a mutated Dockerfile", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(mutated(S.DOCKERFILE, DOCKERFILE_TOKENS), ({ text }) => {
        const diagnostics: Diagnostic[] = [];
        readDockerfile(file("Dockerfile", "dockerfile", text), diagnostics, []);
        assertNamed(diagnostics, ["Dockerfile"]);
      }),
      params(RUNS),
    );
  });

  it("readCompose copes with a mutated compose file (anchors, merge keys, aliases)", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(mutated(S.COMPOSE, YAML_TOKENS), ({ text }) => {
        const diagnostics: Diagnostic[] = [];
        const services = readCompose(file("docker-compose.yml", "compose", text), diagnostics, []);
        assert.ok(Array.isArray(services));
        assertNamed(diagnostics, ["docker-compose.yml"]);
      }),
      params(RUNS),
    );
  });

  it("readCompose does not expand exponential aliases (billion laughs)", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(laughsUnder("services:\n  web:\n    image: app", "    command:"), (text) => {
        const diagnostics: Diagnostic[] = [];
        const services = readCompose(file("docker-compose.yml", "compose", text), diagnostics, []);
        assertNamed(diagnostics, ["docker-compose.yml"]);
        // the command is not the expansion: a short string or nothing
        for (const s of services) assert.ok((s.command?.length ?? 0) < 100_000);
      }),
      params(RUNS),
    );
  });

  it("readProcfiles, readEnvFile and readContainerScript cope with mutated lines", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(mutated(S.PROCFILE, LINE_TOKENS), mutated(S.ENV_FILE, LINE_TOKENS), mutated(S.SHELL_SCRIPT, LINE_TOKENS), (procfile, env, script) => {
        readProcfiles([file("Procfile", "config", procfile.text)]);
        readEnvFile(file(".env", "env", env.text));
        readContainerScript(file("docker/entrypoint.sh", "other", script.text));
      }),
      params(RUNS),
    );
  });
});

describe("robustness: Kubernetes, Helm, Terraform", () => {
  const RUNS = 40;
  it("readKubernetes and readSecurityConfig cope with mutated manifests", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(mutated(S.KUBERNETES, YAML_TOKENS), ({ text }) => {
        const diagnostics: Diagnostic[] = [];
        readKubernetes([file("k8s/api.yaml", "k8s", text)], diagnostics);
        readSecurityConfig([file("k8s/api.yaml", "k8s", text)]);
        assertNamed(diagnostics, ["k8s/api.yaml"]);
      }),
      params(RUNS),
    );
  });

  it("readKubernetes reports exponential aliases instead of expanding them", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(laughsUnder("apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: a }", "spec:"), (text) => {
        const diagnostics: Diagnostic[] = [];
        readKubernetes([file("k8s/api.yaml", "k8s", text)], diagnostics);
        readSecurityConfig([file("k8s/api.yaml", "k8s", text)]);
        assertNamed(diagnostics, ["k8s/api.yaml"]);
      }),
      params(RUNS),
    );
  });

  it("a chart's templates and values.yaml, mutated, render and read without throwing", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(mutated(S.HELM_TEMPLATE, HELM_TOKENS), mutated(S.HELM_VALUES, YAML_TOKENS, { extra: billionLaughs.map((l) => l.text) }), (template, values) => {
        const diagnostics: Diagnostic[] = [];
        const files = [file("chart/templates/deployment.yaml", "helm", template.text), file("chart/values.yaml", "helm", values.text), file("chart/Chart.yaml", "helm", "name: c\nappVersion: 1.0\n")];
        readKubernetes(files, diagnostics);
        assertNamed(diagnostics, files.map((f) => f.path));
      }),
      params(RUNS),
    );
  });

  it("an `indent` with a negative or absurd count, and deeply nested parentheses, leave the value unknown", () => {
    for (const action of ["toYaml .Values.r | indent -4", ".Values.r | nindent 999999999", `${"(".repeat(5000)}.Values.r${")".repeat(5000)}`]) {
      const diagnostics: Diagnostic[] = [];
      const template = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          resources:\n{{ ${action} }}\n`;
      const workloads = readKubernetes([file("chart/templates/d.yaml", "helm", template), file("chart/values.yaml", "helm", "r: { limits: { cpu: 1 } }\n")], diagnostics);
      assert.deepEqual(
        workloads.map((w) => w.name),
        ["api"],
        action,
      );
      assert.deepEqual(diagnostics, [], action);
    }
  });

  const TF_RUNS = 15;
  it("readTerraform copes with mutated HCL and JSON configurations", { timeout: timeoutFor(TF_RUNS) }, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(S.TERRAFORM, HCL_TOKENS), mutated(S.TERRAFORM_JSON, ["[", "{", "}", "]", ",", ":", '"']), async (hcl, json) => {
        const diagnostics: Diagnostic[] = [];
        const tf = `resource "aws_s3_bucket" "x" {}\n${hcl.text}`;
        await readTerraform([file("infra/main.tf", "terraform", tf), file("infra/main.tf.json", "terraform", json.text)], diagnostics);
        assertNamed(diagnostics, ["infra/main.tf", "infra/main.tf.json"]);
      }),
      params(TF_RUNS),
    );
  });

  it("Terraform JSON nested 50,000 levels deep is read, its depths dropped", async () => {
    const deep = `{"resource": {"aws_s3_bucket": {"b": {"x": ${"[".repeat(50_000)}${"]".repeat(50_000)}, "bucket": "logs"}}}}`;
    const diagnostics: Diagnostic[] = [];
    const resources = await readTerraform([file("main.tf.json", "terraform", deep)], diagnostics);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      resources.map((r) => [r.type, r.name, r.attributes.bucket]),
      [["aws_s3_bucket", "b", "logs"]],
    );
  });
});

describe("robustness: CI, design documents, configuration", () => {
  const RUNS = 40;
  it("readCi copes with mutated GitHub Actions and GitLab CI files", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(mutated(S.GITHUB_WORKFLOW, YAML_TOKENS, { extra: laughsUnder("on: push", "jobs:") }), mutated(S.GITLAB_CI, YAML_TOKENS), (gh, gl) => {
        const diagnostics: Diagnostic[] = [];
        const files = [file(".github/workflows/ci.yml", "ci", gh.text), file(".gitlab-ci.yml", "ci", gl.text)];
        readCi(files, diagnostics);
        assertNamed(diagnostics, files.map((f) => f.path));
      }),
      params(RUNS),
    );
  });

  it("readDesignDocuments copes with mutated Markdown, README sections and reStructuredText", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(mutated(S.MARKDOWN, MARKDOWN_TOKENS), mutated(S.README, MARKDOWN_TOKENS), mutated(S.RST, MARKDOWN_TOKENS), (md, readme, rst) => {
        const docs = readDesignDocuments([file("docs/ARCHITECTURE.md", "doc", md.text), file("README.md", "doc", readme.text), file("docs/design/overview.rst", "doc", rst.text)]);
        assert.ok(docs.some((d) => d.file === "docs/ARCHITECTURE.md"));
        parseDesignDocument("docs/x.md", rst.text, "design");
      }),
      params(RUNS),
    );
  });

  it("loadConfig reports a mutated archscope.toml or [tool.archscope] as problems, never throws", { timeout: timeoutFor(RUNS) }, () => {
    fc.assert(
      fc.property(mutated(S.ARCHSCOPE_TOML, TOML_TOKENS), mutated(S.PYPROJECT, TOML_TOKENS), (own, pyproject) => {
        for (const files of [[file("archscope.toml", "config", own.text)], [file("pyproject.toml", "manifest", pyproject.text)]]) {
          const fileSet: FileSet = { root: "/virtual", files, diagnostics: [], isGitWorkTree: false };
          const { config, problems } = loadConfig(fileSet, CHECKS);
          assert.ok(Array.isArray(problems));
          assert.ok(config.context);
        }
      }),
      params(RUNS),
    );
  });
});

describe("robustness: guarded readers", () => {
  it("a reader that throws leaves its file out with a `reader-failed` note naming it, and the review goes on", () => {
    const diagnostics: Diagnostic[] = [];
    const read = readGuarded("k8s/a.yaml", "Kubernetes", diagnostics, [] as string[], () => {
      throw new RangeError("Maximum call stack size exceeded\n    at deep");
    });
    assert.deepEqual(read, []);
    assert.deepEqual(diagnostics, [
      { level: "warning", code: "reader-failed", message: "the Kubernetes reader failed on this file (Maximum call stack size exceeded): left out of the review", file: "k8s/a.yaml" },
    ]);
    assert.deepEqual(readGuarded("k8s/b.yaml", "Kubernetes", diagnostics, [] as string[], () => ["ok"]), ["ok"]);
    assert.equal(diagnostics.length, 1);
  });
});

describe("robustness: decoding", () => {
  it("decodeText decodes any bytes, and says when it replaced some", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const { text, lossy } = decodeText(bytes);
        assert.equal(typeof text, "string");
        if (!lossy) assert.equal(Buffer.from(text).equals(Buffer.from(bytes).subarray(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0)), true);
      }),
      params(200),
    );
  });
});
