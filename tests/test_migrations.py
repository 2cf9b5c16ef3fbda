"""Migrations leave every declared index, unique constraint and trigger in place — including on
SQLite, whose table rebuilds drop them (infra/sqlite_schema.py puts them back)."""

from __future__ import annotations

import sqlite3

from infra.sqlite_schema import declared_indexes
from tests.databases import sqlite_path


async def test_every_declared_index_survives_the_migrations(api, settings, database_kind):
    from tortoise import Tortoise

    if database_kind != "sqlite":
        return  # PostgreSQL alters tables in place; its constraints are exercised by the API tests
    with sqlite3.connect(sqlite_path(settings.database_url)) as connection:
        existing = set()
        for table, name, unique in connection.execute(
            "SELECT m.tbl_name, i.name, i.\"unique\" FROM sqlite_master m, pragma_index_list(m.tbl_name) i "
            "WHERE m.type = 'table'"
        ):
            columns = tuple(c[2] for c in connection.execute(f'PRAGMA index_info("{name}")'))
            existing.add((table, bool(unique), columns))
        triggers = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [
        (model._meta.db_table, unique, columns)
        for model in Tortoise.apps["models"].values()
        for unique, columns in declared_indexes(model)
        if (model._meta.db_table, unique, columns) not in existing
        and not (not unique and (model._meta.db_table, True, columns) in existing)
    ]
    assert missing == []
    assert {"audit_entry_no_update", "audit_entry_no_delete"} <= triggers
