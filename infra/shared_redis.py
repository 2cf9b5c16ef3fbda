"""One Redis client per process, shared by everything that uses Redis besides the rate limits
(which `limits` connects itself): persisted queries, the response cache, the event bus."""

from __future__ import annotations

from typing import Any


def connect(redis_url: str | None) -> Any:
    """A client with its own connection pool, or None without REDIS_URL. Close it with
    `await client.aclose()` when the app stops."""
    if redis_url is None:
        return None
    import redis.asyncio as redis

    return redis.from_url(redis_url)
