import { blockingCallsInAsync, blockingReports } from "../async-blocking.js";
import { defineCheck } from "../define.js";

export default defineCheck({
  id: "DB006",
  area: "database",
  title: "Sync database access inside async code",
  severity: "high",
  kind: "concern",
  confidence: "high",
  why: "A synchronous driver or ORM session called from `async def` blocks the event loop for the whole round trip to the database: every other request served by that worker waits, so latency climbs with load and one slow query stalls the process.",
  recommendation: "Either make the path async end to end (SQLAlchemy `AsyncSession` with asyncpg or psycopg 3, `await session.execute(...)`), or declare the handler with plain `def` so FastAPI runs it in its threadpool; do not mix a sync session into `async def`.",
  example: {
    bad: "@router.get(\"/orders\")\nasync def list_orders(db: Session = Depends(get_db)):\n    return db.execute(select(Order)).scalars().all()",
    good: "@router.get(\"/orders\")\nasync def list_orders(db: AsyncSession = Depends(get_async_db)):\n    return (await db.execute(select(Order))).scalars().all()",
  },
  references: ["https://fastapi.tiangolo.com/async/#path-operation-functions", "https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html"],
  effort: "M",
  libraries: ["sqlalchemy[asyncio]", "asyncpg", "psycopg"],
  run(input) {
    return blockingReports(blockingCallsInAsync(input, true));
  },
});
