from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.member import Member


class SavedPriorities(Model):
    """A member's saved fit priorities, used when they rank companies without passing any."""

    id = fields.IntField(primary_key=True)
    member: fields.OneToOneRelation[Member] = fields.OneToOneField(
        "models.Member", related_name="priorities", on_delete=fields.CASCADE
    )
    member_id: int
    # {"COMPENSATION": 8.0, ...} and {"WORK_LIFE_BALANCE": 3.0, ...}
    weights: fields.Field[dict[str, float]] = fields.JSONField()
    minimums: fields.Field[dict[str, float]] = fields.JSONField(default=dict)
    perspective = fields.CharField(max_length=20, null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "saved_priorities"
