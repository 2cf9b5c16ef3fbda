"""Fit to a reader's priorities: inputs, results and the mutations that save priorities."""

from __future__ import annotations

import strawberry

from domain.enums import Dimension, JobFunction
from domain.fit import DIMENSION_ORDER, FitResult, Priorities
from resolvers import priorities as priority_resolvers
from resolvers.context import RequestContext
from resolvers.priorities import PrioritiesDraft
from schema.errors import UserError, payload


@strawberry.input
class DimensionWeightInput:
    dimension: Dimension
    weight: float = strawberry.field(description="0–10; 0 ignores the dimension.")


@strawberry.input
class DimensionMinimumInput:
    dimension: Dimension
    minimum: float = strawberry.field(description="1–5; the company's average must reach it.")


@strawberry.input(description="What matters to the reader. At least one weight above 0.")
class PrioritiesInput:
    weights: list[DimensionWeightInput]
    minimums: list[DimensionMinimumInput] | None = None
    perspective: JobFunction | None = strawberry.field(
        default=None, description="Score from the reviews of people in this job function."
    )

    def to_command(self) -> PrioritiesDraft:
        return PrioritiesDraft(
            weights=[(w.dimension, w.weight) for w in self.weights],
            minimums=[(m.dimension, m.minimum) for m in self.minimums or []],
            perspective=self.perspective,
        )


@strawberry.type
class DimensionWeight:
    dimension: Dimension
    weight: float


@strawberry.type
class DimensionMinimum:
    dimension: Dimension
    minimum: float


@strawberry.type(description="A member's saved priorities.")
class SavedPriorities:
    weights: list[DimensionWeight]
    minimums: list[DimensionMinimum]
    perspective: JobFunction | None

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
    dimension: Dimension
    weight: float
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
    meets_minimums: bool
    contributions: list[FitContribution]
    unmet_minimums: list[Dimension]
    perspective: JobFunction | None
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


@strawberry.type
class PrioritiesPayload:
    priorities: SavedPriorities | None
    user_errors: list[UserError]


@strawberry.type
class PriorityMutations:
    @strawberry.mutation(description="Save priorities used whenever you rank companies without passing any.")
    async def set_priorities(
        self, info: strawberry.Info[RequestContext], input: PrioritiesInput
    ) -> PrioritiesPayload:
        member = await info.context.require_viewer()
        outcome = await priority_resolvers.save_priorities(member, input.to_command())
        return payload(PrioritiesPayload, outcome, priorities=SavedPriorities.of)

    @strawberry.mutation(description="Forget your saved priorities.")
    async def clear_priorities(self, info: strawberry.Info[RequestContext]) -> PrioritiesPayload:
        outcome = await priority_resolvers.clear_priorities(await info.context.require_viewer())
        return payload(PrioritiesPayload, outcome, priorities=SavedPriorities.of)
