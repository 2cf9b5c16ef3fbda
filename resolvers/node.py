"""`node(id:)`: public objects for anyone, private ones only for their owner."""

from __future__ import annotations

import models
from domain.enums import RemovalPollStatus, ReviewStatus
from resolvers.context import RequestContext
from resolvers.governance import settle_due_polls


async def company(_: RequestContext, pk: int) -> models.Company | None:
    return await models.Company.get_or_none(id=pk)


async def own_member(context: RequestContext, pk: int) -> models.Member | None:
    viewer = await context.viewer()
    return viewer if viewer is not None and viewer.id == pk else None


async def own_employment(context: RequestContext, pk: int) -> models.Employment | None:
    viewer = await context.viewer()
    if viewer is None:
        return None
    return await models.Employment.get_or_none(id=pk, member_id=viewer.id)


async def own_career_break(context: RequestContext, pk: int) -> models.CareerBreak | None:
    viewer = await context.viewer()
    if viewer is None:
        return None
    return await models.CareerBreak.get_or_none(id=pk, member_id=viewer.id)


async def review(context: RequestContext, pk: int) -> models.Review | None:
    found = await models.Review.get_or_none(id=pk)
    if found is not None and found.status is ReviewStatus.HELD:  # its author's alone
        viewer = await context.viewer()
        return found if viewer is not None and viewer.id == found.author_id else None
    # show the review as its poll left it
    if found is not None and await settle_due_polls(
        await models.RemovalPoll.filter(review_id=pk, status=RemovalPollStatus.OPEN)
    ):
        await found.refresh_from_db()
    return found


async def company_response(_: RequestContext, pk: int) -> models.CompanyResponse | None:
    return await models.CompanyResponse.get_or_none(id=pk)


async def removal_poll(_: RequestContext, pk: int) -> models.RemovalPoll | None:
    return await models.RemovalPoll.get_or_none(id=pk)
