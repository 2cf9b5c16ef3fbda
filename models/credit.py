from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.company import Company
    from models.member import Member


class StoredCredit(Model):
    """A member's career credit as of their last history change, kept for percentiles and as
    the progression population. Refreshed in the transaction of every change to the history."""

    id = fields.IntField(primary_key=True)
    member: fields.OneToOneRelation[Member] = fields.OneToOneField(
        "models.Member", related_name="stored_credit", on_delete=fields.CASCADE
    )
    member_id: int
    score = fields.SmallIntField(null=True, db_index=True)  # null: insufficient history
    experience_years = fields.FloatField(db_index=True)
    levels_per_year = fields.FloatField()
    computed_at = fields.DatetimeField()

    class Meta:
        table = "stored_credit"


class CreditShare(Model):
    """A member letting one company's representatives see their career credit, until revoked."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="credit_shares", on_delete=fields.CASCADE
    )
    member_id: int
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="credit_shares", on_delete=fields.CASCADE
    )
    company_id: int
    shared_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "credit_share"
        unique_together = (("member", "company"),)
