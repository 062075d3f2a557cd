import { blockingCallsInAsync, blockingReports } from "../async-blocking.js";
import { defineCheck } from "../define.js";

export default defineCheck({
  id: "PERF001",
  area: "scalability",
  title: "Blocking call inside async code",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "An `async def` runs on the event loop; a blocking call inside it (requests, time.sleep, a sync Redis or boto3 client, subprocess), even one hidden in a helper, freezes every concurrent request on that worker until it returns. Throughput collapses to one request at a time exactly when traffic is high.",
  recommendation: "Use the async client (httpx.AsyncClient, redis.asyncio, aioboto3, asyncio.sleep, asyncio.create_subprocess_exec), or move the blocking work off the loop with `await asyncio.to_thread(...)` / `run_in_threadpool`, or make the handler a plain `def` so the framework runs it in a thread.",
  example: {
    bad: "async def create_order(...):\n    charge_card(order)  # calls requests.post(...) inside",
    good: "async def create_order(...):\n    await asyncio.to_thread(charge_card, order)\n    # or: async with httpx.AsyncClient(timeout=10) as client: await client.post(...)",
  },
  references: ["https://fastapi.tiangolo.com/async/", "https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code"],
  effort: "M",
  libraries: ["httpx", "redis", "aioboto3", "anyio"],
  dependsOn: [],
  run(input) {
    return blockingReports(blockingCallsInAsync(input, false));
  },
});
