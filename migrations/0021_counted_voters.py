from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.enums import AuditAction, RemovalPollStatus


class Migration(migrations.Migration):
    dependencies = [('models', '0020_withheld_by_author')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='AuditEntry',
            name='action',
            field=fields.CharEnumField(description='WITHDRAWN: WITHDRAWN\nREMOVED: REMOVED\nRESTORED: RESTORED\nKEPT: KEPT\nVETOED: VETOED\nREFERRED: REFERRED', enum_type=AuditAction, max_length=20),
        ),
        ops.AlterField(
            model_name='RemovalPoll',
            name='status',
            field=fields.CharEnumField(default=RemovalPollStatus.OPEN, description='OPEN: OPEN\nREMOVED: REMOVED\nKEPT: KEPT\nVETOED: VETOED\nREFERRED: REFERRED', enum_type=RemovalPollStatus, max_length=10),
        ),
        ops.AddField(
            model_name='RemovalPoll',
            name='recent_remove_weight',
            field=fields.FloatField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='RemovalVote',
            name='recent',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
