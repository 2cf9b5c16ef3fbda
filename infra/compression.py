"""gzip for responses of at least a kilobyte, with `Vary` naming each header once (the response
cache's headers name `Accept-Encoding` already, and gzip adds it again to what it compresses)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 1024


class Compression:
    def __init__(self, app: ASGIApp) -> None:
        self.gzip = GZipMiddleware(app, minimum_size=MINIMUM_SIZE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_varying_once(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "vary" in headers:
                    named = [part.strip() for vary in headers.getlist("vary") for part in vary.split(",")]
                    del headers["vary"]
                    headers["Vary"] = ", ".join(dict.fromkeys(name for name in named if name))
            await send(message)

        await self.gzip(scope, receive, send_varying_once if scope["type"] == "http" else send)
