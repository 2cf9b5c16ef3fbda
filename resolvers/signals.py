"""Live signals: what a write announces after it commits, and what a subscriber is then shown.
Events carry ids only; each is re-read here, so a subscriber sees what a fresh read shows."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import models
from domain.anonymity import signal_release_at
from domain.enums import ResponseStatus, ReviewStatus
from infra.events import EventBus
from resolvers.clock import now, sleep_until
from resolvers.review import release_held_reviews

logger = logging.getLogger("workcred")


def _reviews_channel(company_id: int) -> str:
    return f"company.{company_id}.reviews"


def _response_channel(review_id: int) -> str:
    return f"review.{review_id}.response"


async def announce_review(bus: EventBus, review: models.Review) -> None:
    """Call after the submitting transaction committed."""
    await bus.publish(_reviews_channel(review.company_id), {"reviewId": review.id})


async def announce_response(bus: EventBus, response: models.CompanyResponse) -> None:
    """Call after the responding (or editing) transaction committed."""
    await bus.publish(_response_channel(response.review_id), {"responseId": response.id})


async def published_reviews(bus: EventBus, company_id: int, period_seconds: int) -> AsyncIterator[models.Review]:
    """New reviews of the company, each held until its release time (domain.anonymity) and
    shown only if still published then."""
    async for event in bus.listen(_reviews_channel(company_id)):
        review = await models.Review.get_or_none(id=event.get("reviewId"), company_id=company_id)
        if review is None:
            continue
        await sleep_until(signal_release_at(review.created_at, period_seconds))
        await review.refresh_from_db()
        if review.status is ReviewStatus.PUBLISHED:
            yield review


async def review_exists(review_id: int | None) -> bool:
    """Whether there is a review to follow (asked before a stream about it is opened)."""
    return review_id is not None and await models.Review.exists(id=review_id)


async def responses_to(bus: EventBus, review_id: int) -> AsyncIterator[models.CompanyResponse]:
    """The company's response to the review as it is posted or edited, while both are public."""
    async for event in bus.listen(_response_channel(review_id)):
        response = (
            await models.CompanyResponse.filter(id=event.get("responseId"), review_id=review_id)
            .select_related("review")
            .first()
        )
        if (
            response is not None
            and response.status is ResponseStatus.PUBLISHED
            and response.review.status is ReviewStatus.PUBLISHED
        ):
            yield response


async def keep_releasing_held_reviews(bus: EventBus, every_seconds: int) -> None:
    """The server's release run, every `every_seconds`: held reviews a face can hide by now are
    published and announced as new ones are. Runs until cancelled."""
    while True:
        await sleep_until(now() + timedelta(seconds=every_seconds))
        try:
            for review in await release_held_reviews():
                await announce_review(bus, review)
        except Exception:  # a failed run must not end the ones after it
            logger.exception("could not release held reviews")
