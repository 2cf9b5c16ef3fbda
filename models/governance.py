from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from domain.enums import AppealDecision, RemovalPollStatus, RemovalReason

if TYPE_CHECKING:
    from models.company import Company
    from models.member import Member
    from models.review import CompanyResponse, Review


class RemovalPoll(Model):
    """A vote of a company's colleague circle on removing one review or response. The tallies
    move with every vote (atomic increments) but are published only once the poll settles."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="removal_polls", on_delete=fields.RESTRICT
    )
    company_id: int
    review: fields.ForeignKeyNullableRelation[Review] = fields.ForeignKeyField(
        "models.Review", related_name="removal_polls", null=True, on_delete=fields.RESTRICT
    )
    review_id: int | None
    response: fields.ForeignKeyNullableRelation[CompanyResponse] = fields.ForeignKeyField(
        "models.CompanyResponse", related_name="removal_polls", null=True, on_delete=fields.RESTRICT
    )
    response_id: int | None
    # "review:12" while open, null once settled: the unique index allows one open poll per piece.
    open_key = fields.CharField(max_length=40, null=True, unique=True)
    reason = fields.CharEnumField(RemovalReason, max_length=24)
    note = fields.CharField(max_length=500, null=True)
    status = fields.CharEnumField(RemovalPollStatus, max_length=10, default=RemovalPollStatus.OPEN)
    opened_at = fields.DatetimeField()
    closes_at = fields.DatetimeField(db_index=True)
    settled_at = fields.DatetimeField(null=True)
    quorum = fields.IntField()
    threshold = fields.FloatField()
    vetoed = fields.BooleanField(default=False)
    remove_voters = fields.IntField(default=0)
    keep_voters = fields.IntField(default=0)
    remove_weight = fields.FloatField(default=0)
    recent_remove_weight = fields.FloatField(default=0, db_default=0)  # of remove_weight: recently counted colleagues
    keep_weight = fields.FloatField(default=0)

    class Meta:
        table = "removal_poll"
        indexes = (("company_id", "status", "id"), ("review_id", "id"), ("response_id", "id"))


class RemovalVote(Model):
    """One member's vote on one poll, with the weight it carried when cast. Never public. When
    the voter deletes their account, a vote in an open poll goes (and its tally moves); one in a
    settled poll stays, with no voter, so the settled tally still equals its votes."""

    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation[RemovalPoll] = fields.ForeignKeyField(
        "models.RemovalPoll", related_name="votes", on_delete=fields.CASCADE
    )
    poll_id: int
    member: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="removal_votes", null=True, on_delete=fields.SET_NULL
    )
    member_id: int | None
    remove = fields.BooleanField()
    weight = fields.FloatField()
    recent = fields.BooleanField(default=False, db_default=False)  # cast by a colleague counted within RECENTLY_COUNTED
    cast_at = fields.DatetimeField()

    class Meta:
        table = "removal_vote"
        unique_together = (("poll", "member"),)


class Veto(Model):
    """A CEO keeping content a poll would remove: at most one per company per veto period."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="vetoes", on_delete=fields.RESTRICT
    )
    company_id: int
    poll: fields.OneToOneRelation[RemovalPoll] = fields.OneToOneField(
        "models.RemovalPoll", related_name="veto", on_delete=fields.RESTRICT
    )
    poll_id: int
    note = fields.CharField(max_length=500, null=True)
    at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "veto"
        indexes = (("company_id", "at"),)


class Appeal(Model):
    """The author of removed content asking a moderator to restore it. The statement is for the
    moderators; the decision and its reason are public (in the content's history)."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="appeals", on_delete=fields.RESTRICT
    )
    company_id: int
    review: fields.ForeignKeyNullableRelation[Review] = fields.ForeignKeyField(
        "models.Review", related_name="appeals", null=True, on_delete=fields.RESTRICT
    )
    review_id: int | None
    response: fields.ForeignKeyNullableRelation[CompanyResponse] = fields.ForeignKeyField(
        "models.CompanyResponse", related_name="appeals", null=True, on_delete=fields.RESTRICT
    )
    response_id: int | None
    appellant: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="appeals", null=True, on_delete=fields.SET_NULL
    )
    appellant_id: int | None
    statement = fields.TextField()
    content_key = fields.CharField(max_length=40, db_index=True)  # "review:12"
    # The content key while undecided, null once decided: one open appeal per piece of content.
    open_key = fields.CharField(max_length=40, null=True, unique=True)
    created_at = fields.DatetimeField()
    decision = fields.CharEnumField(AppealDecision, max_length=10, null=True)
    reason = fields.CharField(max_length=500, null=True)
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "appeal"
        indexes = (("company_id", "created_at"),)
