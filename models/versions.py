from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class DataVersion(Model):
    """The version of public data, moved by every committed change to it (infra/data_version.py):
    one row (id 1) on SQLite; on PostgreSQL 16 rows whose sum it is, so that concurrent commits
    seldom bump the same one."""

    id = fields.IntField(primary_key=True)
    version = fields.BigIntField(default=0)

    class Meta:
        table = "data_version"
