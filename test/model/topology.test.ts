import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { project, py } from "../helpers/project.js";

const compose = [
  "x-env: &env",
  "  DATABASE_URL: postgresql://shop:pw@db:5432/shop", // 2
  // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, not a JS template
  "  PAYMENT_URL: ${PAYMENT_URL:-https://api.pay.example/v2}",
  "services:",
  "  api:",
  "    build: .",
  "    environment: *env",
  "    depends_on: [db, cache]",
  "  worker:",
  "    build: .",
  "    command: celery -A app.tasks worker",
  "    environment:",
  "      REDIS_HOST: cache", // 13
  "  db:",
  "    image: postgres:16",
  "  cache:",
  "    image: redis:7-alpine",
  "  proxy:",
  "    image: traefik:v3",
].join("\n");

describe("components and connections", () => {
  it("reads compose services, their roles, and who connects to whom", async () => {
    const p = await project({ "docker-compose.yml": compose, "app/pay.py": py("import stripe", "import boto3", "s3 = boto3.client('s3')") });
    const components = p.model.components.map((c) => `${c.kind}:${c.name}${c.technology ? `=${c.technology}` : ""}`);
    assert.deepEqual(components, ["service:api", "worker:worker", "proxy:proxy=Traefik", "datastore:cache=Redis", "datastore:db=PostgreSQL", "external:Amazon S3=Amazon S3", "external:Stripe=Stripe", "external:api.pay.example"]);
    const connections = p.model.connections.map((c) => `${c.from}->${c.to} ${c.via}`);
    assert.deepEqual(connections, [
      "api->Amazon S3 boto3",
      "api->Stripe SDK",
      "api->api.pay.example PAYMENT_URL",
      "api->cache depends_on",
      "api->db DATABASE_URL",
      "worker->cache REDIS_HOST",
    ]);
    assert.deepEqual(p.model.components.find((c) => c.name === "cache")?.usedBy, ["api", "worker"]);
    const db = p.model.connections.find((c) => c.to === "db");
    assert.equal(db?.evidence[0]?.line, 2);
    assert.doesNotMatch(JSON.stringify(p.model.composeServices), /:pw@/, "compose passwords are redacted in the model");
  });

  it("without deployment files, the code is one service connected to the stores its drivers reach", async () => {
    const p = await project({ "app/db.py": py("import asyncpg", "import redis.asyncio as redis"), "app/main.py": py("from fastapi import FastAPI", "app = FastAPI()") });
    assert.deepEqual(p.model.components.map((c) => `${c.kind}:${c.name}`), ["service:virtual", "datastore:PostgreSQL", "datastore:Redis"]);
    assert.deepEqual(p.model.connections.map((c) => `${c.from}->${c.to}`), ["virtual->PostgreSQL", "virtual->Redis"]);
  });

  it("recognises technologies from connection URLs and Django settings", async () => {
    const p = await project({
      "proj/settings.py": py(
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'x'}}",
        "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://cache:6379/1'}}",
        "CELERY_BROKER_URL = 'amqp://guest@rabbit//'", // 3
      ),
    });
    const names = p.model.technologies.filter((t) => !t.package).map((t) => `${t.name}@${t.evidence[0]?.file}:${t.evidence[0]?.line}`);
    assert.deepEqual(names, ["Redis@proj/settings.py:2", "PostgreSQL@proj/settings.py:1", "RabbitMQ@proj/settings.py:3"]);
  });
});

describe("data stores named by declared drivers", () => {
  it("a psycopg dependency names PostgreSQL even when only the ORM imports the driver", async () => {
    const p = await project({ "requirements.txt": "django==5.1.4\npsycopg[binary]==3.2.3\n", "proj/models.py": py("from django.db import models") });
    const pg = p.model.technologies.find((t) => t.name === "PostgreSQL");
    assert.deepEqual(pg?.evidence[0], { file: "requirements.txt", line: 2, snippet: "psycopg==3.2.3" });
    assert.ok(p.model.components.some((c) => c.kind === "datastore" && c.name === "PostgreSQL"));
  });
});
