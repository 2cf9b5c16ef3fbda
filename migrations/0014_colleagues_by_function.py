from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    """The anonymity check's colleagues (same company and job function, by start date): at a
    company of 170,000 jobs it read every job started in the face's window instead of its function's."""

    dependencies = [('models', '0013_platform_mean_index')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Employment',
            index=Index(fields=['company_id', 'job_function', 'start_date']),
        ),
    ]
