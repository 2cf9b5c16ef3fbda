"""The company's long-term record (SPEC "Ratings, aggregates and the company record"), kept as
running tallies so a page reads it in a few rows whatever the company's size.

Each member counts once, with all their time at the company: their stints there fold into one
`MemberStanding`, and a write to any of them replaces the member's old contribution with the new
one (`standing_delta`). One account holding ten short stints therefore moves a figure exactly as
much as one real member with the same total time could. Tenure figures (median, early attrition)
count only established members — those the company could not have fabricated lately (see
domain/anonymity.py) — and never its own representatives: the tallies hold every former
non-representative member, and a read subtracts the few whose latest claim is too recent.

Medians come from histograms: tenure in whole months is exact; response time is counted in
whole days from the review's day (`response_time_bucket`; a year or more counts as a year), so
a response says nothing of the hour a review was written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.dates import whole_months_between

EARLY_ATTRITION_MONTHS = 12

# The record's two histograms (models.RecordBucket.measure).
TENURE_MONTHS = "tenure_months"
RESPONSE_DAYS = "response_days"

RESPONSE_DAYS_MAX = 365


@dataclass(frozen=True)
class Stint:
    start: date
    end: date | None
    verified: bool
    claimed_at: datetime


@dataclass(frozen=True)
class MemberStanding:
    """All of one member's stints at one company, folded into what the record counts."""

    verified: bool  # at least one stint verified by the company
    current: bool  # at least one stint still open
    completed_months: int  # whole months of their ended stints, summed
    representative: bool  # speaks for the company: never in its tenure figures
    claimed_at: datetime  # the latest of their joining and their claims here

    @property
    def counts_for_tenure(self) -> bool:
        """A former member who does not speak for the company (established or not yet)."""
        return not self.current and not self.representative


def member_standing(stints: Sequence[Stint], joined_at: datetime, representative: bool) -> MemberStanding | None:
    """None when the member has no stint at the company (left the record)."""
    if not stints:
        return None
    return MemberStanding(
        verified=any(s.verified for s in stints),
        current=any(s.end is None for s in stints),
        completed_months=sum(whole_months_between(s.start, s.end) for s in stints if s.end is not None),
        representative=representative,
        claimed_at=max(joined_at, *(s.claimed_at for s in stints)),
    )


@dataclass(frozen=True)
class RecordDelta:
    """How a company's record tallies move when one member's standing changes."""

    members: int
    verified_members: int
    former_members: int
    tenure_months: Mapping[int, int]  # histogram bucket → change

    @property
    def is_empty(self) -> bool:
        return not (self.members or self.verified_members or self.former_members or self.tenure_months)


def _contribution(standing: MemberStanding | None) -> tuple[int, int, int, Counter[int]]:
    if standing is None:
        return 0, 0, 0, Counter()
    tenure = Counter({standing.completed_months: 1}) if standing.counts_for_tenure else Counter[int]()
    return 1, int(standing.verified), int(not standing.current), tenure


def standing_delta(before: MemberStanding | None, after: MemberStanding | None) -> RecordDelta:
    members, verified, former, tenure = _contribution(after)
    old_members, old_verified, old_former, old_tenure = _contribution(before)
    tenure.subtract(old_tenure)
    return RecordDelta(
        members - old_members,
        verified - old_verified,
        former - old_former,
        {months: change for months, change in tenure.items() if change},
    )


def response_time_bucket(reviewed_at: datetime, responded_at: datetime) -> int:
    """The response-time histogram bucket of one response: whole days from the review's day to
    the response's (UTC), a year at most."""
    days = (responded_at.astimezone(UTC).date() - reviewed_at.astimezone(UTC).date()).days
    return min(max(days, 0), RESPONSE_DAYS_MAX)


def histogram_median(histogram: Mapping[int, int]) -> float | None:
    """The median of the values a histogram holds (mean of the middle two for an even count)."""
    total = sum(histogram.values())
    if total <= 0:
        return None
    middle = [(total - 1) // 2, total // 2]  # positions in the sorted values (the same when odd)
    picked: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(picked) < 2 and middle[len(picked)] < seen:
            picked.append(value)
    return sum(picked) / 2


@dataclass(frozen=True)
class RecordTallies:
    """What a company's record is read from: its running tallies and the tenure of its former
    members whose latest claim is too recent to count as established yet."""

    members: int
    verified_members: int
    former_members: int
    tenure_months: Mapping[int, int]
    unestablished_tenure_months: Iterable[int]
    responded_reviews: int
    response_days: Mapping[int, int]


@dataclass(frozen=True)
class CompanyRecordStats:
    """Every figure about members is None when fewer than k stand behind it, and counts move in
    steps of k: a company must not learn from a count of one or two, or from a count moving by
    one, that a particular employee is on workcred."""

    members_who_worked_there: int | None
    verified_members: int | None  # members with at least one job there verified by the company
    former_members: int | None  # members with no current job there
    median_completed_tenure_months: float | None  # over established former members' total time
    early_attrition: float | None  # share 0–1 of established former members with under 12 months
    review_count: int
    response_rate: float | None  # share 0–1 of published reviews with a published response
    median_response_time_days: float | None


def in_steps_of_k(count: int, k: int) -> int | None:
    """A count of members as shown: nothing while under k, then rounded down to a multiple of k,
    so one member's claim — or a handful's — moves it only when it crosses a step, and never
    says which of the last k it was."""
    return count // k * k if count >= k else None


def company_record(tallies: RecordTallies, review_count: int, k: int) -> CompanyRecordStats:
    tenure = Counter(tallies.tenure_months)
    tenure.subtract(tallies.unestablished_tenure_months)
    established = {months: n for months, n in tenure.items() if n > 0}
    former_established = sum(established.values())
    enough = former_established >= k
    return CompanyRecordStats(
        members_who_worked_there=in_steps_of_k(tallies.members, k),
        verified_members=in_steps_of_k(tallies.verified_members, k),
        former_members=in_steps_of_k(tallies.former_members, k),
        median_completed_tenure_months=histogram_median(established) if enough else None,
        early_attrition=(
            sum(n for months, n in established.items() if months < EARLY_ATTRITION_MONTHS) / former_established
            if enough
            else None
        ),
        review_count=review_count,
        response_rate=tallies.responded_reviews / review_count if review_count else None,
        median_response_time_days=histogram_median(tallies.response_days),
    )
