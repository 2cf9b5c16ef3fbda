"""Fit of many companies at once (domain/fit.py's formulas over arrays), for ranking.

Every array holds one value per company, aligned by position. The arithmetic is `fit()`'s, step
for step in the same order, so each company's score and confidence here are bit-for-bit the
ones `fit()` gives it alone (tests/test_fit_rules.py checks this), and a ranked page shows the
scores it was ranked by.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain.enums import Dimension
from domain.fit import DIMENSION_ORDER, NEUTRAL_SCORE, Priorities

Counts = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TallyColumns:
    """Per-dimension review counts and score totals of many companies."""

    count: Mapping[Dimension, Counts]
    total: Mapping[Dimension, Counts]

    def of(self, dimension: Dimension, size: int) -> tuple[Counts, Counts]:
        """A dimension's counts and totals; zeros for one missing (unrated)."""
        if dimension in self.count:
            return self.count[dimension], self.total[dimension]
        zeros = np.zeros(size, dtype=np.int64)
        return zeros, zeros


@dataclass(frozen=True)
class FitColumns:
    score: Floats
    confidence: Floats
    meets_minimums: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class RatedColumn:
    """One dimension of many companies as a fit reads it: the shrunk average, and the
    certainty of the reviews behind it, n / (n + C) (0 without reviews)."""

    average: Floats
    certainty: Floats


def rated_column(count: Counts, total: Counts, prior: Floats | float, prior_strength: float) -> RatedColumn:
    """domain.fit.shrunk_average and the certainty of `count` reviews, over arrays: the same
    operations on the same operands as fit(), so bit for bit the same values."""
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = np.add(count, prior_strength, dtype=np.float64)  # C + n
        average = np.add(total, np.multiply(prior_strength, prior), dtype=np.float64)
        np.divide(average, denominator, out=average)
        certainty = np.divide(count, denominator, out=denominator)
    if prior_strength == 0:  # no prior: an unrated company has the prior, and no certainty
        average = np.where(count == 0, prior, average)
        certainty = np.where(count == 0, 0.0, certainty)
    return RatedColumn(average, certainty)


def fit_columns(
    priorities: Priorities,
    company: TallyColumns,
    platform_means: Mapping[Dimension, float],
    prior_strength: float,
    size: int,
    *,
    perspective: TallyColumns | None = None,
    perspective_reviews: Counts | None = None,
    k: int = 1,
) -> FitColumns:
    """`fit()` for `size` companies at once; a dimension missing from the columns is unrated."""
    use_perspective = (
        perspective_reviews >= k if perspective is not None and perspective_reviews is not None
        else np.zeros(size, dtype=bool)
    )
    columns: dict[Dimension, RatedColumn] = {}
    for dimension in sorted(priorities.used_dimensions, key=DIMENSION_ORDER.__getitem__):
        column = rated_column(
            *company.of(dimension, size), platform_means.get(dimension, NEUTRAL_SCORE), prior_strength
        )
        if perspective is not None:
            own = rated_column(*perspective.of(dimension, size), column.average, prior_strength)
            column = RatedColumn(
                np.where(use_perspective, own.average, column.average),
                np.where(use_perspective, own.certainty, column.certainty),
            )
        columns[dimension] = column

    weighted = [(d, w) for d, w in priorities.weights.items() if w > 0]
    total_weight = sum(w for _, w in weighted)
    shares = {d: w / total_weight for d, w in weighted}
    # fit()'s sums, term by term in its order, in place: no array allocated per step.
    score: Floats = np.zeros(size)
    points: Floats = np.empty(size)
    for dimension, _ in sorted(weighted, key=lambda pair: DIMENSION_ORDER[pair[0]]):
        np.subtract(columns[dimension].average, 1, out=points)
        points /= 4  # the normalized score
        points *= 100 * shares[dimension]
        score += points
    confidence: Floats = np.zeros(size)
    for dimension, share in shares.items():
        np.multiply(columns[dimension].certainty, share, out=points)
        confidence += points
    meets = np.ones(size, dtype=bool)
    for dimension, minimum in priorities.minimums.items():
        meets &= ~(columns[dimension].average < minimum)
    return FitColumns(score, confidence, meets)


def ranked_slice(columns: FitColumns, name_rank: Counts, start: int, end: int, reverse: bool = False) -> Counts:
    """Positions ranked `start` … `end` − 1: best fit first (or, `reverse`, worst first); ties
    by higher confidence, then by `name_rank` (the companies' order by case-folded name, then
    id) — a total, stable order. Only the companies whose score could rank them among the first
    `end` are sorted, so a first page costs a linear pass, not a sort of every company."""
    size = len(name_rank)
    end = min(end, size)
    if end <= start:
        return np.zeros(0, dtype=np.int64)
    # Best first ranks by the negated score (and partitions far faster low than high when,
    # as in real data, many companies share a score).
    primary = columns.score if reverse else -columns.score
    candidates = np.arange(size)
    if end < size:  # the scores that could rank among the first `end`, found in one pass
        candidates = np.flatnonzero(primary <= np.partition(primary, end - 1)[end - 1])
    confidences, names = columns.confidence[candidates], name_rank[candidates]
    # The worst-first order is the best-first one exactly reversed: every key negated.
    keys = (-names, confidences, primary[candidates]) if reverse else (names, -confidences, primary[candidates])
    order = candidates[np.lexsort(keys)]
    return order[start:end].astype(np.int64)
