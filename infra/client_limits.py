"""Load shedding by client: no client holds more than a few of a worker's requests at once.

A client is its bearer token (a member's session) or, without one, its address. A request over
the client's share is answered at once with a 429 (`RATE_LIMITED`, `Retry-After: 1`) instead of
queueing behind its own others, so a handful of heavy clients cannot hold every slot while the
health check and everyone else wait. Counted per process: each worker sheds its own load.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from domain.errors import ErrorCode
from infra.rate_limits import client_address
from infra.refusals import Refusal


def client_key(connection: HTTPConnection, trusted_proxies: frozenset[str]) -> str:
    """Who is asking: a digest of the bearer credentials, else the address."""
    authorization = connection.headers.get("authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode("utf-8")).hexdigest()[:32]
    return "address:" + client_address(connection, trusted_proxies)


class ClientConcurrencyLimit:
    def __init__(self, app: ASGIApp, path: str, in_flight: int, trusted_proxies: frozenset[str]) -> None:
        """At most `in_flight` requests to `path` per client at once (0: no limit)."""
        self.app = app
        self.path = path
        self.limit = in_flight
        self.trusted_proxies = trusted_proxies
        self.running: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or not self.limit:
            await self.app(scope, receive, send)
            return
        key = client_key(HTTPConnection(scope), self.trusted_proxies)
        if self.running[key] >= self.limit:
            message = f"At most {self.limit} requests from one client run at once; retry when one has finished."
            refusal = Refusal(429, ErrorCode.RATE_LIMITED, message, {"Retry-After": "1"})
            await refusal.response()(scope, receive, send)
            return
        self.running[key] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.running[key] -= 1
            if not self.running[key]:
                del self.running[key]
