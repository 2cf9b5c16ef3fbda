from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0012_company_versions')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='RatingAggregate',
            index=Index(fields=['scope', 'rating_key', 'count', 'total']),
        ),
    ]
