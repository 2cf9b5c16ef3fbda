"""Keep SQLite's indexes, unique constraints and the audit log's triggers in place.

SQLite cannot alter a column, so tortoise's migrations rebuild the table instead — and the
rebuilt table comes back without its indexes, its UNIQUE constraints (a company's one response
per review!) and its triggers. After every migration we therefore re-create, idempotently,
everything the models declare: an index for each `Meta.indexes` entry and `db_index` field, a
unique index for each `unique_together` entry and unique field, the append-only triggers, the
data-version triggers and the search index's.
PostgreSQL alters tables in place and needs none of this.
"""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from infra import company_search
from infra.data_version import sqlite_triggers

AUDIT_LOG_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;
"""


def _column(model: type[Model], name: str) -> str:
    field = model._meta.fields_map.get(name)
    source = getattr(field, "source_field", None)
    return source or name


def declared_indexes(model: type[Model]) -> list[tuple[bool, tuple[str, ...]]]:
    """(unique?, columns) for every index the model declares."""
    meta = model._meta
    wanted: list[tuple[bool, tuple[str, ...]]] = []
    wanted += [(False, tuple(_column(model, c) for c in columns)) for columns in meta.indexes]  # type: ignore[union-attr]
    wanted += [(True, tuple(_column(model, c) for c in columns)) for columns in meta.unique_together]
    for name, field in meta.fields_map.items():
        if field.pk:
            continue
        # A relation and its `_id` field name the same column; duplicates are dropped below.
        column = getattr(field, "source_field", None) or name
        if field.unique:
            wanted.append((True, (column,)))
        elif field.index:
            wanted.append((False, (column,)))
    return list(dict.fromkeys(wanted))


async def _existing_indexes(connection: BaseDBAsyncClient, table: str) -> set[tuple[bool, tuple[str, ...]]]:
    existing = set()
    for row in await connection.execute_query_dict(f'PRAGMA index_list("{table}")'):
        columns = await connection.execute_query_dict(f'PRAGMA index_info("{row["name"]}")')
        ordered = tuple(c["name"] for c in sorted(columns, key=lambda c: c["seqno"]))
        existing.add((bool(row["unique"]), ordered))
    return existing


async def restore_declared_schema(connection: BaseDBAsyncClient) -> None:
    """Re-create what SQLite's table rebuilds dropped (idempotent; cheap on an intact schema)."""
    for model in Tortoise.apps["models"].values():
        table = model._meta.db_table
        existing = await _existing_indexes(connection, table)
        for unique, columns in declared_indexes(model):
            if (unique, columns) in existing or ((False, columns) in existing and not unique):
                continue
            name = f"{'uniq' if unique else 'idx'}_{table}_{'_'.join(columns)}"
            quoted = ", ".join(f'"{c}"' for c in columns)
            await connection.execute_script(
                f'CREATE {"UNIQUE " if unique else ""}INDEX IF NOT EXISTS "{name}" ON "{table}" ({quoted})'
            )
    await connection.execute_script(AUDIT_LOG_TRIGGERS)
    tables = {row["name"] for row in await connection.execute_query_dict("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "data_version" in tables:
        await connection.execute_script(sqlite_triggers())
    if "company_search" in tables:
        await connection.execute_script(company_search.sqlite_triggers())
