import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { project, py } from "../helpers/project.js";

describe("FastAPI endpoints: registration forms and route details", () => {
  it("reads add_api_route, pagination, request and response schemas and rate limits", async () => {
    const p = await project({
      "app/schemas.py": py("from pydantic import BaseModel", "class Base(BaseModel): ...", "class ItemIn(Base):", "    name: str", "class ItemOut(Base):", "    id: int"),
      "app/main.py": py(
        "from fastapi import APIRouter, Depends, FastAPI",
        "from fastapi_limiter.depends import RateLimiter",
        "from slowapi import Limiter",
        "from app.schemas import ItemIn, ItemOut",
        "limiter = Limiter(key_func=lambda r: r.client.host)",
        "app = FastAPI()",
        "router = APIRouter(prefix='/items')",
        "@router.get('/', response_model=list[ItemOut])",
        "def list_items(limit: int = 20, offset: int = 0): ...", // 9
        "@router.post('/', dependencies=[Depends(RateLimiter(times=5, seconds=60))])",
        "def create_item(item: ItemIn) -> ItemOut: ...", // 11
        "@limiter.limit('10/minute')",
        "@router.get('/{item_id}')",
        "def get_item(item_id: int) -> ItemOut: ...", // 14
        "def health(): ...", // 15
        "app.add_api_route('/health', health, methods=['GET', 'HEAD'])",
        "app.include_router(router)",
      ),
    });
    const got = p.model.endpoints.map((e) => [`${e.method} ${e.path}`, e.line, e.pagination ?? null, e.requestSchema ?? null, e.responseSchema ?? null, e.rateLimit ?? null]);
    assert.deepEqual(got, [
      ["GET /health", 15, null, null, null, null],
      ["HEAD /health", 15, null, null, null, null],
      ["GET /items", 9, "limit/offset parameters", null, "list[ItemOut]", null],
      ["POST /items", 11, null, "ItemIn", "ItemOut", "[Depends(RateLimiter(times=5, seconds=60))]"],
      ["GET /items/{item_id}", 14, null, null, "ItemOut", "limiter.limit('10/minute')"],
    ]);
  });

  it("does not take a plain parameter or a dependency for a request schema", async () => {
    const p = await project({
      "app/main.py": py(
        "from fastapi import Depends, FastAPI",
        "from sqlalchemy.orm import Session",
        "app = FastAPI()",
        "def get_db(): ...",
        "class Filters: ...",
        "@app.post('/search')",
        "def search(q: str, db: Session = Depends(get_db), f: Filters = Depends()): ...",
      ),
    });
    assert.equal(p.model.endpoints[0]?.requestSchema, undefined);
  });
});
