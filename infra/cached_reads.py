"""Answering anonymous reads from the response cache (infra/response_cache.py).

A hit is the stored body with its ETag (a 304 when the client holds it already), while what it
shows has not changed — before any parsing, validation or execution. Two doors lead to it:
`CachedGetMiddleware`, ahead of the request guard and the routing, for a GET whose exact query
string was checked and answered before (what clients with persisted queries send again and
again); and the GraphQL app itself for everything else, once the guard has parsed the request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from infra.data_version import Version
from infra.response_cache import Entry, ResponseCache

# Where a look-up that missed leaves what it worked out, for the request's execution (which
# keeps its result under the same key) and for RequestContext.version: `scope["state"][LOOKUP]`.
LOOKUP = "cache_lookup"


@dataclass(frozen=True)
class Lookup:
    """A look-up that missed: what the request asks, the version read for it (before it
    executes), and the document it runs when the look-up resolved it (the early door resolves
    none)."""

    identity: str
    version: Version
    query: str | None = None


ReadVersion = Callable[[Sequence[int]], Awaitable[Version]]


def etag(identity: str, entry: Entry) -> str:
    return f'"{hashlib.sha256(f"{identity}@{entry.tag}".encode()).hexdigest()[:40]}"'


def cache_headers(identity: str, entry: Entry, method: str, outcome: str) -> dict[str, str]:
    headers = {"ETag": etag(identity, entry), "X-Cache": outcome}
    if method == "GET":
        # Shared caches may keep it, but must ask again (a 304 when nothing changed), and must
        # not hand it to a signed-in viewer or a client that cannot read gzip.
        headers["Cache-Control"] = "public, no-cache"
        headers["Vary"] = "Authorization, Accept-Encoding"
    return headers


async def cached_response(
    cache: ResponseCache, identity: str, read_version: ReadVersion, method: str, if_none_match: str | None
) -> Response | Lookup:
    """The stored answer to the request `identity` while it is still true; otherwise the
    look-up that missed, with the version read for the execution that answers instead."""
    entry = await cache.get(identity)
    version = await read_version(entry.companies if entry else ())
    if entry is None or not entry.fresh_at(version):
        return Lookup(identity, version)
    headers = cache_headers(identity, entry, method, "hit")
    if if_none_match == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type="application/json", headers=headers)


class CachedGetMiddleware:
    """Answers a GET of `path` whose query string the cache knows, when its kept response is
    still true; passes everything else on. A request with credentials always
    passes on: a signed-in viewer is never answered from a shared entry."""

    def __init__(
        self, app: ASGIApp, path: str, cache: ResponseCache, read_version: ReadVersion
    ) -> None:
        self.app = app
        self.path = path
        self.cache = cache
        self.read_version = read_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"] == self.path
            and (identity := self.cache.identity_of(scope["query_string"])) is not None
        ):
            headers = dict(scope["headers"])
            if b"authorization" not in headers:
                if_none_match = headers.get(b"if-none-match")
                answer = await cached_response(
                    self.cache, identity, self.read_version, "GET",
                    if_none_match.decode("latin-1") if if_none_match else None,
                )
                if isinstance(answer, Response):
                    await answer(scope, receive, send)
                    return
                scope.setdefault("state", {})[LOOKUP] = answer
        await self.app(scope, receive, send)
