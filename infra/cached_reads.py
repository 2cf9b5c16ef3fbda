"""Answering anonymous reads from the response cache (infra/response_cache.py).

A hit is the stored body with its ETag (a 304 when the client holds it already) — before any
parsing, validation or execution. Two doors lead to it: `CachedGetMiddleware`, ahead of the
request guard and the routing, for a GET whose exact query string was checked and answered
before (what clients with persisted queries send again and again); and the GraphQL app itself
for everything else, once the guard has parsed the request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from infra.response_cache import ResponseCache, cache_key

# Where a look-up that missed leaves what it worked out, for the request's execution (which
# keeps its result under the same key) and for RequestContext.data_version: `scope["state"][LOOKUP]`.
LOOKUP = "cache_lookup"


@dataclass(frozen=True)
class Lookup:
    """A look-up that missed: what the request asks, the data version read for it, and the
    document it runs when the look-up resolved it (the early door resolves none)."""

    identity: str
    version: str
    query: str | None = None


def etag(key: str) -> str:
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:40]}"'


def cache_headers(key: str, method: str, outcome: str) -> dict[str, str]:
    headers = {"ETag": etag(key), "X-Cache": outcome}
    if method == "GET":
        # Shared caches may keep it, but must ask again (a 304 when nothing changed), and must
        # not hand it to a signed-in viewer or a client that cannot read gzip.
        headers["Cache-Control"] = "public, no-cache"
        headers["Vary"] = "Authorization, Accept-Encoding"
    return headers


async def cached_response(
    cache: ResponseCache, identity: str, version: str, method: str, if_none_match: str | None
) -> Response | None:
    """The stored answer to the request `identity` at `version`, or None on a miss."""
    key = cache_key(identity, version)
    text = await cache.get_text(key)
    if text is None:
        return None
    headers = cache_headers(key, method, "hit")
    if if_none_match == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return Response(text, media_type="application/json", headers=headers)


class CachedGetMiddleware:
    """Answers a GET of `path` whose query string the cache knows, when its response for the
    current data version is kept; passes everything else on. A request with credentials always
    passes on: a signed-in viewer is never answered from a shared entry."""

    def __init__(
        self, app: ASGIApp, path: str, cache: ResponseCache, read_version: Callable[[], Awaitable[str]]
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
                version = await self.read_version()
                if_none_match = headers.get(b"if-none-match")
                response = await cached_response(
                    self.cache, identity, version, "GET", if_none_match.decode("latin-1") if if_none_match else None
                )
                if response is not None:
                    await response(scope, receive, send)
                    return
                scope.setdefault("state", {})[LOOKUP] = Lookup(identity, version)
        await self.app(scope, receive, send)
