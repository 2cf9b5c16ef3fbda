"""Platform moderation: moderators remove bottom-line violations, with a public reason, and
restore what was removed in error. Every change goes through the status door and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tortoise.transactions import in_transaction

import models
from domain.enums import AuditActor, PlatformRoleKind, ResponseStatus, ReviewStatus
from domain.errors import ErrorCode
from domain.violations import Outcome, Violation, check_text, not_found
from resolvers.errors import Forbidden
from resolvers.status import change_response_status, change_review_status, locked_review

REASON_MIN_LENGTH, REASON_MAX_LENGTH = 10, 500
_REMOVED_REVIEW = (ReviewStatus.REMOVED_BY_MODERATION, ReviewStatus.REMOVED_BY_VOTE)


class ModerationAction(Enum):
    REMOVE = "REMOVE"
    RESTORE = "RESTORE"


@dataclass(frozen=True)
class Moderation:
    review_id: int | None  # exactly one of the two names the content
    response_id: int | None
    action: ModerationAction
    reason: str


@dataclass(frozen=True)
class Moderated:
    review: models.Review | None
    response: models.CompanyResponse | None


async def require_moderator(member: models.Member, what: str) -> None:
    """Forbidden unless `member` is a platform moderator; `what` moderators only may do."""
    if not await models.PlatformRole.exists(member_id=member.id, kind=PlatformRoleKind.MODERATOR):
        raise Forbidden(f"Only platform moderators {what}.")


def check_reason(reason: str) -> list[Violation]:
    problems = check_text(reason, "reason", max_length=REASON_MAX_LENGTH, required=True, label="The reason")
    if not problems and len(reason) < REASON_MIN_LENGTH:
        problems.append(
            Violation(
                ("reason",),
                ErrorCode.TOO_SHORT,
                f"Give a public reason of at least {REASON_MIN_LENGTH} characters.",
            )
        )
    return problems


async def moderate(member: models.Member, moderation: Moderation) -> Outcome[Moderated]:
    await require_moderator(member, "moderate content")
    if (moderation.review_id is None) == (moderation.response_id is None):
        return Outcome.rejected(
            Violation(("reviewId",), ErrorCode.CONTENT_REQUIRED, "Name exactly one review or one response.")
        )
    reason = moderation.reason.strip()
    if problems := check_reason(reason):
        return Outcome.rejected(*problems)
    removing = moderation.action is ModerationAction.REMOVE
    async with in_transaction():
        if moderation.review_id is not None:
            review = await locked_review(moderation.review_id)
            if review is None or review.status is ReviewStatus.HELD:  # its author's alone
                return Outcome.rejected(not_found("reviewId", "review"))
            allowed = (
                review.status is ReviewStatus.PUBLISHED if removing else review.status in _REMOVED_REVIEW
            )
            if not allowed:
                return Outcome.rejected(_wrong_state("reviewId", removing))
            target = ReviewStatus.REMOVED_BY_MODERATION if removing else ReviewStatus.PUBLISHED
            await change_review_status(review, target, AuditActor.MODERATOR, reason)
            return Outcome(Moderated(review, None))
        response = await models.CompanyResponse.filter(id=moderation.response_id).select_for_update(no_key=True).first()
        if response is None:
            return Outcome.rejected(not_found("responseId", "response"))
        if (response.status is ResponseStatus.PUBLISHED) != removing:
            return Outcome.rejected(_wrong_state("responseId", removing))
        target_status = ResponseStatus.REMOVED_BY_MODERATION if removing else ResponseStatus.PUBLISHED
        await change_response_status(response, target_status, AuditActor.MODERATOR, reason)
        return Outcome(Moderated(None, response))


def _wrong_state(field: str, removing: bool) -> Violation:
    if removing:
        return Violation((field,), ErrorCode.NOT_REMOVABLE, "Only published content can be removed.")
    return Violation(
        (field,),
        ErrorCode.NOT_REMOVED,
        "Only content removed by moderators or a vote can be restored; a withdrawal is the author's.",
    )
