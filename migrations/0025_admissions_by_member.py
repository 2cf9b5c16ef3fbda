from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0024_response_days')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ColleagueAdmission',
            index=Index(fields=['member_id', 'counted_from']),
        ),
    ]
