from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.company import Company

# How many 1s … 5s a tally holds, one column each (RatingAggregate).
SCORE_BUCKET_COLUMNS = ("score_1", "score_2", "score_3", "score_4", "score_5")


class RatingAggregate(Model):
    """Published-review tallies of one company for one rating key (OVERALL or a dimension),
    over all reviews (`scope` ALL) or over the reviews from one job function.
    Moved only by atomic increments in the transaction of the write that changes them."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="rating_aggregates", on_delete=fields.CASCADE
    )
    company_id: int
    scope = fields.CharField(max_length=20)
    rating_key = fields.CharField(max_length=24)
    count = fields.IntField(default=0)
    total = fields.IntField(default=0)
    score_1 = fields.IntField(default=0)
    score_2 = fields.IntField(default=0)
    score_3 = fields.IntField(default=0)
    score_4 = fields.IntField(default=0)
    score_5 = fields.IntField(default=0)

    class Meta:
        table = "rating_aggregate"
        unique_together = (("company", "scope", "rating_key"),)
        # The platform mean of one key (the career credit's prior) reads one row per company.
        indexes = (("scope", "rating_key", "count", "total"),)


class RatingTrend(Model):
    """Published reviews per calendar quarter of writing: count and sum of overall ratings."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="rating_trend", on_delete=fields.CASCADE
    )
    company_id: int
    year = fields.SmallIntField()
    quarter = fields.SmallIntField()
    count = fields.IntField(default=0)
    total = fields.IntField(default=0)

    class Meta:
        table = "rating_trend"
        unique_together = (("company", "year", "quarter"),)
