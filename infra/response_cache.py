"""Responses to anonymous queries, kept while what they show has not changed.

Key: the document, its variables and operation. With each response goes what keeps it true
(infra/data_version.py):
- a company page (only `company(slug:)` at the root) stays true while its companies' stamps
  stay as they were when it was computed (read with each company's row, before the rest of
  its page). Writes elsewhere leave it cached, and so do writes the page does not show;
- anything else stays true until any public write commits: the data version read before it
  executed moves.
So no process serves a response older than the last committed write it shows. A hit is answered
from the stored body before any parsing, validation or execution (infra/cached_reads.py), after
one statement that reads the version and the companies' stamps.
Only error-free query results of requests without credentials are stored — a signed-in
viewer's response (saved priorities, anything under `viewer`) never enters a shared entry.
Entries also expire after `WORKCRED_RESPONSE_CACHE_SECONDS`, which bounds what time alone
changes (a removal poll whose window closed, settled by the next read that executes) and how
old the platform-wide means behind a company's Bayesian averages can be on a cached page.
In-process by default; in Redis, shared by every process, when REDIS_URL is set — bounded in
entries (`WORKCRED_RESPONSE_CACHE_ENTRIES`) and bytes (`WORKCRED_RESPONSE_CACHE_MAX_BYTES`)
either way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from infra.bounded_store import BoundedStore
from infra.data_version import Stamps, Version, stamps_as_text, stamps_from_text
from infra.lru import Lru

# Longer query strings are looked up the ordinary way: what the early look-up keeps stays
# bounded in bytes, not only in entries (a persisted query's GET is a few hundred bytes).
MAX_KNOWN_QUERY_STRING = 4096


def request_identity(database: str, query: str, variables: dict[str, Any] | None, operation_name: str | None) -> str:
    """What a request asks, whatever its spelling. `database` names the data (its URL):
    deployments sharing one Redis never share entries."""
    request = json.dumps([database, query, variables or {}, operation_name], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(request.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A stored response body and what keeps it true: the companies it shows with the stamps
    they had when it was computed, or, when it may show anything (`stamps` empty), the data
    version it was computed at."""

    body: str
    data: str | None
    stamps: Stamps = ()

    @classmethod
    def showing_everything(cls, response: dict[str, Any], version: Version) -> Entry:
        """`version`: read before the response was computed."""
        return cls(_body(response), version.data)

    @classmethod
    def showing_companies(cls, response: dict[str, Any], stamps: dict[int, int]) -> Entry:
        """`stamps`: each company's, read with the company's row, before anything else the
        response shows of it (so the response is at least as new as they are)."""
        return cls(_body(response), None, tuple(sorted(stamps.items())))

    @property
    def companies(self) -> list[int]:
        return [company for company, _ in self.stamps]

    def fresh_at(self, version: Version) -> bool:
        """`version`: read now, with the stamps of `companies`."""
        return version.data == self.data if self.data is not None else version.stamps == self.stamps

    @property
    def tag(self) -> str:
        """Names this entry among all entries ever stored for its request."""
        return self.data if self.data is not None else stamps_as_text(self.stamps)

    def encoded(self) -> str:
        return f"{self.tag}\n{self.body}"

    @classmethod
    def decoded(cls, text: str) -> Entry:
        tag, body = text.split("\n", 1)
        if not tag[:1].isdigit():  # a data version ("v12"), not stamps
            return cls(body, tag)
        return cls(body, None, stamps_from_text(tag))


def _body(response: dict[str, Any]) -> str:
    """`response`: the GraphQL response (data and extensions), as its JSON body."""
    return json.dumps({k: v for k, v in response.items() if v is not None}, separators=(",", ":"))


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

    async def get(self, identity: str) -> Entry | None:
        """The entry last stored for the request `identity`, fresh or not."""
        text = await self._stored.get(identity)
        return Entry.decoded(text) if text is not None else None

    async def put(self, identity: str, entry: Entry) -> None:
        await self._stored.put(identity, entry.encoded())
