"""A client's points budget, as GitHub's `rateLimit` shows it."""

from __future__ import annotations

import datetime

import strawberry

from resolvers.context import RequestContext


@strawberry.type(
    description="Your points budget: each operation costs about the number of fields it resolves (also "
    "in `extensions.cost.requested`), spent by the member, or by the address when not signed in, and "
    "counted over the last minute (WORKCRED_RATE_LIMIT_COST). The same figures come in the "
    "RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers."
)
class RateLimit:
    cost: int = strawberry.field(description="Points this operation cost.")
    limit: int = strawberry.field(description="Points a client may spend per window.")
    remaining: int = strawberry.field(description="Points left after this operation.")
    reset_at: datetime.datetime = strawberry.field(description="When the points spent in the current window are all back.")


def rate_limit(info: strawberry.Info[RequestContext]) -> RateLimit | None:
    context = info.context
    context.shareable = False  # figures of this client now, never served to another from a cache
    allowance = context.allowance
    if allowance is None or context.cost is None:
        return None
    reset_at = datetime.datetime.fromtimestamp(allowance.reset_at, datetime.UTC)
    return RateLimit(cost=context.cost, limit=allowance.limit, remaining=allowance.remaining, reset_at=reset_at)
