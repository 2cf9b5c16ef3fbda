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


@dataclass(frozen=True)
class FitColumns:
    score: Floats
    confidence: Floats
    meets_minimums: npt.NDArray[np.bool_]


def _shrunk(count: Counts, total: Counts, prior: Floats | float, prior_strength: float) -> Floats:
    """domain.fit.shrunk_average over arrays."""
    shrunk = (prior_strength * prior + total) / (prior_strength + count)
    if prior_strength == 0:
        shrunk = np.where(count == 0, prior, shrunk)
    return np.asarray(shrunk, dtype=np.float64)


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
    zeros = np.zeros(size, dtype=np.int64)
    use_perspective = (
        perspective_reviews >= k if perspective is not None and perspective_reviews is not None
        else np.zeros(size, dtype=bool)
    )
    averages: dict[Dimension, Floats] = {}
    counts: dict[Dimension, Counts] = {}
    needed = priorities.used_dimensions
    with np.errstate(divide="ignore", invalid="ignore"):
        for dimension in sorted(needed, key=DIMENSION_ORDER.__getitem__):
            count = company.count.get(dimension, zeros)
            company_average = _shrunk(
                count, company.total.get(dimension, zeros), platform_means.get(dimension, NEUTRAL_SCORE), prior_strength
            )
            if perspective is not None:
                own_count = perspective.count.get(dimension, zeros)
                own = _shrunk(own_count, perspective.total.get(dimension, zeros), company_average, prior_strength)
                averages[dimension] = np.where(use_perspective, own, company_average)
                counts[dimension] = np.where(use_perspective, own_count, count)
            else:
                averages[dimension] = company_average
                counts[dimension] = count

        weighted = [(d, w) for d, w in priorities.weights.items() if w > 0]
        total_weight = sum(w for _, w in weighted)
        shares = {d: w / total_weight for d, w in weighted}
        score: Floats = np.zeros(size)
        for dimension, _ in sorted(weighted, key=lambda pair: DIMENSION_ORDER[pair[0]]):
            normalized = (averages[dimension] - 1) / 4
            score = score + 100 * shares[dimension] * normalized
        confidence: Floats = np.zeros(size)
        for dimension, share in shares.items():
            n = counts[dimension]
            confidence = confidence + np.where(n != 0, share * n / (n + prior_strength), 0.0)
    meets = np.ones(size, dtype=bool)
    for dimension, minimum in priorities.minimums.items():
        meets &= ~(averages[dimension] < minimum)
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
    # The worst-first order is the best-first one exactly reversed: every key negated.
    keys = (
        (-name_rank, columns.confidence, columns.score)
        if reverse
        else (name_rank, -columns.confidence, -columns.score)
    )
    primary = keys[-1]
    candidates = np.arange(size)
    if end < size:
        candidates = np.flatnonzero(primary <= np.partition(primary, end - 1)[end - 1])
    order = candidates[np.lexsort(tuple(key[candidates] for key in keys))]
    return order[start:end].astype(np.int64)
