from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0019_held_reviews')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Review',
            name='withheld_by_author',
            field=fields.CharField(default='', db_default='', max_length=80),
        ),
    ]
