import assert from "node:assert/strict";
import { describe, it } from "node:test";
import syncDbInAsync from "../../src/checks/database/sync-db-in-async.js";
import { locations, project, py } from "../helpers/project.js";

const DB = {
  "app/__init__.py": "",
  "app/db.py": py(
    "from sqlalchemy import create_engine",
    "from sqlalchemy.orm import sessionmaker",
    "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine",
    'engine = create_engine("postgresql://localhost/app")',
    "SessionLocal = sessionmaker(bind=engine)",
    'AsyncSessionLocal = async_sessionmaker(create_async_engine("postgresql+asyncpg://localhost/app"))',
    "",
    "def get_db():",
    "    db = SessionLocal()",
    "    try:",
    "        yield db",
    "    finally:",
    "        db.close()",
  ),
};

/** `app/api.py` with the usual imports on lines 1-6; the given lines start at line 7. */
function api(...lines: string[]): string {
  return py(
    "from fastapi import Depends, FastAPI", // 1
    "from sqlalchemy import select",
    "from sqlalchemy.orm import Session",
    "from sqlalchemy.ext.asyncio import AsyncSession",
    "from app.db import get_db",
    "app = FastAPI()", // 6
    ...lines,
  );
}

describe("DB006 sync database access inside async code", () => {
  it("fires on each sync Session call in an async handler, on the call line", async () => {
    const p = await project({
      ...DB,
      "app/api.py": api(
        '@app.get("/orders")', // 7
        "async def list_orders(db: Session = Depends(get_db)):", // 8
        "    rows = db.execute(select(Order)).scalars().all()", // 9
        "    legacy = db.query(Order).all()", // 10
        "    return rows + legacy",
      ),
    });
    const findings = p.run(syncDbInAsync);
    assert.deepEqual(locations(findings), [
      ["DB006", "app/api.py", 9],
      ["DB006", "app/api.py", 10],
    ]);
    assert.match(findings[0]?.message ?? "", /async handler api\.list_orders makes a blocking SQLAlchemy Session call: db\.execute\(\)/);
    assert.equal(findings[0]?.confidence, "high");
  });

  it("fires through a sync helper in another module, citing the whole chain", async () => {
    const p = await project({
      ...DB,
      "app/services.py": py(
        "from sqlalchemy.orm import Session", // 1
        "",
        "def count_orders(db: Session) -> int:",
        "    return db.query(Order).count()", // 4
      ),
      "app/api.py": api(
        "from app.services import count_orders", // 7
        '@app.get("/orders/count")',
        "async def order_count(db: Session = Depends(get_db)):",
        "    return {'n': count_orders(db)}", // 10
      ),
    });
    const findings = p.run(syncDbInAsync);
    assert.deepEqual(locations(findings), [["DB006", "app/api.py", 10]]);
    const evidence = findings[0]?.evidence ?? [];
    assert.deepEqual(
      evidence.map((e) => [e.file, e.line]),
      [
        ["app/api.py", 10],
        ["app/services.py", 4],
      ],
    );
    assert.match(findings[0]?.message ?? "", /api\.order_count → services\.count_orders: db\.query\(\)/);
  });

  it("follows a helper's flag: a call that passes the guarding flag as False does not reach the guarded query", async () => {
    const p = await project({
      ...DB,
      "app/services.py": py(
        "from sqlalchemy.orm import Session", // 1
        "",
        "def respond(db: Session, grant, save_consent: bool = True):",
        "    if save_consent:",
        "        db.flush()", // 5
        "    return grant",
      ),
      "app/api.py": api(
        "from app.services import respond", // 7
        '@app.get("/authorize")',
        "async def authorize(db: Session = Depends(get_db)):",
        "    return respond(db, None, save_consent=False)", // 10
        '@app.post("/consent")',
        "async def consent(db: Session = Depends(get_db)):",
        "    return respond(db, None, save_consent=True)", // 13
        '@app.post("/consent-positional")',
        "async def consent_positional(db: Session = Depends(get_db)):",
        "    return respond(db, None, False)", // 16
      ),
    });
    assert.deepEqual(locations(p.run(syncDbInAsync)), [["DB006", "app/api.py", 13]]);
  });

  it("fires on a session made from a sessionmaker or scoped_session defined in another module", async () => {
    const p = await project({
      ...DB,
      "app/registry.py": py("from sqlalchemy.orm import scoped_session, sessionmaker", "from app.db import engine", "db_session = scoped_session(sessionmaker(bind=engine))"),
      "app/jobs.py": py(
        "from sqlalchemy import text", // 1
        "from app.db import SessionLocal",
        "from app.registry import db_session",
        "async def purge_expired():",
        "    db = SessionLocal()",
        '    db.execute(text("DELETE FROM carts WHERE expires_at < now()"))', // 6
        "    with SessionLocal() as session:",
        "        session.commit()", // 8
        "    db_session.query(Cart).delete()", // 9
      ),
    });
    assert.deepEqual(locations(p.run(syncDbInAsync)), [
      ["DB006", "app/jobs.py", 6],
      ["DB006", "app/jobs.py", 8],
      ["DB006", "app/jobs.py", 9],
    ]);
  });

  it("fires on a sync driver called from async code", async () => {
    const p = await project({
      "app/legacy.py": py(
        "import sqlite3", // 1
        "",
        "async def lookup(key: str):",
        '    conn = sqlite3.connect("cache.db")', // 4
        '    cur = conn.execute("SELECT v FROM kv WHERE k = ?", (key,))', // 5
        "    return cur.fetchone()",
      ),
    });
    assert.deepEqual(locations(p.run(syncDbInAsync)), [
      ["DB006", "app/legacy.py", 4],
      ["DB006", "app/legacy.py", 5],
    ]);
  });

  it("stays quiet on an awaited AsyncSession, a plain def handler and a sessionmaker used from sync code", async () => {
    const p = await project({
      ...DB,
      "app/api.py": api(
        "from app.db import AsyncSessionLocal, SessionLocal",
        '@app.get("/orders")',
        "async def list_orders(db: AsyncSession = Depends(get_async_db)):",
        "    result = await db.execute(select(Order))",
        "    await db.commit()",
        "    return result.scalars().all()",
        "",
        '@app.get("/sync-orders")',
        "def list_sync_orders(db: Session = Depends(get_db)):",
        "    return db.query(Order).all()",
        "",
        "async def refresh_cache():",
        "    async with AsyncSessionLocal() as session:",
        "        await session.execute(select(Order))",
        "",
        "def nightly():",
        "    db = SessionLocal()",
        "    db.execute(select(Order))",
      ),
    });
    assert.deepEqual(locations(p.run(syncDbInAsync)), []);
  });
});

describe("DB006 through a scoped_session registry", () => {
  it("fires on the registry's proxied Session API and on a session taken from it", async () => {
    const p = await project({
      "app/db.py": py("from sqlalchemy.orm import scoped_session, sessionmaker", "Session = scoped_session(sessionmaker())"),
      "app/jobs.py": py(
        "from app.db import Session", // 1
        "",
        "async def count():",
        "    return Session.query(1).count()", // 4
        "",
        "async def one():",
        "    s = Session()",
        "    return s.execute(1)", // 8
      ),
    });
    assert.deepEqual(locations(p.run(syncDbInAsync)), [
      ["DB006", "app/jobs.py", 4],
      ["DB006", "app/jobs.py", 8],
    ]);
  });
});
