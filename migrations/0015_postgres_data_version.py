from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

# PostgreSQL's data version becomes its database's own: the sum of 16 counters, one of which
# every transaction that writes public data bumps as it commits (a deferred trigger, once per
# transaction, on the counter its transaction id picks, so concurrent commits rarely wait on one
# another). Before, it was the cluster's transaction snapshot, which every commit to any database
# on the server moved. SQLite keeps its one counter, bumped by triggers (migration 0010).
STRIPES = 16
PUBLIC_TABLES = ("company", "company_role", "employment", "review", "company_response", "helpful_vote",
                 "audit_entry", "removal_poll", "veto")
BUMP_ONCE = f"""
CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('workcred.data_version_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('workcred.data_version_bumped', 'yes', true);
        UPDATE data_version SET version = version + 1
        WHERE id = 1 + pg_current_xact_id()::text::bigint % {STRIPES};
    END IF;
    RETURN NULL;
END $$;
"""


async def count_commits_per_database(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT == "sqlite":
        return
    await schema_editor.client.execute_script(
        f"INSERT INTO data_version (id, version) SELECT n, 0 FROM generate_series(2, {STRIPES}) AS n "
        "ON CONFLICT (id) DO NOTHING"
    )
    await schema_editor.client.execute_script(BUMP_ONCE)
    for table in PUBLIC_TABLES:
        await schema_editor.client.execute_script(
            f"CREATE CONSTRAINT TRIGGER data_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump()"
        )


class Migration(migrations.Migration):
    dependencies = [('models', '0014_colleagues_by_function')]

    initial = False

    operations = [
        ops.RunPython(count_commits_per_database),
    ]
