"""A member's employment history (stints with positions) and career breaks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from tortoise.transactions import in_transaction

import models
from domain.employment import (
    Interval,
    PositionDraft,
    StintDraft,
    check_dates,
    check_no_overlap_at_same_company,
    check_stint,
)
from domain.enums import CareerBreakKind, JobFunction, VerificationState
from domain.errors import ErrorCode
from domain.violations import Outcome, Violation, not_found
from resolvers.clock import today
from resolvers.company import UNKNOWN_COMPANY_SLUG, company_by_slug, find_or_create_company
from resolvers.company_record import restand_member
from resolvers.credit import refresh_stored_credit

UNKNOWN_EMPLOYMENT = not_found("employmentId", "job in your history")
UNKNOWN_BREAK = not_found("careerBreakId", "career break in your history")


@dataclass(frozen=True)
class NewEmployment:
    company_name: str | None
    company_slug: str | None
    job_function: JobFunction
    stint: StintDraft
    full_time: bool = True


@dataclass(frozen=True)
class NewCareerBreak:
    kind: CareerBreakKind
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class EmploymentChanges:
    """Fields left as None are kept; `end_date_given` distinguishes "make current" from "keep"."""

    job_function: JobFunction | None = None
    location: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    end_date_given: bool = False
    positions: list[PositionDraft] | None = None
    full_time: bool | None = None


def _clean(stint: StintDraft) -> StintDraft:
    return replace(
        stint,
        location=stint.location.strip(),
        positions=[replace(p, title=p.title.strip()) for p in stint.positions],
    )


async def _lock_history(member: models.Member) -> None:
    """Serialise one member's history writes, so two concurrent ones cannot both pass the
    overlap checks. (SQLite's write transactions are serialised already.)"""
    await models.Member.filter(id=member.id).select_for_update().first()


async def _overlap_problems(
    member_id: int, company_id: int, stint: StintDraft, exclude_id: int | None = None
) -> list[Violation]:
    others = models.Employment.filter(member_id=member_id, company_id=company_id)
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    intervals = [Interval(s, e) for s, e in await others.values_list("start_date", "end_date")]
    return check_no_overlap_at_same_company(Interval(stint.start_date, stint.end_date), intervals)


async def _write_positions(employment: models.Employment, positions: list[PositionDraft]) -> None:
    await models.Position.bulk_create(
        [
            models.Position(
                employment=employment, title=p.title, level=p.level, start_date=p.start_date
            )
            for p in positions
        ]
    )


async def _company_for(new: NewEmployment) -> Outcome[models.Company]:
    if (new.company_name is None) == (new.company_slug is None):
        return Outcome.rejected(
            Violation(
                ("companyName",),
                ErrorCode.COMPANY_REQUIRED,
                "Give either the company's name or its slug, not both.",
            )
        )
    if new.company_slug is not None:
        company = await company_by_slug(new.company_slug)
        if company is None:
            return Outcome.rejected(UNKNOWN_COMPANY_SLUG)
        return Outcome(company)
    return await find_or_create_company(new.company_name or "")


async def add_employment(member: models.Member, new: NewEmployment) -> Outcome[models.Employment]:
    stint = _clean(new.stint)
    if problems := check_stint(stint, today()):
        return Outcome.rejected(*problems)
    company = await _company_for(new)
    if company.value is None:
        return Outcome.rejected(*company.violations)
    async with in_transaction():
        await _lock_history(member)
        if problems := await _overlap_problems(member.id, company.value.id, stint):
            return Outcome.rejected(*problems)
        employment = await models.Employment.create(
            member=member,
            company=company.value,
            job_function=new.job_function,
            location=stint.location,
            start_date=stint.start_date,
            end_date=stint.end_date,
            full_time=new.full_time,
        )
        await _write_positions(employment, list(stint.positions))
        await restand_member(employment.company_id, member.id)
        await refresh_stored_credit(member.id)
    return Outcome(employment)


async def update_employment(
    member: models.Member, employment_id: int | None, changes: EmploymentChanges
) -> Outcome[models.Employment]:
    """`employment_id` None (an id that names no employment) is rejected as unknown."""
    async with in_transaction():
        await _lock_history(member)
        employment = await models.Employment.get_or_none(id=employment_id, member_id=member.id)
        if employment is None:
            return Outcome.rejected(UNKNOWN_EMPLOYMENT)
        current_positions = [
            PositionDraft(p.title, p.level, p.start_date)
            for p in await models.Position.filter(employment_id=employment.id)
        ]
        positions = current_positions if changes.positions is None else changes.positions
        stint = _clean(
            StintDraft(
                start_date=changes.start_date or employment.start_date,
                end_date=changes.end_date if changes.end_date_given else employment.end_date,
                location=changes.location if changes.location is not None else employment.location,
                positions=positions,
            )
        )
        problems = check_stint(stint, today()) or await _overlap_problems(
            member.id, employment.company_id, stint, exclude_id=employment.id
        )
        if problems:
            return Outcome.rejected(*problems)
        job_function = changes.job_function or employment.job_function
        vouched_for_changed = (
            (employment.start_date, employment.end_date, employment.job_function, current_positions)
            != (stint.start_date, stint.end_date, job_function, list(stint.positions))
        )
        if vouched_for_changed:
            # A verification vouched for these facts; once they change it vouches for nothing,
            # and the job is back in the company's verification requests.
            employment.verification = VerificationState.UNVERIFIED
        employment.job_function = job_function
        employment.location = stint.location
        employment.start_date = stint.start_date
        employment.end_date = stint.end_date
        if changes.full_time is not None:
            employment.full_time = changes.full_time
        await employment.save()
        if changes.positions is not None:
            await models.Position.filter(employment_id=employment.id).delete()
            await _write_positions(employment, list(stint.positions))
        await restand_member(employment.company_id, member.id)
        await refresh_stored_credit(member.id)
    return Outcome(employment)


async def remove_employment(member: models.Member, employment_id: int | None) -> Outcome[int]:
    async with in_transaction():
        await _lock_history(member)
        if await models.Review.exists(employment_id=employment_id, author_id=member.id):
            # Reviews carry tenure metadata derived from this job; withdraw them instead.
            return Outcome.rejected(
                Violation(
                    ("employmentId",),
                    ErrorCode.EMPLOYMENT_HAS_REVIEWS,
                    "You reviewed the company from this job. Withdraw those reviews; "
                    "the job stays as their record.",
                )
            )
        employment = await models.Employment.get_or_none(id=employment_id, member_id=member.id)
        if employment is None:
            return Outcome.rejected(UNKNOWN_EMPLOYMENT)
        await employment.delete()
        await restand_member(employment.company_id, member.id)
        await refresh_stored_credit(member.id)
    return Outcome(employment_id)


async def add_career_break(member: models.Member, new: NewCareerBreak) -> Outcome[models.CareerBreak]:
    start, end = new.start_date, new.end_date
    if problems := check_dates(start, end, today()):
        return Outcome.rejected(*problems)
    async with in_transaction():
        await _lock_history(member)
        existing = await models.CareerBreak.filter(member_id=member.id).values_list(
            "start_date", "end_date"
        )
        if any(Interval(start, end).overlaps(Interval(s, e)) for s, e in existing):
            return Outcome.rejected(
                Violation(
                    ("startDate",),
                    ErrorCode.OVERLAPS_EXISTING_BREAK,
                    "This overlaps a career break you already declared.",
                )
            )
        career_break = await models.CareerBreak.create(
            member=member, kind=new.kind, start_date=start, end_date=end
        )
        await refresh_stored_credit(member.id)
    return Outcome(career_break)


async def remove_career_break(member: models.Member, break_id: int | None) -> Outcome[int]:
    async with in_transaction():
        await _lock_history(member)
        deleted = await models.CareerBreak.filter(id=break_id, member_id=member.id).delete()
        if deleted:
            await refresh_stored_credit(member.id)
    return Outcome(break_id) if deleted else Outcome.rejected(UNKNOWN_BREAK)


async def employments_of(member: models.Member) -> list[models.Employment]:
    """The member's jobs, most recent first."""
    return await models.Employment.filter(member_id=member.id).order_by("-start_date", "-id")


async def career_breaks_of(member: models.Member) -> list[models.CareerBreak]:
    """The member's declared career breaks, most recent first."""
    return await models.CareerBreak.filter(member_id=member.id).order_by("-start_date", "-id")
