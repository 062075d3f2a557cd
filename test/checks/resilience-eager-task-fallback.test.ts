import assert from "node:assert/strict";
import { describe, it } from "node:test";
import eagerTaskFallback from "../../src/checks/resilience/eager-task-fallback.js";
import { project, py } from "../helpers/project.js";

type Findings = ReturnType<Awaited<ReturnType<typeof project>>["run"]>;
const where = (findings: Findings) => findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]);

describe("RES009 task queue silently runs tasks inline", () => {
  it("reports eager mode derived from a missing broker URL (Saleor's pattern) and a literal True in production settings", async () => {
    const p = await project({
      "shop/settings.py": py("import os", 'CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", os.environ.get("CLOUDAMQP_URL")) or ""', "CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL"),
      "blog/settings/production.py": py("from .base import *", "CELERY_TASK_ALWAYS_EAGER = True"),
    });
    const found = p.run(eagerTaskFallback);
    assert.deepEqual(where(found), [
      ["RES009", "blog/settings/production.py", 2, "medium"],
      ["RES009", "shop/settings.py", 3, "medium"],
    ]);
    assert.match(found[1]?.message ?? "", /when the broker URL is missing.*CELERY_BROKER_URL/);
  });

  it("reports an environment default of True unless a deployment file sets the variable", async () => {
    const settings = py("import environ", "env = environ.Env()", 'CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)');
    const p = await project({ "proj/settings.py": settings });
    assert.deepEqual(where(p.run(eagerTaskFallback)), [["RES009", "proj/settings.py", 3, "medium"]]);
    const deployed = await project({ "proj/settings.py": settings, "docker-compose.yml": 'services:\n  web:\n    build: .\n    environment:\n      CELERY_EAGER: "false"\n' });
    assert.deepEqual(deployed.run(eagerTaskFallback), []);
  });

  it("stays quiet in test settings, a testing config class, a safe default, and a base True that production turns off", async () => {
    const p = await project({
      "config/django/test.py": py("from .base import *", "CELERY_TASK_ALWAYS_EAGER = True"),
      "app/config.py": py("class Config:", "    CELERY_TASK_ALWAYS_EAGER = False", "class TestingConfig(Config):", "    CELERY_TASK_ALWAYS_EAGER = True"),
      "proj/settings.py": py("import environ", "env = environ.Env()", 'CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=False)'),
      "tests/conftest.py": py("from dramatiq.brokers.stub import StubBroker", "broker = StubBroker()"),
    });
    assert.deepEqual(p.run(eagerTaskFallback), []);
    const overridden = await project({ "site/settings/base.py": py("CELERY_TASK_ALWAYS_EAGER = True"), "site/settings/production.py": py("from .base import *", "CELERY_TASK_ALWAYS_EAGER = False") });
    assert.deepEqual(overridden.run(eagerTaskFallback), []);
  });

  it("reports RQ is_async=False and dramatiq's StubBroker in application code, not a StubBroker kept to tests by its condition", async () => {
    const p = await project({
      "app/queue.py": py("from redis import Redis", "from rq import Queue", "queue = Queue('default', connection=Redis(), is_async=False)"),
      "app/broker.py": py("import dramatiq", "from dramatiq.brokers.stub import StubBroker", "broker = StubBroker()", "dramatiq.set_broker(broker)"),
    });
    assert.deepEqual(where(p.run(eagerTaskFallback)), [
      ["RES009", "app/broker.py", 3, "medium"],
      ["RES009", "app/queue.py", 3, "medium"],
    ]);
    const guarded = await project({
      "app/broker.py": py("import os, dramatiq", "from dramatiq.brokers.stub import StubBroker", "from dramatiq.brokers.redis import RedisBroker", "if os.environ.get('UNIT_TESTS') == '1':", "    broker = StubBroker()", "else:", "    broker = RedisBroker()"),
      "app/queue.py": py("from redis import Redis", "from rq import Queue", "queue = Queue('default', connection=Redis())"),
    });
    assert.deepEqual(guarded.run(eagerTaskFallback), []);
  });
});
