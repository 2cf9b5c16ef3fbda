"""Live signals over WebSocket (graphql-transport-ws, authenticated by the `connection_init`
payload `{"Authorization": "Bearer <token>"}`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

import strawberry

from resolvers import signals
from resolvers.company import company_by_slug
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.roles import require_representative
from schema.node import pk_of
from schema.review import CompanyResponse, Review

Row = TypeVar("Row")
Shown = TypeVar("Shown")


async def _fresh_each(
    context: RequestContext, rows: AsyncIterator[Row], show: Callable[[Row], Shown]
) -> AsyncIterator[Shown]:
    async for row in rows:
        context.fresh_loaders()  # each event is a fresh read, not the connection's cache
        yield show(row)


@strawberry.type(description="Live signals over the WebSocket at /graphql (graphql-transport-ws).")
class Subscription:
    @strawberry.subscription(
        description="New reviews of the company (its representatives and CEO only). Each arrives at "
        "the end of the day it was written (UTC), together with that day's others, and only if still "
        "published then: the signal reveals no more than the review's page does."
    )
    async def review_published(
        self, info: strawberry.Info[RequestContext], company_slug: Annotated[str, strawberry.argument(description="Your company's slug.")]
    ) -> AsyncIterator[Review]:
        # Checked before the stream exists, so a refusal is the protocol's `error` message.
        context = info.context
        company = await company_by_slug(company_slug)
        if company is None:
            raise BadUserInput("No company has this slug.")
        await require_representative(await context.require_viewer(), company.id)
        period = context.settings.review_signal_period_seconds
        reviews = signals.published_reviews(context.events, company.id, period)
        return _fresh_each(context, reviews, Review.from_row)

    @strawberry.subscription(description="The company's response to the review as it is posted or edited.")
    async def review_responded(
        self, info: strawberry.Info[RequestContext], review_id: Annotated[strawberry.ID, strawberry.argument(description="The review to watch.")]
    ) -> AsyncIterator[CompanyResponse]:
        context = info.context
        pk = pk_of(review_id, "Review")
        if pk is None or not await signals.review_exists(pk):
            raise BadUserInput("No such review.")
        return _fresh_each(context, signals.responses_to(context.events, pk), CompanyResponse.from_row)
