"""A version of all public data, read in one cheap statement, that changes whenever a write
that could change what an anonymous reader sees commits — the key of the response cache.

SQLite: triggers on the public tables bump the one `data_version` row inside the writing
transaction (SQLite has one writer at a time, so the row costs no contention). PostgreSQL:
the transaction snapshot (`pg_current_snapshot()`), which moves whenever any writing
transaction starts or ends, with no write at all; it also moves for writes that change nothing
public, which only costs a cache miss.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

# Tables whose rows appear on public pages (rating tables move only with these, or through
# repair-aggregates, which bumps the version itself).
PUBLIC_TABLES = ("company", "company_role", "employment", "review", "company_response", "helpful_vote",
                 "audit_entry", "removal_poll", "veto")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"


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


async def bump(connection: BaseDBAsyncClient) -> None:
    """For writes the triggers do not see (a rebuild of the rating tables)."""
    if connection.capabilities.dialect == "sqlite":
        await connection.execute_query(BUMP)


async def current(connection: BaseDBAsyncClient) -> str:
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query("SELECT version FROM data_version WHERE id = 1")
        return f"v{rows[0]['version']}" if rows else "v0"
    _, rows = await connection.execute_query("SELECT pg_current_snapshot()::text AS snapshot")
    return str(rows[0]["snapshot"])
