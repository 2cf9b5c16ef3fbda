"""Fixtures: the real app (lifespan included) over ASGI, on a real SQLite file per test."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from app import create_app
from tests.api import Api
from workcred.db import apply_migrations
from workcred.settings import DEFAULT_SQLITE_PRAGMAS, Settings


def sqlite_url(path: Path) -> str:
    return f"sqlite://{path}?{DEFAULT_SQLITE_PRAGMAS}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database per run; each test gets a copy (migrating per test is slower)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    asyncio.run(apply_migrations(sqlite_url(path)))
    return path


@pytest.fixture
def settings(tmp_path: Path, migrated_template: Path) -> Settings:
    database = tmp_path / "workcred.sqlite3"
    shutil.copyfile(migrated_template, database)
    return Settings(
        database_url=sqlite_url(database),
        # OWASP's minimum argon2id cost keeps the suite fast; production uses the defaults.
        argon2_time_cost=2,
        argon2_memory_kib=19_456,
        argon2_parallelism=1,
    )


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    async with Api.running(create_app(settings)) as client:
        yield client


@pytest.fixture
def settings_with(settings: Settings):
    """Derive settings with a few fields changed: `settings_with(k_anonymity=3)`."""
    return lambda **changes: replace(settings, **changes)


@pytest.fixture
async def demo(api: Api, settings: Settings) -> Api:
    """The api with the demo data loaded by the real seeder."""
    from domain.accounts import Passwords
    from workcred.demo import seed_demo

    await seed_demo(Passwords(settings.argon2_time_cost, settings.argon2_memory_kib, 1))
    return api
