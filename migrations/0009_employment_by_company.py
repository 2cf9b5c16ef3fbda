from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0008_responder_inbox')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Employment',
            index=Index(fields=['company_id', 'start_date']),
        ),
    ]
