"""Real databases for tests: SQLite files and PostgreSQL databases, copies of templates built
once per run and shared by every test process (pytest-xdist workers).

A template is built by whichever process needs it first, under a file lock the others wait on:
migrated (every migration applied) or demo (migrated, then seeded by `workcred seed-demo`).
A SQLite test gets a copy of the template file. A PostgreSQL test gets its process's own copy of
the template, reset to the template's rows before each test (a copy of a database costs ~0.35 s,
a reset ~0.04 s), under a URL of its own (`application_name`), so nothing a process keeps per
database URL (the ranking snapshot) outlives the test.

Every PostgreSQL database a run creates is named after the run and dropped when it ends.
Set WORKCRED_TEST_POSTGRES_URL to use another server (default: the local one, user postgres);
set WORKCRED_REQUIRE_POSTGRES=1 (as .ci/run does) to fail instead of skipping when it is down.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import io
import itertools
import os
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Coroutine, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from infra.settings import DEFAULT_SQLITE_PRAGMAS

T = TypeVar("T")

POSTGRES_SERVER_URL = os.environ.get(
    "WORKCRED_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("WORKCRED_REQUIRE_POSTGRES", "") not in ("", "0", "false")
# Set by the first process of a run (the xdist controller, or pytest alone) for all its workers.
RUN_VARIABLE, SHARED_DIRECTORY_VARIABLE = "WORKCRED_TEST_RUN", "WORKCRED_TEST_SHARED_DIRECTORY"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
CONTENTS = ("migrated", "demo")
_numbers = itertools.count(1)


def start_run() -> bool:
    """Name the run and its shared directory, unless a parent process did; True if this call did."""
    if RUN_VARIABLE in os.environ:
        return False
    os.environ[RUN_VARIABLE] = f"workcred_test_{secrets.token_hex(5)}"
    os.environ[SHARED_DIRECTORY_VARIABLE] = tempfile.mkdtemp(prefix="workcred-test-")
    return True


def end_run() -> None:
    """Drop the run's databases and its shared directory (by the process that started the run)."""
    run_sync(drop_run_databases())
    shutil.rmtree(shared_directory(), ignore_errors=True)


def run_prefix() -> str:
    return os.environ[RUN_VARIABLE]


def shared_directory() -> Path:
    return Path(os.environ[SHARED_DIRECTORY_VARIABLE])


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def sqlite_url(path: Path) -> str:
    return f"sqlite://{path}?{DEFAULT_SQLITE_PRAGMAS}"


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite://").split("?")[0])


def postgres_url(database: str, application: str | None = None) -> str:
    parts = urlsplit(POSTGRES_SERVER_URL)
    query = f"application_name={application}" if application else ""
    return urlunsplit(parts._replace(path=f"/{database}", query=query))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def new_database_name(purpose: str) -> str:
    return f"{run_prefix()}_{WORKER}_{purpose}_{next(_numbers)}"


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

    try:
        connection = await asyncpg.connect(POSTGRES_SERVER_URL, timeout=5)
    except (OSError, asyncpg.PostgresError):
        return  # no server, so nothing of this run's on it
    try:
        names = [
            row["datname"]
            for row in await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{run_prefix()}%"
            )
        ]
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@contextlib.contextmanager
def exclusively(name: str, wait: bool = True) -> Iterator[bool]:
    """Held by one process of the run at a time: the others wait for it, or (`wait=False`) go
    on without it. Yields whether this process holds it."""
    with (shared_directory() / f"{name}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def seed_with_the_cli(database_url: str, environment: dict[str, str]) -> str:
    """`workcred seed-demo` run in-process (in a thread of its own, as it runs its own event
    loop); returns what it printed."""
    from workcred.cli import main

    printed = io.StringIO()

    def seed() -> int:
        with contextlib.redirect_stdout(printed):
            return main(["seed-demo"], environ={**environment, "DATABASE_URL": database_url})

    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(seed).result()
    assert status == 0, printed.getvalue()
    return printed.getvalue()


Template = tuple[str, str]  # (database kind, content)


def template(kind: str, content: str, environment: dict[str, str], meanwhile: Iterable[Template] = ()) -> str:
    """The run's template of `content` on `kind`, built on first use by one process; its URL.
    `environment`: the suite's settings, which the demo is seeded under. While another process
    builds it, this one builds those of `meanwhile` (templates the run needs) nobody has started."""
    if (url := _built(kind, content)) is not None:
        return url
    with exclusively(f"{kind}-{content}", wait=False) as held:
        if held:
            return _built(kind, content) or _build(kind, content, environment)
    for other in meanwhile:
        with exclusively("-".join(other), wait=False) as held:
            if held and _built(*other) is None:
                _build(*other, environment)
    with exclusively(f"{kind}-{content}"):
        return _built(kind, content) or _build(kind, content, environment)


def _built(kind: str, content: str) -> str | None:
    marker = shared_directory() / f"{kind}-{content}.url"
    return marker.read_text() if marker.exists() else None


def _build(kind: str, content: str, environment: dict[str, str]) -> str:
    """Under the template's lock. A demo is a copy of the migrated template, seeded."""
    from infra.db import apply_migrations

    if kind == "sqlite":
        url = sqlite_url(shared_directory() / f"{content}.sqlite3")
        if content == "migrated":
            run_sync(apply_migrations(url))
        else:
            shutil.copyfile(sqlite_path(template(kind, "migrated", environment)), sqlite_path(url))
    else:
        name = f"{run_prefix()}_template_{content}"
        base = None if content == "migrated" else database_name(template(kind, "migrated", environment))
        url = run_sync(create_postgres_database(name, template=base))
        if content == "migrated":
            run_sync(apply_migrations(url))
    if content == "demo":
        (shared_directory() / f"{kind}-demo.printed").write_text(seed_with_the_cli(url, environment))
    (shared_directory() / f"{kind}-{content}.url").write_text(url)
    return url


def demo_seeding_report(kind: str) -> str:
    """What `workcred seed-demo` printed when it built the run's demo template on `kind`."""
    return (shared_directory() / f"{kind}-demo.printed").read_text()


def copy_of_sqlite(template_url: str, directory: Path) -> str:
    path = directory / f"copy-{next(_numbers)}.sqlite3"
    shutil.copyfile(sqlite_path(template_url), path)
    return sqlite_url(path)


# Every column (and its type), index, constraint and trigger of the public schema, as one digest.
SCHEMA_DIGEST = """
SELECT md5(string_agg(item, ',' ORDER BY item)) FROM (
  SELECT c.relname || '.' || a.attname || ':' || a.atttypid::text AS item
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('i', 'S')
  UNION ALL SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
) AS schema
"""


@dataclass
class ReusableDatabase:
    """A test process's own copy of a PostgreSQL template, put back to the template's rows before
    each test: every table emptied and refilled, every sequence set back, with triggers (the
    audit log's append-only guard, foreign keys) off for the reset only. A test that changed the
    schema itself (dropped a table to see the app fail) gets a new copy instead."""

    name: str
    template_url: str
    schema: str  # SCHEMA_DIGEST of the template
    rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]  # table → (columns, rows)
    sequences: dict[str, int | None]  # sequence → last value (None: never used)

    @classmethod
    def copied_from(cls, template_url: str, purpose: str) -> ReusableDatabase:
        name = new_database_name(purpose)
        url = run_sync(create_postgres_database(name, template=database_name(template_url)))
        schema, rows, sequences = run_sync(_contents(url))
        return cls(name, template_url, schema, rows, sequences)

    def reset(self) -> None:
        if not run_sync(self._reset()):
            run_sync(drop_postgres_database(self.name))
            run_sync(create_postgres_database(self.name, template=database_name(self.template_url)))

    def url_for_one_test(self) -> str:
        return postgres_url(self.name, application=f"{WORKER}_test_{next(_numbers)}")

    async def _reset(self) -> bool:
        """False when the schema is no longer the template's (nothing was reset then)."""
        import asyncpg

        await _admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{self.name}' AND pid <> pg_backend_pid()"
        )
        connection = await asyncpg.connect(postgres_url(self.name))
        try:
            if await connection.fetchval(SCHEMA_DIGEST) != self.schema:
                return False
            async with connection.transaction():
                await connection.execute("SET LOCAL session_replication_role = replica")
                await connection.execute("; ".join(f'DELETE FROM "{table}"' for table in self.rows))
                for table, (columns, records) in self.rows.items():
                    if records:
                        await connection.copy_records_to_table(table, records=records, columns=columns)
                for sequence, value in self.sequences.items():
                    await connection.execute(
                        "SELECT setval($1, $2, $3)", sequence, value or 1, value is not None
                    )
            return True
        finally:
            await connection.close()


async def _contents(
    url: str,
) -> tuple[str, dict[str, tuple[list[str], list[tuple[Any, ...]]]], dict[str, int | None]]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        schema = await connection.fetchval(SCHEMA_DIGEST)
        tables = [row["tablename"] for row in await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'tortoise_migrations'"
        )]
        rows = {}
        for table in tables:
            records = await connection.fetch(f'SELECT * FROM "{table}"')
            columns = list(records[0].keys()) if records else []
            rows[table] = (columns, [tuple(record) for record in records])
        sequences = {
            f'public."{row["sequencename"]}"': row["last_value"]
            for row in await connection.fetch("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        }
        return schema, rows, sequences
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
