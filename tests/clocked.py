"""The app and the CLI as the suite's server and command processes run them: on a clock a test
can move ahead, so windows, waiting periods and account ages are jumped over, never waited for.

Only the tests import this module (it is not installed with workcred), so no production process
can have its clock moved. A server's clock starts at the real time and ticks; `POST /test/clock`
with `{"seconds": N}` moves it N seconds ahead and wakes whatever waits on it
(`resolvers.clock.jumped`); `GET /test/listeners` counts the subscriptions listening, per
channel, and the waits on the clock under way, so a test knows when a subscription is in place
and when a signal is being held. `python -m tests.clocked SECONDS ARGS…` runs
`workcred ARGS…` on a clock SECONDS ahead.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import time_machine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from resolvers import clock

CLOCK_PATH, LISTENERS_PATH = "/test/clock", "/test/listeners"


class ClockedApp:
    """The workcred app behind the two test routes (its lifespan passes straight through)."""

    def __init__(self, app: Starlette, coordinates: Any) -> None:
        self.app = app
        self.coordinates = coordinates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path")
        if scope["type"] != "http" or path not in (CLOCK_PATH, LISTENERS_PATH):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if path == CLOCK_PATH:
            seconds = float((await request.json())["seconds"])
            self.coordinates.shift(timedelta(seconds=seconds))
            clock.jumped()
            body: dict[str, Any] = {"now": clock.now().isoformat()}
        else:
            body = {"channels": self.app.state.events.listening(), "waiting": clock.waiting()}
        await JSONResponse(body)(scope, receive, send)


def _clock_at(seconds_ahead: float) -> Any:
    """This process's clock from now on: `seconds_ahead` of the real time, ticking. (Set once
    started: a process's first travel takes a while, which would otherwise set it behind — a
    server writing through one process then read as "in the future" by another.)"""
    coordinates = time_machine.travel(datetime.now(UTC), tick=True).start()
    coordinates.move_to(time_machine.escape_hatch.datetime.datetime.now(UTC) + timedelta(seconds=seconds_ahead))
    return coordinates


def create_app() -> ClockedApp:
    """For uvicorn (`tests.clocked:create_app --factory`): settings from the environment."""
    from app import create_app as create_workcred_app

    return ClockedApp(create_workcred_app(), _clock_at(0))


def main(argv: list[str]) -> int:
    from workcred.cli import main as workcred

    seconds, *args = argv
    _clock_at(float(seconds))
    return workcred(args)


async def jump(server_url: str, seconds: float) -> None:
    """Move a server's clock `seconds` ahead."""
    async with httpx.AsyncClient(timeout=10) as client:
        (await client.post(f"{server_url}{CLOCK_PATH}", json={"seconds": seconds})).raise_for_status()


async def listeners(server_url: str) -> dict[str, Any]:
    """`{"channels": {channel: subscriptions}, "waiting": waits on the clock}` of the server."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"{server_url}{LISTENERS_PATH}")
        response.raise_for_status()
        return dict(response.json())


async def until(condition: Callable[[], Awaitable[bool]], what: str, seconds: float = 15) -> None:
    """Return once `condition()` holds; fail naming `what` if it has not within `seconds` (a
    bound for a broken server, not a wait for time: the condition is a server's state)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, f"{what}: not within {seconds} s"
        await asyncio.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
