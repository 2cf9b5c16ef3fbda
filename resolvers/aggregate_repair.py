"""Recompute every aggregate — rating tallies, trend, the company record's members, histograms
and running counts — from raw rows, set-wise in SQL, and report (or fix) the drift.

The expected aggregates are built by `CREATE TEMPORARY TABLE … AS SELECT … GROUP BY` (one scan
of the published reviews per table, one of the employments, one of the responses), compared with
the stored rows by one join along each table's unique key, and copied over a drifted table by
`INSERT … SELECT`; nothing is loaded into Python, so the repair's memory does not grow with the
data. Fixing replaces each drifted table
wholesale inside one transaction that first locks it against writers (PostgreSQL; SQLite
writers already queue behind BEGIN IMMEDIATE), so no increment made meanwhile is lost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

import models
from domain.company_record import RESPONSE_DAYS, RESPONSE_DAYS_MAX, TENURE_MONTHS
from domain.enums import ResponseStatus, ReviewStatus, VerificationState
from domain.ratings import ALL_FUNCTIONS, OVERALL
from infra import data_version
from models.ratings import SCORE_BUCKET_COLUMNS
from resolvers.ratings import DIMENSION_COLUMNS

PUBLISHED = f"status = '{ReviewStatus.PUBLISHED.value}'"
RATING_KEY = ("company_id", "scope", "rating_key")
RATING_VALUES = ("count", "total", *SCORE_BUCKET_COLUMNS)
TREND_KEY = ("company_id", "year", "quarter")
TREND_VALUES = ("count", "total")
MEMBER_KEY = ("company_id", "member_id")
MEMBER_VALUES = ("verified", "current", "completed_months", "representative", "claimed_at")
BUCKET_KEY = ("company_id", "measure", "value")


@dataclass(frozen=True)
class Drift:
    """Aggregate rows (or company counts) whose stored values differed from a recomputation."""

    rating_rows: int
    trend_rows: int
    member_rows: int = 0
    bucket_rows: int = 0
    company_rows: int = 0  # companies whose running counts (inbox, record) drifted

    @property
    def total(self) -> int:
        return self.rating_rows + self.trend_rows + self.member_rows + self.bucket_rows + self.company_rows


RATING_KEYS = [("overall", OVERALL), *((column, key) for key, column in DIMENSION_COLUMNS.items())]
SCORES = range(1, len(SCORE_BUCKET_COLUMNS) + 1)


def _bucket(column: str, score: int) -> str:
    return f"{column}_{score}"


def expected_ratings_sql(dialect: Dialect) -> str:
    """Every published score, per company × scope (all, or the face's job function) × key: one
    scan of the reviews counting each score per company and function; the company-wide counts
    are their sums; count and total follow from the five counts. Then the small result is
    unpivoted, one key at a time."""
    buckets = [_bucket(column, score) for column, _ in RATING_KEYS for score in SCORES]
    # FILTER skips the count where the score differs (a third faster on SQLite than SUM(CASE …)).
    counted = ", ".join(
        f"COUNT(*) FILTER (WHERE {column} = {score}) AS {_bucket(column, score)}"
        for column, _ in RATING_KEYS for score in SCORES
    )
    grouped = (
        f"SELECT company_id, job_function, {counted} FROM {dialect.whole('review')} WHERE {PUBLISHED} "
        "GROUP BY company_id, job_function"
    )
    scoped = (
        f"SELECT company_id, job_function AS scope, {', '.join(buckets)} FROM grouped WHERE job_function IS NOT NULL "
        f"UNION ALL SELECT company_id, '{ALL_FUNCTIONS}' AS scope, {', '.join(f'SUM({b}) AS {b}' for b in buckets)} "
        "FROM grouped GROUP BY company_id"
    )
    parts = []
    for column, key in RATING_KEYS:
        count = " + ".join(_bucket(column, score) for score in SCORES)
        total = " + ".join(f"{score} * {_bucket(column, score)}" for score in SCORES)
        scores = ", ".join(f"{_bucket(column, score)} AS {name}" for score, name in zip(SCORES, SCORE_BUCKET_COLUMNS, strict=True))
        parts.append(
            f"SELECT company_id, scope, '{key}' AS rating_key, {count} AS count, {total} AS total, {scores} "
            f"FROM scoped WHERE {count} > 0"
        )
    return f"WITH grouped AS MATERIALIZED ({grouped}), scoped AS MATERIALIZED ({scoped}) " + " UNION ALL ".join(parts)


def expected_trend_sql(dialect: Dialect) -> str:
    """Published reviews per company and calendar quarter (UTC) of writing."""
    written = "created_at" if dialect.sqlite else "created_at AT TIME ZONE 'UTC'"  # SQLite stores UTC text
    year, month = dialect.part("YEAR", written), dialect.part("MONTH", written)
    quarter = f"(({month} - 1) / 3 + 1)"
    return (
        f"SELECT company_id, {year} AS year, {quarter} AS quarter, COUNT(*) AS count, SUM(overall) AS total "
        f"FROM {dialect.whole('review')} WHERE {PUBLISHED} GROUP BY company_id, {year}, {quarter}"
    )


def _nonzero(values: tuple[str, ...]) -> str:
    return " OR ".join(f"{v} <> 0" for v in values)


@dataclass(frozen=True)
class Table:
    """A table of derived rows: its key, its values, the SQL that recomputes it, and which of its
    stored rows count (a tally row of zeros is as good as absent)."""

    name: str
    key: tuple[str, ...]
    values: tuple[str, ...]
    expected: str
    counted: str = "1 = 1"


async def _table_drift(connection: BaseDBAsyncClient, table: Table, dialect: Dialect) -> int:
    """Keys whose stored values differ from the recomputation: missing, extra, or different.
    The recomputation is computed once, into a temporary table that later recomputations and
    the rebuild read. Both sides have one row per key, so one join along the stored table's
    unique key counts them: drifted = expected + stored - matched keys - equal rows."""
    await connection.execute_script(f"CREATE TEMPORARY TABLE expected_{table.name} AS {table.expected}")
    _, rows = await connection.execute_query(f"SELECT 1 AS any_row FROM {table.name} LIMIT 1")
    if not rows:  # nothing stored (a fresh bulk load): every recomputed row is missing
        _, rows = await connection.execute_query(f"SELECT COUNT(*) AS drifted FROM expected_{table.name}")
        return int(rows[0]["drifted"])
    stored = f"SELECT {', '.join((*table.key, *table.values))} FROM {table.name} WHERE {table.counted}"
    same_key = " AND ".join(f"s.{column} = e.{column}" for column in table.key)
    same_values = " AND ".join(dialect.same(f"s.{column}", f"e.{column}") for column in table.values)
    _, rows = await connection.execute_query(
        f"SELECT (SELECT COUNT(*) FROM expected_{table.name}) AS expected, "
        f"(SELECT COUNT(*) FROM ({stored}) AS counted) AS stored, COUNT(*) AS matched, "
        f"COALESCE(SUM(CASE WHEN {same_values} THEN 1 ELSE 0 END), 0) AS equal "
        f"FROM expected_{table.name} AS e JOIN ({stored}) AS s ON {same_key}"
    )
    counts = rows[0]
    return int(counts["expected"]) + int(counts["stored"]) - int(counts["matched"]) - int(counts["equal"])


async def _rebuild(connection: BaseDBAsyncClient, table: Table) -> None:
    """The table replaced by its recomputation (left by `_table_drift`). On SQLite its
    secondary indexes are built once after the copy rather than row by row during it."""
    columns = ", ".join((*table.key, *table.values))
    secondary: list[str] = []
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            [table.name],
        )
        secondary = [row["sql"] for row in rows]
        for row in rows:
            await connection.execute_script(f'DROP INDEX "{row["name"]}"')
    await connection.execute_script(f"DELETE FROM {table.name}")
    await connection.execute_script(
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM expected_{table.name} ORDER BY {', '.join(table.key)}"
    )
    for sql in secondary:
        await connection.execute_script(sql)


class Dialect:
    """The few expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, name: str) -> None:
        self.sqlite = name == "sqlite"

    @property
    def join_in_order(self) -> str:
        """A join that reads its left side first: SQLite keeps a CROSS JOIN's tables in the
        order written (otherwise it may probe a grouped subquery from the other side)."""
        return "CROSS JOIN" if self.sqlite else "JOIN"

    def whole(self, table: str) -> str:
        """`table` read in storage order: on SQLite, else walked along an index whose order is not
        the GROUP BY's, each row then fetched by rowid at random (twice as slow at a million)."""
        return f"{table} NOT INDEXED" if self.sqlite else table

    def any_true(self, condition: str) -> str:
        """Aggregate: whether `condition` holds for any row, as the dialect stores a boolean."""
        return f"MAX({condition})" if self.sqlite else f"bool_or({condition})"

    def later(self, first: str, second: str) -> str:
        return f"MAX({first}, {second})" if self.sqlite else f"GREATEST({first}, {second})"

    def same(self, first: str, second: str) -> str:
        """Equal, NULL matching NULL."""
        return f"{first} IS {second}" if self.sqlite else f"{first} IS NOT DISTINCT FROM {second}"

    def count_true(self, column: str) -> str:
        return f"SUM({column})" if self.sqlite else f"SUM(CAST({column} AS INTEGER))"

    def part(self, field: str, day: str) -> str:
        """YEAR, MONTH or DAY of a date (or a UTC timestamp) as an integer. SQLite stores both as
        ISO text, so the digits are cut out (several times cheaper than strftime)."""
        if self.sqlite:
            first, length = {"YEAR": (1, 4), "MONTH": (6, 2), "DAY": (9, 2)}[field]
            return f"CAST(substr({day}, {first}, {length}) AS INTEGER)"
        return f"CAST(EXTRACT({field} FROM {day}) AS INTEGER)"

    def is_month_end(self, day: str) -> str:
        if self.sqlite:
            return f"{day} = date({day}, 'start of month', '+1 month', '-1 day')"
        return f"{day} = (date_trunc('month', {day}) + interval '1 month - 1 day')::date"

    def day_number(self, instant: str) -> str:
        """The instant's UTC day as a whole number of days (to subtract one from another)."""
        if self.sqlite:
            return f"CAST(julianday(substr({instant}, 1, 10)) AS INTEGER)"
        return f"(({instant} AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"

    def whole_months(self, start: str, end: str) -> str:
        """domain.dates.whole_months_between in SQL."""
        months = (
            f"({self.part('YEAR', end)} - {self.part('YEAR', start)}) * 12 "
            f"+ {self.part('MONTH', end)} - {self.part('MONTH', start)} "
            f"- CASE WHEN {self.part('DAY', end)} < {self.part('DAY', start)} "
            f"AND NOT ({self.is_month_end(end)}) THEN 1 ELSE 0 END"
        )
        return self.later(months, "0")


def expected_members_sql(dialect: Dialect) -> str:
    """Every member's standing at every company they worked at (domain.company_record): their
    jobs there grouped first, then the account and any company role looked up once per pair."""
    months = dialect.whole_months("start_date", "end_date")
    verified = dialect.any_true(f"verification = '{VerificationState.VERIFIED.value}'")
    jobs = (
        f"SELECT company_id, member_id, {verified} AS verified, {dialect.any_true('end_date IS NULL')} AS current, "
        f"SUM(CASE WHEN end_date IS NULL THEN 0 ELSE {months} END) AS completed_months, MAX(created_at) AS claimed_at "
        "FROM employment GROUP BY company_id, member_id"
    )
    return (
        "SELECT j.company_id, j.member_id, j.verified, j.current, j.completed_months, "
        f"(r.id IS NOT NULL) AS representative, {dialect.later('j.claimed_at', 'm.created_at')} AS claimed_at "
        f"FROM ({jobs}) AS j {dialect.join_in_order} member m ON m.id = j.member_id "
        "LEFT JOIN company_role r ON r.company_id = j.company_id AND r.member_id = j.member_id"
    )


def expected_buckets_sql(dialect: Dialect) -> str:
    """The record's histograms: former non-representative members' total months, and the delay
    of published responses to published reviews (domain.company_record.response_time_bucket)."""
    days = dialect.later(f"{dialect.day_number('resp.created_at')} - {dialect.day_number('rv.created_at')}", "0")
    bucket = f"CASE WHEN days < {RESPONSE_DAYS_MAX} THEN days ELSE {RESPONSE_DAYS_MAX} END"
    return (
        f"SELECT company_id, '{TENURE_MONTHS}' AS measure, completed_months AS value, COUNT(*) AS count "
        "FROM expected_company_member WHERE NOT current AND NOT representative "
        "GROUP BY company_id, completed_months "
        f"UNION ALL SELECT company_id, '{RESPONSE_DAYS}' AS measure, {bucket} AS value, COUNT(*) AS count FROM ("
        f"SELECT resp.company_id, {days} AS days FROM company_response resp "
        f"{dialect.join_in_order} review rv ON rv.id = resp.review_id "
        f"WHERE resp.status = '{ResponseStatus.PUBLISHED.value}' AND rv.{PUBLISHED}) AS delays "
        f"GROUP BY company_id, {bucket}"
    )


COMPANY_TALLIES = ("unanswered_review_count", "member_count", "verified_member_count", "former_member_count",
                   "responded_review_count")


def expected_company_tallies_sql(dialect: Dialect) -> str:
    """Each company's running counts, from the reviews and the recomputed record tables."""
    return (
        "SELECT c.id AS company_id, COALESCE(u.n, 0) AS unanswered_review_count, "
        "COALESCE(m.members, 0) AS member_count, COALESCE(m.verified, 0) AS verified_member_count, "
        "COALESCE(m.former, 0) AS former_member_count, COALESCE(r.n, 0) AS responded_review_count "
        "FROM company c "
        f"LEFT JOIN (SELECT company_id, COUNT(*) AS n FROM review WHERE {PUBLISHED} AND NOT answered "
        "GROUP BY company_id) u ON u.company_id = c.id "
        f"LEFT JOIN (SELECT company_id, COUNT(*) AS members, {dialect.count_true('verified')} AS verified, "
        "SUM(CASE WHEN NOT current THEN 1 ELSE 0 END) AS former FROM expected_company_member "
        "GROUP BY company_id) m ON m.company_id = c.id "
        f"LEFT JOIN (SELECT company_id, SUM(count) AS n FROM expected_record_bucket WHERE measure = '{RESPONSE_DAYS}' "
        "GROUP BY company_id) r ON r.company_id = c.id"
    )


async def _company_tallies_drift(connection: BaseDBAsyncClient, dialect: Dialect) -> int:
    await connection.execute_script(
        f"CREATE TEMPORARY TABLE expected_company AS {expected_company_tallies_sql(dialect)}"
    )
    _, rows = await connection.execute_query(
        f"SELECT COUNT(*) AS drifted FROM company c JOIN expected_company e ON e.company_id = c.id WHERE {_DIFFERS}"
    )
    return int(rows[0]["drifted"])


_DIFFERS = " OR ".join(f"c.{column} <> e.{column}" for column in COMPANY_TALLIES)


async def _rebuild_company_tallies(connection: BaseDBAsyncClient) -> None:
    assignments = ", ".join(f"{column} = e.{column}" for column in COMPANY_TALLIES)
    await connection.execute_query(
        f"UPDATE company AS c SET {assignments} FROM expected_company AS e "
        f"WHERE e.company_id = c.id AND ({_DIFFERS})"
    )


def derived_tables(dialect: Dialect) -> list[Table]:
    """In dependency order: the record's buckets are recomputed from its members."""
    return [
        Table("rating_aggregate", RATING_KEY, RATING_VALUES, expected_ratings_sql(dialect), _nonzero(RATING_VALUES)),
        Table("rating_trend", TREND_KEY, TREND_VALUES, expected_trend_sql(dialect), _nonzero(TREND_VALUES)),
        Table("company_member", MEMBER_KEY, MEMBER_VALUES, expected_members_sql(dialect)),
        Table("record_bucket", BUCKET_KEY, ("count",), expected_buckets_sql(dialect), "count <> 0"),
    ]


# How SQLite sorts and probes a million rows here best: a 16 MB page cache (a bigger one made
# the comparing joins little faster and the sorts slower — one large in-memory sort instead of
# small runs merged), with a second thread to sort the runs.
SQLITE_ROOM_TO_SORT = {"cache_size": -16_384, "threads": 2}


# The rebuilt rows' keys are read from rows whose references were checked when written, and no
# other writer commits while this transaction writes: checking them again per row made copying
# a million member rows three times as slow.
SQLITE_REBUILD_SETTINGS = {**SQLITE_ROOM_TO_SORT, "foreign_keys": 0}


@asynccontextmanager
async def _sqlite_rebuild_settings() -> AsyncIterator[None]:
    """SQLite's cache, sorting threads and key checks set for the recomputation (outside its
    transaction: SQLite ignores a change of key checks inside one), then put back."""
    connection = models.Company._meta.db
    if connection.capabilities.dialect != "sqlite":
        yield
        return
    before = {name: (await connection.execute_query(f"PRAGMA {name}"))[1][0][0] for name in SQLITE_REBUILD_SETTINGS}
    for name, value in SQLITE_REBUILD_SETTINGS.items():
        await connection.execute_script(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        for name, value in before.items():
            await connection.execute_script(f"PRAGMA {name} = {value}")


async def recompute_aggregates(fix: bool) -> Drift:
    """Compare every aggregate with a recomputation from raw rows; fix when asked."""
    async with _sqlite_rebuild_settings(), in_transaction() as connection:
        return await recompute_in(connection, fix)


async def recompute_in(connection: BaseDBAsyncClient, fix: bool) -> Drift:
    """`recompute_aggregates` inside the caller's transaction (a migration's)."""
    dialect = Dialect(connection.capabilities.dialect)
    tables = derived_tables(dialect)
    if fix and not dialect.sqlite:
        names = ", ".join(table.name for table in tables)
        await connection.execute_script(f"LOCK TABLE {names}, company IN SHARE ROW EXCLUSIVE MODE")
    drifts = [await _table_drift(connection, table, dialect) for table in tables]
    company_drift = await _company_tallies_drift(connection, dialect)
    if fix:
        for table, drift in zip(tables, drifts, strict=True):
            if drift:
                await _rebuild(connection, table)
        if company_drift:
            await _rebuild_company_tallies(connection)
        if any(drifts) or company_drift:
            await data_version.bump(connection)
            await data_version.mark_every_company_changed(connection)
    for name in [*(table.name for table in tables), "company"]:
        await connection.execute_script(f"DROP TABLE expected_{name}")
    ratings, trend, members, buckets = drifts
    return Drift(ratings, trend, members, buckets, company_drift)
