import assert from "node:assert/strict";
import { describe, it } from "node:test";
import check from "../../src/checks/resilience/fire-and-forget-task.js";
import { project, py } from "../helpers/project.js";

describe("RES006 fire-and-forget asyncio task", () => {
  it("fires on asyncio.create_task and loop.create_task whose result is dropped", async () => {
    const p = await project({
      "app/views.py": py(
        "import asyncio", // 1
        "async def create_order(order):", // 2
        "    asyncio.create_task(send_receipt(order))", // 3
        "    loop = asyncio.get_running_loop()", // 4
        "    loop.create_task(audit(order))", // 5
        "    return order", // 6
      ),
    });
    const findings = p.run(check);
    assert.deepEqual(findings.map((f) => [f.id, f.evidence[0]?.file, f.evidence[0]?.line, f.severity]), [
      ["RES006", "app/views.py", 3, "medium"],
      ["RES006", "app/views.py", 5, "medium"],
    ]);
    assert.match(findings[0]?.message ?? "", /asyncio\.create_task\(\)` in views\.create_order/);
  });

  it("stays quiet when the task is kept, awaited, gathered, stored, returned, or in a TaskGroup", async () => {
    const p = await project({
      "app/ok.py": py(
        "import asyncio",
        "background = set()",
        "async def a(x):",
        "    task = asyncio.create_task(work(x))",
        "    background.add(asyncio.create_task(work(x)))",
        "    await asyncio.create_task(work(x))",
        "    await asyncio.gather(asyncio.create_task(work(x)))",
        "    async with asyncio.TaskGroup() as tg:",
        "        tg.create_task(work(x))",
        "    return asyncio.ensure_future(work(x))",
        "class S:",
        "    def start(self):",
        "        self._task = asyncio.create_task(self.run())",
        "async def handle(self, receive, request):",
        "    tasks = [",
        "        asyncio.create_task(self.listen(receive)),",
        "        asyncio.create_task(process(request)),",
        "    ]",
        "    await asyncio.wait(tasks)",
        "    self._tasks = [",
        "        asyncio.create_task(self.consume_logs()),",
        "        asyncio.create_task(self.consume_events()),",
        "    ]",
      ),
      "tests/test_x.py": py("import asyncio", "async def test_a():", "    asyncio.create_task(work())"),
    });
    assert.deepEqual(p.run(check), []);
  });
});
