"""Writing and reading reviews. Every write moves the aggregates in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

import models
from domain.anonymity import Attribute, Face
from domain.dates import add_months_to_datetime, start_of_day
from domain.enums import (
    AuditActor,
    Dimension,
    EmploymentStatus,
    JobFunction,
    ReviewStatus,
    TenureBucket,
)
from domain.errors import ErrorCode
from domain.member import EMAIL_NOT_VERIFIED
from domain.review import (
    REVIEW_INTERVAL_MONTHS,
    SCORE_MAX,
    SCORE_MIN,
    ReviewContent,
    check_review_content,
)
from domain.violations import Outcome, Violation, not_found
from resolvers.anonymity import face_columns, review_face, stored_withheld
from resolvers.clock import now
from resolvers.employment import UNKNOWN_EMPLOYMENT
from resolvers.errors import BadUserInput, Forbidden
from resolvers.governance import settle_due_polls
from resolvers.pagination import Page, PageArgs, paginate
from resolvers.ratings import DIMENSION_COLUMNS, counted, dimension_scores, move_aggregates
from resolvers.status import (
    change_review_status,
    forget_held_review,
    locked_review,
    publish_held_review,
    store_review,
)

UNKNOWN_REVIEW = not_found("reviewId", "review")
NOT_PUBLISHED = Violation(("reviewId",), ErrorCode.REVIEW_NOT_PUBLISHED, "This review is no longer published.")
WITHDRAWN_REASON = "Withdrawn by its author."


class ReviewOrder(Enum):
    NEWEST = "NEWEST"
    OLDEST = "OLDEST"
    MOST_HELPFUL = "MOST_HELPFUL"
    HIGHEST = "HIGHEST"
    LOWEST = "LOWEST"


_ORDERING = {
    # Within a day, by the review's random rank: nothing orders them by when they were written.
    ReviewOrder.NEWEST: ("-created_at", "-day_rank", "-id"),
    ReviewOrder.OLDEST: ("created_at", "day_rank", "id"),
    ReviewOrder.MOST_HELPFUL: ("-helpful_count", "-created_at", "-day_rank", "-id"),
    ReviewOrder.HIGHEST: ("-overall", "-created_at", "-day_rank", "-id"),
    ReviewOrder.LOWEST: ("overall", "-created_at", "-day_rank", "-id"),
}


@dataclass(frozen=True)
class ReviewFilter:
    status: ReviewStatus = ReviewStatus.PUBLISHED
    employment_status: EmploymentStatus | None = None
    tenure: TenureBucket | None = None
    job_function: JobFunction | None = None
    min_overall: int | None = None
    max_overall: int | None = None
    dimension_minimums: list[tuple[Dimension, int]] = field(default_factory=list)
    written_from: date | None = None
    written_to: date | None = None
    answered: bool | None = None

    def counted_by(self) -> AggregateTotal | None:
        """Which aggregate already holds the number of matching reviews, if any: all published
        ones (the rating tallies), or the published ones awaiting an answer (the inbox count)."""
        if self.status is not ReviewStatus.PUBLISHED or self.dimension_minimums or any(
            value is not None
            for value in (self.employment_status, self.tenure, self.job_function, self.min_overall,
                          self.max_overall, self.written_from, self.written_to)
        ):
            return None
        if self.answered is None:
            return AggregateTotal.PUBLISHED
        return AggregateTotal.UNANSWERED if self.answered is False else None


class AggregateTotal(Enum):
    PUBLISHED = "PUBLISHED"
    UNANSWERED = "UNANSWERED"


# Free text a review may leave empty; the title is required.
OPTIONAL_TEXT_FIELDS = ("pros", "cons", "advice_to_management")


def _content_columns(content: ReviewContent) -> dict[str, Any]:
    """The review row's columns that hold what the author wrote."""
    columns: dict[str, Any] = {column: None for column in DIMENSION_COLUMNS.values()}
    for dimension, score in content.ratings:
        columns[DIMENSION_COLUMNS[dimension.value]] = score
    columns.update(overall=content.overall, title=content.title)
    columns.update({name: getattr(content, name) for name in OPTIONAL_TEXT_FIELDS})
    return columns


def _clean(content: ReviewContent) -> ReviewContent:
    """Trimmed text; optional text that is blank becomes None."""
    texts: dict[str, Any] = {
        name: (getattr(content, name) or "").strip() or None for name in OPTIONAL_TEXT_FIELDS
    }
    return replace(content, ratings=list(content.ratings), title=content.title.strip(), **texts)


TOO_FEW_COLLEAGUES = Violation(
    ("reviewId",),
    ErrorCode.TOO_FEW_COLLEAGUES,
    "Too few of your colleagues at this company are counted on workcred for your review to keep "
    "you anonymous any longer. Nothing was changed.",
)
REVIEW_TOO_SOON = Violation(
    ("employmentId",),
    ErrorCode.REVIEW_TOO_SOON,
    f"You reviewed this company less than {REVIEW_INTERVAL_MONTHS} months ago. Edit that review instead.",
)


async def _claim_review_slot(member_id: int, company_id: int, written_at: datetime) -> bool:
    """One review per member per company per interval, decided by the database: the slot row
    exists (conflicts ignored), then one conditional UPDATE claims it or finds it taken."""
    await models.ReviewSlot.bulk_create(
        [models.ReviewSlot(member_id=member_id, company_id=company_id)], ignore_conflicts=True
    )
    window_start = add_months_to_datetime(written_at, -REVIEW_INTERVAL_MONTHS)
    claimed = await models.ReviewSlot.filter(
        Q(member_id=member_id, company_id=company_id)
        & (Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lte=window_start))
    ).update(last_reviewed_at=written_at)
    return bool(claimed)


async def submit_review(
    member: models.Member,
    employment_id: int | None,
    content: ReviewContent,
    written_at: datetime | None = None,
    withhold: Iterable[Attribute] = (),
) -> Outcome[models.Review]:
    """`written_at` is for importing reviews written earlier (the demo data); the API uses now.
    `withhold`: what the author chooses not to show, whatever the rule would (kept for edits)."""
    if not member.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    content = _clean(content)
    employment = await models.Employment.get_or_none(id=employment_id, member_id=member.id)
    if employment is None:
        return Outcome.rejected(UNKNOWN_EMPLOYMENT)
    if problems := check_review_content(content):
        return Outcome.rejected(*problems)
    written_at = written_at or now()
    if employment.start_date > written_at.date():
        return Outcome.rejected(
            Violation(("employmentId",), ErrorCode.EMPLOYMENT_NOT_STARTED, "This job has not started yet.")
        )
    withheld = stored_withheld(withhold)
    face = await review_face(employment, written_at, withheld)
    async with in_transaction():
        if not await _claim_review_slot(member.id, employment.company_id, written_at):
            return Outcome.rejected(REVIEW_TOO_SOON)
        # Held, not refused, while no face can hide its author: published once one can.
        review = await store_review({
            "company_id": employment.company_id,
            "author_id": member.id,
            "employment_id": employment.id,
            "created_at": start_of_day(written_at),  # the day only: the instant is never kept
            "withheld_by_author": withheld,
            **_content_columns(content),
            **(face_columns(face) if face is not None else {}),
        }, held=face is None)
    return Outcome(review)


async def _own_current_review(
    member: models.Member, review_id: int | None, when_not_current: Violation
) -> Outcome[models.Review]:
    """The member's published or held review, locked for the rest of the transaction (the change
    is computed from its current scores); Forbidden when the review is someone else's."""
    review = await locked_review(review_id)
    if review is None:
        return Outcome.rejected(UNKNOWN_REVIEW)
    if review.author_id != member.id:
        raise Forbidden("Only the author can change a review.")
    if review.status not in (ReviewStatus.PUBLISHED, ReviewStatus.HELD):
        return Outcome.rejected(when_not_current)
    return Outcome(review)


@dataclass(frozen=True)
class ReviewEdit:
    """Fields left None are kept; `ratings`, when given, replace every dimension score.
    An empty string clears pros, cons or advice."""

    overall: int | None = None
    ratings: list[tuple[Dimension, int]] | None = None
    title: str | None = None
    pros: str | None = None
    cons: str | None = None
    advice_to_management: str | None = None


def _merged(review: models.Review, edit: ReviewEdit) -> ReviewContent:
    """The review's content with the edit's given fields laid over it."""
    kept = {name: getattr(review, name) for name in ("overall", "title", *OPTIONAL_TEXT_FIELDS)}
    given = {name: value for name in kept if (value := getattr(edit, name)) is not None}
    ratings = dimension_scores(review) if edit.ratings is None else edit.ratings
    return ReviewContent(**{**kept, **given}, ratings=ratings)


async def edit_review(
    member: models.Member, review_id: int | None, edit: ReviewEdit
) -> Outcome[models.Review]:
    """Change the review; its face is derived afresh from the employment and colleagues as of now."""
    if not member.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    async with in_transaction():
        found = await _own_current_review(
            member,
            review_id,
            Violation(("reviewId",), ErrorCode.REVIEW_NOT_EDITABLE, "Only a published or held review can be edited."),
        )
        if (review := found.value) is None:
            return found
        content = _clean(_merged(review, edit))
        if problems := check_review_content(content):
            return Outcome.rejected(*problems)
        before = counted(review)
        employment = await models.Employment.get(id=review.employment_id)
        edited_at = now()
        face = await review_face(employment, edited_at, review.withheld_by_author)
        changes = _content_columns(content)
        if review.status is ReviewStatus.PUBLISHED:
            if face is None:
                return Outcome.rejected(TOO_FEW_COLLEAGUES)
            changes.update(updated_at=edited_at, **face_columns(face))
        review.update_from_dict(changes)
        await review.save(update_fields=list(changes))
        await move_aggregates(review.company_id, before, counted(review))
        if review.status is ReviewStatus.HELD and face is not None:  # a face hides its author by now
            await publish_held_review(review, face_columns(face), edited_at)
    return Outcome(review)


async def withdraw_review(member: models.Member, review_id: int | None) -> Outcome[models.Review]:
    async with in_transaction():
        found = await _own_current_review(member, review_id, NOT_PUBLISHED)
        if (review := found.value) is None:
            return found
        if review.status is ReviewStatus.HELD:
            await forget_held_review(review, WITHDRAWN_REASON)
            return Outcome(review)
        await change_review_status(review, ReviewStatus.WITHDRAWN, AuditActor.AUTHOR, WITHDRAWN_REASON)
    return Outcome(review)


async def face_preview(member: models.Member, employment_id: int | None) -> Face | None:
    """The face a review from the member's own job would show if written now; None when it would
    be held. Raises LookupError for a job that is not theirs."""
    employment = await models.Employment.get_or_none(id=employment_id, member_id=member.id)
    if employment is None:
        raise LookupError(employment_id)
    return await review_face(employment, now())


async def release_held_reviews() -> list[models.Review]:
    """Publish every held review a face can hide now (`workcred release-held-reviews`, and the
    server every few minutes); the ones published. Reads the held reviews only (by their index)."""
    released = []
    for (review_id,) in await models.Review.filter(status=ReviewStatus.HELD).order_by("id").values_list("id"):
        async with in_transaction():
            if (review := await release_held_review(review_id)) is not None:
                released.append(review)
    return released


async def release_held_review(review_id: int) -> models.Review | None:
    """Publish the held review if a face can hide its author now; the published review, or None.
    Call inside a transaction."""
    review = await locked_review(review_id)
    if review is None or review.status is not ReviewStatus.HELD:
        return None
    moment = now()
    face = await review_face(await models.Employment.get(id=review.employment_id), moment, review.withheld_by_author)
    if face is None:
        return None
    await publish_held_review(review, face_columns(face), moment)
    return review


async def mark_helpful(member: models.Member, review_id: int | None) -> Outcome[models.Review]:
    if not member.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    review = await models.Review.get_or_none(id=review_id)
    if review is None or review.status is ReviewStatus.HELD:  # a held review is its author's alone
        return Outcome.rejected(UNKNOWN_REVIEW)
    if review.author_id == member.id:
        return Outcome.rejected(
            Violation(("reviewId",), ErrorCode.OWN_REVIEW, "You cannot mark your own review as helpful.")
        )
    if review.status is not ReviewStatus.PUBLISHED:
        return Outcome.rejected(NOT_PUBLISHED)
    already = Violation(("reviewId",), ErrorCode.ALREADY_MARKED, "You already marked this review as helpful.")
    try:
        async with in_transaction():
            # The unique (review, member) index rejects a second vote, even a concurrent one.
            await models.HelpfulVote.create(review_id=review.id, member_id=member.id)
            await models.Review.filter(id=review.id).update(helpful_count=F("helpful_count") + 1)
    except IntegrityError:
        return Outcome.rejected(already)
    await review.refresh_from_db(fields=["helpful_count"])
    return Outcome(review)


def _check_filter(review_filter: ReviewFilter, order: ReviewOrder) -> None:
    if review_filter.status is ReviewStatus.HELD:
        raise BadUserInput("Held reviews are seen by their authors only (`viewer.reviews`).")
    if review_filter.status is not ReviewStatus.PUBLISHED:
        # What a review no longer published showed — its scores and its face — stays hidden, so
        # it may not be probed through filters or orderings either.
        narrowing = [
            name
            for name, given in (
                ("employmentStatus", review_filter.employment_status),
                ("tenure", review_filter.tenure),
                ("jobFunction", review_filter.job_function),
                ("minOverall", review_filter.min_overall),
                ("maxOverall", review_filter.max_overall),
                ("dimensionMinimums", review_filter.dimension_minimums or None),
            )
            if given is not None
        ]
        if narrowing or order in (ReviewOrder.HIGHEST, ReviewOrder.LOWEST):
            raise BadUserInput(
                "Reviews that are no longer published can be filtered by status and date only, "
                "and ordered by date or helpfulness."
            )
    for name, value in (("minOverall", review_filter.min_overall), ("maxOverall", review_filter.max_overall)):
        if value is not None and not SCORE_MIN <= value <= SCORE_MAX:
            raise BadUserInput(f"`{name}` must be between {SCORE_MIN} and {SCORE_MAX}.")
    for dimension, minimum in review_filter.dimension_minimums:
        if not SCORE_MIN <= minimum <= SCORE_MAX:
            raise BadUserInput(
                f"The minimum for {dimension.value} must be between {SCORE_MIN} and {SCORE_MAX}."
            )
    if (
        review_filter.written_from
        and review_filter.written_to
        and review_filter.written_from > review_filter.written_to
    ):
        raise BadUserInput("`writtenFrom` is after `writtenTo`.")


def _filtered(company_id: int, review_filter: ReviewFilter) -> QuerySet[models.Review]:
    query = models.Review.filter(company_id=company_id, status=review_filter.status)
    if review_filter.answered is not None:
        query = query.filter(answered=review_filter.answered)
    if review_filter.employment_status is not None:
        query = query.filter(employment_status=review_filter.employment_status)
    if review_filter.tenure is not None:
        query = query.filter(tenure=review_filter.tenure)
    if review_filter.job_function is not None:
        query = query.filter(job_function=review_filter.job_function)
    if review_filter.min_overall is not None:
        query = query.filter(overall__gte=review_filter.min_overall)
    if review_filter.max_overall is not None:
        query = query.filter(overall__lte=review_filter.max_overall)
    for dimension, minimum in review_filter.dimension_minimums:
        query = query.filter(**{f"{DIMENSION_COLUMNS[dimension.value]}__gte": minimum})
    if review_filter.written_from is not None:
        query = query.filter(created_at__gte=datetime.combine(review_filter.written_from, time(), UTC))
    if review_filter.written_to is not None and review_filter.written_to < date.max:
        next_day = review_filter.written_to + timedelta(days=1)
        query = query.filter(created_at__lt=datetime.combine(next_day, time(), UTC))
    return query


async def company_reviews(
    company_id: int,
    page: PageArgs,
    review_filter: ReviewFilter,
    order: ReviewOrder,
    due_polls: list[int],
    known_total: int | None = None,
) -> Page[models.Review]:
    """Filters match what reviews show (their faces), never what a face withholds, so no
    filter or count can be differenced into a withheld attribute. `due_polls` are the
    company's polls past their window, settled first so the page reflects their outcome;
    `known_total` is the count from the aggregate `review_filter.counted_by()` names, which
    spares counting the rows."""
    _check_filter(review_filter, order)
    await settle_due_polls(due_polls)
    return await paginate(_filtered(company_id, review_filter), _ORDERING[order], page, known_total)


async def authored_reviews(member: models.Member, page: PageArgs) -> Page[models.Review]:
    return await paginate(models.Review.filter(author_id=member.id), ("-created_at", "-id"), page)
