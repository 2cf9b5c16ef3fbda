from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class DataVersion(Model):
    """One row (id 1) whose version moves with every committed change to public data, bumped by
    SQLite triggers in the writing transaction (infra/data_version.py). PostgreSQL reads its
    own transaction snapshot instead and leaves this row alone."""

    id = fields.IntField(primary_key=True)
    version = fields.BigIntField(default=0)

    class Meta:
        table = "data_version"
