from datetime import datetime, timedelta
from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# The default minimum age of a colleague's account and claim when this migration was written.
MIN_AGE = timedelta(days=30)


def _instant(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


async def count_the_colleagues_of_before(apps: Any, schema_editor: Any) -> None:
    """Members proven before this release proved their address when they joined (the earliest
    it could have been); colleagues who stood behind faces before keep counting, from when they
    could first count — the inflow allowance applies to claims from now on."""
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"
    await client.execute_script(
        "UPDATE member SET email_verified_at = created_at WHERE verified_email IS NOT NULL"
    )
    _, rows = await client.execute_query(
        "SELECT cm.company_id, cm.member_id, cm.claimed_at, m.email_verified_at FROM company_member cm "
        "JOIN member m ON m.id = cm.member_id "
        "WHERE NOT cm.representative AND m.email_verified_at IS NOT NULL"
    )
    admissions = []
    for company_id, member_id, claimed_at, verified_at in rows:
        counted_from = max(_instant(claimed_at) + MIN_AGE, _instant(verified_at))
        admissions.append([company_id, member_id, str(counted_from) if sqlite else counted_from])
    if admissions:
        placeholders = "?, ?, ?" if sqlite else "$1, $2, $3"
        await client.execute_many(
            f"INSERT INTO colleague_admission (company_id, member_id, counted_from) VALUES ({placeholders})",
            admissions,
        )

class Migration(migrations.Migration):
    dependencies = [('models', '0017_trust')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ColleagueAdmission',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='colleague_admissions', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='colleague_admissions', on_delete=OnDelete.CASCADE)),
                ('counted_from', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'colleague_admission', 'app': 'models', 'unique_together': (('company', 'member'),), 'indexes': [Index(fields=['company_id', 'counted_from'])], 'pk_attr': 'id', 'table_description': 'When a member became (or, scheduled, becomes) a counted colleague at a company'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Member',
            name='email_verified_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(count_the_colleagues_of_before),
    ]
