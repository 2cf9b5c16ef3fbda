"""Removal polls of a company's colleague circle: opening, weighted voting, settling exactly
once, and the CEO's one veto per period — which can only keep content."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q, Subquery
from tortoise.transactions import in_transaction

import models
from domain.enums import (
    AppealDecision,
    AuditAction,
    AuditActor,
    CompanyRoleKind,
    RemovalPollStatus,
    RemovalReason,
    ResponseStatus,
    ReviewStatus,
)
from domain.errors import ErrorCode
from domain.governance import (
    RECENTLY_COUNTED,
    VETO_GRACE,
    Contribution,
    PollDecision,
    Tally,
    VoterKind,
    contribution_weight,
    decide,
    may_veto,
    vote_weight,
)
from domain.member import EMAIL_NOT_VERIFIED
from domain.violations import Outcome, Violation, check_text, not_found
from infra.settings import settings_in_force
from resolvers.clock import now
from resolvers.errors import BadUserInput, Forbidden
from resolvers.pagination import Page, PageArgs, paginate
from resolvers.status import resolve_content

NOTE_MAX_LENGTH = 500
POLL_OPEN = Violation(
    ("reviewId",), ErrorCode.POLL_ALREADY_OPEN, "A removal poll on this content is already open."
)


@dataclass(frozen=True)
class PollRequest:
    review_id: int | None  # exactly one of the two
    response_id: int | None
    reason: RemovalReason
    note: str | None


@dataclass(frozen=True)
class Content:
    """The piece a poll is about, as the rules need it."""

    company_id: int
    author_id: int | None  # None once its author left workcred
    published: bool
    open_key: str


async def contribution(member_id: int) -> Contribution:
    """The member's acknowledgments (domain.governance.Contribution): helpful marks on their
    published reviews by members counted somewhere, who claim no job at any of the member's
    companies. Up to three statements, each over the marks their reviews received (by index:
    never the roll of every company's colleagues)."""
    markers = await models.HelpfulVote.filter(
        review__author_id=member_id, review__status=ReviewStatus.PUBLISHED
    ).values_list("member_id", flat=True)
    if not markers:
        return Contribution(0)
    who = set(markers)
    counted = set(await models.ColleagueAdmission.filter(member_id__in=who, counted_from__lte=now()).values_list(
        "member_id", flat=True
    ))
    in_circles = set(await models.CompanyMember.filter(
        member_id__in=who,
        # the member's companies, by the (member, company) index of their jobs
        company_id__in=Subquery(models.Employment.filter(member_id=member_id).values("company_id")),
    ).values_list("member_id", flat=True))
    return Contribution(sum(marker in counted and marker not in in_circles for marker in markers))


async def member_weight(member_id: int) -> float:
    return contribution_weight(await contribution(member_id))


async def _content(review_id: int | None, response_id: int | None) -> Content | None:
    if review_id is not None:
        # a held review is its author's alone: to anyone else it does not exist
        review = await models.Review.filter(id=review_id).exclude(status=ReviewStatus.HELD).first()
        if review is None:
            return None
        return Content(
            review.company_id,
            review.author_id,
            review.status is ReviewStatus.PUBLISHED,
            f"review:{review.id}",
        )
    response = await models.CompanyResponse.get_or_none(id=response_id)
    if response is None:
        return None
    return Content(
        response.company_id,
        response.author_id,
        response.status is ResponseStatus.PUBLISHED,
        f"response:{response.id}",
    )


@dataclass(frozen=True)
class Voter:
    kind: VoterKind
    recent: bool  # a colleague counted within RECENTLY_COUNTED


async def _voter(member: models.Member, content: Content) -> Voter | Violation:
    """Who may open and vote: the company's counted colleagues (a voice costs a verified address,
    a claim older than the minimum age, and the company's inflow allowance), its representatives
    and its CEO — never the content's author, and accounts old enough with a proven address."""
    if not member.email_verified:
        return EMAIL_NOT_VERIFIED
    if content.author_id == member.id:
        return Violation(
            ("reviewId",), ErrorCode.OWN_CONTENT, "You cannot open or vote on a poll about your own content."
        )
    minimum = timedelta(days=settings_in_force().voter_min_account_age_days)
    if now() - member.created_at < minimum:
        return Violation(
            ("reviewId",), ErrorCode.ACCOUNT_TOO_NEW, f"Accounts vote once they are {minimum.days} days old."
        )
    role = await models.CompanyRole.filter(member_id=member.id, company_id=content.company_id).first()
    if role is not None:
        return Voter(VoterKind(role.kind.value), recent=False)
    moment = now()
    counted = await models.ColleagueAdmission.filter(
        member_id=member.id, company_id=content.company_id, counted_from__lte=moment
    ).first()
    if counted is not None:
        return Voter(VoterKind.COLLEAGUE, recent=moment - counted.counted_from < RECENTLY_COUNTED)
    if await models.Employment.exists(member_id=member.id, company_id=content.company_id):
        return Violation(
            ("reviewId",),
            ErrorCode.ACCOUNT_TOO_NEW,
            "Colleagues vote once they count at the company: a proven address, a claim there older than "
            f"{settings_in_force().colleague_min_age_days} days, and their turn in its monthly allowance of new colleagues.",
        )
    return Violation(
        ("reviewId",),
        ErrorCode.NOT_A_COLLEAGUE,
        "Only members with a job at this company vote on what is said about it.",
    )


async def open_poll(member: models.Member, request: PollRequest) -> Outcome[models.RemovalPoll]:
    if (request.review_id is None) == (request.response_id is None):
        return Outcome.rejected(
            Violation(("reviewId",), ErrorCode.CONTENT_REQUIRED, "Name exactly one review or one response.")
        )
    note = (request.note or "").strip() or None
    if problems := check_text(note, "note", max_length=NOTE_MAX_LENGTH, required=False, label="The note"):
        return Outcome.rejected(*problems)
    content = await _content(request.review_id, request.response_id)
    if content is None:
        field = "reviewId" if request.review_id is not None else "responseId"
        return Outcome.rejected(not_found(field, "content"))
    if isinstance(voter := await _voter(member, content), Violation):
        return Outcome.rejected(voter)
    if not content.published:
        return Outcome.rejected(
            Violation(("reviewId",), ErrorCode.NOT_REMOVABLE, "Only published content can be polled.")
        )
    settings = settings_in_force()
    cooling = now() - timedelta(days=settings.poll_cooldown_days)
    target = (
        {"review_id": request.review_id}
        if request.review_id is not None
        else {"response_id": request.response_id}
    )
    if await models.RemovalPoll.exists(
        **target, status__in=[RemovalPollStatus.KEPT, RemovalPollStatus.VETOED], settled_at__gt=cooling
    ):
        return Outcome.rejected(
            Violation(
                ("reviewId",),
                ErrorCode.POLL_COOLDOWN,
                f"A poll kept this content less than {settings.poll_cooldown_days} days ago.",
            )
        )
    # a poll past its window no longer holds the content's one open key
    await settle_due_polls(await models.RemovalPoll.filter(**target, status=RemovalPollStatus.OPEN))
    opened = now()
    try:
        poll = await models.RemovalPoll.create(
            company_id=content.company_id,
            open_key=content.open_key,
            reason=request.reason,
            note=note,
            opened_at=opened,
            closes_at=opened + timedelta(hours=settings.poll_window_hours),
            quorum=settings.poll_quorum,
            threshold=settings.poll_threshold,
            **target,
        )
    except IntegrityError:  # the unique open key: another poll on this content is open
        return Outcome.rejected(POLL_OPEN)
    return Outcome(poll)


async def _is_ceo(member_id: int, company_id: int) -> bool:
    return await models.CompanyRole.exists(
        member_id=member_id, company_id=company_id, kind=CompanyRoleKind.CEO
    )


async def cast_vote(member: models.Member, poll_id: int | None, remove: bool) -> Outcome[models.RemovalPoll]:
    poll = await models.RemovalPoll.get_or_none(id=poll_id)
    if poll is None:
        return Outcome.rejected(not_found("pollId", "poll"))
    await settle_due_polls([poll])  # a write touching a poll past its window settles it
    content = await _content(poll.review_id, poll.response_id)
    assert content is not None
    if isinstance(voter := await _voter(member, content), Violation):
        return Outcome.rejected(Violation(("pollId",), voter.code, voter.message))
    # The weight is the voter's as of now, stored with the vote: later activity changes nothing.
    acknowledged = await contribution(member.id) if voter.kind is VoterKind.COLLEAGUE else Contribution(0)
    weight = vote_weight(voter.kind, acknowledged, settings_in_force().ceo_vote_multiplier)
    already = Violation(("pollId",), ErrorCode.ALREADY_VOTED, "You already voted this way on this poll.")
    try:
        async with in_transaction():
            poll = await models.RemovalPoll.filter(id=poll.id).select_for_update(no_key=True).get()
            if poll.status is not RemovalPollStatus.OPEN or now() >= poll.closes_at:
                return Outcome.rejected(Violation(("pollId",), ErrorCode.POLL_CLOSED, "This poll is closed."))
            vote = await models.RemovalVote.get_or_none(poll_id=poll.id, member_id=member.id)
            if vote is not None and vote.remove == remove:
                return Outcome.rejected(already)
            if vote is None:
                vote = await models.RemovalVote.create(
                    poll_id=poll.id, member_id=member.id, remove=remove, weight=weight, recent=voter.recent,
                    cast_at=now(),
                )
                await move_tally(vote, +1)
            else:  # a change of mind moves the vote (with the weight it was cast with)
                await move_tally(vote, -1)
                vote.remove = remove
                await models.RemovalVote.filter(id=vote.id).update(remove=remove, cast_at=now())
                await move_tally(vote, +1)
    except IntegrityError:  # a concurrent first vote by the same member won the unique index
        return Outcome.rejected(already)
    return Outcome(await models.RemovalPoll.get(id=poll.id))


async def move_tally(vote: models.RemovalVote, voters: int) -> None:
    """Add (`voters` = 1) or take back (-1) the vote in its poll's tally."""
    side = "remove" if vote.remove else "keep"
    changes = {
        f"{side}_voters": F(f"{side}_voters") + voters,
        f"{side}_weight": F(f"{side}_weight") + voters * vote.weight,
    }
    if vote.remove and vote.recent:
        changes["recent_remove_weight"] = F("recent_remove_weight") + voters * vote.weight
    await models.RemovalPoll.filter(id=vote.poll_id).update(**changes)


def tally_of(poll: models.RemovalPoll) -> Tally:
    return Tally(poll.remove_voters, poll.keep_voters, poll.remove_weight, poll.keep_weight, poll.recent_remove_weight)


async def _settle(poll_id: int) -> bool:
    """Settle a poll past its window, exactly once whoever asks first (a read, a write, the
    CLI on several machines): the status moves from OPEN in a locked row. True if this call
    settled it."""
    async with in_transaction():
        poll = await models.RemovalPoll.filter(id=poll_id).select_for_update(no_key=True).first()
        if poll is None or poll.status is not RemovalPollStatus.OPEN or now() < poll.closes_at:
            return False
        decided = decide(tally_of(poll), poll.quorum, poll.threshold)
        claimed = await models.RemovalPoll.filter(id=poll.id, status=RemovalPollStatus.OPEN).update(
            status=RemovalPollStatus(decided.value), settled_at=now(), open_key=None
        )
        if not claimed:
            return False
        unchanged = AuditAction.REFERRED if decided is PollDecision.REFERRED else AuditAction.KEPT
        await resolve_poll(
            poll, AuditActor.COMMUNITY, REMOVE_BY_VOTE if decided is PollDecision.REMOVED else None, unchanged
        )
    return True


async def resolve_poll(
    poll: models.RemovalPoll,
    actor: AuditActor,
    move: tuple[str, str] | None,
    otherwise: AuditAction,
    reason: str | None = None,
) -> None:
    """Move the poll's content from status `move[0]` to `move[1]` (through the status door) when
    it is in `move[0]`; otherwise record `otherwise` in its history, its status unchanged. The
    public reason is the poll's, or a moderator's `reason`."""
    await resolve_content(
        poll.review_id, poll.response_id, actor, None if move is None else ((move[0],), move[1]), otherwise,
        reason or poll.reason.value,
    )


REMOVE_BY_VOTE = (ReviewStatus.PUBLISHED.value, ReviewStatus.REMOVED_BY_VOTE.value)


async def settle_due_polls(polls: Iterable[models.RemovalPoll | int]) -> int:
    """The one way a read or a write settles removal polls: those of `polls` (rows, or ids)
    whose window has passed are settled before their content is shown or touched, so no page
    shows content that does not reflect its poll's outcome; a row is refreshed in place.
    (`settle_every_due_poll` is the scheduled path, behind `workcred settle-polls`.)
    Returns how many this call settled."""
    settled = 0
    for poll in polls:
        if isinstance(poll, int):
            settled += await _settle(poll)
        elif poll.status is RemovalPollStatus.OPEN and now() >= poll.closes_at and await _settle(poll.id):
            await poll.refresh_from_db()
            settled += 1
    return settled


async def settle_every_due_poll() -> int:
    """Every poll past its window; safe to run from cron on several machines at once."""
    due = await models.RemovalPoll.filter(status=RemovalPollStatus.OPEN, closes_at__lte=now()).values_list(
        "id"
    )
    return await settle_due_polls(poll_id for (poll_id,) in due)


async def veto(member: models.Member, poll_id: int | None, note: str | None) -> Outcome[models.RemovalPoll]:
    if not member.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    poll = await models.RemovalPoll.get_or_none(id=poll_id)
    if poll is None:
        return Outcome.rejected(not_found("pollId", "poll"))
    if not await _is_ceo(member.id, poll.company_id):
        raise Forbidden("Only the company's CEO may veto.")
    await settle_due_polls([poll])
    settings = settings_in_force()
    async with in_transaction():
        # One veto per company per period, under concurrency: the company row is the lock.
        # (NO KEY locks throughout: rows that merely reference a locked row never wait on it,
        # which is what deadlocked settling against vetoes on PostgreSQL.)
        await models.Company.filter(id=poll.company_id).select_for_update(no_key=True).first()
        poll = await models.RemovalPoll.filter(id=poll.id).select_for_update(no_key=True).get()
        moment = now()
        vetoable = poll.status is RemovalPollStatus.OPEN or (
            poll.status is RemovalPollStatus.REMOVED
            and poll.settled_at is not None
            and moment - poll.settled_at <= VETO_GRACE
        )
        if not vetoable:
            return Outcome.rejected(
                Violation(
                    ("pollId",),
                    ErrorCode.NOT_VETOABLE,
                    "Only an open poll, or a removal by vote in the last 24 hours, can be vetoed.",
                )
            )
        last = await models.Veto.filter(company_id=poll.company_id).order_by("-at").first()
        if not may_veto(last.at if last else None, moment, timedelta(days=settings.veto_period_days)):
            return Outcome.rejected(
                Violation(
                    ("pollId",),
                    ErrorCode.VETO_ALREADY_USED,
                    f"The company already vetoed once in the last {settings.veto_period_days} days.",
                )
            )
        await models.Veto.create(
            company_id=poll.company_id, poll_id=poll.id, note=(note or "").strip() or None, at=moment
        )
        was_removed = poll.status is RemovalPollStatus.REMOVED
        await models.RemovalPoll.filter(id=poll.id).update(
            status=RemovalPollStatus.VETOED, vetoed=True, open_key=None, settled_at=poll.settled_at or moment
        )
        # It only ever keeps: a removal by vote is undone, anything else stays as it is.
        undo = (REMOVE_BY_VOTE[1], REMOVE_BY_VOTE[0]) if was_removed else None
        await resolve_poll(poll, AuditActor.CEO_VETO, undo, AuditAction.VETOED)
    return Outcome(await models.RemovalPoll.get(id=poll.id))


async def company_polls(
    company_id: int, status: RemovalPollStatus | None, page: PageArgs
) -> Page[models.RemovalPoll]:
    query = models.RemovalPoll.filter(company_id=company_id)
    if status is not None:
        query = query.filter(status=status)
    result = await paginate(query, ("-id",), page)
    await settle_due_polls(result.rows)
    return result


@dataclass(frozen=True)
class Transparency:
    removed_by_vote: dict[str, int]  # by reason
    removed_by_moderation: int
    polls_opened: int
    polls_kept: int
    polls_referred: int  # sent to the moderators: carried by recently counted colleagues
    vetoes_used: int
    appeals_received: int
    appeals_restored: int
    appeals_upheld: int


async def transparency(
    company_id: int | None, since: datetime | None = None, until: datetime | None = None
) -> Transparency:
    """How content about a company (or the whole platform, in a period) left or stayed."""
    polls = models.RemovalPoll.all()
    entries = models.AuditEntry.filter(actor=AuditActor.MODERATOR, action=AuditAction.REMOVED)
    vetoes = models.Veto.all()
    appeals = models.Appeal.all()
    if company_id is not None:
        polls = polls.filter(company_id=company_id)
        appeals = appeals.filter(company_id=company_id)
        entries = entries.filter(Q(review__company_id=company_id) | Q(response__company_id=company_id))
        vetoes = vetoes.filter(company_id=company_id)
    if since is not None and until is not None:
        polls = polls.filter(opened_at__gte=since, opened_at__lt=until)
        entries = entries.filter(at__gte=since, at__lt=until)
        vetoes = vetoes.filter(at__gte=since, at__lt=until)
        appeals = appeals.filter(created_at__gte=since, created_at__lt=until)
    removed: dict[str, int] = {}
    for reason in await polls.filter(status=RemovalPollStatus.REMOVED).values_list("reason", flat=True):
        removed[str(reason)] = removed.get(str(reason), 0) + 1
    return Transparency(
        removed_by_vote=removed,
        removed_by_moderation=await entries.count(),
        polls_opened=await polls.count(),
        polls_kept=await polls.filter(status=RemovalPollStatus.KEPT).count(),
        polls_referred=await polls.filter(status=RemovalPollStatus.REFERRED).count(),
        vetoes_used=await vetoes.count(),
        appeals_received=await appeals.count(),
        appeals_restored=await appeals.filter(decision=AppealDecision.RESTORE).count(),
        appeals_upheld=await appeals.filter(decision=AppealDecision.UPHOLD).count(),
    )


_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


def quarter_bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of a quarter named like "2026-Q4"; BadUserInput otherwise."""
    match = _QUARTER.fullmatch(period.strip())
    if match is None or not 1950 <= int(match.group(1)) <= 2100:
        raise BadUserInput('`period` is a quarter such as "2026-Q4".')
    year, quarter = int(match.group(1)), int(match.group(2))
    start = datetime(year, 3 * quarter - 2, 1, tzinfo=UTC)
    end = datetime(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1, tzinfo=UTC)
    return start, end
