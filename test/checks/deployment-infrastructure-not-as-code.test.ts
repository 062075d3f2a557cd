import assert from "node:assert/strict";
import { describe, it } from "node:test";
import infrastructureNotAsCode from "../../src/checks/deployment/infrastructure-not-as-code.js";
import { locations, project, py } from "../helpers/project.js";

const app = { "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()") };
const dockerfile = 'FROM python:3.12-slim\nCOPY . /app\nCMD ["gunicorn", "app.main:app"]\n';
const devCompose = "services:\n  api:\n    build: .\n    command: uvicorn app.main:app --reload\n";

describe("DEP010 infrastructure not described as code", () => {
  it("fires in production with only a Dockerfile and a development compose file, saying what it looked for", async () => {
    const p = await project({ ...app, Dockerfile: dockerfile, "docker-compose.yml": devCompose }, { context: { stage: "production" } });
    const findings = p.run(infrastructureNotAsCode);
    assert.deepEqual(locations(findings), [["DEP010", "Dockerfile", null]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /looked for Terraform, Kubernetes manifests or a Helm chart.*The repository has a Dockerfile \(Dockerfile\), a compose file \(docker-compose\.yml\)/);
  });

  it("fires at scale too", async () => {
    const p = await project({ ...app }, { context: { stage: "scale" } });
    assert.deepEqual(locations(p.run(infrastructureNotAsCode)), [["DEP010", "app/main.py", null]]);
  });

  it("is silent when the stage is not production, or unknown", async () => {
    for (const context of [{ stage: "mvp" }, { stage: "prototype" }, undefined]) {
      const p = await project({ ...app, Dockerfile: dockerfile }, context ? { context } : {});
      assert.deepEqual(p.run(infrastructureNotAsCode), [], JSON.stringify(context));
    }
  });

  for (const [name, files] of [
    ["Terraform", { "infra/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' }],
    ["Kubernetes manifests", { "k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n" }],
    ["a platform file", { "fly.toml": "app = 'api'\n" }],
    ["a production compose file", { "docker-compose.prod.yml": "services:\n  api:\n    image: api:1\n" }],
    ["a compose file running a production server", { "docker-compose.yml": "services:\n  api:\n    build: .\n    command: gunicorn app.main:app -k uvicorn.workers.UvicornWorker\n" }],
    ["an Ansible playbook", { "playbooks/site.yml": "- hosts: all\n" }],
  ] as const) {
    it(`stays quiet in production with ${name}`, async () => {
      const p = await project({ ...app, Dockerfile: dockerfile, ...files }, { context: { stage: "production" } });
      assert.deepEqual(p.run(infrastructureNotAsCode), [], name);
    });
  }
});
