"""Appeals and the moderators' queue (EU DSA Art. 17/20): the author of removed content may
appeal within 30 days with a statement; a moderator restores the content or upholds the removal,
with a public reason, through the status door and the audit log. Removals a poll of recently
counted colleagues would have made wait in the same queue for a moderator's decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import models
from domain.enums import (
    AppealDecision,
    AuditAction,
    AuditActor,
    RemovalPollStatus,
    ResponseStatus,
    ReviewStatus,
)
from domain.errors import ErrorCode
from domain.member import EMAIL_NOT_VERIFIED
from domain.violations import Outcome, Violation, check_text, not_found
from resolvers.clock import now
from resolvers.errors import Forbidden
from resolvers.governance import REMOVE_BY_VOTE, resolve_poll
from resolvers.moderation import check_reason, require_moderator
from resolvers.status import locked_review, record_unchanged, resolve_content

APPEAL_WINDOW = timedelta(days=30)
STATEMENT_MAX_LENGTH = 2000
QUEUE_MAX = 100
_REMOVED = {
    ReviewStatus.REMOVED_BY_VOTE.value, ReviewStatus.REMOVED_BY_MODERATION.value,
    ResponseStatus.REMOVED_BY_VOTE.value, ResponseStatus.REMOVED_BY_MODERATION.value,
}


@dataclass(frozen=True)
class AppealRequest:
    review_id: int | None  # exactly one of the two
    response_id: int | None
    statement: str


@dataclass(frozen=True)
class RemovedContent:
    company_id: int
    author_id: int | None
    status: str
    key: str  # "review:12"
    of_it: dict[str, int]  # the audit log's filter for it


async def _content(review_id: int | None, response_id: int | None) -> RemovedContent | None:
    """The review or response named, locked; None if there is none (a held review is its
    author's alone, and cannot have been removed)."""
    if review_id is not None:
        review = await locked_review(review_id)
        if review is None or review.status is ReviewStatus.HELD:
            return None
        return RemovedContent(review.company_id, review.author_id, review.status.value, f"review:{review.id}",
                              {"review_id": review.id})
    response = await models.CompanyResponse.filter(id=response_id).select_for_update(no_key=True).first()
    if response is None:
        return None
    return RemovedContent(response.company_id, response.author_id, response.status.value,
                          f"response:{response.id}", {"response_id": response.id})


async def _refusal(member: models.Member, content: RemovedContent, field: str) -> Violation | None:
    """Why the member may not appeal the content's removal now; None when they may."""
    if content.author_id != member.id:
        raise Forbidden("Only the author of removed content may appeal its removal.")
    if content.status not in _REMOVED:
        return Violation((field,), ErrorCode.NOT_REMOVED, "Only removed content can be appealed.")
    removed = await models.AuditEntry.filter(**content.of_it, action=AuditAction.REMOVED).order_by("-id").first()
    assert removed is not None  # removed content has its removal in the log
    if now() - removed.at > APPEAL_WINDOW:
        return Violation(
            (field,), ErrorCode.APPEAL_WINDOW_CLOSED, f"A removal can be appealed within {APPEAL_WINDOW.days} days of it."
        )
    if await models.Appeal.exists(content_key=content.key, created_at__gt=removed.at):
        return Violation((field,), ErrorCode.APPEAL_EXISTS, "This removal is under appeal, or its appeal was decided.")
    return None


async def appeal_removal(member: models.Member, request: AppealRequest) -> Outcome[models.Appeal]:
    if not member.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    if (request.review_id is None) == (request.response_id is None):
        return Outcome.rejected(
            Violation(("reviewId",), ErrorCode.CONTENT_REQUIRED, "Name exactly one review or one response.")
        )
    statement = request.statement.strip()
    field = "reviewId" if request.review_id is not None else "responseId"
    if problems := check_text(statement, "statement", max_length=STATEMENT_MAX_LENGTH, required=True,
                              label="The statement"):
        return Outcome.rejected(*problems)
    try:
        async with in_transaction():
            content = await _content(request.review_id, request.response_id)
            if content is None:
                return Outcome.rejected(not_found(field, "content"))
            if refusal := await _refusal(member, content, field):
                return Outcome.rejected(refusal)
            appeal = await models.Appeal.create(
                company_id=content.company_id, review_id=request.review_id, response_id=request.response_id,
                appellant_id=member.id, statement=statement, content_key=content.key, open_key=content.key,
                created_at=now(),
            )
            # public, as every step of the content's life is (the statement is the moderators')
            await record_unchanged(
                request.review_id, request.response_id, AuditAction.APPEALED, AuditActor.AUTHOR,
                "Its author appealed the removal.", content.status,
            )
    except IntegrityError:  # the unique open key: an appeal of this content is open already
        return Outcome.rejected(Violation((field,), ErrorCode.APPEAL_EXISTS, "This removal is under appeal already."))
    return Outcome(appeal)


class QueueKind(StrEnum):
    APPEAL = "APPEAL"
    REFERRED_POLL = "REFERRED_POLL"


@dataclass(frozen=True)
class QueueItem:
    kind: QueueKind
    since: datetime
    appeal: models.Appeal | None = None
    poll: models.RemovalPoll | None = None


async def moderation_queue(member: models.Member, first: int) -> list[QueueItem]:
    """Open appeals and referred polls, oldest first: at most `first` of each read (by their
    indexes), merged."""
    await require_moderator(member, "see and decide the moderation queue")
    first = max(1, min(first, QUEUE_MAX))
    appeals = await models.Appeal.filter(open_key__isnull=False).order_by("id").limit(first)
    polls = await models.RemovalPoll.filter(status=RemovalPollStatus.REFERRED).order_by("id").limit(first)
    items = [QueueItem(QueueKind.APPEAL, appeal.created_at, appeal=appeal) for appeal in appeals] + [
        QueueItem(QueueKind.REFERRED_POLL, poll.settled_at or poll.closes_at, poll=poll) for poll in polls
    ]
    return sorted(items, key=lambda item: item.since)[:first]


async def decide_appeal(
    member: models.Member, appeal_id: int | None, decision: AppealDecision, reason: str
) -> Outcome[models.Appeal]:
    await require_moderator(member, "see and decide the moderation queue")
    reason = reason.strip()
    if problems := check_reason(reason):
        return Outcome.rejected(*problems)
    async with in_transaction():
        appeal = await models.Appeal.filter(id=appeal_id).select_for_update(no_key=True).first()
        if appeal is None:
            return Outcome.rejected(not_found("appealId", "appeal"))
        if appeal.open_key is None:
            return Outcome.rejected(Violation(("appealId",), ErrorCode.APPEAL_DECIDED, "This appeal is decided."))
        restore = (_REMOVED, ReviewStatus.PUBLISHED.value) if decision is AppealDecision.RESTORE else None
        await resolve_content(
            appeal.review_id, appeal.response_id, AuditActor.MODERATOR, restore, AuditAction.UPHELD, reason
        )
        changes = {"decision": decision, "reason": reason, "decided_at": now(), "open_key": None}
        appeal.update_from_dict(changes)
        await appeal.save(update_fields=list(changes))
    return Outcome(appeal)


class PollVerdict(StrEnum):
    REMOVE = "REMOVE"
    KEEP = "KEEP"


async def decide_referred_poll(
    member: models.Member, poll_id: int | None, verdict: PollVerdict, reason: str
) -> Outcome[models.RemovalPoll]:
    """A moderator's decision on a removal carried by recently counted colleagues: removed as
    the vote asked, or kept; either way with the moderator's public reason."""
    await require_moderator(member, "see and decide the moderation queue")
    reason = reason.strip()
    if problems := check_reason(reason):
        return Outcome.rejected(*problems)
    async with in_transaction():
        poll = await models.RemovalPoll.filter(id=poll_id).select_for_update(no_key=True).first()
        if poll is None:
            return Outcome.rejected(not_found("pollId", "poll"))
        if poll.status is not RemovalPollStatus.REFERRED:
            return Outcome.rejected(Violation(("pollId",), ErrorCode.POLL_NOT_REFERRED, "Only a referred poll waits."))
        removing = verdict is PollVerdict.REMOVE
        status = RemovalPollStatus.REMOVED if removing else RemovalPollStatus.KEPT
        await models.RemovalPoll.filter(id=poll.id).update(status=status)
        await resolve_poll(poll, AuditActor.MODERATOR, REMOVE_BY_VOTE if removing else None, AuditAction.KEPT, reason)
    return Outcome(await models.RemovalPoll.get(id=poll.id))
