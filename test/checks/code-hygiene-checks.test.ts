import assert from "node:assert/strict";
import { describe, it } from "node:test";
import naiveDatetime from "../../src/checks/data/naive-datetime.js";
import printDiagnostics from "../../src/checks/observability/print-diagnostics.js";
import swallowedExceptions from "../../src/checks/observability/swallowed-exceptions.js";
import celeryTaskLimits from "../../src/checks/resilience/celery-task-limits.js";
import { locations, project, py } from "../helpers/project.js";

describe("OBS007 exceptions swallowed", () => {
  it("fires on bare and broad excepts that pass or continue, not on specific ones or logged ones", async () => {
    const p = await project({
      "app/sync.py": py(
        "import logging",
        "log = logging.getLogger(__name__)",
        "def sync(items):",
        "    try:",
        "        push(items)",
        "    except Exception:", // 6
        "        pass",
        "    for i in items:",
        "        try:",
        "            push(i)",
        "        except:", // 11
        "            continue",
        "    try:",
        "        import ujson",
        "    except ImportError:",
        "        pass",
        "    try:",
        "        push(items)",
        "    except Exception:",
        "        log.exception('push failed')",
      ),
      "scripts/cleanup.py": py("def main():", "    try:", "        run()", "    except Exception:", "        pass"),
    });
    assert.deepEqual(locations(p.run(swallowedExceptions)), [
      ["OBS007", "app/sync.py", 6],
      ["OBS007", "app/sync.py", 11],
    ]);
  });

  it("stays quiet on intended silence: a comment saying why, a value with a fallback, cleanup or telemetry only, DEBUG-only code, a hasattr feature probe", async () => {
    const p = await project({
      "app/intended.py": py(
        "from django.conf import settings",
        "def consume(path, client, request):",
        "    try:",
        "        os.unlink(path)",
        "    except Exception:",
        "        pass",
        "    try:",
        "        client.close()",
        "        client.track('done')",
        "    except Exception:",
        "        pass",
        "    try:",
        "        push(path)",
        "    except Exception:  # the next run retries it",
        "        pass",
        "    lang = 'en'",
        "    try:",
        "        lang = request.headers['Accept-Language'][:2]",
        "    except Exception:",
        "        pass",
        "    if settings.DEBUG:",
        "        try:",
        "            warm_cache()",
        "        except Exception:",
        "            pass",
        "    if hasattr(path, '_compile_state'):",
        "        try:",
        "            models.extend(path._compile_state()._join_entities)",
        "        except Exception:",
        "            pass",
      ),
      "app/checks.py": py(
        "def check_version(cursor):",
        "    warnings = []",
        "    try:",
        "        if cursor.version() < 15:",
        "            warnings.append('old')",
        "    except Exception:",
        "        pass",
        "    return warnings",
      ),
    });
    assert.deepEqual(locations(p.run(swallowedExceptions)), []);
  });

  it("is medium in a request handler, low outside request handlers and tasks", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "@app.post('/sync')",
        "def sync():",
        "    try:",
        "        push()",
        "    except Exception:", // 7
        "        pass",
        "def on_shutdown():",
        "    try:",
        "        push()",
        "    except Exception:", // 12
        "        pass",
      ),
    });
    assert.deepEqual(p.run(swallowedExceptions).map((f) => [f.evidence[0]?.line, f.severity]), [[7, "medium"], [12, "low"]]);
  });

  it("five or more silent handlers are one finding that lists them", async () => {
    const body = ["a", "b", "c", "d", "e"].flatMap((n) => [`def ${n}():`, "    try:", "        push()", "    except Exception:", "        pass"]);
    const findings = (await project({ "app/jobs.py": py(...body) })).run(swallowedExceptions);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.evidence.length, 5);
    assert.match(findings[0]?.message ?? "", /^5 broad except blocks/);
  });
});

describe("OBS001 print used for diagnostics", () => {
  it("fires on print in service functions, not in scripts, CLIs, programs or at module level", async () => {
    const p = await project({
      "app/services.py": py("def release(n):", "    print(f'released {n}')", "    return n"), // 2
      "app/cli.py": py("def main():", "    print('done')"),
      "app/tool.py": py("def main():", "    print('x')", "if __name__ == '__main__':", "    main()"),
      "app/banner.py": py("print('loaded')"),
    });
    assert.deepEqual(locations(p.run(printDiagnostics)), [["OBS001", "app/services.py", 2]]);
  });
});

describe("DATA006 naive datetimes", () => {
  it("fires on utcnow, now() without tz and USE_TZ = False; stays quiet on aware calls", async () => {
    const p = await project({
      "app/time.py": py(
        "from datetime import UTC, datetime",
        "import datetime as dt",
        "a = datetime.utcnow()", // 3
        "b = dt.datetime.now()", // 4
        "c = datetime.now(UTC)",
        "d = datetime.now(tz=UTC)",
      ),
      "proj/settings.py": py("USE_TZ = False"), // 1
    });
    assert.deepEqual(locations(p.run(naiveDatetime)), [
      ["DATA006", "app/time.py", 3],
      ["DATA006", "app/time.py", 4],
      ["DATA006", "proj/settings.py", 1],
    ]);
  });
});

describe("RES005 background task without retry or time limit", () => {
  const tasks = (config: string) =>
    py(
      "from celery import Celery, shared_task",
      "app = Celery('x')",
      config,
      "@app.task", // 4
      "def plain(): ...",
      "@shared_task(autoretry_for=(IOError,), max_retries=3, soft_time_limit=10)",
      "def careful(): ...",
      "@app.task(bind=True, time_limit=30)",
      "def by_hand(self):",
      "    try:",
      "        work()",
      "    except IOError as exc:",
      "        raise self.retry(exc=exc)",
      "def kick():",
      "    plain.delay()",
    );

  it("fires on a task with neither retries nor limits", async () => {
    const p = await project({ "app/tasks.py": tasks("") });
    assert.deepEqual(locations(p.run(celeryTaskLimits)), [["RES005", "app/tasks.py", 4]]);
  });

  it("accepts a global time limit in the Celery configuration for the time-limit half", async () => {
    const p = await project({ "app/tasks.py": tasks("app.conf.update(task_time_limit=60)") });
    const findings = p.run(celeryTaskLimits);
    assert.deepEqual(locations(findings), [["RES005", "app/tasks.py", 4]]);
    // what is left is the missing retry of a task that calls nothing outside: low
    assert.match(findings[0]?.message ?? "", /plain has no retry policy; it makes no call outside/);
    assert.equal(findings[0]?.severity, "low");
  });
});
