from tortoise import fields
from tortoise.models import Model


class SavedPriorities(Model):
    """A member's saved fit priorities, used when they rank companies without passing any."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField("models.Member", related_name="priorities", on_delete=fields.CASCADE)
    # {"COMPENSATION": 8.0, ...} and {"WORK_LIFE_BALANCE": 3.0, ...}
    weights = fields.JSONField()
    minimums = fields.JSONField(default=dict)
    perspective = fields.CharField(max_length=20, null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "saved_priorities"
