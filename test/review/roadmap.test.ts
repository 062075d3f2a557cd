import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReviewContext } from "../../src/checks/context.js";
import { CHECKS } from "../../src/checks/registry.js";
import { architecturePatterns } from "../../src/review/patterns.js";
import { scalabilityRoadmap } from "../../src/review/roadmap.js";
import { project, py } from "../helpers/project.js";

const REQUIREMENTS = "fastapi==0.115.0\nsqlalchemy==2.0.36\npsycopg2-binary==2.9.10\ngunicorn==23.0.0\nuvicorn==0.32.0\n";
const COMPOSE = ["services:", "  api:", "    build: .", "    environment:", "      DATABASE_URL: postgresql://app@db/app", "  db:", "    image: postgres:16", ""].join("\n");
const MAIN = py("from fastapi import FastAPI", "from app.db import engine", "app = FastAPI()", "", '@app.get("/items")', "def items():", "    return []");
const DEPLOYMENT = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: api", "spec:", "  replicas: 4", "  template:", "    spec:", "      containers:", "        - name: api", "          image: example/api:1", ""].join("\n");

function context(fields: Partial<ReviewContext> = {}): ReviewContext {
  return { source: "test", ...fields } as ReviewContext;
}

describe("scalability roadmap", () => {
  it("adds up the connection budget: pool × processes × replicas against PostgreSQL's default, each number with its source", async () => {
    const p = await project({
      "requirements.txt": REQUIREMENTS,
      "docker-compose.yml": COMPOSE,
      Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app", "-w", "9", "-k", "uvicorn.workers.UvicornWorker"]\n',
      "k8s/deployment.yaml": DEPLOYMENT,
      "app/__init__.py": "",
      "app/main.py": MAIN,
      "app/db.py": py("from sqlalchemy import create_engine", 'engine = create_engine("postgresql://", pool_size=10, max_overflow=20)'),
    });
    assert.deepEqual(
      p.model.databasePools.map((x) => [x.file, x.line, x.poolSize, x.maxOverflow]),
      [["app/db.py", 2, 10, 20]],
    );
    const roadmap = scalabilityRoadmap(p.model, [], context());
    const budget = roadmap.capacity.find((c) => c.topic === "Connection budget");
    assert.match(budget?.note ?? "", /^30 connections per process × \(36 web processes\) = up to 1080 connections, more than the 97 PostgreSQL accepts \(max_connections 100 less 3 reserved\)/);
    assert.deepEqual(budget?.evidence.map((e) => `${e.file}:${e.line}`), ["app/db.py:2"]);
    assert.match(budget?.assumptions.join("; ") ?? "", /default max_connections 100, 3 of them reserved for superusers/);
    const web = roadmap.capacity.find((c) => c.topic === "Web processes");
    assert.match(web?.note ?? "", /9 async worker processes × 4 instances/);
    assert.deepEqual(web?.evidence.map((e) => e.file), ["Dockerfile", "k8s/deployment.yaml"]);
    assert.match(roadmap.currentLimits[0]?.limit ?? "", /Connection budget exceeded: up to 1080 connections against the 97 PostgreSQL accepts/);
    const actions = roadmap.stages.flatMap((s) => s.actions).join("\n");
    assert.match(actions, /Put PgBouncer \(transaction pooling\) in front of PostgreSQL, or shrink each process's pool: one instance already asks for up to 270 of the 97 connections it accepts/);
    // four replicas stated: no advice to run a second instance
    assert.doesNotMatch(actions, /at least two instances/);
  });

  it("states SQLAlchemy's defaults when the pool is not sized, and leaves out pools that keep nothing (NullPool) or do not run in production", async () => {
    const files = {
      "requirements.txt": REQUIREMENTS,
      "docker-compose.yml": COMPOSE,
      Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app", "--workers", "2"]\n',
      "app/__init__.py": "",
      "app/main.py": MAIN,
      "app/db.py": py("from sqlalchemy import create_engine", 'engine = create_engine("postgresql://")'),
      "tests/conftest.py": py("from sqlalchemy import create_engine", 'engine = create_engine("sqlite://", pool_size=50)'),
    };
    const defaults = await project(files);
    assert.deepEqual(defaults.model.databasePools.map((x) => x.file), ["app/db.py"]);
    const budget = scalabilityRoadmap(defaults.model, [], context()).capacity.find((c) => c.topic === "Connection budget");
    assert.match(budget?.note ?? "", /^15 connections per process × \(2 web processes\) = up to 30 connections, within the 97 PostgreSQL accepts/);
    assert.match(budget?.assumptions.join("; ") ?? "", /SQLAlchemy's defaults where not set: pool_size 5, max_overflow 10/);

    const nullPool = await project({ ...files, "app/db.py": py("from sqlalchemy import create_engine", "from sqlalchemy.pool import NullPool", 'engine = create_engine("postgresql://", poolclass=NullPool)') });
    assert.equal(nullPool.model.databasePools[0]?.nullPool, true);
    assert.equal(scalabilityRoadmap(nullPool.model, [], context()).capacity.find((c) => c.topic === "Connection budget"), undefined);
  });

  it("ties the web tier's trigger to the stated peak: sync workers at the assumed request time, with the headroom left", async () => {
    const files = {
      "requirements.txt": REQUIREMENTS,
      Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app", "-w", "1"]\n',
      "app/__init__.py": "",
      "app/main.py": MAIN,
    };
    const p = await project(files);
    const fits = scalabilityRoadmap(p.model, [], context({ peak_rps: 5 }));
    const web = fits.capacity.find((c) => c.topic === "Web processes");
    assert.match(web?.note ?? "", /^1 sync worker process × 1 instance serve 1 request at a time: about 10 requests per second/);
    assert.match(web?.note ?? "", /The stated peak of 5 req\/s fits, with 50% headroom\./);
    assert.deepEqual(web?.assumptions, ["one instance: no replica count in the repository", "a mean request takes 100 ms"]);
    assert.match(fits.stages.find((s) => s.name.startsWith("Next"))?.trigger ?? "", /when traffic passes about 7 req\/s, 70% of the estimated 10 req\/s \(stated peak: 5\)/);

    const over = scalabilityRoadmap(p.model, [], context({ peak_rps: 25 }));
    assert.match(over.currentLimits[0]?.limit ?? "", /The stated peak of 25 req\/s is above the estimated 10 req\/s/);
    assert.match(over.stages.find((s) => s.name.startsWith("Next"))?.trigger ?? "", /^now: the stated peak of 25 req\/s/);

    // no worker count on the command line (gunicorn.conf.py, WEB_CONCURRENCY or the platform may set it): no figure invented
    const unstated = await project({ ...files, Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app.main:app"]\n' });
    const silent = scalabilityRoadmap(unstated.model, [], context({ peak_rps: 25 }));
    assert.match(silent.capacity.find((c) => c.topic === "Web processes")?.note ?? "", /^gunicorn runs sync workers, but the repository does not state how many .*: no throughput estimate\.$/);
    assert.equal(silent.currentLimits.length, 0);

    // no worker count: the trigger is an observable signal, with the stated latency target
    assert.match(scalabilityRoadmap(unstated.model, [], context({ latency_p99_ms: 250 })).stages.find((s) => s.name.startsWith("Next"))?.trigger ?? "", /70% CPU at peak or p99 latency nears the 250 ms target/);
    // no server command at all: no capacity figure invented, and no advice about instances it cannot see
    const bare = await project({ "requirements.txt": REQUIREMENTS, "app/__init__.py": "", "app/main.py": MAIN });
    const roadmap = scalabilityRoadmap(bare.model, [], context({ latency_p99_ms: 250 }));
    assert.equal(roadmap.capacity.find((c) => c.topic === "Web processes"), undefined);
    assert.equal(roadmap.stages.find((s) => s.name.startsWith("Next")), undefined);
  });
});

describe("capacity notes: near misses", () => {
  it("counts only the service's own pool and database: not an integration's engine, not a store only a third-party image uses, not SQLite", async () => {
    const p = await project({
      "requirements.txt": REQUIREMENTS,
      Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app", "-w", "2"]\n',
      "docker-compose.yml": ["services:", "  mongo:", "    image: mongo:7", "  mongo-express:", "    image: mongo-express", "    environment:", "      ME_CONFIG_MONGODB_URL: mongodb://mongo:27017/", ""].join("\n"),
      "app/__init__.py": "",
      "app/main.py": MAIN,
      "integrations/sql/__init__.py": "",
      "integrations/sql/db.py": py("from sqlalchemy import create_engine", 'engine = create_engine("postgresql://", pool_size=40)'),
    });
    assert.equal(p.model.databasePools.length, 1, "the integration's engine is in the model");
    const roadmap = scalabilityRoadmap(p.model, [], context());
    assert.deepEqual(roadmap.capacity.map((c) => c.topic), ["Web processes", "Cache"]);
    // the same engine in the service's own package does count
    const own = await project({ "requirements.txt": REQUIREMENTS, Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app", "-w", "2"]\n', "app/__init__.py": "", "app/main.py": MAIN, "app/db.py": py("from sqlalchemy import create_engine", 'engine = create_engine("postgresql://", pool_size=40)') });
    assert.match(scalabilityRoadmap(own.model, [], context()).capacity.find((c) => c.topic === "Connection budget")?.note ?? "", /^50 connections per process × \(2 web processes\) = up to 100 connections, more than the 97 PostgreSQL accepts/);
  });
});

describe("architecture patterns", () => {
  it("names patterns in use with where they show, and recommends only what this system's findings call for", async () => {
    const p = await project({
      "requirements.txt": REQUIREMENTS,
      "app/__init__.py": "",
      "app/main.py": py("from fastapi import FastAPI", "from app.services import orders", "app = FastAPI()", "", '@app.get("/orders")', "def list_orders():", "    return orders.all_orders()"),
      "app/services/__init__.py": "",
      "app/services/orders.py": py("from app.repositories import orders", "def all_orders():", "    return orders.query()"),
      "app/repositories/__init__.py": "",
      "app/repositories/orders.py": py("def query():", "    return []"),
    });
    const findings = p.run(...CHECKS);
    const patterns = architecturePatterns(p.model, findings.filter((f) => f.kind === "concern"));
    assert.deepEqual(
      patterns.filter((x) => x.status === "in use").map((x) => [x.name, x.evidence[0]?.file]),
      [
        ["Service layer", "app/services/__init__.py"],
        ["Repository", "app/repositories/__init__.py"],
      ],
    );
    // a clean project with no task queue, external calls or blocking handlers: nothing to recommend
    assert.deepEqual(patterns.filter((x) => x.status === "recommended").map((x) => x.name), []);
  });

  it("sees work enqueued after commit as in use, and recommends the outbox only where nothing defers the enqueue", async () => {
    const files = {
      "requirements.txt": "django==5.1\ncelery==5.4.0\npsycopg==3.2.3\n",
      "shop/__init__.py": "",
      "shop/tasks.py": py("from celery import shared_task", "@shared_task", "def send(order_id):", "    return order_id"),
    };
    const deferred = await project({ ...files, "shop/services.py": py("from django.db import transaction", "from shop.tasks import send", "def place(order):", "    order.save()", "    transaction.on_commit(lambda: send.delay(order.id))") });
    assert.deepEqual(deferred.model.afterCommitHooks.map((e) => `${e.file}:${e.line}`), ["shop/services.py:5"]);
    const names = (p: typeof deferred) => architecturePatterns(p.model, []).map((x) => `${x.status}: ${x.name}`);
    assert.ok(names(deferred).includes("in use: Work enqueued after commit"));
    assert.ok(!names(deferred).includes("recommended: Transactional outbox"));
    const direct = await project({ ...files, "shop/services.py": py("from shop.tasks import send", "def place(order):", "    order.save()", "    send.delay(order.id)") });
    assert.ok(names(direct).includes("recommended: Transactional outbox"));
  });
});
