from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from domain.enums import CompanyRoleKind, CompanySizeBand

if TYPE_CHECKING:
    from models.member import Member
    from models.versions import CompanyVersion


class Company(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=140, unique=True)
    name = fields.CharField(max_length=120)
    industry = fields.CharField(max_length=80, null=True, db_index=True)
    size_band = fields.CharEnumField(CompanySizeBand, max_length=20, null=True)
    headquarters_city = fields.CharField(max_length=120, null=True)
    description = fields.TextField(null=True)
    website = fields.CharField(max_length=200, null=True)
    # Published reviews the company has not responded to; moved with the rating aggregates.
    unanswered_review_count = fields.IntField(default=0, db_default=0)
    # The record's running tallies (domain/company_record.py), moved by the writes they count.
    member_count = fields.IntField(default=0, db_default=0)
    verified_member_count = fields.IntField(default=0, db_default=0)
    former_member_count = fields.IntField(default=0, db_default=0)
    # Published reviews with a published response: the response rate's numerator.
    responded_review_count = fields.IntField(default=0, db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Its change stamp, when read with it (`select_related("version")`; infra/data_version.py).
    version: fields.BackwardOneToOneRelation[CompanyVersion]

    class Meta:
        table = "company"
        ordering = ["name", "id"]


class CompanyRole(Model):
    """A member speaking for a company, granted by a platform admin through the CLI."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="roles", on_delete=fields.CASCADE
    )
    company_id: int
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="roles", on_delete=fields.CASCADE
    )
    member_id: int
    kind = fields.CharEnumField(CompanyRoleKind, max_length=20)
    granted_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "company_role"
        unique_together = (("company", "member"),)
