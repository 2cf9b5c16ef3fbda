"""Real databases for tests: SQLite files and PostgreSQL databases, one fresh copy per test.

Every PostgreSQL database a run creates is named after the run and dropped when it ends.
Set WORKCRED_TEST_POSTGRES_URL to use another server (default: the local one, user postgres);
set WORKCRED_REQUIRE_POSTGRES=1 (as .ci/run does) to fail instead of skipping when it is down.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import sqlite3
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from infra.settings import DEFAULT_SQLITE_PRAGMAS

T = TypeVar("T")

POSTGRES_SERVER_URL = os.environ.get(
    "WORKCRED_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("WORKCRED_REQUIRE_POSTGRES", "") not in ("", "0", "false")
RUN_PREFIX = f"workcred_test_{os.getpid()}_{secrets.token_hex(3)}"
_numbers = itertools.count(1)


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def sqlite_url(path: Path) -> str:
    return f"sqlite://{path}?{DEFAULT_SQLITE_PRAGMAS}"


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite://").split("?")[0])


def postgres_url(database: str) -> str:
    parts = urlsplit(POSTGRES_SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{database}"))


def new_database_name(purpose: str) -> str:
    return f"{RUN_PREFIX}_{purpose}_{next(_numbers)}"


async def _admin(sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_SERVER_URL, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def postgres_unreachable() -> str | None:
    """None when the server answers, else why not."""
    try:
        await _admin("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL at {POSTGRES_SERVER_URL} is not reachable: {error}"
    return None


async def create_postgres_database(name: str, template: str | None = None) -> str:
    clause = f' TEMPLATE "{template}"' if template else ""
    await _admin(f'CREATE DATABASE "{name}"{clause}')
    return postgres_url(name)


async def drop_postgres_database(name: str) -> None:
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def drop_run_databases() -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_SERVER_URL, timeout=5)
    try:
        names = [
            row["datname"]
            for row in await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{RUN_PREFIX}%"
            )
        ]
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def fetch(url: str, sql: str) -> list[tuple]:
    """Rows of a plain SQL query, on either database (for tests that inspect raw tables)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(sqlite_path(url)) as connection:
            return connection.execute(sql).fetchall()

    async def run() -> list[tuple]:
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            return [tuple(row) for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    return run_sync(run())


def execute(url: str, sql: str) -> None:
    if url.startswith("sqlite"):
        with sqlite3.connect(sqlite_path(url)) as connection:
            connection.execute(sql)
        return

    async def run() -> None:
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    run_sync(run())
