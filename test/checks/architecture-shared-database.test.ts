import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sharedDatabase from "../../src/checks/architecture/shared-database.js";
import { locations, project } from "../helpers/project.js";

const DOCKERFILE = "FROM python:3.12-slim\nCOPY . /app\nCMD [\"uvicorn\", \"app.main:app\"]\n";

function compose(services: Record<string, string[]>): string {
  return `services:\n${Object.entries(services)
    .map(([name, lines]) => `  ${name}:\n${lines.map((l) => `    ${l}`).join("\n")}`)
    .join("\n")}\n`;
}

describe("ARCH002 database shared by several services", () => {
  it("fires when services built from different code point at the same database", async () => {
    const p = await project({
      "orders/Dockerfile": DOCKERFILE,
      "billing/Dockerfile": DOCKERFILE,
      "docker-compose.yml": compose({
        db: ["image: postgres:16"],
        orders: ["build: ./orders", "environment:", "  - DATABASE_URL=postgresql://app:pw@db:5432/shop"],
        billing: ["build: ./billing", "environment:", "  - DATABASE_URL=postgresql+asyncpg://app:pw@db/shop"],
      }),
    });
    const findings = p.run(sharedDatabase);
    assert.deepEqual(locations(findings), [["ARCH002", "docker-compose.yml", 7]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /2 services built from different code point at the same database db\/shop/);
  });

  it("finds the two services sharing one database among services with their own", async () => {
    const p = await project({
      "orders/Dockerfile": DOCKERFILE,
      "billing/Dockerfile": DOCKERFILE,
      "users/Dockerfile": DOCKERFILE,
      "docker-compose.yml": compose({
        orders: ["build: ./orders", "environment:", "  - DATABASE_URL=postgresql://app@db/shop"],
        billing: ["build: ./billing", "environment:", "  - DATABASE_URL=postgresql://app@db/billing"],
        users: ["build: ./users", "environment:", "  - DATABASE_URL=postgresql://app@db/shop"],
      }),
    });
    const findings = p.run(sharedDatabase);
    assert.deepEqual(locations(findings), [["ARCH002", "docker-compose.yml", 5]]);
    assert.match(findings[0]?.message ?? "", /db\/shop .*orders \(orders\/Dockerfile\), users \(users\/Dockerfile\)/);
  });

  it("is low when only the host is shared and no database name is given", async () => {
    const p = await project({
      "orders/Dockerfile": DOCKERFILE,
      "billing/Dockerfile": DOCKERFILE,
      "docker-compose.yml": compose({
        orders: ["build: ./orders", "environment:", "  DB_HOST: db"],
        billing: ["build: ./billing", "environment:", "  DB_HOST: db"],
      }),
    });
    const findings = p.run(sharedDatabase);
    assert.deepEqual(locations(findings), [["ARCH002", "docker-compose.yml", 5]]);
    assert.equal(findings[0]?.severity, "low");
  });

  it("stays quiet for a web and a worker of one image, separate databases, migration jobs and dev compose files", async () => {
    const p = await project({
      "Dockerfile": DOCKERFILE,
      "orders/Dockerfile": DOCKERFILE,
      "billing/Dockerfile": DOCKERFILE,
      "docker-compose.yml": compose({
        web: ["build: .", "environment:", "  - DATABASE_URL=postgresql://app@db/shop"],
        worker: ["build: .", "command: celery -A app worker", "environment:", "  - DATABASE_URL=postgresql://app@db/shop"],
        migrate: ["build: ./billing", "environment:", "  - DATABASE_URL=postgresql://app@db/shop"],
        orders: ["build: ./orders", "environment:", "  - DATABASE_URL=postgresql://app@db/orders"],
        billing: ["build: ./billing", "environment:", "  - DATABASE_URL=postgresql://app@db/billing"],
      }),
      "docker-compose.dev.yml": compose({
        orders: ["build: ./orders", "environment:", "  - DATABASE_URL=postgresql://app@db/dev"],
        billing: ["build: ./billing", "environment:", "  - DATABASE_URL=postgresql://app@db/dev"],
      }),
    });
    assert.deepEqual(locations(p.run(sharedDatabase)), []);
  });
});
