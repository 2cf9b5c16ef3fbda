from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index

# Existing companies' records are counted by 0012, once the per-company versions exist too.
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0010_data_version')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CompanyMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='record_members', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='record_standings', on_delete=OnDelete.CASCADE)),
                ('verified', fields.BooleanField()),
                ('current', fields.BooleanField()),
                ('completed_months', fields.IntField()),
                ('representative', fields.BooleanField()),
                ('claimed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'company_member', 'app': 'models', 'unique_together': (('company', 'member'),), 'indexes': [Index(fields=['company_id', 'claimed_at'])], 'pk_attr': 'id', 'table_description': "One member's standing in a company's record (domain.company_record.MemberStanding),"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecordBucket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='record_buckets', on_delete=OnDelete.CASCADE)),
                ('measure', fields.CharField(max_length=20)),
                ('value', fields.IntField()),
                ('count', fields.IntField(default=0)),
            ],
            options={'table': 'record_bucket', 'app': 'models', 'unique_together': (('company', 'measure', 'value'),), 'pk_attr': 'id', 'table_description': 'One histogram bucket of a company\'s record: `measure` "tenure_months" (former members\''},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Company',
            name='former_member_count',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Company',
            name='member_count',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Company',
            name='responded_review_count',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Company',
            name='verified_member_count',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
