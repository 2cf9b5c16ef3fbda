"""Tortoise configuration and migrations, shared by the app, the CLI and tortoise's own CLI.

Where SQLite and PostgreSQL differ, the difference lives here: the SQLite engine that makes
writers from several processes wait their turn, and how concurrent migrators are serialised.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate
from tortoise.migrations.executor import PlanStep

from infra.settings import Settings
from infra.sqlite_schema import restore_declared_schema

MODEL_MODULES = ["models"]
# Any constant works; it names the lock all workcred migrators of one PostgreSQL database share.
MIGRATION_LOCK_KEY = 0x776F726B63726564


def is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite")


def sqlite_file(database_url: str) -> Path | None:
    """The database file a SQLite URL names; None for an in-memory database."""
    path = expand_db_url(database_url)["credentials"]["file_path"]
    return None if path == ":memory:" else Path(path)


def connection_config(database_url: str) -> str | dict[str, Any]:
    config = expand_db_url(database_url)
    if is_sqlite(database_url):
        config["engine"] = "infra.sqlite_engine"
        return config
    # Plan each statement for its parameters: companies differ in size by five orders of
    # magnitude, and a plan generic over "some company" reads all of a giant one's jobs.
    config["credentials"]["server_settings"] = {"plan_cache_mode": "force_custom_plan"}
    return config


def connection_name(database_url: str) -> str:
    """Named after the dialect: tortoise caches compiled SQL per connection name, so a process
    that uses both databases (the test suite) must not give them the same one."""
    return "sqlite" if is_sqlite(database_url) else "postgres"


def tortoise_config(database_url: str) -> dict[str, Any]:
    name = connection_name(database_url)
    return {
        "connections": {name: connection_config(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": name,
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _sqlite_lock_path(database_file: Path | None) -> Path:
    """The lock every migrator of one SQLite file shares: in the temporary directory, named
    after the file's absolute path, so nothing is left beside the database or in a checkout."""
    digest = hashlib.sha256(str(database_file.resolve() if database_file else ":memory:").encode()).hexdigest()[:24]
    return Path(tempfile.gettempdir()) / f"workcred-{digest}.migrate-lock"


def postgres_address(database_url: str) -> dict[str, Any]:
    """host, port, user, password and database of a PostgreSQL URL, as asyncpg takes them."""
    credentials = expand_db_url(database_url)["credentials"]
    return {
        "host": credentials.get("host") or "localhost",
        "port": int(credentials.get("port") or 5432),
        "user": credentials.get("user"),
        "password": credentials.get("password"),
        "database": credentials.get("database"),
    }


async def raw_postgres_connection(database_url: str, timeout: float = 60) -> Any:
    """An asyncpg connection of its own, outside tortoise's pool (LISTEN, COPY, checks, locks)."""
    import asyncpg

    return await asyncpg.connect(**postgres_address(database_url), timeout=timeout)


@asynccontextmanager
async def migration_lock(database_url: str) -> AsyncIterator[None]:
    """Only one process migrates a database at a time; the others wait, then find nothing to do."""
    if is_sqlite(database_url):
        lock_path = _sqlite_lock_path(sqlite_file(database_url))
        with lock_path.open("w") as handle:
            await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
            yield
        return
    connection = await raw_postgres_connection(database_url)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        yield
    finally:
        await connection.close()  # closing the session releases the advisory lock


async def apply_migrations(database_url: str) -> int:
    """Apply every pending migration, then release the connections the migrator opened.
    Returns how many were applied."""
    planned: list[int] = []

    def count(_connection: str, plan: list[PlanStep], _fake: bool, _dry_run: bool) -> None:
        planned.append(len(plan))

    async with migration_lock(database_url):
        try:
            await migrate(config=_migrating_config(database_url), reporter=count)
        finally:
            await Tortoise.close_connections()
        if is_sqlite(database_url):
            await Tortoise.init(config=tortoise_config(database_url))
            try:
                connection = Tortoise.get_connection(connection_name(database_url))
                await restore_declared_schema(connection)
                await _check_foreign_keys(connection)
            finally:
                await Tortoise.close_connections()
    return sum(planned)


def _migrating_config(database_url: str) -> dict[str, Any]:
    """SQLite migrates with foreign keys off, as SQLite's own recipe for changing a table says:
    it cannot alter a column, so a migration rebuilds the table — and with foreign keys on,
    dropping the old copy deletes every row that references it (a member's jobs, reviews and
    all, through ON DELETE CASCADE). The keys are checked once the migrations are done."""
    config = tortoise_config(database_url)
    if is_sqlite(database_url):
        config["connections"][connection_name(database_url)]["credentials"]["foreign_keys"] = "OFF"
    return config


async def _check_foreign_keys(connection: Any) -> None:
    _, broken = await connection.execute_query("PRAGMA foreign_key_check")
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(f"migrations left rows whose references are broken, in: {', '.join(tables)}")


def __getattr__(name: str) -> Any:
    """`TORTOISE_ORM` for tortoise's own CLI (`tortoise makemigrations`, see pyproject.toml),
    read from the environment only when that CLI asks for it."""
    if name == "TORTOISE_ORM":
        return tortoise_config(Settings.from_env().database_url)
    raise AttributeError(name)
