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


class SnapshotCopy(Model):
    """The token of the ranking snapshot's copy on disk last written from this database
    (resolvers/snapshot_copy.py): a copy with another token is not this database's as it now
    stands, and is not read."""

    id = fields.IntField(primary_key=True)
    token = fields.CharField(max_length=64)

    class Meta:
        table = "snapshot_copy"
