from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

# Response times are counted in whole days from the review's day: the record's histogram of
# them is rebuilt in days (frozen here as written; resolvers/aggregate_repair.py holds the
# living version), from every published response to a published review.
DAYS_MAX = 365
_DAYS = {
    "sqlite": "MAX(CAST(julianday(substr(resp.created_at, 1, 10)) AS INTEGER) "
              "- CAST(julianday(substr(rv.created_at, 1, 10)) AS INTEGER), 0)",
    "postgres": "GREATEST((resp.created_at AT TIME ZONE 'UTC')::date - (rv.created_at AT TIME ZONE 'UTC')::date, 0)",
}


async def count_response_times_in_days(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    days = _DAYS["sqlite" if client.capabilities.dialect == "sqlite" else "postgres"]
    bucket = f"CASE WHEN days < {DAYS_MAX} THEN days ELSE {DAYS_MAX} END"
    await client.execute_script("DELETE FROM record_bucket WHERE measure = 'response_hours'")
    await client.execute_script(
        "INSERT INTO record_bucket (company_id, measure, value, count) "
        f"SELECT company_id, 'response_days', {bucket}, COUNT(*) FROM ("
        f"SELECT resp.company_id, {days} AS days FROM company_response resp "
        "JOIN review rv ON rv.id = resp.review_id "
        "WHERE resp.status = 'PUBLISHED' AND rv.status = 'PUBLISHED') AS delays "
        f"GROUP BY company_id, {bucket}"
    )


class Migration(migrations.Migration):
    dependencies = [('models', '0023_day_order')]

    initial = False

    operations = [
        ops.RunPython(count_response_times_in_days),
    ]
