"""The one door through which a review or a company response changes status.

A new review's first status (held or published), a held review's publication or withdrawal,
withdrawal by the author, removal and restoration by moderators and community votes all come
here: the row is locked, the change is saved, the aggregates it affects move, and one
audit entry is appended — all in the caller's single transaction. No other code changes a
status (tests/test_moderation.py checks the source for it).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime
from typing import Any

import models
from domain.dates import start_of_day
from domain.enums import AuditAction, AuditActor, ResponseStatus, ReviewStatus
from resolvers.clock import now

DAY_RANKS = 2**31  # a review's random place among its day's
from resolvers.company_record import counted_response_time, move_response_time
from resolvers.ratings import counted, move_aggregates

_ACTION = {
    ReviewStatus.WITHDRAWN: AuditAction.WITHDRAWN,
    ReviewStatus.REMOVED_BY_VOTE: AuditAction.REMOVED,
    ReviewStatus.REMOVED_BY_MODERATION: AuditAction.REMOVED,
    ReviewStatus.PUBLISHED: AuditAction.RESTORED,
}


async def locked_review(review_id: int | None) -> models.Review | None:
    """The review, locked until the transaction ends (PostgreSQL; SQLite writers hold the
    database lock already), so a status change is computed from its current state."""
    return await models.Review.filter(id=review_id).select_for_update(no_key=True).first()


async def store_review(columns: dict[str, Any], held: bool) -> models.Review:
    """A new review, held while no face can hide its author (seen by its author only), else
    published and counted. Call inside a transaction."""
    review = await models.Review.create(
        status=ReviewStatus.HELD if held else ReviewStatus.PUBLISHED, day_rank=secrets.randbelow(DAY_RANKS), **columns
    )
    await move_aggregates(review.company_id, None, counted(review))
    return review


async def publish_held_review(review: models.Review, face_columns: dict[str, Any], at: datetime) -> None:
    """Publish a locked held review with its face, dated `at`: the face was judged against the
    colleagues counted then, so the day it appears is the day it says."""
    changes = {"status": ReviewStatus.PUBLISHED, "created_at": start_of_day(at), "updated_at": None, **face_columns}
    review.update_from_dict(changes)
    await review.save(update_fields=list(changes))
    await move_aggregates(review.company_id, None, counted(review))


async def forget_held_review(review: models.Review, reason: str) -> None:
    """A locked held review its author withdraws: never public, so nothing of it stays (and the
    member may write another); the row in hand reads as withdrawn."""
    await review.delete()
    await models.ReviewSlot.filter(member_id=review.author_id, company_id=review.company_id).update(
        last_reviewed_at=None
    )
    review.status = ReviewStatus.WITHDRAWN
    review.status_reason = reason


async def change_review_status(
    review: models.Review, to: ReviewStatus, actor: AuditActor, reason: str
) -> models.Review:
    """Move a locked review to `to`, with its public reason. Call inside a transaction."""
    before = counted(review)
    status_before = review.status
    review.status = to
    review.status_reason = None if to is ReviewStatus.PUBLISHED else reason
    review.updated_at = now()
    await review.save(update_fields=["status", "status_reason", "updated_at"])
    await move_aggregates(review.company_id, before, counted(review))
    if review.answered:
        await _move_review_response_time(review, status_before)
    await models.AuditEntry.create(
        review_id=review.id,
        action=_ACTION[to],
        actor=actor,
        reason=reason,
        status_before=status_before,
        status_after=to,
    )
    return review


async def _move_review_response_time(review: models.Review, status_before: ReviewStatus) -> None:
    """A review's response counts in the record only while the review is published too."""
    response = await models.CompanyResponse.filter(review_id=review.id).first().values_list("status", "created_at")
    if response is None:
        return
    status, responded_at = response
    await move_response_time(
        review.company_id,
        counted_response_time(status_before, review.created_at, status, responded_at),
        counted_response_time(review.status, review.created_at, status, responded_at),
    )


async def change_response_status(
    response: models.CompanyResponse, to: ResponseStatus, actor: AuditActor, reason: str
) -> models.CompanyResponse:
    """Move a company response to `to`, with its public reason. Call inside a transaction."""
    status_before = response.status
    response.status = to
    response.status_reason = None if to is ResponseStatus.PUBLISHED else reason
    await response.save(update_fields=["status", "status_reason"])
    review_status, reviewed_at = await models.Review.get(id=response.review_id).values_list("status", "created_at")
    await move_response_time(
        response.company_id,
        counted_response_time(review_status, reviewed_at, status_before, response.created_at),
        counted_response_time(review_status, reviewed_at, to, response.created_at),
    )
    action = AuditAction.RESTORED if to is ResponseStatus.PUBLISHED else AuditAction.REMOVED
    await models.AuditEntry.create(
        response_id=response.id,
        action=action,
        actor=actor,
        reason=reason,
        status_before=status_before,
        status_after=to,
    )
    return response


async def record_unchanged(
    review_id: int | None, response_id: int | None, action: AuditAction, actor: AuditActor, reason: str, status: str
) -> None:
    """An audit entry for a decision that left the status as it was (a poll kept the content,
    a CEO vetoed an open poll). Call inside the decision's transaction."""
    await models.AuditEntry.create(
        review_id=review_id, response_id=response_id, action=action, actor=actor, reason=reason,
        status_before=status, status_after=status,
    )


async def resolve_content(
    review_id: int | None,
    response_id: int | None,
    actor: AuditActor,
    move: tuple[Collection[str], str] | None,
    otherwise: AuditAction,
    reason: str,
) -> None:
    """A decision about the review (or else the response): moved from any status in `move[0]` to
    `move[1]` through the door when it is in one; otherwise `otherwise` recorded in its history,
    its status unchanged. Locks the content; call inside the decision's transaction."""
    if review_id is not None:
        review = await locked_review(review_id)
        assert review is not None
        if move is not None and review.status.value in move[0]:
            await change_review_status(review, ReviewStatus(move[1]), actor, reason)
        else:
            await record_unchanged(review.id, None, otherwise, actor, reason, review.status)
        return
    response = await models.CompanyResponse.filter(id=response_id).select_for_update(no_key=True).get()
    if move is not None and response.status.value in move[0]:
        await change_response_status(response, ResponseStatus(move[1]), actor, reason)
    else:
        await record_unchanged(None, response.id, otherwise, actor, reason, response.status)
