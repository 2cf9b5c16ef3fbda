"""The company's long-term record (SPEC "Ratings, aggregates and the company record").

Each member counts once, with all their time at the company: one account holding ten short
stints moves a figure exactly as much as one real member with the same total time could. Tenure
figures (median, early attrition) count only established members — those the company could not
have fabricated lately (see domain/anonymity.py) — and never its own representatives.
"""

from __future__ import annotations

from collections import defaultdict
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
    established: bool


@dataclass(frozen=True)
class CompanyRecordStats:
    members_who_worked_there: int
    verified_members: int  # members with at least one job there verified by the company
    former_members: int  # members with no current job there
    median_completed_tenure_months: float | None  # over established former members' total time
    early_attrition: float | None  # share 0–1 of established former members with under 12 months
    review_count: int
    response_rate: float | None  # share 0–1 of published reviews with a response
    median_response_time_hours: float | None


def company_record(
    stints: Iterable[StintFacts], review_count: int, response_delays_hours: Sequence[float]
) -> CompanyRecordStats:
    by_member: dict[int, list[StintFacts]] = defaultdict(list)
    for stint in stints:
        by_member[stint.member_id].append(stint)
    former = {m: jobs for m, jobs in by_member.items() if all(s.end is not None for s in jobs)}
    completed_months = [
        sum(whole_months_between(s.start, s.end) for s in jobs if s.end is not None)
        for jobs in former.values()
        if all(s.established for s in jobs)
    ]
    return CompanyRecordStats(
        members_who_worked_there=len(by_member),
        verified_members=sum(any(s.verified for s in jobs) for jobs in by_member.values()),
        former_members=len(former),
        median_completed_tenure_months=float(median(completed_months)) if completed_months else None,
        early_attrition=(
            sum(m < EARLY_ATTRITION_MONTHS for m in completed_months) / len(completed_months)
            if completed_months
            else None
        ),
        review_count=review_count,
        response_rate=len(response_delays_hours) / review_count if review_count else None,
        median_response_time_hours=(
            float(median(response_delays_hours)) if response_delays_hours else None
        ),
    )
