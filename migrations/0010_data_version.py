from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

# Frozen: the triggers as infra/data_version.py declared them when this migration was made.
SQLITE_TRIGGERS = [
    'CREATE TRIGGER IF NOT EXISTS data_version_company_insert AFTER INSERT ON company BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_company_update AFTER UPDATE ON company BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_company_delete AFTER DELETE ON company BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_company_role_insert AFTER INSERT ON company_role BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_company_role_update AFTER UPDATE ON company_role BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_company_role_delete AFTER DELETE ON company_role BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_employment_insert AFTER INSERT ON employment BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_employment_update AFTER UPDATE ON employment BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_employment_delete AFTER DELETE ON employment BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_review_insert AFTER INSERT ON review BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_review_update AFTER UPDATE ON review BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_review_delete AFTER DELETE ON review BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_company_response_insert AFTER INSERT ON company_response BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_company_response_update AFTER UPDATE ON company_response BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_company_response_delete AFTER DELETE ON company_response BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_helpful_vote_insert AFTER INSERT ON helpful_vote BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_helpful_vote_update AFTER UPDATE ON helpful_vote BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_helpful_vote_delete AFTER DELETE ON helpful_vote BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_audit_entry_insert AFTER INSERT ON audit_entry BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_audit_entry_update AFTER UPDATE ON audit_entry BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_audit_entry_delete AFTER DELETE ON audit_entry BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_removal_poll_insert AFTER INSERT ON removal_poll BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_removal_poll_update AFTER UPDATE ON removal_poll BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_removal_poll_delete AFTER DELETE ON removal_poll BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_veto_insert AFTER INSERT ON veto BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_veto_update AFTER UPDATE ON veto BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
    'CREATE TRIGGER IF NOT EXISTS data_version_veto_delete AFTER DELETE ON veto BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;',
]


async def version_public_data(apps: Any, schema_editor: Any) -> None:
    """The one version row; on SQLite, the triggers that move it (infra/data_version.py)."""
    await schema_editor.client.execute_script("INSERT INTO data_version (id, version) VALUES (1, 0)")
    if schema_editor.DIALECT == "sqlite":
        await schema_editor.client.execute_script("\n".join(SQLITE_TRIGGERS))

class Migration(migrations.Migration):
    dependencies = [('models', '0009_employment_by_company')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DataVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.BigIntField(default=0)),
            ],
            options={'table': 'data_version', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One row (id 1) whose version moves with every committed change to public data, bumped by'},
            bases=['Model'],
        ),
        ops.RunPython(version_public_data),
    ]
