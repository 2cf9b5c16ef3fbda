from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from domain.enums import CompanyRoleKind, CompanySizeBand

if TYPE_CHECKING:
    from models.member import Member


class Company(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=140, unique=True)
    name = fields.CharField(max_length=120)
    # What `companies(search:)` matches (infra/company_search.py): the name case-folded, which
    # can be longer than the name ("ß" folds to "ss").
    folded_name = fields.CharField(max_length=360, default="", db_default="")
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
        indexes = (("folded_name", "id"),)

    async def save(self, *args: Any, **kwargs: Any) -> None:
        self.folded_name = self.name.casefold()
        await super().save(*args, **kwargs)


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


class CompanyVersion(Model):
    """A company's change stamp, moved by every write its page shows (infra/data_version.py): the
    data version of the write on SQLite, its transaction id on PostgreSQL. A cached company page
    holds while its stamp does (infra/response_cache.py), and each process's ranking snapshot
    re-reads only the companies stamped since it last looked (resolvers/ranking_snapshot.py)."""

    id = fields.IntField(primary_key=True)
    company: fields.OneToOneRelation[Company] = fields.OneToOneField(
        "models.Company", related_name="version", on_delete=fields.CASCADE
    )
    company_id: int
    version = fields.BigIntField(db_index=True)

    class Meta:
        table = "company_version"
