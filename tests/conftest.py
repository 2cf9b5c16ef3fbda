"""Fixtures: the real app (lifespan included) over ASGI, on a real database per test.

Tests that use a database run twice: on a SQLite file and on a PostgreSQL database, each holding
what a template holds — migrated, or the demo data — built once per run (tests/databases.py).
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app import create_app
from infra.settings import Settings
from tests.api import Api
from tests.databases import (
    REQUIRE_POSTGRES,
    ReusableDatabase,
    copy_of_sqlite,
    create_postgres_database,
    database_name,
    drop_postgres_database,
    end_run,
    new_database_name,
    postgres_unreachable,
    run_sync,
    sqlite_url,
    start_run,
    template,
)
from tests.mailbox import close_mailbox
from tests.suite import DEMO_SEEDING_ENVIRONMENT, suite_settings

DATABASE_KINDS = ["sqlite", "postgres"]
_STARTED_THE_RUN = pytest.StashKey[bool]()
_NEEDED_TEMPLATES = pytest.StashKey[list[tuple[str, str]]]()


def pytest_configure(config: pytest.Config) -> None:
    # The first process (pytest alone, or xdist's controller before it starts its workers)
    # names the run; its workers inherit the name through the environment.
    config.stash[_STARTED_THE_RUN] = start_run()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The templates this run's tests need (each test process collects them all): a process
    waiting for one template builds another meanwhile, demo data first (they take longest)."""
    needed = set()
    for item in items:
        names = getattr(item, "fixturenames", ())
        kind = getattr(getattr(item, "callspec", None), "params", {}).get("database_kind")
        if kind is not None:
            needed.add((kind, "demo" if {"demo", "demo_database_url"} & set(names) else "migrated"))
    config.stash[_NEEDED_TEMPLATES] = sorted(needed, key=lambda template: (template[1] != "demo", template))


def pytest_unconfigure(config: pytest.Config) -> None:
    close_mailbox()
    if config.stash.get(_STARTED_THE_RUN, False):
        end_run()


@pytest.fixture(scope="session")
def postgres_server() -> None:
    """Skips (or, when required, fails) the PostgreSQL half of the suite if the server is down."""
    reason = run_sync(postgres_unreachable())
    if reason is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (WORKCRED_REQUIRE_POSTGRES is set)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(params=DATABASE_KINDS)
def database_kind(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.getfixturevalue("postgres_server")
    return request.param


@pytest.fixture(scope="session")
def reusable_databases() -> dict[str, ReusableDatabase]:
    """This process's own PostgreSQL copies of the templates, by content, made on first use."""
    return {}


@pytest.fixture
def fresh_database(
    database_kind: str, tmp_path: Path, reusable_databases: dict[str, ReusableDatabase], request: pytest.FixtureRequest
) -> Iterator[Callable[[str], str]]:
    """`fresh_database("migrated" | "demo")` → the URL of a database holding exactly what that
    template holds. On PostgreSQL the first of each content in a test is this process's reusable
    copy, reset; any further one is a new copy, dropped after the test."""
    reused: set[str] = set()
    created: list[str] = []

    def database(content: str) -> str:
        meanwhile = request.config.stash.get(_NEEDED_TEMPLATES, [])
        source = template(database_kind, content, DEMO_SEEDING_ENVIRONMENT, meanwhile)
        if database_kind == "sqlite":
            return copy_of_sqlite(source, tmp_path)
        if content not in reused:
            reused.add(content)
            if content not in reusable_databases:
                reusable_databases[content] = ReusableDatabase.copied_from(source, content)
            reusable_databases[content].reset()
            return reusable_databases[content].url_for_one_test()
        name = new_database_name(content)
        created.append(name)
        return run_sync(create_postgres_database(name, template=database_name(source)))

    yield database
    for name in created:
        run_sync(drop_postgres_database(name))


def module_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """For a module-scoped fixture parametrized by database kind: a migrated database of the
    module's own (servers the module's tests share hold it the whole time), dropped after it."""
    source = template(request.param, "migrated", DEMO_SEEDING_ENVIRONMENT)
    if request.param == "sqlite":
        return copy_of_sqlite(source, tmp_path_factory.mktemp("module"))
    request.getfixturevalue("postgres_server")
    name = new_database_name("module")
    request.addfinalizer(lambda: run_sync(drop_postgres_database(name)))
    return run_sync(create_postgres_database(name, template=database_name(source)))


@pytest.fixture
def settings(fresh_database: Callable[[str], str]) -> Settings:
    return suite_settings(fresh_database("migrated"))


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    async with Api.running(create_app(settings)) as client:
        yield client


@pytest.fixture
def settings_with(settings: Settings) -> Callable[..., Settings]:
    """Derive settings with a few fields changed: `settings_with(k_anonymity=3)`."""
    return lambda **changes: replace(settings, **changes)


@pytest.fixture
def demo_database_url(fresh_database: Callable[[str], str]) -> str:
    """A database holding the demo data, seeded once per run by `workcred seed-demo`."""
    return fresh_database("demo")


@pytest.fixture
async def demo(demo_database_url: str) -> AsyncIterator[Api]:
    """The api over the demo data."""
    async with Api.running(create_app(suite_settings(demo_database_url))) as client:
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
