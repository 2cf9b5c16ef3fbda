"""Fixtures: the real app (lifespan included) over ASGI, on a real database per test.

Tests that use a database run twice: on a SQLite file and on a PostgreSQL database, each a
fresh copy of a template migrated (or seeded with the demo data) once per run.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app import create_app
from infra.db import apply_migrations
from infra.settings import Settings
from tests.api import Api
from tests.databases import (
    REQUIRE_POSTGRES,
    create_postgres_database,
    drop_postgres_database,
    drop_run_databases,
    new_database_name,
    postgres_unreachable,
    run_sync,
    sqlite_path,
    sqlite_url,
)

DATABASE_KINDS = ["sqlite", "postgres"]


def test_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        # OWASP's minimum argon2id cost keeps the suite fast; production uses the defaults.
        argon2_time_cost=2,
        argon2_memory_kib=19_456,
        argon2_parallelism=1,
        auto_migrate=False,  # every test database is a copy of a migrated template
        # Plumbing tests run with one-person faces and no waiting period; the anonymity tests
        # (tests/test_anonymity.py) run with the production rule.
        k_anonymity=1,
        colleague_min_age_days=0,
        # Fixtures sign up and write a lot from one address; the limits have their own tests.
        rate_limit_signin="10000/minute",
        rate_limit_signup="10000/minute",
        rate_limit_writes="10000/minute",
        rate_limit_stints="10000/minute",
    )


async def seed_demo_data(database_url: str) -> None:
    from tortoise import Tortoise

    from domain.member import Passwords
    from infra.db import tortoise_config
    from infra.settings import put_in_force
    from workcred.demo import seed_demo

    await Tortoise.init(config=tortoise_config(database_url))
    try:
        put_in_force(test_settings(database_url))
        await seed_demo(Passwords(time_cost=2, memory_kib=19_456, parallelism=1))
    finally:
        await Tortoise.close_connections()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[None]:
    """Skips (or, when required, fails) the PostgreSQL half of the suite if the server is down;
    drops every database this run created when the run ends."""
    reason = run_sync(postgres_unreachable())
    if reason is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (WORKCRED_REQUIRE_POSTGRES is set)", pytrace=False)
        pytest.skip(reason)
    yield
    run_sync(drop_run_databases())


@pytest.fixture(scope="session")
def templates() -> dict[tuple[str, str], str]:
    """(kind, "migrated" | "demo") → template, created on first use."""
    return {}


def _template(
    templates: dict[tuple[str, str], str], kind: str, content: str, tmp_path_factory: pytest.TempPathFactory
) -> str:
    key = (kind, content)
    if key in templates:
        return templates[key]
    if kind == "sqlite":
        path = tmp_path_factory.mktemp(content) / "template.sqlite3"
        if content == "migrated":
            run_sync(apply_migrations(sqlite_url(path)))
        else:
            shutil.copyfile(sqlite_path(_template(templates, kind, "migrated", tmp_path_factory)), path)
            run_sync(seed_demo_data(sqlite_url(path)))
        templates[key] = sqlite_url(path)
    else:
        name = new_database_name(f"template_{content}")
        base = None if content == "migrated" else _database_name(
            _template(templates, kind, "migrated", tmp_path_factory)
        )
        url = run_sync(create_postgres_database(name, template=base))
        if content == "migrated":
            run_sync(apply_migrations(url))
        else:
            run_sync(seed_demo_data(url))
        templates[key] = url
    return templates[key]


def _database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=DATABASE_KINDS)
def database_kind(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.getfixturevalue("postgres_server")
    return request.param


@pytest.fixture
def fresh_database(
    database_kind: str, tmp_path: Path, templates, tmp_path_factory
) -> Iterator[Callable[[str], str]]:
    """`fresh_database("migrated" | "demo")` → the URL of a new copy of that template."""
    created: list[str] = []
    copies = itertools.count()

    def copy(content: str) -> str:
        template = _template(templates, database_kind, content, tmp_path_factory)
        if database_kind == "sqlite":
            path = tmp_path / f"{content}-{next(copies)}.sqlite3"
            shutil.copyfile(sqlite_path(template), path)
            return sqlite_url(path)
        name = new_database_name("test")
        created.append(name)
        return run_sync(create_postgres_database(name, template=_database_name(template)))

    yield copy
    for name in created:
        run_sync(drop_postgres_database(name))


@pytest.fixture
def settings(fresh_database: Callable[[str], str]) -> Settings:
    return test_settings(fresh_database("migrated"))


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    async with Api.running(create_app(settings)) as client:
        yield client


@pytest.fixture
def settings_with(settings: Settings):
    """Derive settings with a few fields changed: `settings_with(k_anonymity=3)`."""
    return lambda **changes: replace(settings, **changes)


@pytest.fixture
async def demo(fresh_database: Callable[[str], str]) -> AsyncIterator[Api]:
    """The api over a fresh copy of the demo data, seeded once per run by the real seeder."""
    async with Api.running(create_app(test_settings(fresh_database("demo")))) as client:
        yield client



@pytest.fixture
def empty_database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all."""
    if database_kind == "sqlite":
        yield sqlite_url(tmp_path / "empty.sqlite3")
        return
    name = new_database_name("empty")
    yield run_sync(create_postgres_database(name))
    run_sync(drop_postgres_database(name))


REDIS_URL = os.environ.get("WORKCRED_TEST_REDIS_URL", "redis://127.0.0.1:6379")
REQUIRE_REDIS = os.environ.get("WORKCRED_REQUIRE_REDIS", "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The machine's Redis; skips (or, when required, fails) the tests that need it if it is down."""
    import socket

    host, port = REDIS_URL.removeprefix("redis://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            answered = connection.recv(16).startswith(b"+PONG")
    except OSError:
        answered = False
    if not answered:
        reason = f"Redis is not answering at {REDIS_URL}"
        if REQUIRE_REDIS:
            pytest.fail(f"{reason} (WORKCRED_REQUIRE_REDIS is set)", pytrace=False)
        pytest.skip(reason)
    return REDIS_URL
