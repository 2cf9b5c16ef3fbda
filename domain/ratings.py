"""Rating tallies: what a review adds to its company's aggregates, and the Bayesian average.

A published review contributes one score to each aggregate it belongs to: per rating key
(OVERALL and each rated dimension) over all the company's reviews and — when its face shows the
author's job function — over the reviews showing that function, and its overall score to the
quarter it was written in. Aggregates follow faces, so no figure reveals what a face withholds. Every write is
the difference between the contributions before and after it, so aggregates move with atomic
increments, and a recomputation from raw reviews (resolvers/aggregate_repair.py) is just the sum
of contributions.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from domain.dates import quarter_of
from domain.enums import Dimension

OVERALL = "OVERALL"
# Rating keys to dimensions by lookup: an enum's constructor costs more than the fit it feeds.
DIMENSION_OF_KEY = {dimension.value: dimension for dimension in Dimension}
ALL_FUNCTIONS = "ALL"
RATING_KEYS = (OVERALL, *(d.value for d in Dimension))

K = TypeVar("K", bound=Hashable)

AggregateKey = tuple[str, str]  # (scope: ALL or a job function, rating key)
QuarterKey = tuple[int, int]  # (year, quarter)


@dataclass(frozen=True)
class CountedReview:
    """What of a published review the aggregates count."""

    job_function: str | None  # as the review's face shows it; None when withheld
    written_on: date  # the quarter it falls in
    scores: Mapping[str, int]  # rating key → 1–5; OVERALL always present
    answered: bool = False  # the company has responded


def unanswered_delta(before: CountedReview | None, after: CountedReview | None) -> int:
    """How a change moves the company's count of published reviews awaiting a response."""
    return sum(sign for review, sign in ((before, -1), (after, 1)) if review and not review.answered)


@dataclass
class Tally:
    """count, sum and the 1–5 distribution of some scores."""

    count: int = 0
    total: int = 0
    buckets: list[int] = field(default_factory=lambda: [0] * 5)

    def add(self, score: int, sign: int = 1) -> None:
        self.count += sign
        self.total += sign * score
        self.buckets[score - 1] += sign

    def merge(self, other: Tally) -> None:
        self.count += other.count
        self.total += other.total
        self.buckets = [a + b for a, b in zip(self.buckets, other.buckets, strict=True)]

    @property
    def is_zero(self) -> bool:
        return self.count == 0 and self.total == 0 and not any(self.buckets)

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


def aggregate_scores(review: CountedReview) -> dict[AggregateKey, int]:
    scores: dict[AggregateKey, int] = {}
    for key, score in review.scores.items():
        scores[(ALL_FUNCTIONS, key)] = score
        if review.job_function is not None:
            scores[(review.job_function, key)] = score
    return scores


def trend_scores(review: CountedReview) -> dict[QuarterKey, int]:
    return {quarter_of(review.written_on): review.scores[OVERALL]}


def contribution_delta(before: Mapping[K, int] | None, after: Mapping[K, int] | None) -> dict[K, Tally]:
    """Per key, what changes when counted scores go from `before` to `after` (None: not
    counted, e.g. the review is not published). Keys with no change are left out."""
    deltas: dict[K, Tally] = {}
    for scores, sign in ((before, -1), (after, 1)):
        for key, score in (scores or {}).items():
            deltas.setdefault(key, Tally()).add(score, sign)
    return {key: tally for key, tally in deltas.items() if not tally.is_zero}


def bayesian_average(
    total: int, count: int, prior_mean: float | None, prior_strength: float
) -> float | None:
    """(C·m + Σx) / (C + n): shrinks few ratings toward the platform mean `m`.

    None when the company has no ratings here; the plain mean when the platform has none.
    """
    if count == 0:
        return None
    if prior_mean is None:
        return total / count
    return (prior_strength * prior_mean + total) / (prior_strength + count)


def dimension_means(means: Mapping[str, float]) -> dict[Dimension, float]:
    """Means keyed by rating key (the platform means), for the dimensions only."""
    return {DIMENSION_OF_KEY[key]: mean for key, mean in means.items() if key != OVERALL}
