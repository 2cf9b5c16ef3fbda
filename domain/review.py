"""Rules for reviews and company responses: content bounds, tenure metadata, the review window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.dates import add_months, whole_months_between
from domain.enums import Dimension, EmploymentStatus, TenureBucket
from domain.errors import ErrorCode
from domain.violations import Violation, check_text

SCORE_MIN, SCORE_MAX = 1, 5
TITLE_MAX_LENGTH = 120
PROS_MAX_LENGTH = 5_000
CONS_MAX_LENGTH = 5_000
ADVICE_MAX_LENGTH = 2_000
RESPONSE_MAX_LENGTH = 5_000
# One review per employment per this many months, so a stint cannot be used to flood a page.
REVIEW_INTERVAL_MONTHS = 12

# Lower bounds in completed months, longest first.
_TENURE_THRESHOLDS = (
    (120, TenureBucket.MORE_THAN_10_YEARS),
    (96, TenureBucket.MORE_THAN_8_YEARS),
    (60, TenureBucket.MORE_THAN_5_YEARS),
    (36, TenureBucket.MORE_THAN_3_YEARS),
    (12, TenureBucket.MORE_THAN_1_YEAR),
)
# Any tenure this long or longer falls in the last bucket.
LONGEST_TENURE_THRESHOLD_MONTHS = _TENURE_THRESHOLDS[0][0]


@dataclass(frozen=True)
class ReviewContent:
    overall: int
    ratings: Sequence[tuple[Dimension, int]]
    title: str
    pros: str | None
    cons: str | None
    advice_to_management: str | None


@dataclass(frozen=True)
class TenureSnapshot:
    """Who is speaking, in coarse terms, as of the day the review was written."""

    employment_status: EmploymentStatus
    tenure: TenureBucket
    last_year: int | None


def _score_problem(field: tuple[str, ...], score: int, label: str) -> list[Violation]:
    if SCORE_MIN <= score <= SCORE_MAX:
        return []
    return [
        Violation(field, ErrorCode.RATING_OUT_OF_RANGE, f"{label} must be between {SCORE_MIN} and {SCORE_MAX}.")
    ]


def check_review_content(content: ReviewContent) -> list[Violation]:
    problems = _score_problem(("overall",), content.overall, "The overall rating")
    if not content.ratings:
        problems.append(
            Violation(("ratings",), ErrorCode.DIMENSIONS_REQUIRED, "Rate at least one dimension.")
        )
    seen: set[Dimension] = set()
    for index, (dimension, score) in enumerate(content.ratings):
        problems += _score_problem(("ratings", str(index), "score"), score, f"The {dimension.value} rating")
        if dimension in seen:
            problems.append(
                Violation(
                    ("ratings", str(index), "dimension"),
                    ErrorCode.DUPLICATE_DIMENSION,
                    f"{dimension.value} is rated twice.",
                )
            )
        seen.add(dimension)
    problems += check_text(content.title, "title", max_length=TITLE_MAX_LENGTH, required=True, label="Title")
    problems += check_text(content.pros, "pros", max_length=PROS_MAX_LENGTH, required=False, label="Pros")
    problems += check_text(content.cons, "cons", max_length=CONS_MAX_LENGTH, required=False, label="Cons")
    problems += check_text(
        content.advice_to_management,
        "adviceToManagement",
        max_length=ADVICE_MAX_LENGTH,
        required=False,
        label="Advice to management",
    )
    return problems


def check_response_body(body: str) -> list[Violation]:
    return check_text(body, "body", max_length=RESPONSE_MAX_LENGTH, required=True, label="The response")


def tenure_bucket(start: date, end: date | None, as_of: date) -> TenureBucket:
    return tenure_bucket_of_months(whole_months_between(start, min(end or as_of, as_of)))


def tenure_bucket_of_months(months: int) -> TenureBucket:
    for threshold, bucket in _TENURE_THRESHOLDS:
        if months >= threshold:
            return bucket
    return TenureBucket.LESS_THAN_1_YEAR


def current_start_window(bucket: TenureBucket, as_of: date) -> tuple[date | None, date]:
    """Start dates (earliest or None, latest) that include every job still current at `as_of`
    whose tenure is `bucket` — a month wider on each side than the bucket, so the month
    arithmetic's edge cases stay inside; callers check each job exactly."""
    lower = next((months for months, named in _TENURE_THRESHOLDS if named is bucket), 0)
    longer = [months for months, _ in _TENURE_THRESHOLDS if months > lower]
    earliest = add_months(as_of, -(min(longer) + 1)) if longer else None
    return earliest, add_months(as_of, -max(lower - 1, 0))


def tenure_snapshot(start: date, end: date | None, as_of: date) -> TenureSnapshot:
    former = end is not None and end < as_of
    return TenureSnapshot(
        employment_status=EmploymentStatus.FORMER if former else EmploymentStatus.CURRENT,
        tenure=tenure_bucket(start, end, as_of),
        last_year=end.year if former and end is not None else None,
    )
