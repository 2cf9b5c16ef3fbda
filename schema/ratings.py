"""Company ratings (count, mean, distribution, Bayesian average), trend and long-term record."""

from __future__ import annotations

from collections.abc import Mapping

import strawberry

from domain.company_record import CompanyRecordStats
from domain.enums import Dimension
from domain.ratings import OVERALL, Tally, bayesian_average
from resolvers.loaders import QuarterTally


@strawberry.type(description="Scores of published reviews: count, plain mean, bayesian average and distribution.")
class RatingSummary:
    count: int = strawberry.field(description="How many published reviews gave a score.")
    mean: float | None = strawberry.field(description="Their plain mean, 1–5; null with none.")
    bayesian_average: float | None = strawberry.field(
        description="(C·m + Σx) / (C + n), m the platform mean, C the prior strength; null with no ratings."
    )
    distribution: list[int] = strawberry.field(description="Number of 1s, 2s, 3s, 4s and 5s.")

    @classmethod
    def of(cls, tally: Tally, prior_mean: float | None, prior_strength: float) -> RatingSummary:
        return cls(
            count=tally.count,
            mean=tally.mean,
            bayesian_average=bayesian_average(tally.total, tally.count, prior_mean, prior_strength),
            distribution=list(tally.buckets),
        )


@strawberry.type(description="The ratings of one dimension.")
class DimensionRating(RatingSummary):
    dimension: Dimension = strawberry.field(description="The rated dimension.")


@strawberry.type(description="Published-review ratings, overall and per dimension in fixed order.")
class CompanyRatings:
    overall: RatingSummary = strawberry.field(description="The overall score's summary.")
    dimensions: list[DimensionRating] = strawberry.field(description="One summary per dimension, in the order of the Dimension enum.")

    @classmethod
    def of(
        cls, tallies: Mapping[str, Tally], platform_means: Mapping[str, float], prior_strength: float
    ) -> CompanyRatings:
        def summary(key: str) -> RatingSummary:
            return RatingSummary.of(tallies.get(key, Tally()), platform_means.get(key), prior_strength)

        dimensions = []
        for dimension in Dimension:
            base = summary(dimension.value)
            dimensions.append(DimensionRating(dimension=dimension, **vars(base)))
        return cls(overall=summary(OVERALL), dimensions=dimensions)


@strawberry.type(description="Published reviews written in one calendar quarter.")
class RatingPeriod:
    year: int = strawberry.field(description="The year the reviews were written.")
    quarter: int = strawberry.field(description="1–4.")
    label: str = strawberry.field(description='e.g. "2024-Q3".')
    count: int = strawberry.field(description="How many published reviews that year.")
    mean: float | None = strawberry.field(description="Mean overall rating.")

    @classmethod
    def of(cls, row: QuarterTally) -> RatingPeriod:
        return cls(
            year=row.year,
            quarter=row.quarter,
            label=f"{row.year}-Q{row.quarter}",
            count=row.count,
            mean=row.total / row.count if row.count else None,
        )


@strawberry.type(
    description="The company's long-term record on workcred. Each member counts once, with all "
    "their time at the company; tenure figures count only members established long enough that "
    "the company could not have fabricated them, never its own representatives."
)
class CompanyRecord:
    members_who_worked_there: int | None = strawberry.field(
        description="Members who claim a job here, rounded down to a multiple of k (the anonymity setting); null "
        "while fewer than k do."
    )
    verified_members: int | None = strawberry.field(
        description="Members with at least one job here verified by the company, in steps of k; null while fewer "
        "than k."
    )
    former_members: int | None = strawberry.field(
        description="Members with no current job here, in steps of k; null while fewer than k."
    )
    median_completed_tenure_months: float | None = strawberry.field(
        description="Median of established former members' total months here; null while fewer than k."
    )
    early_attrition: float | None = strawberry.field(
        description="Share (0–1) of established former members who stayed under 12 months in all; null while fewer than k."
    )
    review_count: int = strawberry.field(description="Published reviews.")
    response_rate: float | None = strawberry.field(
        description="Share (0–1) of published reviews with a published answer from the company."
    )
    median_response_time_days: float | None = strawberry.field(
        description="Median time from a review's day to the company's published answer, in whole days (the same "
        "day is 0; a year or more counts as a year): nothing finer, so an answer never dates a review."
    )
    rating_trend: list[RatingPeriod] = strawberry.field(description="Overall ratings by year of writing, oldest first.")

    @strawberry.field(
        description="`medianResponseTimeDays` × 24.",
        deprecation_reason="Response time is counted in whole days: use medianResponseTimeDays. Goes in a later release.",
    )
    def median_response_time_hours(self) -> float | None:
        return None if self.median_response_time_days is None else self.median_response_time_days * 24

    @classmethod
    def of(cls, stats: CompanyRecordStats, trend: list[QuarterTally]) -> CompanyRecord:
        return cls(**vars(stats), rating_trend=[RatingPeriod.of(q) for q in trend])
