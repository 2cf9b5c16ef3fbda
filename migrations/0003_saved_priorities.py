import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0002_reviews_and_ratings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SavedPriorities',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='priorities', on_delete=OnDelete.CASCADE)),
                ('weights', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('minimums', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('perspective', fields.CharField(null=True, max_length=20)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'saved_priorities', 'app': 'models', 'pk_attr': 'id', 'table_description': "A member's saved fit priorities, used when they rank companies without passing any."},
            bases=['Model'],
        ),
    ]
