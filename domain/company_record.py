"""The company's long-term record (SPEC "Ratings, aggregates and the company record")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

from domain.dates import whole_months_between

EARLY_ATTRITION_MONTHS = 12


@dataclass(frozen=True)
class StintFacts:
    member_id: int
    start: date
    end: date | None
    verified: bool


@dataclass(frozen=True)
class CompanyRecordStats:
    members_who_worked_there: int
    verified_employments: int
    completed_stints: int
    median_completed_tenure_months: float | None
    early_attrition: float | None  # share 0–1 of completed stints under 12 months
    review_count: int
    response_rate: float | None  # share 0–1 of published reviews with a response
    median_response_time_hours: float | None


def company_record(
    stints: Iterable[StintFacts], review_count: int, response_delays_hours: Sequence[float]
) -> CompanyRecordStats:
    stints = list(stints)
    completed = [whole_months_between(s.start, s.end) for s in stints if s.end is not None]
    return CompanyRecordStats(
        members_who_worked_there=len({s.member_id for s in stints}),
        verified_employments=sum(s.verified for s in stints),
        completed_stints=len(completed),
        median_completed_tenure_months=float(median(completed)) if completed else None,
        early_attrition=(
            sum(m < EARLY_ATTRITION_MONTHS for m in completed) / len(completed) if completed else None
        ),
        review_count=review_count,
        response_rate=len(response_delays_hours) / review_count if review_count else None,
        median_response_time_hours=(
            float(median(response_delays_hours)) if response_delays_hours else None
        ),
    )
