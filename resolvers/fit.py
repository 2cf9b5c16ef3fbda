"""Fit of companies to a reader's priorities, and ranking by it from aggregates alone."""

from __future__ import annotations

from collections.abc import Mapping

from domain.enums import Dimension
from domain.fit import DimensionTally, FitResult, Priorities, fit
from domain.ratings import DIMENSION_OF_KEY, OVERALL, Tally, dimension_means
from infra.settings import settings_in_force
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, InvalidPriorities
from resolvers.priorities import PrioritiesDraft, to_priorities


async def effective_priorities(context: RequestContext, given: PrioritiesDraft | None) -> Priorities | None:
    """The priorities passed in, else the signed-in member's saved ones, else None."""
    if given is not None:
        outcome = to_priorities(given)
        if outcome.value is None:
            raise InvalidPriorities(outcome.violations)
        return outcome.value
    return await context.saved_priorities()


def dimension_tallies(tallies: Mapping[str, Tally]) -> dict[Dimension, DimensionTally]:
    return {
        DIMENSION_OF_KEY[key]: DimensionTally(t.count, t.total) for key, t in tallies.items() if key != OVERALL
    }



def company_fit(
    priorities: Priorities,
    company: Mapping[str, Tally],
    function: Mapping[str, Tally] | None,
    platform_means: Mapping[str, float],
) -> FitResult:
    """Fit from aggregate tallies keyed by rating key (as the loaders return them)."""
    settings = settings_in_force()
    function_reviews = function[OVERALL].count if function and OVERALL in function else 0
    return fit(
        priorities,
        dimension_tallies(company),
        dimension_means(platform_means),
        settings.bayesian_prior_strength,
        perspective=dimension_tallies(function) if function is not None else None,
        perspective_reviews=function_reviews,
        k=settings.k_anonymity,
    )


def require(priorities: Priorities | None, purpose: str) -> Priorities:
    if priorities is None:
        raise BadUserInput(f"{purpose} needs priorities: pass `priorities` or save them with setPriorities.")
    return priorities
