import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/resilience/datastore-client-timeouts.js";
import { project, py } from "../helpers/project.js";

describe("RES007 database/Redis clients without timeouts", () => {
  it("fires on redis and psycopg clients without connect or socket timeouts", async () => {
    const p = await project({
      "app/cache.py": py(
        "import os", // 1
        "import redis", // 2
        "from redis.asyncio import Redis", // 3
        "import psycopg2", // 4
        "cache = redis.Redis.from_url(os.environ['REDIS_URL'])", // 5
        "aio = Redis(host='redis', port=6379)", // 6
        "def conn():", // 7
        "    return psycopg2.connect(os.environ['DATABASE_URL'])", // 8
      ),
    });
    const findings = p.run(check);
    assert.deepEqual(findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [
      ["RES007", "app/cache.py", 5, "low"],
      ["RES007", "app/cache.py", 6, "low"],
      ["RES007", "app/cache.py", 8, "low"],
    ]);
    assert.match(findings[2]?.message ?? "", /connect_timeout/);
  });

  it("stays quiet with timeouts, a configured pool, a DSN that sets connect_timeout, **kwargs, or in scripts", async () => {
    const p = await project({
      "app/ok.py": py(
        "import redis, psycopg2",
        "a = redis.Redis(host='r', socket_timeout=2)",
        "b = redis.from_url(URL, socket_connect_timeout=2)",
        "pool = redis.ConnectionPool(host='r', socket_timeout=3)",
        "c = redis.Redis(connection_pool=pool)",
        "d = psycopg2.connect('dbname=x connect_timeout=5')",
        "e = redis.Redis(**OPTIONS)",
      ),
      "scripts/seed.py": py("import redis", "r = redis.Redis()"),
    });
    assert.deepEqual(p.run(check), []);
  });
});
