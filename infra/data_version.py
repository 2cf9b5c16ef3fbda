"""Versions of public data, read in one cheap statement before a request executes: the data
version, which changes whenever a write that could change what an anonymous reader sees commits,
and per company a change stamp (models.CompanyVersion), which moves only with writes that
company's page shows — the keys of the response cache and of the ranking snapshots' refresh.

SQLite: triggers on the public tables bump the one `data_version` row and stamp the row's
company inside the writing transaction (SQLite has one writer at a time, so neither row costs
contention). PostgreSQL: the data version is the sum of 16 such rows; row triggers note the
companies a transaction touched, and a deferred trigger, once per writing transaction and as it
commits, bumps the row its transaction id picks and stamps the noted companies in id order (so
two transactions touching the same companies lock them in the same order and never deadlock) —
migrations 0015 and 0026. Either way the version and the stamps commit with the write: a reader
that read them sees every write they count.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from infra.lru import Lru


@dataclass(frozen=True)
class PageRows:
    """How writes to a public table reach a company's page: `company`, the row's company (an
    expression over `{row}`, NEW or OLD); `shown`, whether the page shows the row (over `{row}`),
    or None when it never does; `columns`, when given, the only columns whose change it shows."""

    company: str = "{row}.company_id"
    shown: str | None = "TRUE"
    columns: tuple[str, ...] = ()

    def stamps(self, operation: str) -> str | None:
        """The condition (SQLite's) under which a write stamps the company, or None when it never
        does. PostgreSQL's are migration 0026's, written from the same rules."""
        if self.shown is None:
            return None
        shown = "TRUE" if self.shown == "TRUE" else " OR ".join(
            f"({self.shown.format(row=row)})" for row in _ROWS_OF[operation]
        )
        if operation != "UPDATE" or not self.columns:
            return shown
        return f"({shown}) AND ({' OR '.join(f'NEW.{c} IS NOT OLD.{c}' for c in self.columns)})"


_REVIEW_COMPANY = "(SELECT company_id FROM review WHERE id = {row}.review_id)"
# Tables whose rows appear on public pages (rating tables move only with these, or through
# repair-aggregates, which bumps the version itself). Every write to one moves the data version;
# one that a company page shows also stamps that company (models.CompanyVersion), in the same
# transaction. What the page does not show stamps nothing, so that how fresh a cached page is
# (its X-Cache, its ETag, how fast it answers) never tells the company of it: members' jobs and
# the company's roles (the record's figures move in steps of k, and a cached page's record is
# refreshed with the entry, within WORKCRED_RESPONSE_CACHE_SECONDS), held reviews, the running
# member counts, and a poll's tallies (published once it settles).
PUBLIC_TABLES: dict[str, PageRows] = {
    "company": PageRows("{row}.id", columns=(
        "slug", "name", "industry", "size_band", "headquarters_city", "description", "website",
        "unanswered_review_count", "responded_review_count",
    )),
    "company_role": PageRows(shown=None),
    "employment": PageRows(shown=None),
    "review": PageRows(shown="{row}.status IN ('PUBLISHED', 'REMOVED_BY_VOTE', 'REMOVED_BY_MODERATION')"),
    "company_response": PageRows(),
    "helpful_vote": PageRows(_REVIEW_COMPANY),
    "audit_entry": PageRows(
        f"COALESCE({_REVIEW_COMPANY}, (SELECT company_id FROM company_response WHERE id = {{row}}.response_id))"
    ),
    "removal_poll": PageRows(columns=("status", "settled_at", "vetoed", "closes_at", "reason", "note")),
    "veto": PageRows(),
}
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
VERSION = "SELECT version FROM data_version WHERE id = 1"
_ROWS_OF = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


_SQL_LOG = logging.getLogger("tortoise.db_client")
# A process serves one database; a few more are kept for tools and tests that switch between.
_SQLITE_READERS: Lru[str, sqlite3.Connection] = Lru(4, on_evict=sqlite3.Connection.close)


def _sqlite_reader(path: str) -> sqlite3.Connection:
    reader = _SQLITE_READERS.get(path)
    if reader is None:
        reader = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        _SQLITE_READERS.put(path, reader)
    return reader


def sqlite_triggers() -> str:
    """One statement per line. Idempotent: also re-created after any migration that rebuilt a
    table. The company's stamp is the version its write moved to (so the bump comes first), and
    only a company still there is stamped (a delete may cascade from the company itself)."""
    return "\n".join(
        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {operation} ON {table} BEGIN {BUMP}; {stamp}END;"
        for table, operation, name in _sqlite_triggers()
        for stamp in [_sqlite_stamp(table, operation)]
    )


def _sqlite_stamp(table: str, operation: str) -> str:
    rows = PUBLIC_TABLES[table]
    condition = rows.stamps(operation)
    if condition is None:
        return ""
    companies = ", ".join(rows.company.format(row=row) for row in _ROWS_OF[operation])
    return (
        "INSERT INTO company_version (company_id, version) SELECT company.id, data_version.version "
        f"FROM company, data_version WHERE data_version.id = 1 AND company.id IN ({companies}) "
        f"AND ({condition}) ON CONFLICT (company_id) DO UPDATE SET version = excluded.version; "
    )


def sqlite_trigger_names() -> list[str]:
    return [name for _, _, name in _sqlite_triggers()]


def _sqlite_triggers() -> list[tuple[str, str, str]]:
    return [(table, operation, f"public_change_{table}_{operation.lower()}")
            for table in PUBLIC_TABLES for operation in OPERATIONS]


POSTGRES_STRIPES = 16
POSTGRES_BUMP = (
    f"UPDATE data_version SET version = version + 1 WHERE id = 1 + pg_current_xact_id()::text::bigint % {POSTGRES_STRIPES}"
)


async def bump(connection: BaseDBAsyncClient) -> None:
    """For writes the triggers do not see (a rebuild of the rating tables)."""
    await connection.execute_query(BUMP if connection.capabilities.dialect == "sqlite" else POSTGRES_BUMP)


Stamps = tuple[tuple[int, int], ...]  # (company, stamp) pairs, by company


def stamps_as_text(stamps: Stamps) -> str:
    """"company:stamp,…", as SQLite's group_concat below writes them."""
    return ",".join(f"{company}:{stamp}" for company, stamp in stamps)


def stamps_from_text(text: str) -> Stamps:
    """The inverse of `stamps_as_text` (in any order), by company."""
    return tuple(sorted((int(company), int(stamp)) for company, stamp in (pair.split(":") for pair in text.split(","))))


@dataclass(frozen=True)
class Version:
    """Where public data stood, read in one statement (one snapshot).

    `data` is equal between two reads exactly when no public write committed in between.
    `stamps`: the change stamps (models.CompanyVersion) of the companies asked about, by
    company; a company that no longer exists is left out. A stamp moves with every write its
    company's page shows, so equal stamps mean an unchanged page.
    `marker` splits the stamps in time: a stamp below it was committed and visible to this read;
    one at or above it may not have been. SQLite stamps a change with the data version it moved
    to, so the marker is the data version plus one; PostgreSQL stamps it with its transaction
    id, and the marker is the oldest transaction still running (on the whole server)."""

    data: str
    marker: int
    stamps: Stamps = ()


async def current(connection: BaseDBAsyncClient, companies: Sequence[int] = ()) -> Version:
    """The version, with the stamps of `companies`."""
    if connection.capabilities.dialect == "sqlite":
        statement = (
            "SELECT version, (SELECT group_concat(company_id || ':' || version) FROM company_version "
            f"WHERE company_id IN ({', '.join('?' * len(companies))})) FROM data_version WHERE id = 1"
            if companies else VERSION
        )
        path = getattr(connection, "filename", ":memory:")
        if path == ":memory:":  # one connection holds the whole database
            _, rows = await connection.execute_query(statement, list(companies))
        else:
            # By key on the process's own reading connection: no hop to the writer's thread,
            # and it sees exactly what has been committed (fetchall ends its read). Logged with
            # the ORM's statements, so SQL logs and statement counts include it.
            _SQL_LOG.debug("%s: %s", statement, companies)
            rows = _sqlite_reader(path).execute(statement, list(companies)).fetchall()
        version = int(rows[0][0]) if rows else 0
        pairs = rows[0][1] if companies and rows else None
        return Version(f"v{version}", version + 1, stamps_from_text(pairs) if pairs else ())
    _, rows = await connection.execute_query(
        "SELECT (SELECT SUM(version) FROM data_version) AS version, "
        "pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS marker, "
        "(SELECT array_agg(ARRAY[company_id::bigint, version] ORDER BY company_id) FROM company_version "
        "WHERE company_id = ANY($1::int[])) AS stamps",
        [list(companies)],
    )
    row = rows[0]
    return Version(f"v{row['version'] or 0}", int(row["marker"]),
                   tuple((int(c), int(v)) for c, v in row["stamps"] or ()))


async def mark_every_company_changed(connection: BaseDBAsyncClient) -> None:
    """After a bulk rewrite of what company pages show (repair, bulk seeding), which the
    triggers do not see: SQLite after `bump`, PostgreSQL by this transaction's id."""
    stamp = f"({VERSION})" if connection.capabilities.dialect == "sqlite" else "pg_current_xact_id()::text::bigint"
    await connection.execute_query(
        "INSERT INTO company_version (company_id, version) "
        f"SELECT id, {stamp} FROM company WHERE true "  # WHERE: SQLite's upsert grammar
        "ON CONFLICT (company_id) DO UPDATE SET version = excluded.version"
    )


async def companies_changed_since(connection: BaseDBAsyncClient, marker: int) -> list[int]:
    """The companies stamped at or after `marker` (a Version's, taken before the last look)."""
    placeholder = "?" if connection.capabilities.dialect == "sqlite" else "$1"
    _, rows = await connection.execute_query(
        f"SELECT company_id FROM company_version WHERE version >= {placeholder}", [marker]
    )
    return [int(row["company_id"]) for row in rows]
