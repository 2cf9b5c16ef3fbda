from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.enums import AuditAction, AuditActor, PlatformRoleKind, ResponseStatus

APPEND_ONLY = {
    "sqlite": """
        CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
        BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;
        CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
        BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;
    """,
    "postgres": """
        CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$;
        CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
        CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
    """,
}


async def make_audit_log_append_only(apps: Any, schema_editor: Any) -> None:
    """The database itself refuses to change or delete an audit entry."""
    await schema_editor.client.execute_script(APPEND_ONLY[schema_editor.DIALECT])


class Migration(migrations.Migration):
    dependencies = [('models', '0005_anonymous_faces')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('review', fields.ForeignKeyField('models.Review', source_field='review_id', null=True, db_constraint=True, to_field='id', related_name='audit_entries', on_delete=OnDelete.RESTRICT)),
                ('response', fields.ForeignKeyField('models.CompanyResponse', source_field='response_id', null=True, db_constraint=True, to_field='id', related_name='audit_entries', on_delete=OnDelete.RESTRICT)),
                ('action', fields.CharEnumField(description='WITHDRAWN: WITHDRAWN\nREMOVED: REMOVED\nRESTORED: RESTORED', enum_type=AuditAction, max_length=20)),
                ('actor', fields.CharEnumField(description='AUTHOR: AUTHOR\nCOMMUNITY: COMMUNITY\nMODERATOR: MODERATOR\nCEO_VETO: CEO_VETO', enum_type=AuditActor, max_length=20)),
                ('reason', fields.CharField(null=True, max_length=500)),
                ('status_before', fields.CharField(max_length=24)),
                ('status_after', fields.CharField(max_length=24)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'audit_entry', 'app': 'models', 'indexes': [Index(fields=['review_id', 'id']), Index(fields=['response_id', 'id'])], 'pk_attr': 'id', 'table_description': 'Append-only record of every way content left or came back: the database itself refuses'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlatformRole',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='platform_role', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='MODERATOR: MODERATOR', enum_type=PlatformRoleKind, max_length=20)),
                ('granted_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'platform_role', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A platform role (moderator), granted by an operator through the CLI, never the API.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='CompanyResponse',
            name='status',
            field=fields.CharEnumField(default=ResponseStatus.PUBLISHED, description='PUBLISHED: PUBLISHED\nREMOVED_BY_MODERATION: REMOVED_BY_MODERATION', enum_type=ResponseStatus, max_length=24),
        ),
        ops.AddField(
            model_name='CompanyResponse',
            name='status_reason',
            field=fields.CharField(null=True, max_length=500),
        ),
        ops.AlterField(
            model_name='Review',
            name='status_reason',
            field=fields.CharField(null=True, max_length=500),
        ),
        ops.RunPython(make_audit_log_append_only),
    ]
