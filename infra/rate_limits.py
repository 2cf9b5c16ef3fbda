"""Rate limits shared by every app process: Redis when `REDIS_URL` is set, memory otherwise.

Budgets are written in the `limits` library's notation (`10/15minute`, `60/minute`, `10/day`)
and counted in moving windows, so a burst at a window's edge buys nothing.
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass
from enum import StrEnum

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.requests import HTTPConnection


class Budget(StrEnum):
    """What is counted, each with its own setting."""

    FAILED_SIGN_INS = "signin"  # per client address, and per account and address
    FAILED_SIGN_INS_TO_ACCOUNT = "signin_account"  # per account, from addresses it never signed in from
    SIGN_UPS = "signup"  # per client address
    MAILS = "mail"  # codes and reset links asked for, per account and per client address
    WRITES = "writes"  # mutations, per member
    NEW_STINTS = "stints"  # jobs added, per member
    QUERY_COST = "cost"  # points (schema/cost.py) of the operations run, per member or anonymous address
    REGISTRATIONS = "registrations"  # persisted queries registered, per client address


@dataclass(frozen=True)
class Allowance:
    """Where a client stands in a points budget: its size, what is left, and when the window
    that counts it ends (seconds since the epoch)."""

    limit: int
    remaining: int
    reset_at: float

    def headers(self) -> dict[str, str]:
        """The `RateLimit-*` response headers (IETF httpapi draft): the reset in seconds from now."""
        reset = max(0, math.ceil(self.reset_at - time.time()))
        return {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(self.remaining), "RateLimit-Reset": str(reset)}


class RateLimited(Exception):
    """A budget is spent; `retry_after` seconds until it allows another attempt."""

    def __init__(self, budget: Budget, retry_after: int, allowance: Allowance | None = None) -> None:
        super().__init__(budget.value)
        self.budget = budget
        self.retry_after = retry_after
        self.allowance = allowance  # of a points budget


def parse_budget(setting: str, value: str) -> RateLimitItem:
    """A budget from its setting, or ValueError naming the setting."""
    try:
        return parse(value)
    except ValueError:
        raise ValueError(f"{setting}={value!r} is not a rate such as '10/15minute'") from None


class RateLimits:
    def __init__(self, budgets: dict[Budget, RateLimitItem], redis_url: str | None, namespace: str = "") -> None:
        """`namespace`: the deployment's (infra/shared_redis.py), which every budget's key starts with."""
        self.budgets = budgets
        storage = (
            storage_from_string(f"async+{redis_url}", key_prefix=f"{namespace}limits")
            if redis_url
            else storage_from_string("async+memory://")
        )
        self.limiter = MovingWindowRateLimiter(storage)
        # Points are counted in two fixed windows weighed together: the moving window keeps an
        # entry per unit spent, too many for a budget of thousands of points.
        self.points = SlidingWindowCounterRateLimiter(storage)

    async def check(self, budget: Budget, *keys: str) -> None:
        """Raise RateLimited if any key has spent the budget (spending nothing)."""
        for key in keys:
            if not await self.limiter.test(self.budgets[budget], budget.value, key):
                raise RateLimited(budget, await self._retry_after(budget, key))

    async def spend(self, budget: Budget, *keys: str) -> None:
        """Count one attempt against each key; RateLimited if one had nothing left."""
        for key in keys:
            if not await self.limiter.hit(self.budgets[budget], budget.value, key):
                raise RateLimited(budget, await self._retry_after(budget, key))

    async def count(self, budget: Budget, *keys: str) -> None:
        """Count one attempt against each key, whether or not it had anything left."""
        for key in keys:
            await self.limiter.hit(self.budgets[budget], budget.value, key)

    async def spend_points(self, budget: Budget, key: str, points: int) -> Allowance:
        """Deduct `points` from the key's budget and say what is left; RateLimited (deducting
        nothing) when fewer are left."""
        item = self.budgets[budget]
        spent = await self.points.hit(item, budget.value, key, cost=points)
        stats = await self.points.get_window_stats(item, budget.value, key)
        allowance = Allowance(item.amount, stats.remaining, stats.reset_time)
        if not spent:
            raise RateLimited(budget, _retry_after(stats.reset_time), allowance)
        return allowance

    async def _retry_after(self, budget: Budget, key: str) -> int:
        stats = await self.limiter.get_window_stats(self.budgets[budget], budget.value, key)
        return _retry_after(stats.reset_time)


def _retry_after(reset_time: float) -> int:
    """Whole seconds until a window's reset (at least one: "now" is no time to retry)."""
    return max(1, math.ceil(reset_time - time.time()))


def client_address(connection: HTTPConnection, trusted_proxies: frozenset[str]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy, in which case the
    nearest untrusted address in `X-Forwarded-For` (a client can prepend anything it likes)."""
    peer = connection.client.host if connection.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    forwarded = [part.strip() for part in connection.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([part for part in forwarded if _is_address(part)]):
        if address not in trusted_proxies:
            return address
    return peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
