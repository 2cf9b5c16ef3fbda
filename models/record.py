from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.company import Company
    from models.member import Member


class CompanyMember(Model):
    """One member's standing in a company's record (domain.company_record.MemberStanding),
    folded from all their stints there; refolded in the transaction of every write to those
    stints or to the member's role at the company."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="record_members", on_delete=fields.CASCADE
    )
    company_id: int
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="record_standings", on_delete=fields.CASCADE
    )
    member_id: int
    verified = fields.BooleanField()
    current = fields.BooleanField()
    completed_months = fields.IntField()
    representative = fields.BooleanField()
    claimed_at = fields.DatetimeField()

    class Meta:
        table = "company_member"
        unique_together = (("company", "member"),)
        # A record read finds the few members not yet established: the latest claims.
        indexes = (("company_id", "claimed_at"),)


class ColleagueAdmission(Model):
    """When a member became (or, scheduled, becomes) a counted colleague at a company
    (domain/colleagues.py): the inflow allowance's history. Not derived from other rows — who was
    counted when stays as it happened — so the aggregate repair leaves it alone."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="colleague_admissions", on_delete=fields.CASCADE
    )
    company_id: int
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="colleague_admissions", on_delete=fields.CASCADE
    )
    member_id: int
    counted_from = fields.DatetimeField()

    class Meta:
        table = "colleague_admission"
        unique_together = (("company", "member"),)
        indexes = (("company_id", "counted_from"), ("member_id", "counted_from"))


class RecordBucket(Model):
    """One histogram bucket of a company's record: `measure` "tenure_months" (former members'
    total months) or "response_days" (published responses' delay in whole days from the review's day)."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="record_buckets", on_delete=fields.CASCADE
    )
    company_id: int
    measure = fields.CharField(max_length=20)
    value = fields.IntField()
    count = fields.IntField(default=0)

    class Meta:
        table = "record_bucket"
        unique_together = (("company", "measure", "value"),)
