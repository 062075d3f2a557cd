import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/resilience/retry-loop-without-backoff.js";
import { project, py } from "../helpers/project.js";

describe("RES004 retry loop without backoff or bound", () => {
  it("fires on while True + swallowed except + return on success, with no sleep and no raise", async () => {
    const p = await project({
      "app/client.py": py(
        "import requests", // 1
        "def fetch(url):", // 2
        "    while True:", // 3
        "        try:", // 4
        "            return requests.get(url, timeout=5).json()", // 5
        "        except requests.ConnectionError:", // 6
        "            continue", // 7
      ),
    });
    const findings = p.run(check);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, "RES004");
    assert.equal(findings[0]?.severity, "medium");
    assert.equal(findings[0]?.evidence[0]?.file, "app/client.py");
    assert.equal(findings[0]?.evidence[0]?.line, 3);
    assert.match(findings[0]?.message ?? "", /requests\.get/);
  });

  it("stays quiet with a sleep, a raise after attempts, a worker loop that never returns, or in scripts", async () => {
    const p = await project({
      "app/sleepy.py": py("import time, requests", "def fetch(url):", "    while True:", "        try:", "            return requests.get(url, timeout=5)", "        except Exception:", "            time.sleep(2)"),
      "app/bounded.py": py("import requests", "def fetch(url):", "    n = 0", "    while True:", "        try:", "            return requests.get(url, timeout=5)", "        except Exception:", "            n += 1", "            if n > 3:", "                raise"),
      "app/worker.py": py("def run(queue):", "    while True:", "        try:", "            handle(queue.get())", "        except Exception:", "            log.exception('failed')"),
      "scripts/poll.py": py("import requests", "def fetch(url):", "    while True:", "        try:", "            return requests.get(url, timeout=5)", "        except Exception:", "            continue"),
    });
    assert.deepEqual(p.run(check), []);
  });
});
