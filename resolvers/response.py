"""Company responses: one per review, written and edited only by the company's representatives."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import models
from domain.enums import ReviewStatus
from domain.errors import ErrorCode
from domain.member import EMAIL_NOT_VERIFIED
from domain.review import check_response_body
from domain.violations import Outcome, Violation, not_found
from resolvers.clock import now
from resolvers.company_record import counted_response_time, move_response_time
from resolvers.ratings import counted, move_aggregates
from resolvers.review import NOT_PUBLISHED, UNKNOWN_REVIEW
from resolvers.roles import require_representative
from resolvers.status import locked_review


async def respond_to_review(
    member: models.Member, review_id: int | None, body: str
) -> Outcome[models.CompanyResponse]:
    if not member.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    body = body.strip()
    try:
        async with in_transaction():
            review = await locked_review(review_id)
            if review is None or review.status is ReviewStatus.HELD:  # a held review is its author's alone
                return Outcome.rejected(UNKNOWN_REVIEW)
            await require_representative(member, review.company_id)
            if problems := check_response_body(body):
                return Outcome.rejected(*problems)
            if review.status is not ReviewStatus.PUBLISHED:
                return Outcome.rejected(NOT_PUBLISHED)
            # The unique index on review_id keeps it to one response, even under concurrent writes.
            response = await models.CompanyResponse.create(
                review_id=review.id, company_id=review.company_id, author_id=member.id, body=body
            )
            await _mark_answered(review)
            await move_response_time(
                review.company_id,
                None,
                counted_response_time(review.status, review.created_at, response.status, response.created_at),
            )
    except IntegrityError:
        return Outcome.rejected(
            Violation(
                ("reviewId",),
                ErrorCode.ALREADY_RESPONDED,
                "This review already has the company's response. Edit that response instead.",
            )
        )
    return Outcome(response)


async def _mark_answered(review: models.Review) -> None:
    """The review leaves its company's inbox count. Call inside the responding transaction."""
    before = counted(review)
    review.answered = True
    await review.save(update_fields=["answered"])
    await move_aggregates(review.company_id, before, counted(review))


async def edit_response(
    member: models.Member, response_id: int | None, body: str
) -> Outcome[models.CompanyResponse]:
    if not member.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    response = await models.CompanyResponse.get_or_none(id=response_id)
    if response is None:
        return Outcome.rejected(not_found("responseId", "response"))
    await require_representative(member, response.company_id)
    body = body.strip()
    if problems := check_response_body(body):
        return Outcome.rejected(*problems)
    response.body = body
    response.updated_at = now()
    await response.save(update_fields=["body", "updated_at"])
    return Outcome(response)
