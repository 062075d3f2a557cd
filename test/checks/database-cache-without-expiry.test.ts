import assert from "node:assert/strict";
import { describe, it } from "node:test";
import cacheWithoutExpiry from "../../src/checks/database/cache-without-expiry.js";
import { locations, project, py } from "../helpers/project.js";

describe("DB010 cache writes without expiry", () => {
  it("fires on redis set/hset/setnx with no expiry (sync, asyncio from_url, pipelines) and Django timeout=None", async () => {
    const p = await project({
      "app/cache.py": py(
        "import redis", // 1
        "import redis.asyncio as aioredis", // 2
        "from django.core.cache import cache", // 3
        "r = redis.Redis(host=\"localhost\")", // 4
        "ar = aioredis.from_url(\"redis://localhost\")", // 5
        "def remember(uid, data):", // 6
        "    r.set(f\"user:{uid}\", data)", // 7
        "async def lock(name):", // 8
        "    return await ar.setnx(name, 1)", // 9
        "def forever(key, value):", // 10
        "    cache.set(key, value, timeout=None)", // 11
        "def piped(key, value):", // 12
        "    with r.pipeline() as pipe:", // 13
        "        pipe.hset(key, \"a\", value)", // 14
        "        pipe.execute()", // 15
      ),
    });
    const found = p.run(cacheWithoutExpiry);
    assert.deepEqual(locations(found), [
      ["DB010", "app/cache.py", 7],
      ["DB010", "app/cache.py", 9],
      ["DB010", "app/cache.py", 11],
      ["DB010", "app/cache.py", 14],
    ]);
    assert.equal(found[0]?.severity, "low");
    assert.match(found[0]?.message ?? "", /^Redis `set` of f"user:\{uid\}" with no ex\/px/);
  });

  it("stays quiet with ex/px/keepttl, a positional expiry, expire() on the same key, setex, Django's default timeout, and unknown receivers", async () => {
    const p = await project({
      "app/cache.py": py(
        "import redis", // 1
        "from django.core.cache import cache", // 2
        "r = redis.Redis()", // 3
        "def a(k, v):", // 4
        "    r.set(k, v, ex=60)", // 5
        "    r.set(k, v, 60)", // 6
        "    r.set(k, v, keepttl=True)", // 7
        "    r.setex(k, 60, v)", // 8
        "def b(k, v):", // 9
        "    r.hset(k, \"f\", v)", // 10
        "    r.expire(k, 300)", // 11
        "def c(k, v):", // 12
        "    cache.set(k, v)", // 13
        "def d(store, k, v):", // 14
        "    store.set(k, v)", // 15
        "def e(k, v, **opts):", // 16
        "    r.set(k, v, **opts)", // 17
      ),
      "tests/test_cache.py": py("import redis", "r = redis.Redis()", "def test_x():", "    r.set(\"k\", 1)"),
    });
    assert.deepEqual(locations(p.run(cacheWithoutExpiry)), []);
  });

  it("fires on Django cache.set without a timeout when CACHES sets TIMEOUT None", async () => {
    const p = await project({
      "config/settings.py": py("CACHES = {\"default\": {\"BACKEND\": \"django.core.cache.backends.redis.RedisCache\", \"TIMEOUT\": None}}"),
      "app/views.py": py("from django.core.cache import cache", "def warm(k, v):", "    cache.set(k, v)"),
    });
    assert.deepEqual(locations(p.run(cacheWithoutExpiry)), [["DB010", "app/views.py", 3]]);
  });
});
