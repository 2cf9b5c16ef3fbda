from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from infra.data_version import sqlite_triggers


async def version_public_data(apps, schema_editor) -> None:
    """The one version row; on SQLite, the triggers that move it (infra/data_version.py)."""
    await schema_editor.client.execute_script("INSERT INTO data_version (id, version) VALUES (1, 0)")
    if schema_editor.DIALECT == "sqlite":
        await schema_editor.client.execute_script(sqlite_triggers())

class Migration(migrations.Migration):
    dependencies = [('models', '0009_employment_by_company')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DataVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.BigIntField(default=0)),
            ],
            options={'table': 'data_version', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One row (id 1) whose version moves with every committed change to public data, bumped by'},
            bases=['Model'],
        ),
        ops.RunPython(version_public_data),
    ]
