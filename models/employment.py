from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from domain.enums import CareerBreakKind, JobFunction, VerificationState

if TYPE_CHECKING:
    from models.company import Company
    from models.member import Member


class Employment(Model):
    """One stint of a member at a company. `end_date` is null while it is current."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="employments", on_delete=fields.CASCADE
    )
    member_id: int
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="employments", on_delete=fields.RESTRICT
    )
    company_id: int
    job_function = fields.CharEnumField(JobFunction, max_length=20)
    location = fields.CharField(max_length=120)
    start_date = fields.DateField()
    end_date = fields.DateField(null=True)
    verification = fields.CharEnumField(
        VerificationState, max_length=20, default=VerificationState.UNVERIFIED
    )
    # A side job or part-time stint may overlap another job; full-time ones overlapping each
    # other are implausible, and career credit does not reward them (credit/README.md).
    full_time = fields.BooleanField(default=True, db_default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "employment"
        # By member (their history), by company (its record, its verification requests) and by
        # company and function (the colleagues an anonymity check counts).
        indexes = (("member_id", "company_id"), ("company_id", "start_date"), ("company_id", "job_function", "start_date"))


class Position(Model):
    """A title held inside a stint. A higher level than the previous one is a promotion."""

    id = fields.IntField(primary_key=True)
    employment: fields.ForeignKeyRelation[Employment] = fields.ForeignKeyField(
        "models.Employment", related_name="positions", on_delete=fields.CASCADE
    )
    employment_id: int
    title = fields.CharField(max_length=120)
    level = fields.SmallIntField()
    start_date = fields.DateField()

    class Meta:
        table = "position"
        ordering = ["start_date", "id"]
        unique_together = (("employment", "start_date"),)


class CareerBreak(Model):
    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="career_breaks", on_delete=fields.CASCADE
    )
    member_id: int
    kind = fields.CharEnumField(CareerBreakKind, max_length=20)
    start_date = fields.DateField()
    end_date = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "career_break"
        ordering = ["start_date", "id"]
