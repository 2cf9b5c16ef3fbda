from __future__ import annotations

import datetime
from typing import TypeVar

import strawberry
from strawberry.types.unset import UnsetType

import models
from domain.employment import PositionDraft, StintDraft
from domain.enums import CareerBreakKind, JobFunction, VerificationState
from resolvers.context import RequestContext
from resolvers.employment import EmploymentChanges, NewCareerBreak, NewEmployment
from schema.company import Company
from schema.errors import PAYLOAD, USER_ERRORS, UserError
from schema.node import Node, to_global_id

T = TypeVar("T")


def _given(value: T | UnsetType | None) -> T | None:
    """An optional input's value; None when it was omitted or null."""
    return None if value is strawberry.UNSET else value  # type: ignore[return-value]


@strawberry.type(description="A title held inside a job. A higher level than before is a promotion.")
class Position:
    title: str = strawberry.field(description="The job title.")
    level: int = strawberry.field(description="Seniority level, 1 (entry) to 10.")
    start_date: datetime.date = strawberry.field(description="When it was taken.")


@strawberry.type(description="One stint at a company. Visible to its member only.")
class Employment(Node):
    db_id: strawberry.Private[int]
    company_id: strawberry.Private[int]
    job_function: JobFunction = strawberry.field(description="The line of work.")
    location: str = strawberry.field(description="The city worked in.")
    start_date: datetime.date = strawberry.field(description="The first day.")
    end_date: datetime.date | None = strawberry.field(description="Null while the job is current.")
    verification: VerificationState = strawberry.field(description="UNVERIFIED, REQUESTED (sent to the company), VERIFIED or DISPUTED by it.")
    full_time: bool = strawberry.field(
        description="A side job or part-time stint may overlap another job; full-time ones that overlap by "
        "more than 60 days are implausible, and career credit leaves the later one out (OVERLAPPING_STINTS)."
    )
    created_at: datetime.datetime = strawberry.field(description="When the job was added.")
    updated_at: datetime.datetime = strawberry.field(description="When it was last changed.")

    @strawberry.field(description="True while the job has no end date.")
    def is_current(self) -> bool:
        return self.end_date is None

    @strawberry.field(description="The employer.")
    async def company(self, info: strawberry.Info[RequestContext]) -> Company:
        row = await info.context.loaders.company_by_id.load(self.company_id)
        return Company.from_row(row)

    @strawberry.field(description="Positions in order of start date.")
    async def positions(self, info: strawberry.Info[RequestContext]) -> list[Position]:
        rows = await info.context.loaders.positions_by_employment.load(self.db_id)
        return [Position(title=r.title, level=r.level, start_date=r.start_date) for r in rows]

    @classmethod
    def from_row(cls, row: models.Employment) -> Employment:
        return cls(
            id=to_global_id("Employment", row.id),
            db_id=row.id,
            company_id=row.company_id,
            job_function=row.job_function,
            location=row.location,
            start_date=row.start_date,
            end_date=row.end_date,
            verification=row.verification,
            full_time=row.full_time,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="A declared time away from work. Never penalised by career credit.")
class CareerBreak(Node):
    kind: CareerBreakKind = strawberry.field(description="What the break was for.")
    start_date: datetime.date = strawberry.field(description="The break's first day.")
    end_date: datetime.date | None = strawberry.field(description="Null while it goes on.")

    @classmethod
    def from_row(cls, row: models.CareerBreak) -> CareerBreak:
        return cls(
            id=to_global_id("CareerBreak", row.id),
            kind=row.kind,
            start_date=row.start_date,
            end_date=row.end_date,
        )


@strawberry.input(description="A title held in the job from a date on; a new position with a higher level is a "
     "promotion.")
class PositionInput:
    title: str = strawberry.field(description="The job title, at most 120 characters.")
    level: int = strawberry.field(description="1 (entry) to 10.")
    start_date: datetime.date = strawberry.field(description="When you took it: inside the job's dates; the first is the job's start.")

    def to_command(self) -> PositionDraft:
        return PositionDraft(title=self.title, level=self.level, start_date=self.start_date)


@strawberry.input(description="Give `companyName` (creates the page if new) or `companySlug`.")
class AddEmploymentInput:
    company_name: str | None = strawberry.field(default=None, description="The employer's name; its page is created when no company has it yet. Give this "
        "or `companySlug`.")
    company_slug: str | None = strawberry.field(default=None, description="An existing company's slug. Give this or `companyName`.")
    job_function: JobFunction = strawberry.field(description="Your line of work there.")
    location: str = strawberry.field(description="City where the job was based.")
    start_date: datetime.date = strawberry.field(description="Your first day (not in the future); the first position starts on it.")
    end_date: datetime.date | None = strawberry.field(
        default=None, description="Leave empty while the job is current."
    )
    positions: list[PositionInput] = strawberry.field(
        description="At least one; the first starts on the job's start date."
    )
    full_time: bool = strawberry.field(
        default=True, description="false for a side job or part-time stint, which may overlap another job."
    )

    def to_command(self) -> NewEmployment:
        return NewEmployment(
            company_name=self.company_name,
            company_slug=self.company_slug,
            job_function=self.job_function,
            full_time=self.full_time,
            stint=StintDraft(
                start_date=self.start_date,
                end_date=self.end_date,
                location=self.location,
                positions=[p.to_command() for p in self.positions],
            ),
        )


@strawberry.input(description="Omitted fields are kept. `positions`, when given, replace all.")
class UpdateEmploymentInput:
    employment_id: strawberry.ID = strawberry.field(description="Your job's id.")
    job_function: JobFunction | None = strawberry.field(default=strawberry.UNSET, description="Your line of work there; kept when omitted.")
    location: str | None = strawberry.field(default=strawberry.UNSET, description="The city you worked in, at most 120 characters.")
    start_date: datetime.date | None = strawberry.field(default=strawberry.UNSET, description="Your first day (not in the future); kept when omitted.")
    end_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="Pass null to mark the job current again."
    )
    positions: list[PositionInput] | None = strawberry.field(default=strawberry.UNSET, description="Every position held, replacing the old list (1–50; the first starts on the start "
        "date); kept when omitted.")
    full_time: bool | None = strawberry.field(default=strawberry.UNSET, description="False for a side or part-time job, which may overlap your main job freely; kept "
        "when omitted.")

    def to_command(self) -> EmploymentChanges:
        """Omitted (UNSET) and null both keep a field, except `endDate`, where null means current."""
        return EmploymentChanges(
            job_function=_given(self.job_function),
            location=_given(self.location),
            start_date=_given(self.start_date),
            end_date=_given(self.end_date),
            end_date_given=self.end_date is not strawberry.UNSET,
            positions=[p.to_command() for p in positions] if (positions := _given(self.positions)) else None,
            full_time=_given(self.full_time),
        )


@strawberry.input(description="One of your jobs, with no review written from it.")
class RemoveEmploymentInput:
    employment_id: strawberry.ID = strawberry.field(description="The job's id.")


@strawberry.input(description="A declared gap between jobs; it explains the gap to your career credit.")
class AddCareerBreakInput:
    kind: CareerBreakKind = strawberry.field(description="What the break was for.")
    start_date: datetime.date = strawberry.field(description="The break's first day (not in the future).")
    end_date: datetime.date | None = strawberry.field(
        default=None, description="Leave empty while the break goes on."
    )

    def to_command(self) -> NewCareerBreak:
        return NewCareerBreak(kind=self.kind, start_date=self.start_date, end_date=self.end_date)


@strawberry.input(description="One of your career breaks.")
class RemoveCareerBreakInput:
    career_break_id: strawberry.ID = strawberry.field(description="The break's id.")


@strawberry.type(description=PAYLOAD)
class EmploymentPayload:
    employment: Employment | None = strawberry.field(description="The job as stored; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description=PAYLOAD)
class RemoveEmploymentPayload:
    removed_employment_id: strawberry.ID | None = strawberry.field(description="The id of the removed job; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description=PAYLOAD)
class CareerBreakPayload:
    career_break: CareerBreak | None = strawberry.field(description="The break as stored; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description=PAYLOAD)
class RemoveCareerBreakPayload:
    removed_career_break_id: strawberry.ID | None = strawberry.field(description="The id of the removed break; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
