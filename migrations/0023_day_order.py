from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class RemoveIndexOnColumns(ops.RemoveIndex):
    """RemoveIndex by the columns' index as the database names it, if it is there: SQLite
    databases rebuilt by earlier migrations name review indexes by their columns, PostgreSQL by
    a hash."""

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        if not state_editor:
            return
        client = state_editor.client
        columns = ", ".join(self.fields or [])
        if client.capabilities.dialect == "sqlite":
            _, rows = await client.execute_query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review'")
            names = [row[0] for row in rows if (row[1] or "").replace('"', "").endswith(f"({columns})")]
        else:
            _, rows = await client.execute_query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'review'")
            names = [row[0] for row in rows if row[1].replace('"', "").endswith(f"({columns})")]
        # (a SQLite table rebuild earlier in this run may have dropped it already)
        for name in names:
            await client.execute_script(f'DROP INDEX "{name}"')


async def rank_each_day(apps: Any, schema_editor: Any) -> None:
    """Reviews written before take a random place among their day's, as new ones do. (New
    reviews keep only their day; these keep the instant they were stored with — shown nowhere —
    since the record's response times were measured from it.)"""
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script("UPDATE review SET day_rank = abs(random()) % 2147483648")
    else:
        await client.execute_script("UPDATE review SET day_rank = floor(random() * 2147483648)::int")


class Migration(migrations.Migration):
    dependencies = [('models', '0022_appeals')]

    initial = False

    operations = [
        RemoveIndexOnColumns(model_name='Review', fields=['company_id', 'status', 'created_at']),
        RemoveIndexOnColumns(model_name='Review', fields=['company_id', 'status', 'answered', 'created_at']),
        ops.AddField(
            model_name='Review',
            name='day_rank',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddIndex(
            model_name='Review',
            index=Index(fields=['company_id', 'status', 'created_at', 'day_rank']),
        ),
        ops.AddIndex(
            model_name='Review',
            index=Index(fields=['company_id', 'status', 'answered', 'created_at', 'day_rank']),
        ),
        ops.RunPython(rank_each_day),
    ]
