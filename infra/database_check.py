"""A look at the operator's database before a command touches it, so that every problem an
operator can cause — a host that does not answer, a database that does not exist, a directory
that is not there, a schema that was never migrated — is one clear line, and no file is
created by a command that does not migrate."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import migrations
from infra.db import is_sqlite, postgres_address, raw_postgres_connection, sqlite_file

CONNECT_TIMEOUT_SECONDS = 5
MIGRATIONS_TABLE = "tortoise_migrations"
MIGRATE_HINT = "run `workcred migrate` first"


class DatabaseProblem(Exception):
    """The database cannot be used as asked; the message is the whole explanation."""


def known_migrations() -> list[str]:
    """Names of the migrations this version of workcred ships, in order."""
    folder = Path(migrations.__file__).parent
    return sorted(path.stem for path in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))


def _schema_state(applied: set[str], where: str) -> None:
    """Raise unless every shipped migration, and nothing newer, has been applied."""
    known = known_migrations()
    if unknown := sorted(applied - set(known)):
        raise DatabaseProblem(
            f"{where} was migrated by a newer workcred (unknown migration {unknown[-1]}); upgrade workcred"
        )
    if missing := [name for name in known if name not in applied]:
        done = len(known) - len(missing)
        raise DatabaseProblem(
            f"{where} is not migrated ({done} of {len(known)} migrations applied): {MIGRATE_HINT}"
        )


def _check_sqlite(path: Path, will_migrate: bool) -> None:
    where = f"the SQLite database {path}"
    if not path.exists():
        if not will_migrate:
            raise DatabaseProblem(f"no database at {path}: {MIGRATE_HINT}")
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            raise DatabaseProblem(f"cannot create {where}: {parent} is a file, not a directory")
        if not parent.is_dir():
            raise DatabaseProblem(f"cannot create {where}: directory {parent} does not exist")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise DatabaseProblem(f"cannot create {where}: directory {parent} is not writable")
        return
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a directory, not a SQLite database file")
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseProblem(f"cannot write {where} (or its directory): check the permissions")
    try:
        # Read-only, by URI: looking must never create or change anything.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            has_table = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
            ).fetchone()
            query = f"SELECT name FROM {MIGRATIONS_TABLE} WHERE app = 'models'"
            applied = {row[0] for row in connection.execute(query)} if has_table else set()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise DatabaseProblem(f"{path} is not a usable SQLite database: {error}") from None
    if not will_migrate:
        _schema_state(applied, where)


async def _check_postgres(database_url: str, will_migrate: bool) -> None:
    import asyncpg

    address = postgres_address(database_url)
    host, port, database, user = address["host"], address["port"], address["database"], address["user"]
    where = f"PostgreSQL database {database!r} on {host}:{port}"
    try:
        connection = await raw_postgres_connection(database_url, timeout=CONNECT_TIMEOUT_SECONDS)
    except asyncpg.InvalidCatalogNameError:
        raise DatabaseProblem(f"{where} does not exist: create it first (createdb {database})") from None
    except (asyncpg.InvalidAuthorizationSpecificationError, asyncpg.InvalidPasswordError) as error:
        raise DatabaseProblem(f"PostgreSQL on {host}:{port} refused user {user!r}: {error}") from None
    except (TimeoutError, OSError) as error:
        reason = str(error) or type(error).__name__
        raise DatabaseProblem(f"cannot reach PostgreSQL at {host}:{port}: {reason}") from None
    except asyncpg.PostgresError as error:
        raise DatabaseProblem(f"{where}: {error}") from None
    try:
        if will_migrate:
            return
        has_table = await connection.fetchval("SELECT to_regclass($1) IS NOT NULL", MIGRATIONS_TABLE)
        applied = (
            {r["name"] for r in await connection.fetch(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE app = 'models'")}
            if has_table
            else set()
        )
    finally:
        await connection.close()
    _schema_state(applied, where)


async def check_database(database_url: str, *, will_migrate: bool) -> None:
    """Raise DatabaseProblem unless the command can go ahead: a command that migrates needs a
    reachable server or a creatable file; any other needs a database migrated to this version."""
    if is_sqlite(database_url):
        if (path := sqlite_file(database_url)) is not None:
            _check_sqlite(path, will_migrate)
        return
    await _check_postgres(database_url, will_migrate)
