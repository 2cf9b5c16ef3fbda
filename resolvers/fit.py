"""Fit of companies to a reader's priorities, and ranking by it from aggregates alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tortoise.queryset import QuerySet

import models
from domain.enums import Dimension
from domain.fit import DimensionTally, FitResult, Priorities, fit, ranking_key
from domain.ratings import ALL_FUNCTIONS, OVERALL, Tally
from infra.settings import settings_in_force
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, InvalidPriorities
from resolvers.loaders import aggregate_tallies
from resolvers.priorities import PrioritiesDraft, to_priorities


@dataclass(frozen=True)
class RankedCompany:
    row: models.Company
    result: FitResult


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
        Dimension(key): DimensionTally(t.count, t.total) for key, t in tallies.items() if key != OVERALL
    }


def platform_dimension_means(means: Mapping[str, float]) -> dict[Dimension, float]:
    return {Dimension(key): mean for key, mean in means.items() if key != OVERALL}


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
        platform_dimension_means(platform_means),
        settings.bayesian_prior_strength,
        perspective=dimension_tallies(function) if function is not None else None,
        perspective_reviews=function_reviews,
        k=settings.k_anonymity,
    )


async def score_companies(
    context: RequestContext,
    companies: QuerySet[models.Company],
    priorities: Priorities,
    meets_minimums_only: bool,
) -> list[RankedCompany]:
    """Fit of every company in the query, reading per-company aggregates only: the cost grows
    with the number of companies, never with the number of reviews."""
    rows = await companies
    scopes = [ALL_FUNCTIONS] + ([priorities.perspective] if priorities.perspective else [])
    aggregates = await aggregate_tallies(company_id__in=[r.id for r in rows], scope__in=scopes)
    loaders = context.loaders
    means = await loaders.platform_means.load(None)
    scored = []
    for row in rows:
        company = aggregates.get((row.id, ALL_FUNCTIONS), {})
        function = aggregates.get((row.id, priorities.perspective), {}) if priorities.perspective else None
        # `Company.fit` and `Company.ratings` on the page then need no more queries.
        loaders.company_by_id.prime(row.id, row)
        loaders.ratings_by_company.prime(row.id, company)
        if priorities.perspective:
            loaders.function_ratings.prime((row.id, priorities.perspective), function or {})
        result = company_fit(priorities, company, function, means)
        if result.meets_minimums or not meets_minimums_only:
            scored.append(RankedCompany(row, result))
    return scored


def by_fit(scored: RankedCompany) -> tuple[float, float, str, int]:
    return ranking_key(scored.row.name, scored.row.id, scored.result)


def require(priorities: Priorities | None, purpose: str) -> Priorities:
    if priorities is None:
        raise BadUserInput(f"{purpose} needs priorities: pass `priorities` or save them with setPriorities.")
    return priorities
