"""Keeping rating aggregates right: atomic increments inside the writer's transaction
(resolvers/aggregate_repair.py recomputes them from raw reviews)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from tortoise.expressions import F

import models
from domain.enums import Dimension, ReviewStatus
from domain.ratings import (
    OVERALL,
    CountedReview,
    Tally,
    aggregate_scores,
    contribution_delta,
    trend_scores,
    unanswered_delta,
)
from models.ratings import SCORE_BUCKET_COLUMNS

DIMENSION_COLUMNS = {d.value: d.value.lower() for d in Dimension}


def dimension_scores(review: models.Review) -> list[tuple[Dimension, int]]:
    """The dimensions the author rated, in fixed dimension order."""
    return [
        (dimension, score)
        for dimension in Dimension
        if (score := getattr(review, DIMENSION_COLUMNS[dimension.value])) is not None
    ]


def counted(review: models.Review) -> CountedReview | None:
    """The review as the aggregates see it: None unless it is published."""
    if review.status is not ReviewStatus.PUBLISHED:
        return None
    scores = {OVERALL: review.overall, **{d.value: score for d, score in dimension_scores(review)}}
    function = review.job_function.value if review.job_function is not None else None
    return CountedReview(function, review.created_at.date(), scores, review.answered)


def tally_changes(tally: Tally, with_buckets: bool) -> dict[str, int]:
    """The columns a tally's change moves: count, total and (on rating rows) the score buckets."""
    changes = {"count": tally.count, "total": tally.total}
    if with_buckets:
        changes.update(zip(SCORE_BUCKET_COLUMNS, tally.buckets, strict=True))
    return changes


# The kinds of per-company tally row a write moves.
AggregateModel = TypeVar("AggregateModel", models.RatingAggregate, models.RatingTrend, models.RecordBucket)
KeyT = TypeVar("KeyT", bound=tuple[object, ...])

RATING_KEY_FIELDS = ("scope", "rating_key")
TREND_KEY_FIELDS = ("year", "quarter")


async def increment_rows(
    model: type[AggregateModel],
    company_id: int,
    key_fields: tuple[str, ...],
    deltas: Mapping[KeyT, Mapping[str, int]],
) -> None:
    """Create missing rows (conflicts ignored), then one atomic increment per changed row.

    Rows are touched in sorted key order, so concurrent writers lock them in the same order
    and cannot deadlock each other."""
    if not deltas:
        return
    ordered = sorted(deltas)
    keys = [dict(zip(key_fields, key, strict=True)) for key in ordered]
    await model.bulk_create([model(company_id=company_id, **k) for k in keys], ignore_conflicts=True)
    for key, changes in zip(keys, (deltas[k] for k in ordered), strict=True):
        increments = {column: F(column) + change for column, change in changes.items() if change}
        if increments:
            await model.filter(company_id=company_id, **key).update(**increments)


async def move_aggregates(
    company_id: int, before: CountedReview | None, after: CountedReview | None
) -> None:
    """Apply one review's change to its company's aggregates. Call inside the write's transaction."""
    rating_deltas = contribution_delta(
        aggregate_scores(before) if before else None, aggregate_scores(after) if after else None
    )
    trend_deltas = contribution_delta(
        trend_scores(before) if before else None, trend_scores(after) if after else None
    )
    await increment_rows(
        models.RatingAggregate, company_id, RATING_KEY_FIELDS,
        {key: tally_changes(tally, with_buckets=True) for key, tally in rating_deltas.items()},
    )
    await increment_rows(
        models.RatingTrend, company_id, TREND_KEY_FIELDS,
        {key: tally_changes(tally, with_buckets=False) for key, tally in trend_deltas.items()},
    )
    if unanswered := unanswered_delta(before, after):
        await models.Company.filter(id=company_id).update(
            unanswered_review_count=F("unanswered_review_count") + unanswered
        )
