"""Fit to a reader's priorities: inputs, results and the mutations that save priorities."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.enums import Dimension, JobFunction
from domain.fit import DIMENSION_ORDER, FitResult, Priorities
from resolvers import priorities as priority_resolvers
from resolvers.context import RequestContext
from resolvers.priorities import PrioritiesDraft
from schema.errors import INPUT, PAYLOAD, USER_ERRORS, UserError, payload


@strawberry.input(description="How much one dimension matters to you.")
class DimensionWeightInput:
    dimension: Dimension = strawberry.field(description="The rated dimension.")
    weight: float = strawberry.field(description="0–10; 0 ignores the dimension.")


@strawberry.input(description="A dimension a company must reach to fit you.")
class DimensionMinimumInput:
    dimension: Dimension = strawberry.field(description="The rated dimension.")
    minimum: float = strawberry.field(description="1–5; the company's average must reach it.")


@strawberry.input(description="What matters to the reader. At least one weight above 0.")
class PrioritiesInput:
    weights: list[DimensionWeightInput] = strawberry.field(description="How much each dimension matters (0–10, at least one above 0); unnamed dimensions "
        "weigh 0.")
    minimums: list[DimensionMinimumInput] | None = strawberry.field(default=None, description="Dimensions a company must reach (a bayesian average of at least the minimum) to "
        "fit.")
    perspective: JobFunction | None = strawberry.field(
        default=None, description="Score from the reviews of people in this job function."
    )

    def to_command(self) -> PrioritiesDraft:
        return PrioritiesDraft(
            weights=[(w.dimension, w.weight) for w in self.weights],
            minimums=[(m.dimension, m.minimum) for m in self.minimums or []],
            perspective=self.perspective,
        )


@strawberry.type(description="How much one dimension matters.")
class DimensionWeight:
    dimension: Dimension = strawberry.field(description="The rated dimension.")
    weight: float = strawberry.field(description="0–10.")


@strawberry.type(description="A dimension a company must reach to fit.")
class DimensionMinimum:
    dimension: Dimension = strawberry.field(description="The rated dimension.")
    minimum: float = strawberry.field(description="The lowest bayesian average that fits, 1–5.")


@strawberry.type(description="A member's saved priorities.")
class SavedPriorities:
    weights: list[DimensionWeight] = strawberry.field(description="How much each dimension matters to you.")
    minimums: list[DimensionMinimum] = strawberry.field(description="Dimensions a company must reach to fit you.")
    perspective: JobFunction | None = strawberry.field(description="Whose ratings fit reads: reviewers of this job function; null for everyone's.")

    @classmethod
    def of(cls, priorities: Priorities) -> SavedPriorities:
        return cls(
            weights=[
                DimensionWeight(dimension=d, weight=priorities.weights[d])
                for d in sorted(priorities.weights, key=DIMENSION_ORDER.__getitem__)
            ],
            minimums=[
                DimensionMinimum(dimension=d, minimum=priorities.minimums[d])
                for d in sorted(priorities.minimums, key=DIMENSION_ORDER.__getitem__)
            ],
            perspective=priorities.perspective,
        )


@strawberry.type(description="One weighted dimension's part in a fit score.")
class FitContribution:
    dimension: Dimension = strawberry.field(description="The rated dimension.")
    weight: float = strawberry.field(description="Its weight, 0–10.")
    average: float = strawberry.field(description="1–5: the (shrunk) average the score used.")
    normalized_score: float = strawberry.field(description="(average − 1) / 4, 0–1.")
    points: float = strawberry.field(description="This dimension's part of the 0–100 score.")
    review_count: int = strawberry.field(description="Reviews behind the average.")


@strawberry.type(description="How well a company fits the reader's priorities.")
class Fit:
    score: float = strawberry.field(description="0–100.")
    confidence: float = strawberry.field(
        description="0–1: Σ w·n/(n+C) / Σ w over weighted dimensions, n their review counts."
    )
    meets_minimums: bool = strawberry.field(description="Whether the company reaches every minimum given.")
    contributions: list[FitContribution] = strawberry.field(description="What each weighted dimension adds to the score.")
    unmet_minimums: list[Dimension] = strawberry.field(description="The dimensions below their minimum.")
    perspective: JobFunction | None = strawberry.field(description="The job function whose reviewers' ratings were asked for (your saved "
        "perspective); null for everyone's.")
    perspective_applied: bool = strawberry.field(
        description="False when the perspective has fewer than k reviews here: the company's "
        "own averages were used instead."
    )

    @classmethod
    def of(cls, result: FitResult, priorities: Priorities) -> Fit:
        return cls(
            score=result.score,
            confidence=result.confidence,
            meets_minimums=result.meets_minimums,
            contributions=[FitContribution(**vars(c)) for c in result.contributions],
            unmet_minimums=result.unmet_minimums,
            perspective=priorities.perspective,
            perspective_applied=result.perspective_applied,
        )


@strawberry.type(description=PAYLOAD)
class PrioritiesPayload:
    priorities: SavedPriorities | None = strawberry.field(description="Your priorities as saved; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class PriorityMutations:
    @strawberry.mutation(description="Save priorities used whenever you rank companies without passing any.")
    async def set_priorities(
        self, info: strawberry.Info[RequestContext], input: Annotated[PrioritiesInput, INPUT]
    ) -> PrioritiesPayload:
        member = await info.context.require_viewer()
        outcome = await priority_resolvers.save_priorities(member, input.to_command())
        return payload(PrioritiesPayload, outcome, priorities=SavedPriorities.of)

    @strawberry.mutation(description="Forget your saved priorities.")
    async def clear_priorities(self, info: strawberry.Info[RequestContext]) -> PrioritiesPayload:
        outcome = await priority_resolvers.clear_priorities(await info.context.require_viewer())
        return payload(PrioritiesPayload, outcome, priorities=SavedPriorities.of)
