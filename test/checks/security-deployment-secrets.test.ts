import assert from "node:assert/strict";
import { describe, it } from "node:test";
import deploymentSecrets from "../../src/checks/security/deployment-secrets.js";
import type { Finding } from "../../src/checks/types.js";
import { publicModel } from "../../src/report/json.js";
import { locations, project } from "../helpers/project.js";

/** `${NAME}`: compose interpolation, written so it is not mistaken for a JS template. */
const ref = (name: string): string => "$" + "{" + name + "}";
const STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc";
const DJANGO_KEY = "q8Zr2xT5nW1vK7bY3mH6fJ9pL4sD0gA2";

function assertRedacted(findings: Finding[], ...secrets: string[]): void {
  const json = JSON.stringify(findings);
  for (const secret of secrets) assert.ok(!json.includes(secret), `secret ${secret.slice(0, 4)}… leaked into the findings`);
}

describe("SEC018 secrets committed in deployment files", () => {
  it("fires on a tracked .env, compose environment, Dockerfile ENV and a plain Kubernetes Secret, never printing the value", async () => {
    const b64 = Buffer.from(DJANGO_KEY).toString("base64");
    const p = await project(
      {
        ".env": `DEBUG=false\nSTRIPE_SECRET_KEY=${STRIPE}\n`,
        "docker-compose.yml": `services:\n  web:\n    build: .\n    environment:\n      DJANGO_SECRET_KEY: "${DJANGO_KEY}"\n`,
        Dockerfile: `FROM python:3.12-slim\nENV API_TOKEN=${DJANGO_KEY}x\nCMD ["gunicorn", "app.wsgi"]\n`,
        "deploy/k8s/secret.yaml": `apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop\ntype: Opaque\ndata:\n  SECRET_KEY: ${b64}\n`,
      },
      { tracked: [".env"] },
    );
    const findings = p.run(deploymentSecrets);
    assert.deepEqual(locations(findings).sort(), [
      ["SEC018", ".env", 2],
      ["SEC018", "Dockerfile", 2],
      ["SEC018", "deploy/k8s/secret.yaml", 7],
      ["SEC018", "docker-compose.yml", 5],
    ]);
    assert.ok(findings.every((f) => f.severity === "high"), JSON.stringify(findings.map((f) => f.severity)));
    assert.match(findings.find((f) => f.evidence[0]?.file === "deploy/k8s/secret.yaml")?.message ?? "", /Kubernetes Secret shop/);
    assertRedacted(findings, STRIPE, DJANGO_KEY, b64);
    // the model printed in JSON reports keeps no value of the Secret manifest either
    const manifestOnly = await project({ "deploy/k8s/secret.yaml": `apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop\nstringData:\n  SECRET_KEY: ${DJANGO_KEY}\n` });
    assert.equal(manifestOnly.run(deploymentSecrets).length, 1);
    assert.ok(!JSON.stringify(publicModel(manifestOnly.model)).includes(DJANGO_KEY), "Secret manifest value leaked into the public model");
  });

  it("stays quiet on templates, placeholders, interpolation, untracked env files, Helm templates and sealed secrets", async () => {
    const p = await project(
      {
        ".env.example": `SECRET_KEY=${DJANGO_KEY}\n`,
        ".env": `SECRET_KEY=${DJANGO_KEY}\n`,
        "docker-compose.yml": `services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: ${ref("SECRET_KEY")}\n      API_TOKEN: changeme\n      DB_PASSWORD: your-secret-here\n      JWT_SECRET: xxx\n      EMPTY_PASSWORD: ""\n`,
        "deploy/k8s/sealed.yaml": "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: shop\nspec:\n  encryptedData:\n    SECRET_KEY: AgBy3i4OJSWK+PiTySYZZA==\n",
        "chart/templates/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\nstringData:\n  SECRET_KEY: {{ .Values.secretKey | quote }}\n",
      },
      { tracked: [".env.example"], gitignored: [".env"] },
    );
    assert.deepEqual(p.run(deploymentSecrets), []);
  });

  it("is low for an obvious development value and for a compose file that runs a development server, and says so", async () => {
    const p = await project({
      "docker-compose.yml": `services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n    environment:\n      DJANGO_DEBUG: "True"\n      DJANGO_SECRET_KEY: really-long-random-string-BNPecI7s8jMahQcGHZ3XQ5yUfRr\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n`,
    });
    const findings = p.run(deploymentSecrets);
    assert.deepEqual(locations(findings), [["SEC018", "docker-compose.yml", 7]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /local development \(service web runs runserver/);
  });
});
