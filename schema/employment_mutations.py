"""Mutations on the viewer's employment history and career breaks."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import employment as employment_resolvers
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
from schema.errors import INPUT, payload
from schema.node import pk_of, to_global_id


@strawberry.type
class EmploymentMutations:
    @strawberry.mutation(description="Add a job. An unknown company name creates its page.")
    async def add_employment(
        self, info: strawberry.Info[RequestContext], input: Annotated[AddEmploymentInput, INPUT]
    ) -> EmploymentPayload:
        member = await info.context.require_viewer()
        outcome = await employment_resolvers.add_employment(member, input.to_command())
        return payload(EmploymentPayload, outcome, employment=Employment.from_row)

    @strawberry.mutation(description="Change one of your jobs (its company stays).")
    async def update_employment(
        self, info: strawberry.Info[RequestContext], input: Annotated[UpdateEmploymentInput, INPUT]
    ) -> EmploymentPayload:
        member = await info.context.require_viewer()
        outcome = await employment_resolvers.update_employment(
            member, pk_of(input.employment_id, "Employment"), input.to_command()
        )
        return payload(EmploymentPayload, outcome, employment=Employment.from_row)

    @strawberry.mutation(description="Remove one of your jobs; a job that reviews were written from cannot be removed.")
    async def remove_employment(
        self, info: strawberry.Info[RequestContext], input: Annotated[RemoveEmploymentInput, INPUT]
    ) -> RemoveEmploymentPayload:
        member = await info.context.require_viewer()
        outcome = await employment_resolvers.remove_employment(member, pk_of(input.employment_id, "Employment"))
        return payload(
            RemoveEmploymentPayload,
            outcome,
            removed_employment_id=lambda pk: to_global_id("Employment", pk),
        )

    @strawberry.mutation(description="Declare a break between jobs: it explains the gap to your career credit, never "
        "lowers it.")
    async def add_career_break(
        self, info: strawberry.Info[RequestContext], input: Annotated[AddCareerBreakInput, INPUT]
    ) -> CareerBreakPayload:
        member = await info.context.require_viewer()
        outcome = await employment_resolvers.add_career_break(member, input.to_command())
        return payload(CareerBreakPayload, outcome, career_break=CareerBreak.from_row)

    @strawberry.mutation(description="Remove one of your career breaks.")
    async def remove_career_break(
        self, info: strawberry.Info[RequestContext], input: Annotated[RemoveCareerBreakInput, INPUT]
    ) -> RemoveCareerBreakPayload:
        member = await info.context.require_viewer()
        outcome = await employment_resolvers.remove_career_break(member, pk_of(input.career_break_id, "CareerBreak"))
        return payload(
            RemoveCareerBreakPayload,
            outcome,
            removed_career_break_id=lambda pk: to_global_id("CareerBreak", pk),
        )
