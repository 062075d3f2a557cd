import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deliveryTechnologies, detectTechnologies } from "../../src/model/technologies.js";
import { ProjectIndex } from "../../src/python/project-index.js";
import { classifyPath, refineYamlKind } from "../../src/workspace/classify.js";
import type { WorkspaceFile } from "../../src/workspace/types.js";

function files(entries: Record<string, string>): WorkspaceFile[] {
  return Object.entries(entries).map(([path, text]) => ({ path, kind: refineYamlKind(classifyPath(path), path, text), size: text.length, text }));
}

const summary = (techs: ReturnType<typeof deliveryTechnologies>) => techs.map((t) => `${t.category} ${t.name}: ${t.evidence.map((e) => `${e.file}:${e.line}`).join(", ")}`).sort();

describe("how the system is built and run, as technologies", () => {
  it("reads Docker (each Dockerfile), Compose, Kubernetes, Helm, Terraform and the CI service, each with file and line", () => {
    const techs = deliveryTechnologies(
      files({
        Dockerfile: "# syntax=docker/dockerfile:1\nFROM python:3.12-slim AS build\nFROM python:3.12-slim\n",
        "worker/Dockerfile": "FROM python:3.12-slim\n",
        "compose.yaml": "name: shop\nservices:\n  api:\n    build: .\n  db:\n    image: postgres:16\n",
        "deploy/k8s/api.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n",
        "charts/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
        "charts/shop/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
        "infra/main.tf": '# network\nterraform {\n  required_version = ">= 1.6"\n}\nresource "aws_db_instance" "db" {}\n',
        ".github/workflows/ci.yml": "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
        ".gitlab-ci.yml": "stages: [test]\ntest:\n  script: pytest\n",
        Jenkinsfile: "pipeline {\n  agent any\n}\n",
      }),
    );
    assert.deepEqual(summary(techs), [
      "ci GitHub Actions: .github/workflows/ci.yml:3",
      "ci GitLab CI: .gitlab-ci.yml:1",
      "ci Jenkins: Jenkinsfile:1",
      "container Docker Compose: compose.yaml:2",
      "container Docker: Dockerfile:2, worker/Dockerfile:1",
      "iac Terraform: infra/main.tf:2",
      "orchestration Helm: charts/shop/Chart.yaml:2",
      "orchestration Kubernetes: deploy/k8s/api.yaml:2, charts/shop/templates/deployment.yaml:2",
    ]);
    const docker = techs.find((t) => t.name === "Docker");
    assert.equal(docker?.note, "Container images built from 2 Dockerfiles.");
    assert.equal(docker?.evidence[0]?.snippet, "FROM python:3.12-slim AS build");
    assert.equal(techs.find((t) => t.name === "Docker Compose")?.evidence[0]?.snippet, "services: api, db");
  });

  it("reads Pulumi, the AWS CDK, CloudFormation/SAM and Kustomize, and notes images used only for development", () => {
    const techs = deliveryTechnologies(
      files({
        "infra/Pulumi.yaml": "name: shop\nruntime: python\n",
        "cdk/cdk.json": '{\n  "app": "python3 app.py"\n}\n',
        "sam/template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n",
        "k8s/kustomization.yaml": "resources:\n  - api.yaml\n",
        ".devcontainer/Dockerfile": "FROM mcr.microsoft.com/devcontainers/python:3.12\n",
      }),
    );
    assert.deepEqual(summary(techs), [
      "container Docker: .devcontainer/Dockerfile:1",
      "iac AWS CDK: cdk/cdk.json:2",
      "iac AWS SAM: sam/template.yaml:1",
      "iac Pulumi: infra/Pulumi.yaml:2",
      "orchestration Kustomize: k8s/kustomization.yaml:1",
    ]);
    assert.match(techs.find((t) => t.name === "Docker")?.note ?? "", /for development or CI only/);
  });

  it("leaves out test fixtures and examples, and files that only look like it", () => {
    const techs = deliveryTechnologies(
      files({
        "tests/fixtures/Dockerfile": "FROM python:3.12\n",
        "docs/examples/docker-compose.yml": "services:\n  app:\n    image: x\n",
        "infra/variables.tf": "# no blocks here\n",
        "config/app.yaml": "kind: settings\n",
        "deploy/ansible/dockerfile.yml": "- hosts: all\n  tasks: []\n",
      }),
    );
    assert.deepEqual(summary(techs), []);
  });

  it("merges a build-and-run technology into the Python package of the same name", () => {
    const techs = detectTechnologies(
      [{ name: "pulumi", spec: ">=3", pinned: false, dev: false, group: null, manifest: "pyproject.toml", line: 4 }],
      new ProjectIndex([], []),
      [],
      [],
      [],
      files({ "Pulumi.yaml": "name: shop\nruntime: python\n" }),
    );
    const pulumi = techs.filter((t) => t.name === "Pulumi");
    assert.equal(pulumi.length, 1);
    assert.deepEqual(pulumi[0]?.evidence.map((e) => `${e.file}:${e.line}`), ["pyproject.toml:4", "Pulumi.yaml:2"]);
  });
});
