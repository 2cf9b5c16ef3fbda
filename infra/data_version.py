"""A version of all public data, read in one cheap statement, that changes whenever a write
that could change what an anonymous reader sees commits — the key of the response cache.

SQLite: triggers on the public tables bump the one `data_version` row inside the writing
transaction (SQLite has one writer at a time, so the row costs no contention). PostgreSQL: the
sum of 16 such rows; a deferred trigger on the public tables bumps, once per writing transaction
and as it commits, the row its transaction id picks (migration 0015), so commits seldom wait on
each other and the version is the database's own — no other database on the server moves it.
Either way the bump commits with the write: a reader that read a version sees every write it
counts.
"""

from __future__ import annotations

import logging
import sqlite3

from tortoise.backends.base.client import BaseDBAsyncClient

from infra.lru import Lru

# Tables whose rows appear on public pages (rating tables move only with these, or through
# repair-aggregates, which bumps the version itself).
PUBLIC_TABLES = ("company", "company_role", "employment", "review", "company_response", "helpful_vote",
                 "audit_entry", "removal_poll", "veto")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
VERSION = "SELECT version FROM data_version WHERE id = 1"


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
    """Idempotent: also re-created after any migration that rebuilt a table."""
    return "\n".join(
        f"CREATE TRIGGER IF NOT EXISTS data_version_{table}_{operation.lower()} AFTER {operation} ON {table} "
        f"BEGIN {BUMP}; END;"
        for table in PUBLIC_TABLES
        for operation in OPERATIONS
    )


def sqlite_trigger_names() -> list[str]:
    return [f"data_version_{table}_{operation.lower()}" for table in PUBLIC_TABLES for operation in OPERATIONS]


POSTGRES_STRIPES = 16
POSTGRES_BUMP = (
    f"UPDATE data_version SET version = version + 1 WHERE id = 1 + pg_current_xact_id()::text::bigint % {POSTGRES_STRIPES}"
)


async def bump(connection: BaseDBAsyncClient) -> None:
    """For writes the triggers do not see (a rebuild of the rating tables)."""
    await connection.execute_query(BUMP if connection.capabilities.dialect == "sqlite" else POSTGRES_BUMP)


async def current(connection: BaseDBAsyncClient) -> str:
    if connection.capabilities.dialect == "sqlite":
        path = getattr(connection, "filename", ":memory:")
        if path == ":memory:":  # one connection holds the whole database
            _, rows = await connection.execute_query(VERSION)
        else:
            # One row by key on the process's own reading connection: no hop to the writer's
            # thread, and it sees exactly what has been committed (fetchall ends its read).
            # Logged with the ORM's statements, so SQL logs and statement counts include it.
            _SQL_LOG.debug("%s: %s", VERSION, None)
            rows = _sqlite_reader(path).execute(VERSION).fetchall()
        return f"v{rows[0][0]}" if rows else "v0"
    _, rows = await connection.execute_query("SELECT SUM(version) AS version FROM data_version")
    return f"v{rows[0]['version'] or 0}"


# Per-company versions (models.CompanyVersion): which companies' ranked facts changed since a
# marker. SQLite commits one writer at a time, so the data version itself orders the changes.
# PostgreSQL commits in any order, so a change carries its transaction id, and a marker is the
# oldest transaction still running when it was taken: every change with a smaller id is already
# visible, and the ones from that id on are read again next time.
_UPSERT = "INSERT INTO company_version (company_id, version) {rows} ON CONFLICT (company_id) DO UPDATE SET version = excluded.version"
_SQLITE_VERSION = f"({VERSION})"
_POSTGRES_VERSION = "pg_current_xact_id()::text::bigint"


def _write_version(connection: BaseDBAsyncClient) -> str:
    return _SQLITE_VERSION if connection.capabilities.dialect == "sqlite" else _POSTGRES_VERSION


async def mark_company_changed(connection: BaseDBAsyncClient, company_id: int) -> None:
    """Inside the writing transaction (after its data version moved, on SQLite)."""
    placeholder = "?" if connection.capabilities.dialect == "sqlite" else "$1"
    rows = f"VALUES ({placeholder}, {_write_version(connection)})"
    await connection.execute_query(_UPSERT.format(rows=rows), [company_id])


async def mark_every_company_changed(connection: BaseDBAsyncClient) -> None:
    """After a bulk rewrite of ranked facts (repair, bulk seeding)."""
    rows = f"SELECT id, {_write_version(connection)} FROM company WHERE true"  # WHERE: SQLite's upsert grammar
    await connection.execute_query(_UPSERT.format(rows=rows))


async def change_marker(connection: BaseDBAsyncClient) -> int:
    """Take before reading what changed; pass to `companies_changed_since` next time."""
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query(VERSION)
        return int(rows[0][0]) if rows else 0
    _, rows = await connection.execute_query(
        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS marker"
    )
    return int(rows[0]["marker"])


async def companies_changed_since(connection: BaseDBAsyncClient, marker: int) -> list[int]:
    placeholder = "?" if connection.capabilities.dialect == "sqlite" else "$1"
    _, rows = await connection.execute_query(
        f"SELECT company_id FROM company_version WHERE version >= {placeholder}", [marker]
    )
    return [int(row["company_id"]) for row in rows]
