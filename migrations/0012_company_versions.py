from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from resolvers.aggregate_repair import recompute_in


async def count_existing_data(apps, schema_editor) -> None:
    """Existing companies' record tallies and versions, counted once from their raw rows by the
    repair itself; from here on every write moves them. (It runs today's repair: a later
    migration that adds what the repair reads must take over this step.)"""
    await recompute_in(schema_editor.client, fix=True)


class Migration(migrations.Migration):
    dependencies = [('models', '0011_company_record_tallies')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CompanyVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.OneToOneField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='version', on_delete=OnDelete.CASCADE)),
                ('version', fields.BigIntField(db_index=True)),
            ],
            options={'table': 'company_version', 'app': 'models', 'pk_attr': 'id', 'table_description': "When a company's ranked facts (its rating tallies, its listing attributes) last changed:"},
            bases=['Model'],
        ),
        ops.RunPython(count_existing_data),
    ]
