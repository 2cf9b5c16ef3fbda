"""Per-request DataLoaders: where the schema hops from many objects at once (a page of reviews to
their responses, a ranking to its companies' ratings), each hop batches into one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import cast

from strawberry.dataloader import DataLoader

import models
from domain.company_record import RESPONSE_DAYS, TENURE_MONTHS, RecordTallies
from domain.enums import RemovalPollStatus
from domain.ratings import ALL_FUNCTIONS, Tally
from models.ratings import SCORE_BUCKET_COLUMNS
from resolvers.anonymity import established_before
from resolvers.clock import now
from resolvers.governance import settle_due_polls
from resolvers.ranking_snapshot import ShownCompany, current_snapshot


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


async def _function_ratings(keys: Sequence[tuple[int, str]]) -> list[dict[str, Tally]]:
    """Tallies of the reviews from one job function at one company, per rating key."""
    rows = await models.RatingAggregate.filter(
        company_id__in={c for c, _ in keys}, scope__in={f for _, f in keys}
    ).values_list("company_id", "scope", "rating_key", "count", "total", *SCORE_BUCKET_COLUMNS)
    grouped: dict[tuple[int, str], dict[str, Tally]] = defaultdict(dict)
    for company_id, scope, rating_key, count, total, *buckets in rows:
        grouped[(company_id, scope)][rating_key] = Tally(count, total, buckets)
    return [grouped.get(key, {}) for key in keys]


@dataclass(frozen=True)
class RecordHistograms:
    """A company's record histograms, and the months of its former members not yet established."""

    buckets: dict[str, dict[int, int]]
    unestablished_tenure_months: list[int]

    def tallies(self, company: models.Company | ShownCompany) -> RecordTallies:
        return RecordTallies(
            members=company.member_count,
            verified_members=company.verified_member_count,
            former_members=company.former_member_count,
            tenure_months=self.buckets.get(TENURE_MONTHS, {}),
            unestablished_tenure_months=self.unestablished_tenure_months,
            responded_reviews=company.responded_review_count,
            response_days=self.buckets.get(RESPONSE_DAYS, {}),
        )


class Fact(Enum):
    """What a company page reads about one company from its running tallies."""

    RATINGS = "ratings"  # company-wide rating tallies per key
    TREND = "trend"  # published reviews per quarter
    RECORD_BUCKETS = "buckets"  # the record's histograms
    UNESTABLISHED = "unestablished"  # months of former members not established yet
    DUE_POLLS = "due"  # removal polls past their window, to settle before content is read


# One SELECT per fact, all shaped (fact, company, label, n1 … n7) so any mix is one UNION ALL.
_FACT_SQL = {
    Fact.RATINGS: (
        "SELECT 'ratings' AS fact, company_id, rating_key AS label, count AS n1, total AS n2, score_1 AS n3, "
        f"score_2 AS n4, score_3 AS n5, score_4 AS n6, score_5 AS n7 FROM rating_aggregate "
        f"WHERE company_id IN ({{ids}}) AND scope = '{ALL_FUNCTIONS}'"
    ),
    Fact.TREND: (
        "SELECT 'trend', company_id, NULL, year, quarter, count, total, 0, 0, 0 FROM rating_trend "
        "WHERE company_id IN ({ids}) AND count > 0"
    ),
    Fact.RECORD_BUCKETS: (
        "SELECT 'buckets', company_id, measure, value, count, 0, 0, 0, 0, 0 FROM record_bucket "
        "WHERE company_id IN ({ids}) AND count > 0"
    ),
    Fact.UNESTABLISHED: (
        "SELECT 'unestablished', company_id, NULL, completed_months, 0, 0, 0, 0, 0, 0 FROM company_member "
        "WHERE company_id IN ({ids}) AND claimed_at > {cutoff} AND NOT current AND NOT representative"
    ),
    Fact.DUE_POLLS: (
        "SELECT 'due', company_id, NULL, id, 0, 0, 0, 0, 0, 0 FROM removal_poll "
        f"WHERE company_id IN ({{ids}}) AND status = '{RemovalPollStatus.OPEN.value}' AND closes_at <= {{now}}"
    ),
}
FactRow = tuple[str | None, int, int, int, int, int, int, int]  # label, n1 … n7


async def _company_facts(keys: Sequence[tuple[int, Fact]]) -> list[list[FactRow]]:
    """Every fact asked for in this tick, of every company, in one statement: each part reads
    one company's few tally rows (or its latest claims, its open polls) by index."""
    connection = models.RatingAggregate._meta.db
    sqlite = connection.capabilities.dialect == "sqlite"
    values: list[object] = []

    def bind(value: object) -> str:
        values.append(value)
        return "?" if sqlite else f"${len(values)}"

    wanted: dict[Fact, set[int]] = defaultdict(set)
    for company_id, fact in keys:
        wanted[fact].add(company_id)
    instant = now()
    parts = [
        _FACT_SQL[fact].format(
            ids=", ".join(bind(i) for i in sorted(ids)),
            cutoff=bind(established_before(instant)) if fact is Fact.UNESTABLISHED else "",
            now=bind(instant) if fact is Fact.DUE_POLLS else "",
        )
        for fact, ids in wanted.items()
    ]
    _, rows = await connection.execute_query(" UNION ALL ".join(parts), values)
    found: dict[tuple[int, Fact], list[FactRow]] = defaultdict(list)
    for fact, company_id, label, *numbers in rows:
        found[(int(company_id), Fact(fact))].append((label, *(int(n) for n in numbers)))
    return [found.get(key, []) for key in keys]


async def _latest_polls(content: str, ids: Sequence[int]) -> list[models.RemovalPoll | None]:
    """The latest removal poll on each review (`content` "review_id") or response; a poll past
    its window is settled before it is shown."""
    latest: dict[int, models.RemovalPoll] = {}
    for poll in await models.RemovalPoll.filter(**{f"{content}__in": set(ids)}).order_by("id"):
        latest[getattr(poll, content)] = poll  # ordered by id: the latest wins
    await settle_due_polls(latest.values())
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
        self._data_version = data_version
        self.company_by_id = DataLoader(load_fn=_companies_by_id)
        self.positions_by_employment = DataLoader(load_fn=_positions_by_employment)
        self.response_by_review = DataLoader(load_fn=_responses_by_review)
        self.company_facts = DataLoader(load_fn=_company_facts)
        self.function_ratings = DataLoader(load_fn=_function_ratings)
        self.latest_poll_by_review = DataLoader(load_fn=_latest_poll_by_review)
        self.latest_poll_by_response = DataLoader(load_fn=_latest_poll_by_response)
        self.history_by_review = DataLoader(load_fn=_history_by_review)
        self.vote_by_poll_and_member = DataLoader(load_fn=_votes)

    async def ratings(self, company_id: int) -> dict[str, Tally]:
        """Company-wide tallies (all job functions) per rating key."""
        rows = await self.company_facts.load((company_id, Fact.RATINGS))
        return {str(key): Tally(count, total, list(buckets)) for key, count, total, *buckets in rows}

    async def platform_means(self) -> dict[str, float]:
        """The prior of every Bayesian average, from the process's ranking snapshot."""
        return (await current_snapshot(self._data_version)).platform_means

    def prime_ratings(self, company_id: int, tallies: dict[str, Tally]) -> None:
        """Ratings already known (a ranking's snapshot, of the data version this request reads)."""
        rows = [cast(FactRow, (key, t.count, t.total, *t.buckets)) for key, t in tallies.items()]
        self.company_facts.prime((company_id, Fact.RATINGS), rows)

    async def trend(self, company_id: int) -> list[QuarterTally]:
        rows = await self.company_facts.load((company_id, Fact.TREND))
        quarters = [QuarterTally(year, quarter, count, total) for _, year, quarter, count, total, *_ in rows]
        return sorted(quarters, key=lambda q: (q.year, q.quarter))

    async def record_histograms(self, company_id: int) -> RecordHistograms:
        buckets, unestablished = await self.company_facts.load_many(
            [(company_id, Fact.RECORD_BUCKETS), (company_id, Fact.UNESTABLISHED)]
        )
        histograms: dict[str, dict[int, int]] = defaultdict(dict)
        for measure, value, count, *_ in buckets:
            histograms[str(measure)][value] = count
        return RecordHistograms(histograms, [months for _, months, *_ in unestablished])

    async def due_polls(self, company_id: int) -> list[int]:
        return [poll_id for _, poll_id, *_ in await self.company_facts.load((company_id, Fact.DUE_POLLS))]
