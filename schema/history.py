"""Mutations on the viewer's employment history and career breaks."""

from __future__ import annotations

import strawberry

from domain.history import PositionDraft
from resolvers import history
from resolvers.context import RequestContext
from schema.employment import (
    AddCareerBreakInput,
    AddEmploymentInput,
    CareerBreak,
    CareerBreakPayload,
    Employment,
    EmploymentPayload,
    RemoveCareerBreakInput,
    RemoveCareerBreakPayload,
    RemoveEmploymentInput,
    RemoveEmploymentPayload,
    UpdateEmploymentInput,
)
from schema.errors import user_errors
from schema.node import pk_of


def _given(value):
    return value is not strawberry.UNSET and value is not None


def _changes(input: UpdateEmploymentInput) -> history.EmploymentChanges:
    positions: list[PositionDraft] | None = (
        [p.to_draft() for p in input.positions] if _given(input.positions) else None
    )
    return history.EmploymentChanges(
        job_function=input.job_function if _given(input.job_function) else None,
        location=input.location if _given(input.location) else None,
        start_date=input.start_date if _given(input.start_date) else None,
        end_date=None if input.end_date is strawberry.UNSET else input.end_date,
        end_date_given=input.end_date is not strawberry.UNSET,
        positions=positions,
    )


def _employment_payload(outcome) -> EmploymentPayload:
    return EmploymentPayload(
        employment=Employment.from_row(outcome.value) if outcome.value else None,
        user_errors=user_errors(outcome.violations),
    )


@strawberry.type
class HistoryMutations:
    @strawberry.mutation(description="Add a job. An unknown company name creates its page.")
    async def add_employment(
        self, info: strawberry.Info[RequestContext], input: AddEmploymentInput
    ) -> EmploymentPayload:
        member = await info.context.require_viewer()
        new = history.NewEmployment(
            company_name=input.company_name,
            company_slug=input.company_slug,
            job_function=input.job_function,
            stint=input.to_stint(),
        )
        return _employment_payload(
            await history.add_employment(member, new, info.context.settings.bayesian_prior_strength)
        )

    @strawberry.mutation
    async def update_employment(
        self, info: strawberry.Info[RequestContext], input: UpdateEmploymentInput
    ) -> EmploymentPayload:
        member = await info.context.require_viewer()
        employment_id = pk_of(input.employment_id, "Employment")
        outcome = await history.update_employment(
            member, employment_id, _changes(input), info.context.settings.bayesian_prior_strength
        )
        return _employment_payload(outcome)

    @strawberry.mutation
    async def remove_employment(
        self, info: strawberry.Info[RequestContext], input: RemoveEmploymentInput
    ) -> RemoveEmploymentPayload:
        member = await info.context.require_viewer()
        outcome = await history.remove_employment(
            member, pk_of(input.employment_id, "Employment"), info.context.settings.bayesian_prior_strength
        )
        return RemoveEmploymentPayload(
            removed_employment_id=input.employment_id if outcome.value else None,
            user_errors=user_errors(outcome.violations),
        )

    @strawberry.mutation
    async def add_career_break(
        self, info: strawberry.Info[RequestContext], input: AddCareerBreakInput
    ) -> CareerBreakPayload:
        member = await info.context.require_viewer()
        outcome = await history.add_career_break(
            member, input.kind, input.start_date, input.end_date, info.context.settings.bayesian_prior_strength
        )
        return CareerBreakPayload(
            career_break=CareerBreak.from_row(outcome.value) if outcome.value else None,
            user_errors=user_errors(outcome.violations),
        )

    @strawberry.mutation
    async def remove_career_break(
        self, info: strawberry.Info[RequestContext], input: RemoveCareerBreakInput
    ) -> RemoveCareerBreakPayload:
        member = await info.context.require_viewer()
        outcome = await history.remove_career_break(
            member, pk_of(input.career_break_id, "CareerBreak"), info.context.settings.bayesian_prior_strength
        )
        return RemoveCareerBreakPayload(
            removed_career_break_id=input.career_break_id if outcome.value else None,
            user_errors=user_errors(outcome.violations),
        )
