from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.enums import ReviewStatus


class Migration(migrations.Migration):
    dependencies = [('models', '0018_counted_colleagues')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Review',
            name='status',
            field=fields.CharEnumField(default=ReviewStatus.PUBLISHED, description='HELD: HELD\nPUBLISHED: PUBLISHED\nWITHDRAWN: WITHDRAWN\nREMOVED_BY_VOTE: REMOVED_BY_VOTE\nREMOVED_BY_MODERATION: REMOVED_BY_MODERATION', enum_type=ReviewStatus, max_length=24),
        ),
        ops.AddIndex(
            model_name='Review',
            index=Index(fields=['status', 'id']),
        ),
    ]
