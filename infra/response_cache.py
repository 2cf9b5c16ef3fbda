"""Responses to anonymous queries, kept per data version.

Key: the document, its variables and operation, and the data version (infra/data_version.py)
read before executing; a write that commits moves the version, so no process can serve a
response older than the last committed write. A hit is answered from the stored body before
any parsing, validation or execution (infra/cached_reads.py).
Only error-free query results of requests without credentials are stored — a signed-in
viewer's response (saved priorities, anything under `viewer`) never enters a shared entry.
Entries also expire after `WORKCRED_RESPONSE_CACHE_SECONDS`, which bounds what time alone
changes (a removal poll whose window closed, settled by the next read that executes).
In-process by default; in Redis, shared by every process, when REDIS_URL is set — bounded in
entries (`WORKCRED_RESPONSE_CACHE_ENTRIES`) and bytes (`WORKCRED_RESPONSE_CACHE_MAX_BYTES`)
either way.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from infra.bounded_store import BoundedStore
from infra.lru import Lru

# Longer query strings are looked up the ordinary way: what the early look-up keeps stays
# bounded in bytes, not only in entries (a persisted query's GET is a few hundred bytes).
MAX_KNOWN_QUERY_STRING = 4096


def request_identity(database: str, query: str, variables: dict[str, Any] | None, operation_name: str | None) -> str:
    """What a request asks, whatever its spelling. `database` names the data (its URL):
    deployments sharing one Redis never share entries."""
    request = json.dumps([database, query, variables or {}, operation_name], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(request.encode("utf-8")).hexdigest()


def cache_key(identity: str, version: str) -> str:
    return f"{identity}@{version}"


class ResponseCache:
    def __init__(self, seconds: int, entries: int, redis: Any = None, namespace: str = "", max_bytes: int = 64 << 20) -> None:
        """`redis`: the process's shared client and `namespace` the deployment's (infra/shared_redis.py)."""
        self.seconds = seconds
        self.entries = entries
        self._stored = BoundedStore(entries, max_bytes, seconds, redis if self.enabled else None, f"{namespace}response:")
        # GET query strings already checked and answered, by the identity of what they ask:
        # the same bytes ask the same again, so they need no parsing to be looked up.
        self._query_strings: Lru[bytes, str] = Lru(entries)

    @property
    def enabled(self) -> bool:
        return self.seconds > 0 and self.entries > 0

    def identity_of(self, query_string: bytes) -> str | None:
        return self._query_strings.get(query_string)

    def know_query_string(self, query_string: bytes, identity: str) -> None:
        if len(query_string) <= MAX_KNOWN_QUERY_STRING:
            self._query_strings.put(query_string, identity)

    async def get_text(self, key: str) -> str | None:
        """The stored response body, as it is sent."""
        return await self._stored.get(key)

    async def put(self, key: str, response: dict[str, Any]) -> None:
        """`response`: the GraphQL response (data and extensions), stored as its JSON body."""
        await self._stored.put(key, json.dumps({k: v for k, v in response.items() if v is not None}, separators=(",", ":")))
