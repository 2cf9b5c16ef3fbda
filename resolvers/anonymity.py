"""A review's face from the database: the company's established colleagues, then the pure rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from tortoise.expressions import Q

import models
from domain.anonymity import ClaimedJob, Face, full_face, generalisations, releasable
from domain.enums import EmploymentStatus, VerificationState
from infra.settings import settings_in_force


def claimed_job(employment: models.Employment) -> ClaimedJob:
    return ClaimedJob(
        member_id=employment.member_id,
        start=employment.start_date,
        end=employment.end_date,
        job_function=employment.job_function,
        location=employment.location,
        verified=employment.verification == VerificationState.VERIFIED,
    )


async def established_colleagues(company_id: int, at: datetime, face: Face) -> list[ClaimedJob]:
    """Jobs claimed at the company that may be behind `face` (narrowed in SQL by what the face
    shows of function, city and verification) and that the company could not have fabricated
    shortly before `at`: account and claim both older than the configured age, started by
    `at`, and not held by one of the company's own representatives."""
    cutoff = at - timedelta(days=settings_in_force().colleague_min_age_days)
    representatives = await models.CompanyRole.filter(company_id=company_id).values_list(
        "member_id", flat=True
    )
    shown: dict[str, Any] = {}
    if face.job_function is not None:
        shown["job_function"] = face.job_function
    if face.location is not None:
        shown["location"] = face.location
    query = models.Employment.filter(
        company_id=company_id,
        start_date__lte=at.date(),
        created_at__lte=cutoff,
        member__created_at__lte=cutoff,
        member_id__not_in=list(representatives) or [0],
        **shown,
    )
    if face.verified is True:
        query = query.filter(verification=VerificationState.VERIFIED)
    elif face.verified is False:
        query = query.exclude(verification=VerificationState.VERIFIED)
    # Current or former as of the review's day, and the year a former colleague left.
    if face.employment_status is EmploymentStatus.FORMER:
        query = query.filter(end_date__lt=at.date())
    elif face.employment_status is EmploymentStatus.CURRENT:
        query = query.filter(Q(end_date__isnull=True) | Q(end_date__gte=at.date()))
    if face.last_year is not None:
        query = query.filter(end_date__gte=date(face.last_year, 1, 1), end_date__lte=date(face.last_year, 12, 31))
    rows = await query.values_list(
        "member_id", "start_date", "end_date", "job_function", "location", "verification"
    )
    return [
        ClaimedJob(member_id, start, end, function, location, verification == VerificationState.VERIFIED)
        for member_id, start, end, function, location, verification in rows
    ]


async def review_face(employment: models.Employment, at: datetime) -> Face | None:
    """The face a review written from `employment` at `at` may show; None when the company has
    too few established colleagues for any face to keep the author hidden."""
    as_of, k = at.date(), settings_in_force().k_anonymity
    for level, face in enumerate(generalisations(full_face(claimed_job(employment), as_of))):
        # Each step fetches only the colleagues that may be behind it: usually the first will do.
        if releasable(face, level, await established_colleagues(employment.company_id, at, face), as_of, k):
            return face
    return None


def face_columns(face: Face) -> dict[str, Any]:
    """The review row's face columns (models.Review)."""
    return {
        "employment_status": face.employment_status,
        "tenure": face.tenure,
        "tenure_widened": face.tenure_widened,
        "verified": face.verified,
        "job_function": face.job_function,
        "location": face.location,
        "last_year": face.last_year,
    }


def face_of(review: models.Review) -> Face:
    """The face stored on a review row."""
    return Face(
        employment_status=review.employment_status,
        tenure=review.tenure,
        tenure_widened=review.tenure_widened,
        verified=review.verified,
        job_function=review.job_function,
        location=review.location,
        last_year=review.last_year,
    )
