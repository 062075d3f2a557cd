import assert from "node:assert/strict";
import { describe, it } from "node:test";
import noAutoscaling from "../../src/checks/scalability/no-autoscaling.js";
import { locations, project, py } from "../helpers/project.js";

const DEPLOYMENT = [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata: { name: api }",
  "spec:",
  "  replicas: 3",
  "  template: { spec: { containers: [{ name: api, image: 'acme/api:1', command: ['gunicorn', '-w', '4', 'app:app'] }] } }",
].join("\n");
const HPA = [
  "apiVersion: autoscaling/v2",
  "kind: HorizontalPodAutoscaler",
  "metadata: { name: api }",
  "spec:",
  "  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }",
  "  minReplicas: 2",
  "  maxReplicas: 10",
].join("\n");
const APP = { "app.py": py("from flask import Flask", "app = Flask(__name__)") };

describe("PERF009 no autoscaling at the stated scale", () => {
  it("fires on a fixed-replica Deployment when the stated peak is high, naming the roadmap stage", async () => {
    const p = await project({ ...APP, "k8s/api.yaml": DEPLOYMENT }, { context: { peak_rps: 500 } });
    const findings = p.run(noAutoscaling);
    assert.deepEqual(locations(findings), [["PERF009", "k8s/api.yaml", 2]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /a peak of 500 req\/s.*api \(3 replicas\).*Next: scale out the web tier/);
  });

  it("stays quiet without a stated scale, below the threshold, or with an HPA", async () => {
    assert.deepEqual((await project({ ...APP, "k8s/api.yaml": DEPLOYMENT })).run(noAutoscaling), []);
    assert.deepEqual((await project({ ...APP, "k8s/api.yaml": DEPLOYMENT }, { context: { peak_rps: 20 } })).run(noAutoscaling), []);
    assert.deepEqual((await project({ ...APP, "k8s/api.yaml": DEPLOYMENT, "k8s/hpa.yaml": HPA }, { context: { users: 50_000 } })).run(noAutoscaling), []);
  });
});
