from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# Reviews answered before the flag existed, and each company's count of published reviews
# still waiting for an answer.
MARK_ANSWERED = (
    "UPDATE review SET answered = TRUE "
    "WHERE EXISTS (SELECT 1 FROM company_response r WHERE r.review_id = review.id)"
)
COUNT_UNANSWERED = (
    "UPDATE company SET unanswered_review_count = (SELECT COUNT(*) FROM review "
    "WHERE review.company_id = company.id AND review.status = 'PUBLISHED' AND NOT review.answered)"
)

class Migration(migrations.Migration):
    dependencies = [('models', '0007_removal_polls')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Company',
            name='unanswered_review_count',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Company',
            name='website',
            field=fields.CharField(null=True, max_length=200),
        ),
        ops.AddField(
            model_name='Review',
            name='answered',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddIndex(
            model_name='Review',
            index=Index(fields=['company_id', 'status', 'answered', 'created_at']),
        ),
        ops.RunSQL([MARK_ANSWERED, COUNT_UNANSWERED]),
    ]
