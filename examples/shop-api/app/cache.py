"""Read cache for product pages.

Products are cached in Redis for a few minutes. Each worker process also keeps the
products it has served in a small dict so hot items skip the Redis round trip.
"""

import json
from typing import Any

import redis

from app.core.config import settings

PRODUCT_TTL_SECONDS = 300

redis_client = redis.Redis.from_url(
    settings.redis_url,
    decode_responses=True,
    socket_connect_timeout=2,
    socket_timeout=2,
)

_product_cache: dict[int, dict] = {}


def _product_key(product_id: int) -> str:
    return f"product:{product_id}"


def get_product(product_id: int) -> dict[str, Any] | None:
    cached = _product_cache.get(product_id)
    if cached is not None:
        return cached
    raw = redis_client.get(_product_key(product_id))
    if raw is None:
        return None
    return json.loads(raw)


def store_product(product_id: int, data: dict[str, Any]) -> None:
    redis_client.set(_product_key(product_id), json.dumps(data), ex=PRODUCT_TTL_SECONDS)
    _product_cache[product_id] = data


def invalidate_product(product_id: int) -> None:
    redis_client.delete(_product_key(product_id))
