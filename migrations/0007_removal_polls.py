from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.enums import AuditAction, RemovalPollStatus, RemovalReason, ResponseStatus


class Migration(migrations.Migration):
    dependencies = [('models', '0006_moderation_and_audit')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RemovalPoll',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='removal_polls', on_delete=OnDelete.RESTRICT)),
                ('review', fields.ForeignKeyField('models.Review', source_field='review_id', null=True, db_constraint=True, to_field='id', related_name='removal_polls', on_delete=OnDelete.RESTRICT)),
                ('response', fields.ForeignKeyField('models.CompanyResponse', source_field='response_id', null=True, db_constraint=True, to_field='id', related_name='removal_polls', on_delete=OnDelete.RESTRICT)),
                ('open_key', fields.CharField(null=True, unique=True, max_length=40)),
                ('reason', fields.CharEnumField(description='SPAM: SPAM\nFAKE: FAKE\nOFF_TOPIC: OFF_TOPIC\nPERSONAL_INFORMATION: PERSONAL_INFORMATION\nHARASSMENT: HARASSMENT', enum_type=RemovalReason, max_length=24)),
                ('note', fields.CharField(null=True, max_length=500)),
                ('status', fields.CharEnumField(default=RemovalPollStatus.OPEN, description='OPEN: OPEN\nREMOVED: REMOVED\nKEPT: KEPT\nVETOED: VETOED', enum_type=RemovalPollStatus, max_length=10)),
                ('opened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closes_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('settled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('quorum', fields.IntField()),
                ('threshold', fields.FloatField()),
                ('vetoed', fields.BooleanField(default=False)),
                ('remove_voters', fields.IntField(default=0)),
                ('keep_voters', fields.IntField(default=0)),
                ('remove_weight', fields.FloatField(default=0)),
                ('keep_weight', fields.FloatField(default=0)),
            ],
            options={'table': 'removal_poll', 'app': 'models', 'indexes': [Index(fields=['company_id', 'status', 'id']), Index(fields=['review_id', 'id']), Index(fields=['response_id', 'id'])], 'pk_attr': 'id', 'table_description': "A vote of a company's colleague circle on removing one review or response. The tallies"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RemovalVote',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('poll', fields.ForeignKeyField('models.RemovalPoll', source_field='poll_id', db_constraint=True, to_field='id', related_name='votes', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='removal_votes', on_delete=OnDelete.CASCADE)),
                ('remove', fields.BooleanField()),
                ('weight', fields.FloatField()),
                ('cast_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'removal_vote', 'app': 'models', 'unique_together': (('poll', 'member'),), 'pk_attr': 'id', 'table_description': "One member's vote on one poll, with the weight it carried when cast. Never public."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Veto',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='vetoes', on_delete=OnDelete.RESTRICT)),
                ('poll', fields.OneToOneField('models.RemovalPoll', source_field='poll_id', db_constraint=True, to_field='id', related_name='veto', on_delete=OnDelete.RESTRICT)),
                ('note', fields.CharField(null=True, max_length=500)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'veto', 'app': 'models', 'indexes': [Index(fields=['company_id', 'at'])], 'pk_attr': 'id', 'table_description': 'A CEO keeping content a poll would remove: at most one per company per veto period.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='AuditEntry',
            name='action',
            field=fields.CharEnumField(description='WITHDRAWN: WITHDRAWN\nREMOVED: REMOVED\nRESTORED: RESTORED\nKEPT: KEPT\nVETOED: VETOED', enum_type=AuditAction, max_length=20),
        ),
        ops.AlterField(
            model_name='CompanyResponse',
            name='status',
            field=fields.CharEnumField(default=ResponseStatus.PUBLISHED, description='PUBLISHED: PUBLISHED\nREMOVED_BY_VOTE: REMOVED_BY_VOTE\nREMOVED_BY_MODERATION: REMOVED_BY_MODERATION', enum_type=ResponseStatus, max_length=24),
        ),
    ]
