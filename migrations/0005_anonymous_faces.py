from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from domain.enums import EmploymentStatus, JobFunction, TenureBucket

# Reviews written before faces existed showed details chosen by a weaker rule; they are
# withheld entirely until their author edits (which computes a safe face), and per-function
# aggregates, which now follow the faces, are rebuilt from what remains shown: nothing.
HIDE_OLD_FACES = (
    "UPDATE review SET employment_status = NULL, tenure = NULL, job_function = NULL, "
    "location = NULL, last_year = NULL, verified = NULL"
)
DROP_FUNCTION_AGGREGATES = "DELETE FROM rating_aggregate WHERE scope <> 'ALL'"


class Migration(migrations.Migration):
    dependencies = [('models', '0004_career_credit')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ReviewSlot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='review_slots', on_delete=OnDelete.CASCADE)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='review_slots', on_delete=OnDelete.CASCADE)),
                ('last_reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'review_slot', 'app': 'models', 'unique_together': (('member', 'company'),), 'pk_attr': 'id', 'table_description': 'When a member last reviewed a company: one published review per member per company per'},
            bases=['Model'],
        ),
        ops.RemoveField(model_name='Employment', name='last_reviewed_at'),
        ops.AlterField(
            model_name='Review',
            name='employment_status',
            field=fields.CharEnumField(null=True, description='CURRENT: CURRENT\nFORMER: FORMER', enum_type=EmploymentStatus, max_length=10),
        ),
        ops.AlterField(
            model_name='Review',
            name='job_function',
            field=fields.CharEnumField(null=True, description='ENGINEERING: ENGINEERING\nPRODUCT: PRODUCT\nDESIGN: DESIGN\nDATA: DATA\nSALES: SALES\nMARKETING: MARKETING\nOPERATIONS: OPERATIONS\nFINANCE: FINANCE\nHR: HR\nLEGAL: LEGAL\nSUPPORT: SUPPORT\nMANAGEMENT: MANAGEMENT\nOTHER: OTHER', enum_type=JobFunction, max_length=20),
        ),
        ops.AlterField(
            model_name='Review',
            name='location',
            field=fields.CharField(null=True, max_length=120),
        ),
        ops.AlterField(
            model_name='Review',
            name='tenure',
            field=fields.CharEnumField(null=True, description='LESS_THAN_1_YEAR: LESS_THAN_1_YEAR\nMORE_THAN_1_YEAR: MORE_THAN_1_YEAR\nMORE_THAN_3_YEARS: MORE_THAN_3_YEARS\nMORE_THAN_5_YEARS: MORE_THAN_5_YEARS\nMORE_THAN_8_YEARS: MORE_THAN_8_YEARS\nMORE_THAN_10_YEARS: MORE_THAN_10_YEARS', enum_type=TenureBucket, max_length=20),
        ),
        ops.AddField(
            model_name='Review',
            name='tenure_widened',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Review',
            name='verified',
            field=fields.BooleanField(null=True),
        ),
        ops.RunSQL([HIDE_OLD_FACES, DROP_FUNCTION_AGGREGATES]),
    ]
