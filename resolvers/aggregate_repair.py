"""Recompute every aggregate from raw reviews, set-wise in SQL, and report (or fix) the drift.

The expected aggregates are built by `CREATE TEMPORARY TABLE … AS SELECT … GROUP BY` in one scan
of the published reviews, compared with the stored rows by `EXCEPT` in both directions, and
copied over a drifted table by `INSERT … SELECT`; nothing is loaded into Python, so the repair
costs the same memory at a thousand reviews as at a million. Fixing replaces each drifted table
wholesale inside one transaction that first locks it against writers (PostgreSQL; SQLite
writers already queue behind BEGIN IMMEDIATE), so no increment made meanwhile is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.enums import ReviewStatus
from domain.ratings import ALL_FUNCTIONS, OVERALL
from infra import data_version
from models.ratings import SCORE_BUCKET_COLUMNS
from resolvers.ratings import DIMENSION_COLUMNS

PUBLISHED = f"status = '{ReviewStatus.PUBLISHED.value}'"
RATING_KEY = ("company_id", "scope", "rating_key")
RATING_VALUES = ("count", "total", *SCORE_BUCKET_COLUMNS)
TREND_KEY = ("company_id", "year", "quarter")
TREND_VALUES = ("count", "total")


@dataclass(frozen=True)
class Drift:
    """Aggregate rows (or company counts) whose stored values differed from a recomputation."""

    rating_rows: int
    trend_rows: int
    unanswered_rows: int = 0

    @property
    def total(self) -> int:
        return self.rating_rows + self.trend_rows + self.unanswered_rows


RATING_KEYS = [("overall", OVERALL), *((column, key) for key, column in DIMENSION_COLUMNS.items())]


def _tallies(column: str) -> str:
    """count, total and the five buckets of one score column, named after it."""
    buckets = ", ".join(
        f"SUM(CASE WHEN {column} = {score} THEN 1 ELSE 0 END) AS {column}_{bucket}"
        for score, bucket in enumerate(SCORE_BUCKET_COLUMNS, start=1)
    )
    return f"COUNT({column}) AS {column}_count, SUM({column}) AS {column}_total, {buckets}"


def expected_ratings_sql() -> str:
    """Every published score, per company × scope (all, or the face's job function) × key: one
    scan of the reviews grouped by company and function, then the small result unpivoted."""
    grouped = (
        f"SELECT company_id, job_function, {', '.join(_tallies(column) for column, _ in RATING_KEYS)} "
        f"FROM review WHERE {PUBLISHED} GROUP BY company_id, job_function"
    )
    parts = []
    for column, key in RATING_KEYS:
        values = [f"{column}_{value}" for value in RATING_VALUES]
        summed = ", ".join(f"SUM({v}) AS {name}" for v, name in zip(values, RATING_VALUES, strict=True))
        parts.append(
            f"SELECT company_id, '{ALL_FUNCTIONS}' AS scope, '{key}' AS rating_key, {summed} FROM grouped "
            f"GROUP BY company_id HAVING SUM({column}_count) > 0"
        )
        kept = ", ".join(f"{v} AS {name}" for v, name in zip(values, RATING_VALUES, strict=True))
        parts.append(
            f"SELECT company_id, job_function AS scope, '{key}' AS rating_key, {kept} FROM grouped "
            f"WHERE job_function IS NOT NULL AND {column}_count > 0"
        )
    return f"WITH grouped AS MATERIALIZED ({grouped}) " + " UNION ALL ".join(parts)


def expected_trend_sql(dialect: str) -> str:
    """Published reviews per company and calendar quarter (UTC) of writing."""
    if dialect == "sqlite":
        year = "CAST(substr(created_at, 1, 4) AS INTEGER)"
        month = "CAST(substr(created_at, 6, 2) AS INTEGER)"
    else:
        year = "CAST(EXTRACT(YEAR FROM created_at AT TIME ZONE 'UTC') AS INTEGER)"
        month = "CAST(EXTRACT(MONTH FROM created_at AT TIME ZONE 'UTC') AS INTEGER)"
    quarter = f"(({month} - 1) / 3 + 1)"
    return (
        f"SELECT company_id, {year} AS year, {quarter} AS quarter, COUNT(*) AS count, SUM(overall) AS total "
        f"FROM review WHERE {PUBLISHED} GROUP BY company_id, {year}, {quarter}"
    )


def _nonzero(values: tuple[str, ...]) -> str:
    return " OR ".join(f"{v} <> 0" for v in values)


async def _table_drift(
    connection: BaseDBAsyncClient, table: str, key: tuple[str, ...], values: tuple[str, ...], expected: str
) -> int:
    """Keys whose stored values differ from `expected` (a row of zeros counts as absent).
    `expected` is computed once, into a temporary table the rebuild reuses."""
    columns = ", ".join((*key, *values))
    await connection.execute_script(f"CREATE TEMPORARY TABLE expected_{table} AS {expected}")
    stored = f"SELECT {columns} FROM {table} WHERE {_nonzero(values)}"
    recomputed = f"SELECT {columns} FROM expected_{table}"
    keys = ", ".join(key)
    sql = (
        f"SELECT COUNT(*) AS drifted FROM (SELECT {keys} FROM ("
        f"SELECT * FROM ({stored} EXCEPT {recomputed}) AS extra UNION ALL "
        f"SELECT * FROM ({recomputed} EXCEPT {stored}) AS missing"
        f") AS differing GROUP BY {keys}) AS drifted_keys"
    )
    _, rows = await connection.execute_query(sql)
    return int(rows[0]["drifted"])


async def _rebuild(connection: BaseDBAsyncClient, table: str, key: tuple[str, ...], values: tuple[str, ...]) -> None:
    """The table replaced by its recomputation (left by `_table_drift`)."""
    columns = ", ".join((*key, *values))
    await connection.execute_script(f"DELETE FROM {table}")
    await connection.execute_script(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM expected_{table}")


UNANSWERED = (
    f"(SELECT COUNT(*) FROM review WHERE review.company_id = company.id AND review.{PUBLISHED} "
    "AND NOT review.answered)"
)


async def recompute_aggregates(fix: bool) -> Drift:
    """Compare every aggregate with a recomputation from raw published reviews; fix when asked."""
    async with in_transaction() as connection:
        dialect = connection.capabilities.dialect
        tables = [
            ("rating_aggregate", RATING_KEY, RATING_VALUES, expected_ratings_sql()),
            ("rating_trend", TREND_KEY, TREND_VALUES, expected_trend_sql(dialect)),
        ]
        if fix and dialect != "sqlite":
            await connection.execute_script(
                "LOCK TABLE rating_aggregate, rating_trend, company IN SHARE ROW EXCLUSIVE MODE"
            )
        drifts = [await _table_drift(connection, *table) for table in tables]
        _, rows = await connection.execute_query(
            f"SELECT COUNT(*) AS drifted FROM company WHERE unanswered_review_count <> {UNANSWERED}"
        )
        unanswered = int(rows[0]["drifted"])
        if fix:
            for (name, key, values, _), drift in zip(tables, drifts, strict=True):
                if drift:
                    await _rebuild(connection, name, key, values)
            if unanswered:
                await connection.execute_query(
                    f"UPDATE company SET unanswered_review_count = {UNANSWERED} "
                    f"WHERE unanswered_review_count <> {UNANSWERED}"
                )
            if any(drifts):
                await data_version.bump(connection)
        for name, *_ in tables:
            await connection.execute_script(f"DROP TABLE expected_{name}")
    return Drift(rating_rows=drifts[0], trend_rows=drifts[1], unanswered_rows=unanswered)

