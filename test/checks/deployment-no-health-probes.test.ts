import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noHealthProbes from "../../src/checks/deployment/no-health-probes.js";
import { locations, project } from "../helpers/project.js";

const APP = 'FROM python:3.12-slim\nRUN pip install gunicorn\nCOPY . /app\nCMD ["gunicorn", "app.wsgi"]\n';

describe("DEP005 no HEALTHCHECK and no orchestrator probes", () => {
  it("fires on a service image with no HEALTHCHECK, at its final FROM", async () => {
    const findings = (await project({ Dockerfile: `FROM python:3.12 AS build\nRUN pip wheel -w /w gunicorn\n${APP}` })).run(noHealthProbes);
    assert.deepEqual(locations(findings), [["DEP005", "Dockerfile", 3]]);
    assert.equal(findings[0]?.severity, "low");
  });

  it("fires when compose runs the image with a production server and no healthcheck", async () => {
    const compose = "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -w 4\n";
    const findings = (await project({ Dockerfile: APP, "docker-compose.yml": compose })).run(noHealthProbes);
    assert.deepEqual(locations(findings), [["DEP005", "Dockerfile", 1]]);
    assert.match(findings[0]?.message ?? "", /no compose service that builds it has a `healthcheck:`/);
  });

  it("stays quiet with a HEALTHCHECK", async () => {
    const text = APP.replace("CMD", "HEALTHCHECK CMD curl -f http://localhost:8000/healthz || exit 1\nCMD");
    assert.deepEqual((await project({ Dockerfile: text })).run(noHealthProbes), []);
  });

  it("stays quiet when compose declares a healthcheck for the service it builds", async () => {
    const compose = "services:\n  web:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/healthz\"]\n";
    assert.deepEqual((await project({ Dockerfile: APP, "docker-compose.yml": compose })).run(noHealthProbes), []);
  });

  it("stays quiet when Kubernetes manifests run the service (DEP008 reports missing probes per workload)", async () => {
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: org/api:1.0\n";
    assert.deepEqual((await project({ Dockerfile: APP, "k8s/deployment.yaml": deployment })).run(noHealthProbes), []);
  });

  it("stays quiet on an image only compose's reloading development server runs", async () => {
    const compose = "services:\n  web:\n    build: .\n    command: uvicorn app.main:app --reload\n";
    assert.deepEqual((await project({ Dockerfile: APP, "docker-compose.yml": compose })).run(noHealthProbes), []);
  });

  it("stays quiet on a base image with no command and on an image without Python", async () => {
    assert.deepEqual((await project({ Dockerfile: "FROM python:3.12-slim\nRUN pip install gunicorn\n" })).run(noHealthProbes), []);
    assert.deepEqual((await project({ "frontend/Dockerfile": 'FROM node:20\nCMD ["npm", "start"]\n' })).run(noHealthProbes), []);
  });
});
