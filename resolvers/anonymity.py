"""A review's face from the database: the company's established colleagues, then the pure rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.expressions import Q

import models
from domain.anonymity import Attribute, ClaimedJob, Face, full_face, generalisations, releasable, withholding
from domain.enums import EmploymentStatus
from domain.review import current_start_window
from infra.settings import settings_in_force


def claimed_job(employment: models.Employment) -> ClaimedJob:
    return ClaimedJob(
        member_id=employment.member_id,
        start=employment.start_date,
        end=employment.end_date,
        job_function=employment.job_function,
        location=employment.location,
    )


def established_before(at: datetime) -> datetime:
    """Accounts and job claims made by this instant count as established at `at`: the company
    could not have fabricated them just before (the one definition, for faces and the record)."""
    return at - timedelta(days=settings_in_force().colleague_min_age_days)


async def representatives_of(company_id: int) -> list[int]:
    """Members who speak for the company: never counted among its colleagues."""
    return [member_id for (member_id,) in await models.CompanyRole.filter(company_id=company_id).values_list("member_id")]


async def established_colleagues(
    company_id: int, at: datetime, representatives: list[int], face: Face, window: slice | None = None
) -> list[ClaimedJob]:
    """Jobs claimed at the company that may be behind `face` (narrowed in SQL by what the face
    shows of function and city) and that the company could not have fabricated
    shortly before `at`: held by a counted colleague by `at` (domain/colleagues.py), claimed
    before the minimum age, started by `at`, and not held by one of the company's
    `representatives`. `window` reads a slice of them, in the order of the company's jobs by
    start date."""
    cutoff = established_before(at)
    shown: dict[str, Any] = {}
    if face.job_function is not None:
        shown["job_function"] = face.job_function
    if face.location is not None:
        shown["location"] = face.location
    # Started by `at`, and for a current colleague within the face's tenure. One bound each way:
    # two upper bounds on start_date lead SQLite to the (company, start date) index instead of
    # the (company, function, start date) one.
    earliest_start, latest_start = None, at.date()
    if face.employment_status is EmploymentStatus.CURRENT and face.tenure is not None and not face.tenure_widened:
        # A current colleague's tenure follows from when they started.
        earliest_start, latest_tenure_start = current_start_window(face.tenure, at.date())
        latest_start = min(latest_start, latest_tenure_start)
    query = models.Employment.filter(
        company_id=company_id,
        start_date__lte=latest_start,
        created_at__lte=cutoff,
        member__colleague_admissions__company_id=company_id,  # one admission per member and company
        member__colleague_admissions__counted_from__lte=at,
        member_id__not_in=representatives or [0],
        **shown,
    )
    # Current or former as of the review's day, and the year a former colleague left.
    if face.employment_status is EmploymentStatus.FORMER:
        query = query.filter(end_date__lt=at.date())
    elif face.employment_status is EmploymentStatus.CURRENT:
        query = query.filter(Q(end_date__isnull=True) | Q(end_date__gte=at.date()))
    if face.last_year is not None:
        query = query.filter(end_date__gte=date(face.last_year, 1, 1), end_date__lte=date(face.last_year, 12, 31))
    if earliest_start is not None:
        query = query.filter(start_date__gte=earliest_start)
    if window is not None:
        query = query.order_by("start_date", "id").offset(window.start).limit(window.stop - window.start)
    rows = await query.values_list(
        "member_id", "start_date", "end_date", "job_function", "location"
    )
    return [ClaimedJob(*row) for row in rows]


async def review_face(employment: models.Employment, at: datetime, withheld: str = "") -> Face | None:
    """The face a review written from `employment` at `at` may show, less what its author
    `withheld` (`stored_withheld`); None when the company has too few counted colleagues for any
    face to keep the author hidden."""
    as_of, k = at.date(), settings_in_force().k_anonymity
    representatives = await representatives_of(employment.company_id)
    for level, face in enumerate(generalisations(full_face(claimed_job(employment), as_of))):
        # Each step fetches only the colleagues that may be behind it: usually the first will do.
        if level == 0:
            if await _k_share_the_full_face(employment.company_id, at, representatives, face, k):
                return withholding(face, _attributes(withheld))
        elif releasable(face, level, await established_colleagues(employment.company_id, at, representatives, face),
                        as_of, k):
            return withholding(face, _attributes(withheld))
    return None


def stored_withheld(attributes: Iterable[Attribute]) -> str:
    """What an author chose not to show, as the review row keeps it."""
    return ",".join(attribute.value for attribute in Attribute if attribute in set(attributes))


def _attributes(withheld: str) -> list[Attribute]:
    return [Attribute(name) for name in withheld.split(",") if name]


# At most this many colleagues read per batch when looking for k who share the author's full face.
FULL_FACE_BATCH = 256


async def _k_share_the_full_face(
    company_id: int, at: datetime, representatives: list[int], face: Face, k: int
) -> bool:
    """The full face needs only k members whose own full face it is (no finer face rules anyone
    out): read the narrowed colleagues a batch at a time and stop once k are found — at a large
    company, in the first batch — rather than reading all of them."""
    members: set[int] = set()
    start, size = 0, min(FULL_FACE_BATCH, 4 * k)  # the SQL narrows to nearly the face: few rows do
    while True:
        batch = await established_colleagues(company_id, at, representatives, face, slice(start, start + size))
        members |= {job.member_id for job in batch if releasable(face, 0, [job], at.date(), 1)}
        if len(members) >= k:
            return True
        if len(batch) < size:
            return False
        start, size = start + size, min(2 * size, FULL_FACE_BATCH)


def face_columns(face: Face) -> dict[str, Any]:
    """The review row's face columns (models.Review names them as `Face` names its fields)."""
    return asdict(face)


def face_of(review: models.Review) -> Face:
    """The face stored on a review row."""
    return Face(**{column: getattr(review, column) for column in FACE_COLUMNS})


FACE_COLUMNS = tuple(field.name for field in fields(Face))
