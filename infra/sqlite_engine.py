"""SQLite for several processes sharing one file.

tortoise begins SQLite transactions DEFERRED: a transaction that reads and then writes can find
another process holding the write lock and fail at once with "database is locked" (SQLite cannot
wait there without risking a deadlock). Here every transaction takes the write lock up front
with BEGIN IMMEDIATE, and a busy database is waited for — by SQLite's busy_timeout, then by
retrying with back-off — for at most LOCK_WAIT_SECONDS. Writes outside explicit transactions are
single statements, which busy_timeout alone covers.
Also: company-name search through its FTS5 index (SearchingSqliteExecutor).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.backends.sqlite.executor import SqliteExecutor
from tortoise.exceptions import TransactionManagementError
from tortoise.filters import search

from infra.company_search import found_by_trigrams

LOCK_WAIT_SECONDS = 30.0


def _is_busy(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        await self._connection.commit()
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = 0.01
        while True:
            try:
                await self._connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() + pause > deadline:
                    raise TransactionManagementError(error) from error
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.25)


class SearchingSqliteExecutor(SqliteExecutor):
    """`id__search` on companies goes through their search index (infra/company_search.py)."""

    FILTER_FUNC_OVERRIDE = {**SqliteExecutor.FILTER_FUNC_OVERRIDE, search: found_by_trigrams}  # noqa: RUF012 (as declared)


class ImmediateSqliteClient(SqliteClient):
    executor_class = SearchingSqliteExecutor

    def _in_transaction(self) -> SqliteTransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
