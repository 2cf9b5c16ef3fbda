"""Per-request DataLoaders: where the schema hops from many objects at once (a page of reviews to
their responses, a ranking to its companies' ratings), each hop batches into one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader
from tortoise.functions import Sum

import models
from domain.company_record import CompanyRecordStats, StintFacts, company_record
from domain.enums import ResponseStatus, ReviewStatus, VerificationState
from domain.ratings import ALL_FUNCTIONS, Tally
from infra.settings import settings_in_force
from models.ratings import SCORE_BUCKET_COLUMNS
from resolvers.anonymity import established_before
from resolvers.clock import now
from resolvers.governance import settle_due


@dataclass(frozen=True)
class QuarterTally:
    year: int
    quarter: int
    count: int
    total: int


async def _companies_by_id(ids: Sequence[int]) -> list[models.Company]:
    """Companies are asked for by foreign key, so each exists (a KeyError would be a bug)."""
    rows = {row.id: row for row in await models.Company.filter(id__in=set(ids))}
    return [rows[i] for i in ids]


async def _positions_by_employment(ids: Sequence[int]) -> list[list[models.Position]]:
    grouped: dict[int, list[models.Position]] = defaultdict(list)
    for row in await models.Position.filter(employment_id__in=set(ids)).order_by("start_date", "id"):
        grouped[row.employment_id].append(row)
    return [grouped.get(i, []) for i in ids]


async def _responses_by_review(ids: Sequence[int]) -> list[models.CompanyResponse | None]:
    rows = {row.review_id: row for row in await models.CompanyResponse.filter(review_id__in=set(ids))}
    return [rows.get(i) for i in ids]


async def aggregate_tallies(**conditions: object) -> dict[tuple[int, str], dict[str, Tally]]:
    """Aggregate rows matching `conditions` as {(company id, scope): {rating key: tally}}.
    Read as plain tuples: ranking reads thousands of rows, and model objects cost ~10× more."""
    rows = await models.RatingAggregate.filter(**conditions).values_list(
        "company_id", "scope", "rating_key", "count", "total", *SCORE_BUCKET_COLUMNS
    )
    grouped: dict[tuple[int, str], dict[str, Tally]] = defaultdict(dict)
    for company_id, scope, rating_key, count, total, *buckets in rows:
        grouped[(company_id, scope)][rating_key] = Tally(count, total, buckets)
    return grouped


async def _ratings_by_company(ids: Sequence[int]) -> list[dict[str, Tally]]:
    """Company-wide tallies (all job functions) per rating key."""
    grouped = await aggregate_tallies(company_id__in=set(ids), scope=ALL_FUNCTIONS)
    return [grouped.get((i, ALL_FUNCTIONS), {}) for i in ids]


async def _function_ratings(keys: Sequence[tuple[int, str]]) -> list[dict[str, Tally]]:
    """Tallies of the reviews from one job function at one company, per rating key."""
    grouped = await aggregate_tallies(company_id__in={c for c, _ in keys}, scope__in={f for _, f in keys})
    return [grouped.get(key, {}) for key in keys]


async def platform_means(**conditions: object) -> dict[str, float]:
    """Platform-wide mean per rating key (of the keys `conditions` select): the prior `m` of
    the Bayesian average."""
    rows = (
        await models.RatingAggregate.filter(scope=ALL_FUNCTIONS, **conditions)
        .annotate(total_sum=Sum("total"), count_sum=Sum("count"))
        .group_by("rating_key")
        .values_list("rating_key", "total_sum", "count_sum")
    )
    return {key: total / count for key, total, count in rows if count}


# The platform means of the latest data version seen, per database: one GROUP BY over every
# company's tallies, computed once per version per process instead of once per page.
_MEANS_BY_VERSION: dict[str, tuple[str, dict[str, float]]] = {}


async def _current_platform_means(version_of: Callable[[], Awaitable[str]]) -> dict[str, float]:
    database = settings_in_force().database_url
    version = await version_of()  # read first: means computed after it are at least as new
    cached = _MEANS_BY_VERSION.get(database)
    if cached is not None and cached[0] == version:
        return cached[1]
    means = await platform_means()
    _MEANS_BY_VERSION[database] = (version, means)
    return means


async def _trend_by_company(ids: Sequence[int]) -> list[list[QuarterTally]]:
    grouped: dict[int, list[QuarterTally]] = defaultdict(list)
    for row in await models.RatingTrend.filter(company_id__in=set(ids), count__gt=0).order_by("year", "quarter"):
        grouped[row.company_id].append(QuarterTally(row.year, row.quarter, row.count, row.total))
    return [grouped.get(i, []) for i in ids]


@dataclass(frozen=True)
class RecordFacts:
    """Raw facts behind a company's record; the review count comes from its aggregates."""

    stints: list[StintFacts]
    response_delays_hours: list[float]

    def record(self, published_reviews: int) -> CompanyRecordStats:
        return company_record(self.stints, published_reviews, self.response_delays_hours)


async def _record_facts_by_company(ids: Sequence[int]) -> list[RecordFacts]:
    unique_ids = set(ids)
    # Established as for review faces: the company could not have fabricated these lately.
    cutoff = established_before(now())
    representatives = set(
        await models.CompanyRole.filter(company_id__in=unique_ids).values_list("company_id", "member_id")
    )
    stints: dict[int, list[StintFacts]] = defaultdict(list)
    for company_id, member_id, start, end, verification, claimed_at, joined_at in await models.Employment.filter(
        company_id__in=unique_ids
    ).values_list(
        "company_id", "member_id", "start_date", "end_date", "verification", "created_at", "member__created_at"
    ):
        established = (
            claimed_at <= cutoff and joined_at <= cutoff and (company_id, member_id) not in representatives
        )
        stints[company_id].append(
            StintFacts(member_id, start, end, verification == VerificationState.VERIFIED, established)
        )
    delays: dict[int, list[float]] = defaultdict(list)
    # The review's own company_id (always the response's) lets the join start from the index of
    # the company's published reviews instead of scanning every review.
    for company_id, responded_at, reviewed_at in await models.CompanyResponse.filter(
        company_id__in=unique_ids,
        status=ResponseStatus.PUBLISHED,
        review__company_id__in=unique_ids,
        review__status=ReviewStatus.PUBLISHED,
    ).values_list("company_id", "created_at", "review__created_at"):
        delays[company_id].append((responded_at - reviewed_at).total_seconds() / 3600)
    return [RecordFacts(stints.get(i, []), delays.get(i, [])) for i in ids]


async def _latest_polls(content: str, ids: Sequence[int]) -> list[models.RemovalPoll | None]:
    """The latest removal poll on each review (`content` "review_id") or response; a poll past
    its window is settled before it is shown."""
    latest: dict[int, models.RemovalPoll] = {}
    for poll in await models.RemovalPoll.filter(**{f"{content}__in": set(ids)}).order_by("id"):
        latest[getattr(poll, content)] = poll  # ordered by id: the latest wins
    await settle_due(latest.values())
    return [latest.get(i) for i in ids]


async def _latest_poll_by_review(ids: Sequence[int]) -> list[models.RemovalPoll | None]:
    return await _latest_polls("review_id", ids)


async def _latest_poll_by_response(ids: Sequence[int]) -> list[models.RemovalPoll | None]:
    return await _latest_polls("response_id", ids)


async def _history_by_review(ids: Sequence[int]) -> list[list[models.AuditEntry]]:
    """Each review's audit entries, oldest first."""
    grouped: dict[int, list[models.AuditEntry]] = defaultdict(list)
    for entry in await models.AuditEntry.filter(review_id__in=set(ids)).order_by("id"):
        grouped[entry.review_id or 0].append(entry)
    return [grouped.get(i, []) for i in ids]


async def _votes(keys: Sequence[tuple[int, int]]) -> list[models.RemovalVote | None]:
    """Votes keyed by (poll id, member id)."""
    rows = await models.RemovalVote.filter(
        poll_id__in={poll for poll, _ in keys}, member_id__in={member for _, member in keys}
    )
    found = {(row.poll_id, row.member_id): row for row in rows}
    return [found.get(key) for key in keys]


class Loaders:
    """Built fresh for every request, so nothing cached leaks between viewers."""

    def __init__(self, data_version: Callable[[], Awaitable[str]]) -> None:
        async def _platform_means(keys: Sequence[None]) -> list[dict[str, float]]:
            means = await _current_platform_means(data_version)
            return [means for _ in keys]

        self.company_by_id = DataLoader(load_fn=_companies_by_id)
        self.positions_by_employment = DataLoader(load_fn=_positions_by_employment)
        self.response_by_review = DataLoader(load_fn=_responses_by_review)
        self.ratings_by_company = DataLoader(load_fn=_ratings_by_company)
        self.function_ratings = DataLoader(load_fn=_function_ratings)
        self.platform_means = DataLoader(load_fn=_platform_means)
        self.trend_by_company = DataLoader(load_fn=_trend_by_company)
        self.record_facts_by_company = DataLoader(load_fn=_record_facts_by_company)
        self.latest_poll_by_review = DataLoader(load_fn=_latest_poll_by_review)
        self.latest_poll_by_response = DataLoader(load_fn=_latest_poll_by_response)
        self.history_by_review = DataLoader(load_fn=_history_by_review)
        self.vote_by_poll_and_member = DataLoader(load_fn=_votes)
