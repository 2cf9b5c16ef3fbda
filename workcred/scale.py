"""Scale data on demand: `workcred seed-scale --companies N --reviews M [--seed S]`.

A deterministic, realistic data set for benchmarks and for checking a design against real
volumes: review counts per company follow a Zipf law (the largest company holds over a tenth of
all reviews, then a long tail), members have two or three stints with promotions, about 1.3 jobs
per review, a third of reviews answered by the company, helpful votes skewed towards a few
reviews, accounts of varied age. Rows are generated in a forked process while the first one
bulk-inserts them (executemany in one transaction on SQLite, COPY on PostgreSQL), bypassing the
per-review write path, and the aggregates are then
rebuilt set-wise by the same code as `repair-aggregates`, so `repair-aggregates --check` reports
no drift. Faces are fixed and coarse (status, tenure bucket, job function; no city or year):
the anonymity rule is not run per review here.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.queues
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from domain.company import company_slug
from domain.enums import CompanyRoleKind, CompanySizeBand, Dimension, JobFunction
from domain.review import tenure_snapshot
from infra.data_version import BUMP, sqlite_trigger_names, sqlite_triggers
from resolvers.aggregate_repair import COMPANY_TALLIES
from workcred.demo import ADVICE_OBJECTS, ADVICE_VERBS, COMPLAINTS, DEMO_AS_OF, PRAISE

ZIPF_EXPONENT = 1.07  # with 10,000 companies the largest holds about 11 % of the reviews
JOBS_PER_REVIEW = 1.3
STINTS_PER_MEMBER = 3
EPOCH_OF_REVIEWS = date(2021, 1, 1)
ACCOUNTS_OPENED = datetime(2019, 1, 1, tzinfo=UTC)
CHUNK = 50_000
LATEST_START = DEMO_AS_OF - timedelta(days=90)
INDUSTRIES = ["Internet", "Chips", "New-energy vehicles", "Biomedicine", "Artificial intelligence",
              "Carbon-neutral technology", "Finance", "Retail", "Logistics", "Education"]
CITIES = ["Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Guangzhou", "Chengdu", "Suzhou", "Wuhan", "Xi'an", "Hefei"]
DIMENSIONS = list(Dimension)
FUNCTIONS = list(JobFunction)
CAREERS_BEGIN = date(2008, 1, 1)
MIDNIGHT = time()
STINT_MONTHS = (8, 14, 20, 30, 42, 60)
GAP_DAYS = (1, 20, 60, 180)
MOODS = (-2, -1, -1, 0, 0, 0, 0, 1, 1, 2)
NOISE = (-1, 0, 0, 1)
RESPONSE_HOURS = (2, 5, 20, 48, 120, 300)
RESPONSE_BODY = "Thank you for the feedback; we have shared it with the team."
LEVEL_TITLES = {level: f"Level {level}" for level in range(1, 11)}
VOTE_DELAYS = [timedelta(days=1 + vote) for vote in range(201)]
T = TypeVar("T")


@dataclass(frozen=True)
class ScalePlan:
    companies: int
    reviews: int
    seed: int

    def review_counts(self) -> list[int]:
        """Published reviews per company, Zipf-distributed, summing to exactly `reviews`."""
        weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(self.companies)]
        scale = self.reviews / sum(weights)
        counts = [int(w * scale) for w in weights]
        for rank in range(self.reviews - sum(counts)):
            counts[rank % self.companies] += 1
        return counts


Row = tuple[Any, ...]
# Tables filled after each chunk of jobs, in foreign-key order.
CAREER_TABLES = ("employment", "position", "review", "company_response", "helpful_vote")


@dataclass
class ScaleData:
    """Rows per table, ids assigned, produced lazily in foreign-key order."""

    columns: dict[str, tuple[str, ...]]
    upfront: dict[str, Callable[[], Iterator[Row]]]  # companies, members, roles: inserted first
    chunks: Callable[[], Iterator[dict[str, list[Row]]]]  # then jobs and what hangs off them


# Left at zero here; the rebuild after the bulk insert sets them.
RUNNING_COUNTS_UNSET = (0,) * len(COMPANY_TALLIES)


def build(plan: ScalePlan, password_hash: str) -> ScaleData:  # noqa: PLR0915 - one generator per table
    rng = random.Random(plan.seed)
    counts = plan.review_counts()
    jobs = [round(n * JOBS_PER_REVIEW) + (1 if n == 0 else 0) for n in counts]
    # (company id, whether the job is reviewed), shuffled so members' careers cross companies.
    job_plan = [(company, index < counts[company - 1]) for company, n in enumerate(jobs, 1) for index in range(n)]
    rng.shuffle(job_plan)
    members = -(-len(job_plan) // STINTS_PER_MEMBER)
    profiles = [[rng.randint(2, 4) for _ in DIMENSIONS] for _ in range(plan.companies)]
    answer_share = [rng.random() * 0.62 for _ in range(plan.companies)]
    representative_of = {company: members + company for company in range(1, plan.companies + 1)}

    def companies() -> Iterator[tuple[Any, ...]]:
        for company in range(1, plan.companies + 1):
            name = f"Scale Company {company:05d}"
            yield (company, company_slug(name), name, INDUSTRIES[company % len(INDUSTRIES)],
                   list(CompanySizeBand)[company % len(CompanySizeBand)].value, CITIES[company % len(CITIES)],
                   None, ACCOUNTS_OPENED, None, *RUNNING_COUNTS_UNSET)

    def member_rows() -> Iterator[tuple[Any, ...]]:
        age = random.Random(plan.seed + 1).random
        for member in range(1, members + plan.companies + 1):
            joined = ACCOUNTS_OPENED + timedelta(seconds=int(age() * 730 * 86_400))
            yield (member, f"scale{member}@scale.workcred.test", f"Scale Member {member}", password_hash, joined)

    def roles() -> Iterator[tuple[Any, ...]]:
        for company, member in representative_of.items():
            yield (company, CompanyRoleKind.REPRESENTATIVE.value, ACCOUNTS_OPENED, company, member)

    # Jobs and what hangs off them are generated in one pass, buffered per chunk of jobs.
    buffers: dict[str, list[Row]] = {table: [] for table in CAREER_TABLES}
    next_id = {table: itertools.count(1) for table in CAREER_TABLES[1:]}

    # random() is the one fast call of random.Random; everything below draws through it.
    career = random.Random(plan.seed + 2)
    draw = career.random

    def pick(options: Sequence[T]) -> T:
        return options[int(draw() * len(options))]

    def careers() -> Iterator[None]:
        """Fills the buffers job by job; yields after each job."""
        for member in range(members):
            start = CAREERS_BEGIN + timedelta(days=int(draw() * 365 * 12))
            function = pick(FUNCTIONS).value
            level = 1 + int(draw() * 3)
            for stint in range(STINTS_PER_MEMBER):
                job = member * STINTS_PER_MEMBER + stint
                if job >= len(job_plan):
                    break
                company, reviewed = job_plan[job]
                # Every planned job exists (its review is counted): a late one starts in time.
                start = min(start, LATEST_START)
                planned_end = start + timedelta(days=30 * pick(STINT_MONTHS))
                last = stint == STINTS_PER_MEMBER - 1
                end = None if planned_end >= DEMO_AS_OF or (last and draw() < 0.6) else planned_end
                employment = job + 1
                verified = draw() < 0.4
                claimed = datetime.combine(start, MIDNIGHT, UTC)
                buffers["employment"].append((employment, member + 1, company, function, CITIES[company % len(CITIES)],
                                              start, end, "VERIFIED" if verified else "UNVERIFIED", claimed, claimed))
                _positions(employment, start, end, level)
                if reviewed:
                    _review(employment, member + 1, company, function, start, end, verified)
                start = (end or DEMO_AS_OF) + timedelta(days=pick(GAP_DAYS))
                yield

    def _positions(employment: int, start: date, end: date | None, level: int) -> None:
        cursor, until = start, end or DEMO_AS_OF
        while True:
            buffers["position"].append((next(next_id["position"]), LEVEL_TITLES[level], level, cursor, employment))
            cursor += timedelta(days=300 + int(draw() * 600))
            if cursor >= until or level >= 10 or draw() > 0.5:
                return
            level += 1

    def _review(employment: int, author: int, company: int, function: str,
                start: date, end: date | None, verified: bool) -> None:
        earliest = max(start + timedelta(days=30), EPOCH_OF_REVIEWS)
        latest = min(end or DEMO_AS_OF, DEMO_AS_OF)
        day = earliest + timedelta(days=int(draw() * max((latest - earliest).days, 1)))
        written = datetime.combine(day, time(8 + int(draw() * 14), int(draw() * 60)), UTC)
        profile = profiles[company - 1]
        mood = pick(MOODS)
        scores: list[int | None] = [
            max(1, min(5, typical + mood + pick(NOISE))) if draw() < 0.7 else None for typical in profile
        ]
        if all(score is None for score in scores):
            scores[0] = max(1, min(5, profile[0] + mood))
        given = {i: score for i, score in enumerate(scores) if score is not None}
        overall = max(1, min(5, round(sum(given.values()) / len(given))))
        praise = pick(PRAISE[DIMENSIONS[max(given, key=given.__getitem__)]])
        complaint = pick(COMPLAINTS[DIMENSIONS[min(given, key=given.__getitem__)]])
        snapshot = tenure_snapshot(start, end, day)
        votes = min(int(career.paretovariate(1.9)) - 1, 200, members - 1)
        answered = draw() < answer_share[company - 1]
        review = next(next_id["review"])
        praised = praise[0].upper() + praise[1:]
        buffers["review"].append((
            review, company, author, employment, overall, *scores, f"{praised}, but {complaint}"[:120],
            praised + ".", complaint[0].upper() + complaint[1:] + ".",
            f"{pick(ADVICE_VERBS)} {pick(ADVICE_OBJECTS)}." if draw() < 0.3 else None,
            snapshot.employment_status.value, snapshot.tenure.value if snapshot.tenure else None, function,
            None, None, "PUBLISHED", None, votes, written, None, False, verified, answered,
        ))
        if answered:
            buffers["company_response"].append((
                next(next_id["company_response"]), review, company, representative_of[company], RESPONSE_BODY,
                written + timedelta(hours=pick(RESPONSE_HOURS)), None, "PUBLISHED", None,
            ))
        # Distinct voters, never the author: consecutive members from a point the review picks.
        first = review * 7919 % members
        voters = [m for m in ((first + offset) % members + 1 for offset in range(votes + 1)) if m != author][:votes]
        for vote, voter in enumerate(voters):
            buffers["helpful_vote"].append((next(next_id["helpful_vote"]), written + VOTE_DELAYS[vote], voter, review))

    def flushed() -> dict[str, list[Row]]:
        batch = dict(buffers)
        buffers.update({table: [] for table in CAREER_TABLES})
        return batch

    def chunks() -> Iterator[dict[str, list[Row]]]:
        for _ in careers():
            if len(buffers["employment"]) >= CHUNK:
                yield flushed()
        yield flushed()

    return ScaleData(
        columns={
            "company": ("id", "slug", "name", "industry", "size_band", "headquarters_city", "description",
                        "created_at", "website", *COMPANY_TALLIES),
            "member": ("id", "email", "display_name", "password_hash", "created_at"),
            "company_role": ("id", "kind", "granted_at", "company_id", "member_id"),
            "employment": ("id", "member_id", "company_id", "job_function", "location", "start_date", "end_date",
                           "verification", "created_at", "updated_at"),
            "position": ("id", "title", "level", "start_date", "employment_id"),
            "review": ("id", "company_id", "author_id", "employment_id", "overall",
                       *(d.value.lower() for d in DIMENSIONS), "title", "pros", "cons", "advice_to_management",
                       "employment_status", "tenure", "job_function", "location", "last_year", "status",
                       "status_reason", "helpful_count", "created_at", "updated_at", "tenure_widened", "verified",
                       "answered"),
            "company_response": ("id", "review_id", "company_id", "author_id", "body", "created_at", "updated_at",
                                 "status", "status_reason"),
            "helpful_vote": ("id", "created_at", "member_id", "review_id"),
        },
        upfront={"company": companies, "member": member_rows, "company_role": roles},
        chunks=chunks,
    )


def progress(table: str, written: int) -> None:
    print(f"\r  {table:<17} {written:>12,} rows", end="", file=sys.stderr, flush=True)


def batches(data: ScaleData) -> Iterator[tuple[str, list[Row]]]:
    """(table, rows) in the order the rows can be inserted: foreign keys point backwards."""
    for table, rows in data.upfront.items():
        yield table, list(rows())
    for chunk in data.chunks():
        for table in CAREER_TABLES:
            yield table, chunk[table]


def generated_ahead(data: ScaleData) -> Iterator[tuple[str, list[Row]]]:
    """`batches(data)`, generated by a forked process a few batches ahead of the writer, so on
    two cores the next batch is built while this one is written."""
    context = multiprocessing.get_context("fork")
    ahead: multiprocessing.queues.Queue[tuple[str, list[Row]] | str | None] = context.Queue(maxsize=4)

    def produce() -> None:
        try:
            for batch in batches(data):
                ahead.put(batch)
            ahead.put(None)
        except BaseException as failure:  # the writer raises it
            ahead.put(f"generating the scale data failed: {failure!r}")

    producer = context.Process(target=produce, daemon=True)
    producer.start()
    try:
        while (batch := ahead.get()) is not None:
            if isinstance(batch, str):
                raise RuntimeError(batch)
            yield batch
    finally:
        producer.join(timeout=5)
        if producer.is_alive():
            producer.kill()


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" for _ in columns)})'


def write_sqlite(path: str, data: ScaleData) -> dict[str, int]:
    """One transaction for the whole load, foreign-key checks off (the rows are consistent by
    construction), pages written straight into the file; the WAL is back on at the end."""
    import sqlite3

    written: dict[str, int] = {}
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    # Pages go straight into the file (no WAL to copy back afterwards); WAL again at the end.
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA cache_size = -262144")

    sqlite3.register_adapter(datetime, _sqlite_datetime)
    sqlite3.register_adapter(date, date.isoformat)

    def insert(table: str, rows: list[Row]) -> None:
        connection.executemany(_insert_sql(table, data.columns[table]), rows)
        written[table] = written.get(table, 0) + len(rows)
        progress(table, written[table])

    try:
        connection.execute("BEGIN")
        # Indexes are built once at the end, in bulk, instead of row by row.
        names = ", ".join(f"'{table}'" for table in data.columns)
        indexes = connection.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})"
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        # Likewise the data version moves once for the whole load, not once per row.
        for trigger in sqlite_trigger_names():
            connection.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
        for table, rows in generated_ahead(data):
            insert(table, rows)
        for _, sql in indexes:
            connection.execute(sql)
        for statement in (*sqlite_triggers().splitlines(), BUMP):
            connection.execute(statement)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    print(file=sys.stderr)
    return written


def _sqlite_datetime(value: datetime) -> str:
    """As tortoise stores an aware UTC datetime on SQLite."""
    return value.strftime("%Y-%m-%d %H:%M:%S+00:00")


async def write_postgres(database_url: str, data: ScaleData) -> dict[str, int]:
    """COPY per table batch, then the id sequences moved past the ids used."""
    from infra.db import raw_postgres_connection

    connection = await raw_postgres_connection(database_url)
    written: dict[str, int] = {}

    async def insert(table: str, rows: list[Row]) -> None:
        await connection.copy_records_to_table(table, records=rows, columns=list(data.columns[table]))
        written[table] = written.get(table, 0) + len(rows)
        progress(table, written[table])

    try:
        async with connection.transaction():
            # Indexes (other than keys and unique constraints) are built once at the end.
            indexes = await connection.fetch(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY($1::text[]) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                list(data.columns),
            )
            for index in indexes:
                await connection.execute(f'DROP INDEX "{index["indexname"]}"')
            for table, rows in generated_ahead(data):
                await insert(table, rows)
            for index in indexes:
                await connection.execute(index["indexdef"])
            for table in data.columns:
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))"
                )
    finally:
        await connection.close()
    print(file=sys.stderr)
    return written


async def settle_for_reads(database_url: str) -> None:
    """On PostgreSQL, after the bulk load and the aggregates: VACUUM ANALYZE now, not whenever
    autovacuum gets to millions of new rows. Without statistics PostgreSQL guesses a company's
    jobs are a few dozen and plans accordingly; without the visibility map there is no
    index-only scan (a review at the largest company took 90–200 ms instead of 30 ms, in its
    anonymity check and the platform mean). SQLite needs neither."""
    from infra.db import is_sqlite, raw_postgres_connection

    if is_sqlite(database_url):
        return
    connection = await raw_postgres_connection(database_url)
    try:
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()


async def fill(database_url: str, plan: ScalePlan, password_hash: str) -> dict[str, int]:
    """Bulk-insert the plan's rows into a migrated, empty database nobody else has open; the
    aggregates are left to `repair-aggregates`' rebuild. Rows written per table."""
    from infra.db import is_sqlite, sqlite_file

    data = build(plan, password_hash)
    if not is_sqlite(database_url):
        return await write_postgres(database_url, data)
    path = sqlite_file(database_url)
    if path is None:
        raise ValueError("seed-scale needs a database file, not an in-memory database")
    return write_sqlite(str(path), data)
