"""One Redis client per process, shared by everything that uses Redis besides the rate limits
(which `limits` connects itself): persisted queries, the response cache, the event bus; and the
namespace every Redis name of a deployment starts with."""

from __future__ import annotations

import hashlib
from typing import Any

from infra.db import is_sqlite, postgres_address, sqlite_file


def connect(redis_url: str | None) -> Any:
    """A client with its own connection pool, or None without REDIS_URL. Close it with
    `await client.aclose()` when the app stops."""
    if redis_url is None:
        return None
    import redis.asyncio as redis

    return redis.from_url(redis_url)


def namespace(database_url: str, prefix: str = "") -> str:
    """The start of every Redis key and channel of the deployment serving `database_url`:
    `prefix` (WORKCRED_REDIS_PREFIX) when set, else one derived from the database itself — its
    file, or its server and name — so that deployments sharing one Redis never hear each
    other's events, spend each other's budgets or read each other's cached responses, while
    every process of one deployment shares them."""
    if prefix:
        return prefix
    if is_sqlite(database_url):
        database_file = sqlite_file(database_url)
        identity = f"sqlite:{database_file.resolve() if database_file else ':memory:'}"
    else:
        address = postgres_address(database_url)
        identity = f"postgres:{address['host']}:{address['port']}/{address['database']}"
    return f"workcred:{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:12]}:"
