"""The time, in UTC: the one place resolvers read the clock, and wait for it."""

import asyncio
from datetime import UTC, date, datetime

# Waits for a moment on this clock, woken to look again when the clock jumps.
_sleepers: set[asyncio.Future[None]] = set()


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


async def sleep_until(moment: datetime) -> None:
    """Return once `now()` has reached `moment`."""
    while (remaining := (moment - now()).total_seconds()) > 0:
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        _sleepers.add(woken)
        try:
            await asyncio.wait_for(woken, remaining)
        except TimeoutError:
            pass
        finally:
            _sleepers.discard(woken)


def waiting() -> int:
    """How many waits for a moment are under way in this process."""
    return len(_sleepers)


def jumped() -> None:
    """The clock jumped ahead (only a test's clock does — tests/clocked.py): every waiter looks
    at it again instead of sleeping out the time it had left."""
    for sleeper in list(_sleepers):
        if not sleeper.done():
            sleeper.set_result(None)
