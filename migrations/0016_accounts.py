import secrets
from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


async def make_the_deployment_secret(apps: Any, schema_editor: Any) -> None:
    """A random key of this database's own (existing accounts stay unverified, asked to verify at
    their next sign-in; no data changes)."""
    await schema_editor.client.execute_script(
        f"INSERT INTO deployment_secret (id, secret) VALUES (1, '{secrets.token_hex(32)}')"
    )


class Migration(migrations.Migration):
    dependencies = [('models', '0015_postgres_data_version')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DeploymentSecret',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('secret', fields.CharField(max_length=128)),
            ],
            options={'table': 'deployment_secret', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One row (id 1): a random key made when the database was created, for digests that must'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EmailCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='email_codes', on_delete=OnDelete.CASCADE)),
                ('code_hash', fields.CharField(max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('tries_left', fields.SmallIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'email_code', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A code mailed to prove an address: only its digest is kept, it lives 30 minutes and'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='KnownAddress',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='known_addresses', on_delete=OnDelete.CASCADE)),
                ('address_key', fields.CharField(max_length=64)),
                ('last_signed_in_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'known_address', 'app': 'models', 'unique_together': (('member', 'address_key'),), 'pk_attr': 'id', 'table_description': 'An address the member signed in from, as a keyed digest (never the address itself):'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PasswordReset',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='password_resets', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'password_reset', 'app': 'models', 'pk_attr': 'id', 'table_description': "A single-use password-reset token mailed to the account's address (its digest only)."},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='AuthToken',
            options={'table': 'auth_token', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A session: a bearer token, of which only the SHA-256 digest is stored.'},
        ),
        ops.AddField(
            model_name='AuthToken',
            name='client',
            field=fields.CharField(default='', max_length=60),
        ),
        ops.AddField(
            model_name='AuthToken',
            name='last_used_on',
            field=fields.DateField(null=True),
        ),
        ops.AlterField(
            model_name='CompanyResponse',
            name='author',
            field=fields.ForeignKeyField('models.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='responses', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterModelOptions(
            name='DataVersion',
            options={'table': 'data_version', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The version of public data, moved by every committed change to it (infra/data_version.py):'},
        ),
        ops.AddField(
            model_name='Employment',
            name='full_time',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AlterModelOptions(
            name='Member',
            options={'table': 'member', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An account. An address may stand on several unverified accounts (sign-up answers alike'},
        ),
        ops.AlterField(
            model_name='Member',
            name='email',
            field=fields.CharField(db_index=True, max_length=254),
        ),
        ops.AddField(
            model_name='Member',
            name='verified_email',
            field=fields.CharField(null=True, unique=True, max_length=254),
        ),
        ops.AlterModelOptions(
            name='RemovalVote',
            options={'table': 'removal_vote', 'app': 'models', 'unique_together': (('poll', 'member'),), 'pk_attr': 'id', 'table_description': "One member's vote on one poll, with the weight it carried when cast. Never public. When"},
        ),
        ops.AlterField(
            model_name='RemovalVote',
            name='member',
            field=fields.ForeignKeyField('models.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='removal_votes', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterModelOptions(
            name='Review',
            options={'table': 'review', 'app': 'models', 'indexes': [Index(fields=['company_id', 'status', 'created_at']), Index(fields=['author_id', 'created_at']), Index(fields=['company_id', 'status', 'answered', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A review written from one employment. The author is stored but never exposed; when the'},
        ),
        ops.AlterField(
            model_name='Review',
            name='author',
            field=fields.ForeignKeyField('models.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='Review',
            name='employment',
            field=fields.ForeignKeyField('models.Employment', source_field='employment_id', null=True, db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.SET_NULL),
        ),
        ops.RunPython(make_the_deployment_secret),
    ]
