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


@pytest.fixture(scope="session")
def demo_template(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data, seeded once per run by the real seeder; each test gets a copy."""
    from tortoise import Tortoise

    from domain.accounts import Passwords
    from workcred.db import tortoise_config
    from workcred.demo import seed_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copyfile(migrated_template, path)

    async def seed() -> None:
        await Tortoise.init(config=tortoise_config(sqlite_url(path)))
        try:
            await seed_demo(Passwords(time_cost=2, memory_kib=19_456, parallelism=1))
        finally:
            await Tortoise.close_connections()

    asyncio.run(seed())
    return path


@pytest.fixture
async def demo(settings: Settings, demo_template: Path) -> AsyncIterator[Api]:
    """The api over a fresh copy of the demo data."""
    database = Path(settings.database_url.removeprefix("sqlite://").split("?")[0])
    shutil.copyfile(demo_template, database)
    async with Api.running(create_app(settings)) as client:
        yield client
