from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0003_saved_priorities')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CreditShare',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='credit_shares', on_delete=OnDelete.CASCADE)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='credit_shares', on_delete=OnDelete.CASCADE)),
                ('shared_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'credit_share', 'app': 'models', 'unique_together': (('member', 'company'),), 'pk_attr': 'id', 'table_description': "A member letting one company's representatives see their career credit, until revoked."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StoredCredit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='stored_credit', on_delete=OnDelete.CASCADE)),
                ('score', fields.SmallIntField(null=True, db_index=True)),
                ('experience_years', fields.FloatField(db_index=True)),
                ('levels_per_year', fields.FloatField()),
                ('computed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'stored_credit', 'app': 'models', 'pk_attr': 'id', 'table_description': "A member's career credit as of their last history change, kept for percentiles and as"},
            bases=['Model'],
        ),
    ]
