from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.enums import CareerBreakKind, CompanyRoleKind, CompanySizeBand, JobFunction, VerificationState


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Company',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=140)),
                ('name', fields.CharField(max_length=120)),
                ('industry', fields.CharField(null=True, db_index=True, max_length=80)),
                ('size_band', fields.CharEnumField(null=True, description='SIZE_1_50: SIZE_1_50\nSIZE_51_200: SIZE_51_200\nSIZE_201_1000: SIZE_201_1000\nSIZE_1001_5000: SIZE_1001_5000\nSIZE_5001_10000: SIZE_5001_10000\nSIZE_10000_PLUS: SIZE_10000_PLUS', enum_type=CompanySizeBand, max_length=20)),
                ('headquarters_city', fields.CharField(null=True, max_length=120)),
                ('description', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'company', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Member',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('display_name', fields.CharField(max_length=80)),
                ('password_hash', fields.CharField(max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'member', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuthToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'auth_token', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A bearer token. Only its SHA-256 digest is stored.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CareerBreak',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='career_breaks', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='EDUCATION: EDUCATION\nPARENTAL_LEAVE: PARENTAL_LEAVE\nCAREGIVING: CAREGIVING\nHEALTH: HEALTH\nSABBATICAL: SABBATICAL\nJOB_SEARCH: JOB_SEARCH', enum_type=CareerBreakKind, max_length=20)),
                ('start_date', fields.DateField()),
                ('end_date', fields.DateField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'career_break', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CompanyRole',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='roles', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='roles', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='REPRESENTATIVE: REPRESENTATIVE\nCEO: CEO', enum_type=CompanyRoleKind, max_length=20)),
                ('granted_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'company_role', 'app': 'models', 'unique_together': (('company', 'member'),), 'pk_attr': 'id', 'table_description': 'A member speaking for a company, granted by a platform admin through the CLI.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Employment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='employments', on_delete=OnDelete.CASCADE)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='employments', on_delete=OnDelete.RESTRICT)),
                ('job_function', fields.CharEnumField(description='ENGINEERING: ENGINEERING\nPRODUCT: PRODUCT\nDESIGN: DESIGN\nDATA: DATA\nSALES: SALES\nMARKETING: MARKETING\nOPERATIONS: OPERATIONS\nFINANCE: FINANCE\nHR: HR\nLEGAL: LEGAL\nSUPPORT: SUPPORT\nMANAGEMENT: MANAGEMENT\nOTHER: OTHER', enum_type=JobFunction, max_length=20)),
                ('location', fields.CharField(max_length=120)),
                ('start_date', fields.DateField()),
                ('end_date', fields.DateField(null=True)),
                ('verification', fields.CharEnumField(default=VerificationState.UNVERIFIED, description='UNVERIFIED: UNVERIFIED\nVERIFIED: VERIFIED\nDISPUTED: DISPUTED', enum_type=VerificationState, max_length=20)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'employment', 'app': 'models', 'indexes': [Index(fields=['member_id', 'company_id'])], 'pk_attr': 'id', 'table_description': 'One stint of a member at a company. `end_date` is null while it is current.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Position',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('employment', fields.ForeignKeyField('models.Employment', source_field='employment_id', db_constraint=True, to_field='id', related_name='positions', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=120)),
                ('level', fields.SmallIntField()),
                ('start_date', fields.DateField()),
            ],
            options={'table': 'position', 'app': 'models', 'unique_together': (('employment', 'start_date'),), 'pk_attr': 'id', 'table_description': 'A title held inside a stint. A higher level than the previous one is a promotion.'},
            bases=['Model'],
        ),
    ]
