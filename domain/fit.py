"""Fit: how well a company suits one reader's priorities (SPEC "Fit scoring per user priority").

For each dimension the reader weights (0–10), the company's score on that dimension is its
Bayesian average `b_d = (C·m_d + Σx) / (C + n)` (m_d the platform mean, C the prior strength),
mapped to 0–1 as `s_d = (b_d − 1) / 4`, and

    fit = 100 · Σ w_d s_d / Σ w_d                               (0–100)

With a perspective (a job function), the function's own reviews are used, shrunk toward the
company's average rather than the platform's: `p_d = (C·b_d + Σx_f) / (C + n_f)`. A perspective
backed by fewer than k reviews at the company is not used (k-anonymity); the result says so.

Confidence says how much evidence stands behind the score:

    confidence = Σ w_d · n_d / (n_d + C) / Σ w_d                 (0 ≤ confidence < 1)

n_d being the reviews behind dimension d (the function's, with a perspective). A dimension with
C reviews contributes one half; confidence grows with every review and never reaches 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.enums import Dimension, JobFunction
from domain.errors import ErrorCode
from domain.violations import Violation

WEIGHT_MIN, WEIGHT_MAX = 0.0, 10.0
MINIMUM_MIN, MINIMUM_MAX = 1.0, 5.0
# Used as the prior when the platform has no rating at all for a dimension yet.
NEUTRAL_SCORE = 3.0
DIMENSION_ORDER = {dimension: index for index, dimension in enumerate(Dimension)}


@dataclass(frozen=True)
class Priorities:
    weights: Mapping[Dimension, float]
    minimums: Mapping[Dimension, float]
    perspective: JobFunction | None = None

    @property
    def used_dimensions(self) -> set[Dimension]:
        """The dimensions a fit reads: those weighed, and those with a minimum."""
        return {d for d, w in self.weights.items() if w > 0} | set(self.minimums)


@dataclass(frozen=True)
class DimensionTally:
    count: int
    total: int


@dataclass(frozen=True)
class Contribution:
    dimension: Dimension
    weight: float
    average: float  # 1–5, the average the score used
    normalized_score: float  # 0–1
    points: float  # this dimension's share of the 0–100 fit
    review_count: int


@dataclass(frozen=True)
class FitResult:
    score: float
    confidence: float
    contributions: list[Contribution]
    meets_minimums: bool
    unmet_minimums: list[Dimension]
    perspective_applied: bool


def check_priorities(
    weights: Sequence[tuple[Dimension, float]], minimums: Sequence[tuple[Dimension, float]]
) -> list[Violation]:
    problems: list[Violation] = []
    for field, pairs, low, high, label, out_of_range in (
        ("weights", weights, WEIGHT_MIN, WEIGHT_MAX, "weight", ErrorCode.WEIGHT_OUT_OF_RANGE),
        ("minimums", minimums, MINIMUM_MIN, MINIMUM_MAX, "minimum", ErrorCode.MINIMUM_OUT_OF_RANGE),
    ):
        seen: set[Dimension] = set()
        for index, (dimension, value) in enumerate(pairs):
            if not low <= value <= high:
                problems.append(
                    Violation(
                        (field, str(index), label),
                        out_of_range,
                        f"The {label} for {dimension.value} must be between {low:g} and {high:g}.",
                    )
                )
            if dimension in seen:
                problems.append(
                    Violation(
                        (field, str(index), "dimension"),
                        ErrorCode.DUPLICATE_DIMENSION,
                        f"{dimension.value} appears twice in {field}.",
                    )
                )
            seen.add(dimension)
    if not any(value > 0 for _, value in weights):
        problems.append(
            Violation(("weights",), ErrorCode.ALL_WEIGHTS_ZERO, "Give at least one dimension a weight above 0.")
        )
    return problems


def shrunk_average(tally: DimensionTally, prior: float, prior_strength: float) -> float:
    """(C·prior + Σx) / (C + n); the prior itself when there are no ratings and C is 0."""
    if tally.count == 0 and prior_strength == 0:
        return prior
    return (prior_strength * prior + tally.total) / (prior_strength + tally.count)


def fit(
    priorities: Priorities,
    company: Mapping[Dimension, DimensionTally],
    platform_means: Mapping[Dimension, float],
    prior_strength: float,
    *,
    perspective: Mapping[Dimension, DimensionTally] | None = None,
    perspective_reviews: int = 0,
    k: int = 1,
) -> FitResult:
    """Score one company. `perspective` holds the function's tallies and `perspective_reviews`
    how many reviews (overall) it has at this company."""
    use_perspective = perspective is not None and perspective_reviews >= k
    empty = DimensionTally(0, 0)
    averages: dict[Dimension, float] = {}
    counts: dict[Dimension, int] = {}
    needed = priorities.used_dimensions
    for dimension in sorted(needed, key=DIMENSION_ORDER.__getitem__):
        tally = company.get(dimension, empty)
        company_average = shrunk_average(
            tally, platform_means.get(dimension, NEUTRAL_SCORE), prior_strength
        )
        if use_perspective:
            assert perspective is not None
            own = perspective.get(dimension, empty)
            averages[dimension] = shrunk_average(own, company_average, prior_strength)
            counts[dimension] = own.count
        else:
            averages[dimension] = company_average
            counts[dimension] = tally.count

    weighted = [(d, w) for d, w in priorities.weights.items() if w > 0]
    total_weight = sum(w for _, w in weighted)
    # Each weight's share of the total, computed first so tiny weights cannot underflow.
    shares = {d: w / total_weight for d, w in weighted}
    contributions = []
    for dimension, weight in sorted(weighted, key=lambda pair: DIMENSION_ORDER[pair[0]]):
        normalized = (averages[dimension] - 1) / 4
        contributions.append(
            Contribution(
                dimension=dimension,
                weight=weight,
                average=averages[dimension],
                normalized_score=normalized,
                points=100 * shares[dimension] * normalized,
                review_count=counts[dimension],
            )
        )
    # Each share times its dimension's certainty n / (n + C), as the ranking's columns keep it.
    confidence = sum(
        share * (counts[d] / (counts[d] + prior_strength)) if counts[d] else 0.0
        for d, share in shares.items()
    )
    unmet = sorted(
        (d for d, minimum in priorities.minimums.items() if averages[d] < minimum),
        key=DIMENSION_ORDER.__getitem__,
    )
    return FitResult(
        score=sum(c.points for c in contributions),
        confidence=confidence,
        contributions=contributions,
        meets_minimums=not unmet,
        unmet_minimums=unmet,
        perspective_applied=use_perspective,
    )
