"""Tortoise configuration and migrations, shared by the app, the CLI and tortoise's own CLI."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from workcred.settings import Settings

MODEL_MODULES = ["models"]


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def apply_migrations(database_url: str) -> None:
    """Apply every pending migration, then release the connections the migrator opened."""
    try:
        await migrate(config=tortoise_config(database_url))
    finally:
        await Tortoise.close_connections()


def __getattr__(name: str) -> Any:
    """`TORTOISE_ORM` for tortoise's own CLI (`tortoise makemigrations`, see pyproject.toml),
    read from the environment only when that CLI asks for it."""
    if name == "TORTOISE_ORM":
        return tortoise_config(Settings.from_env().database_url)
    raise AttributeError(name)
