from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# `companies(search:)` gets a real index: each company's case-folded name (Python's casefold,
# filled in here for the companies there are), an index on (folded_name, id) for prefixes, and
# a trigram index for substrings — SQLite's FTS5 (an external-content table kept by triggers),
# PostgreSQL's pg_trgm (infra/company_search.py).
# Frozen: the statements as infra/company_search.py declared them when this migration was made.
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS company_search USING fts5(folded_name, content='company', content_rowid='id', tokenize='trigram')",
    "INSERT INTO company_search (company_search) VALUES ('rebuild')",
    "CREATE TRIGGER IF NOT EXISTS company_search_insert AFTER INSERT ON company BEGIN INSERT INTO company_search (rowid, folded_name) VALUES (NEW.id, NEW.folded_name); END;",
    "CREATE TRIGGER IF NOT EXISTS company_search_delete AFTER DELETE ON company BEGIN INSERT INTO company_search (company_search, rowid, folded_name) VALUES ('delete', OLD.id, OLD.folded_name); END;",
    "CREATE TRIGGER IF NOT EXISTS company_search_update AFTER UPDATE OF folded_name ON company BEGIN INSERT INTO company_search (company_search, rowid, folded_name) VALUES ('delete', OLD.id, OLD.folded_name); INSERT INTO company_search (rowid, folded_name) VALUES (NEW.id, NEW.folded_name); END;",
]
POSTGRES = [
    'ALTER TABLE company ALTER COLUMN folded_name TYPE VARCHAR(360) COLLATE "C"',
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS company_folded_name_trigrams ON company USING gin (folded_name gin_trgm_ops)",
]
BATCH = 10_000


async def fold_names_and_index_them(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    sqlite = schema_editor.DIALECT == "sqlite"
    update = f"UPDATE company SET folded_name = {'?' if sqlite else '$1'} WHERE id = {'?' if sqlite else '$2'}"
    last = 0
    while True:
        _, rows = await client.execute_query(
            f"SELECT id, name FROM company WHERE id > {last} ORDER BY id LIMIT {BATCH}"
        )
        if not rows:
            break
        await client.execute_many(update, [[row["name"].casefold(), row["id"]] for row in rows])
        last = rows[-1]["id"]
    if not sqlite:  # the renamed rows' deferred data-version triggers fire now: DDL follows
        await client.execute_script("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in SQLITE if sqlite else POSTGRES:
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [('models', '0026_company_stamps')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Company',
            name='folded_name',
            field=fields.CharField(max_length=360, default='', db_default=''),
        ),
        ops.RunPython(fold_names_and_index_them),
        ops.AddIndex(
            model_name='Company',
            index=Index(fields=['folded_name', 'id']),
        ),
    ]
