from tortoise import fields, migrations
from tortoise.migrations import operations as ops

# The token of the ranking snapshot's copy on disk (resolvers/snapshot_copy.py), so that a copy
# is read only by the database it was written from, as that database now stands.

class Migration(migrations.Migration):
    dependencies = [('models', '0027_company_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SnapshotCopy',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token', fields.CharField(max_length=64)),
            ],
            options={'table': 'snapshot_copy', 'app': 'models', 'pk_attr': 'id', 'table_description': "The token of the ranking snapshot's copy on disk last written from this database"},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='CompanyVersion',
            options={'table': 'company_version', 'app': 'models', 'pk_attr': 'id', 'table_description': "A company's change stamp, moved by every write its page shows (infra/data_version.py): the"},
        ),
    ]
