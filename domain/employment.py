"""Rules for a member's employment history and career breaks (SPEC "Domain").

Pure functions over plain values, so every rule can be tested exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.errors import ErrorCode
from domain.violations import Violation, check_text

LEVEL_MIN, LEVEL_MAX = 1, 10
# Every date the API accepts lies here: no career on record began before 1950.
EARLIEST_DATE, LATEST_DATE = date(1950, 1, 1), date(2100, 12, 31)
TITLE_MAX_LENGTH = 120
LOCATION_MAX_LENGTH = 120
MAX_POSITIONS_PER_STINT = 50


@dataclass(frozen=True)
class PositionDraft:
    title: str
    level: int
    start_date: date


@dataclass(frozen=True)
class StintDraft:
    start_date: date
    end_date: date | None
    location: str
    positions: Sequence[PositionDraft]


@dataclass(frozen=True)
class Interval:
    """A closed date range; `end` None means ongoing."""

    start: date
    end: date | None

    def overlaps(self, other: Interval) -> bool:
        self_end = self.end or date.max
        other_end = other.end or date.max
        return self.start <= other_end and other.start <= self_end


def check_dates(start: date, end: date | None, today: date) -> list[Violation]:
    problems = []
    if start > today:
        problems.append(Violation(("startDate",), ErrorCode.START_IN_FUTURE, "The start date is in the future."))
    if end is not None:
        if end < start:
            problems.append(
                Violation(("endDate",), ErrorCode.END_BEFORE_START, "The end date is before the start date.")
            )
        elif end > today:
            problems.append(
                Violation(
                    ("endDate",),
                    ErrorCode.END_IN_FUTURE,
                    "The end date is in the future. Leave it empty while the job is current.",
                )
            )
    return problems


def check_stint(stint: StintDraft, today: date) -> list[Violation]:
    """Dates, location and positions of one stint."""
    problems = check_dates(stint.start_date, stint.end_date, today)
    problems += check_text(
        stint.location, "location", max_length=LOCATION_MAX_LENGTH, required=True, label="Location"
    )
    problems += check_positions(stint)
    return problems


def check_positions(stint: StintDraft) -> list[Violation]:
    positions = stint.positions
    if not positions:
        return [
            Violation(("positions",), ErrorCode.POSITIONS_REQUIRED, "A job needs at least one position.")
        ]
    if len(positions) > MAX_POSITIONS_PER_STINT:
        return [
            Violation(
                ("positions",),
                ErrorCode.TOO_MANY_POSITIONS,
                f"A job can list at most {MAX_POSITIONS_PER_STINT} positions.",
            )
        ]
    problems: list[Violation] = []
    for index, position in enumerate(positions):
        where = ("positions", str(index))
        for text_problem in check_text(
            position.title, "title", max_length=TITLE_MAX_LENGTH, required=True, label="Title"
        ):
            problems.append(Violation(where + text_problem.field, text_problem.code, text_problem.message))
        if not LEVEL_MIN <= position.level <= LEVEL_MAX:
            problems.append(
                Violation(
                    (*where, "level"),
                    ErrorCode.LEVEL_OUT_OF_RANGE,
                    f"Level must be between {LEVEL_MIN} and {LEVEL_MAX}.",
                )
            )
        outside = position.start_date < stint.start_date or (
            stint.end_date is not None and position.start_date > stint.end_date
        )
        if outside:
            problems.append(
                Violation(
                    (*where, "startDate"),
                    ErrorCode.POSITION_OUTSIDE_STINT,
                    "A position must start within the job's dates.",
                )
            )
    starts = [p.start_date for p in positions]
    if len(set(starts)) != len(starts):
        problems.append(
            Violation(
                ("positions",),
                ErrorCode.DUPLICATE_POSITION_START,
                "Two positions start on the same day.",
            )
        )
    # Earlier than the stint is already reported as outside it.
    if min(starts) > stint.start_date:
        problems.append(
            Violation(
                ("positions",),
                ErrorCode.FIRST_POSITION_NOT_AT_START,
                "The first position must start on the job's start date.",
            )
        )
    return problems


def check_no_overlap_at_same_company(
    stint: Interval, other_stints_at_company: Iterable[Interval]
) -> list[Violation]:
    """Stints at one company may not overlap; returning later is a new stint."""
    if any(stint.overlaps(other) for other in other_stints_at_company):
        return [
            Violation(
                ("startDate",),
                ErrorCode.OVERLAPS_EXISTING_STINT,
                "This overlaps another of your jobs at the same company. "
                "Add positions to that job instead, or correct the dates.",
            )
        ]
    return []

