from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.company import Company


class DataVersion(Model):
    """The version of public data, moved by every committed change to it (infra/data_version.py):
    one row (id 1) on SQLite; on PostgreSQL 16 rows whose sum it is, so that concurrent commits
    seldom bump the same one."""

    id = fields.IntField(primary_key=True)
    version = fields.BigIntField(default=0)

    class Meta:
        table = "data_version"


class CompanyVersion(Model):
    """When a company's ranked facts (its rating tallies, its listing attributes) last changed:
    the data version of the write on SQLite, its transaction id on PostgreSQL. Each process's
    ranking snapshot re-reads only the companies changed since it last looked
    (resolvers/ranking_snapshot.py)."""

    id = fields.IntField(primary_key=True)
    company: fields.OneToOneRelation[Company] = fields.OneToOneField(
        "models.Company", related_name="version", on_delete=fields.CASCADE
    )
    company_id: int
    version = fields.BigIntField(db_index=True)

    class Meta:
        table = "company_version"
