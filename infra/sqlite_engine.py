"""SQLite for several processes sharing one file.

tortoise begins SQLite transactions DEFERRED: a transaction that reads and then writes can find
another process holding the write lock and fail at once with "database is locked" (SQLite cannot
wait there without risking a deadlock). Here every transaction takes the write lock up front
with BEGIN IMMEDIATE, and a busy database is waited for — by SQLite's busy_timeout, then by
retrying with back-off — for at most LOCK_WAIT_SECONDS. Writes outside explicit transactions are
single statements, which busy_timeout alone covers.
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
from tortoise.exceptions import TransactionManagementError

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


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> SqliteTransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
