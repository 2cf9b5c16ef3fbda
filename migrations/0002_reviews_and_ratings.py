from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.enums import EmploymentStatus, JobFunction, ReviewStatus, TenureBucket


class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RatingAggregate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='rating_aggregates', on_delete=OnDelete.CASCADE)),
                ('scope', fields.CharField(max_length=20)),
                ('rating_key', fields.CharField(max_length=24)),
                ('count', fields.IntField(default=0)),
                ('total', fields.IntField(default=0)),
                ('score_1', fields.IntField(default=0)),
                ('score_2', fields.IntField(default=0)),
                ('score_3', fields.IntField(default=0)),
                ('score_4', fields.IntField(default=0)),
                ('score_5', fields.IntField(default=0)),
            ],
            options={'table': 'rating_aggregate', 'app': 'models', 'unique_together': (('company', 'scope', 'rating_key'),), 'pk_attr': 'id', 'table_description': 'Published-review tallies of one company for one rating key (OVERALL or a dimension),'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RatingTrend',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='rating_trend', on_delete=OnDelete.CASCADE)),
                ('year', fields.SmallIntField()),
                ('quarter', fields.SmallIntField()),
                ('count', fields.IntField(default=0)),
                ('total', fields.IntField(default=0)),
            ],
            options={'table': 'rating_trend', 'app': 'models', 'unique_together': (('company', 'year', 'quarter'),), 'pk_attr': 'id', 'table_description': 'Published reviews per calendar quarter of writing: count and sum of overall ratings.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Review',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.RESTRICT)),
                ('author', fields.ForeignKeyField('models.Member', source_field='author_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.CASCADE)),
                ('employment', fields.ForeignKeyField('models.Employment', source_field='employment_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.RESTRICT)),
                ('overall', fields.SmallIntField()),
                ('compensation', fields.SmallIntField(null=True)),
                ('work_life_balance', fields.SmallIntField(null=True)),
                ('management', fields.SmallIntField(null=True)),
                ('growth', fields.SmallIntField(null=True)),
                ('meaning', fields.SmallIntField(null=True)),
                ('culture', fields.SmallIntField(null=True)),
                ('stability', fields.SmallIntField(null=True)),
                ('title', fields.CharField(max_length=120)),
                ('pros', fields.TextField(null=True, unique=False)),
                ('cons', fields.TextField(null=True, unique=False)),
                ('advice_to_management', fields.TextField(null=True, unique=False)),
                ('employment_status', fields.CharEnumField(description='CURRENT: CURRENT\nFORMER: FORMER', enum_type=EmploymentStatus, max_length=10)),
                ('tenure', fields.CharEnumField(description='LESS_THAN_1_YEAR: LESS_THAN_1_YEAR\nMORE_THAN_1_YEAR: MORE_THAN_1_YEAR\nMORE_THAN_3_YEARS: MORE_THAN_3_YEARS\nMORE_THAN_5_YEARS: MORE_THAN_5_YEARS\nMORE_THAN_8_YEARS: MORE_THAN_8_YEARS\nMORE_THAN_10_YEARS: MORE_THAN_10_YEARS', enum_type=TenureBucket, max_length=20)),
                ('job_function', fields.CharEnumField(description='ENGINEERING: ENGINEERING\nPRODUCT: PRODUCT\nDESIGN: DESIGN\nDATA: DATA\nSALES: SALES\nMARKETING: MARKETING\nOPERATIONS: OPERATIONS\nFINANCE: FINANCE\nHR: HR\nLEGAL: LEGAL\nSUPPORT: SUPPORT\nMANAGEMENT: MANAGEMENT\nOTHER: OTHER', enum_type=JobFunction, max_length=20)),
                ('location', fields.CharField(max_length=120)),
                ('last_year', fields.SmallIntField(null=True)),
                ('status', fields.CharEnumField(default=ReviewStatus.PUBLISHED, description='PUBLISHED: PUBLISHED\nWITHDRAWN: WITHDRAWN\nREMOVED_BY_VOTE: REMOVED_BY_VOTE\nREMOVED_BY_MODERATION: REMOVED_BY_MODERATION', enum_type=ReviewStatus, max_length=24)),
                ('status_reason', fields.CharField(null=True, max_length=200)),
                ('helpful_count', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'review', 'app': 'models', 'indexes': [Index(fields=['company_id', 'status', 'created_at']), Index(fields=['author_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A review written from one employment. The author is stored but never exposed.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CompanyResponse',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('review', fields.OneToOneField('models.Review', source_field='review_id', db_constraint=True, to_field='id', related_name='response', on_delete=OnDelete.CASCADE)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='responses', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.Member', source_field='author_id', db_constraint=True, to_field='id', related_name='responses', on_delete=OnDelete.RESTRICT)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'company_response', 'app': 'models', 'pk_attr': 'id', 'table_description': "The company's one official answer to a review. Editable by its representatives."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HelpfulVote',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('review', fields.ForeignKeyField('models.Review', source_field='review_id', db_constraint=True, to_field='id', related_name='helpful_votes', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='helpful_votes', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'helpful_vote', 'app': 'models', 'unique_together': (('review', 'member'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Employment',
            name='last_reviewed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
