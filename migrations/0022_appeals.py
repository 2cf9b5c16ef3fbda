from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.enums import AppealDecision, AuditAction


class Migration(migrations.Migration):
    dependencies = [('models', '0021_counted_voters')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Appeal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='appeals', on_delete=OnDelete.RESTRICT)),
                ('review', fields.ForeignKeyField('models.Review', source_field='review_id', null=True, db_constraint=True, to_field='id', related_name='appeals', on_delete=OnDelete.RESTRICT)),
                ('response', fields.ForeignKeyField('models.CompanyResponse', source_field='response_id', null=True, db_constraint=True, to_field='id', related_name='appeals', on_delete=OnDelete.RESTRICT)),
                ('appellant', fields.ForeignKeyField('models.Member', source_field='appellant_id', null=True, db_constraint=True, to_field='id', related_name='appeals', on_delete=OnDelete.SET_NULL)),
                ('statement', fields.TextField(unique=False)),
                ('content_key', fields.CharField(db_index=True, max_length=40)),
                ('open_key', fields.CharField(null=True, unique=True, max_length=40)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decision', fields.CharEnumField(null=True, description='RESTORE: RESTORE\nUPHOLD: UPHOLD', enum_type=AppealDecision, max_length=10)),
                ('reason', fields.CharField(null=True, max_length=500)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'appeal', 'app': 'models', 'indexes': [Index(fields=['company_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'The author of removed content asking a moderator to restore it. The statement is for the'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='AuditEntry',
            name='action',
            field=fields.CharEnumField(description='WITHDRAWN: WITHDRAWN\nREMOVED: REMOVED\nRESTORED: RESTORED\nKEPT: KEPT\nVETOED: VETOED\nREFERRED: REFERRED\nAPPEALED: APPEALED\nUPHELD: UPHELD', enum_type=AuditAction, max_length=20),
        ),
    ]
