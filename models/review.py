from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from domain.enums import (
    AuditAction,
    AuditActor,
    EmploymentStatus,
    JobFunction,
    PlatformRoleKind,
    ResponseStatus,
    ReviewStatus,
    TenureBucket,
)

if TYPE_CHECKING:
    from models.company import Company
    from models.employment import Employment
    from models.member import Member


class Review(Model):
    """A review written from one employment. The author is stored but never exposed; when the
    author deletes their account, a review they keep up loses its author and employment and
    stays as anonymous content with its fixed face."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="reviews", on_delete=fields.RESTRICT
    )
    company_id: int
    author: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="reviews", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    employment: fields.ForeignKeyNullableRelation[Employment] = fields.ForeignKeyField(
        "models.Employment", related_name="reviews", null=True, on_delete=fields.SET_NULL
    )
    employment_id: int | None
    overall = fields.SmallIntField()
    # One nullable column per dimension (domain.enums.Dimension), null when not rated.
    compensation = fields.SmallIntField(null=True)
    work_life_balance = fields.SmallIntField(null=True)
    management = fields.SmallIntField(null=True)
    growth = fields.SmallIntField(null=True)
    meaning = fields.SmallIntField(null=True)
    culture = fields.SmallIntField(null=True)
    stability = fields.SmallIntField(null=True)
    title = fields.CharField(max_length=120)
    pros = fields.TextField(null=True)
    cons = fields.TextField(null=True)
    advice_to_management = fields.TextField(null=True)
    # The review's face: what it shows of its author, derived from the employment as of writing
    # and generalised for anonymity (domain/anonymity.py). Null means withheld. Fixed when the
    # author publishes or edits; nothing else changes it.
    employment_status = fields.CharEnumField(EmploymentStatus, max_length=10, null=True)
    tenure = fields.CharEnumField(TenureBucket, max_length=20, null=True)
    tenure_widened = fields.BooleanField(default=False)
    job_function = fields.CharEnumField(JobFunction, max_length=20, null=True)
    # What the author chose not to show whatever the rule allows (FaceAttribute names, comma-separated).
    # Random, fixed when stored: the order of one day's reviews, which says nothing of when in
    # the day each was written (created_at is the day itself).
    day_rank = fields.IntField(default=0, db_default=0)
    withheld_by_author = fields.CharField(max_length=80, default="", db_default="")
    location = fields.CharField(max_length=120, null=True)
    last_year = fields.SmallIntField(null=True)
    status = fields.CharEnumField(ReviewStatus, max_length=24, default=ReviewStatus.PUBLISHED)
    status_reason = fields.CharField(max_length=500, null=True)
    helpful_count = fields.IntField(default=0)
    # Whether the company has responded (set once, in the responding transaction; a response
    # later removed by moderation still counts: the company has spoken and cannot speak twice).
    answered = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "review"
        indexes = (
            ("status", "id"),  # the held reviews, for their release
            ("company_id", "status", "created_at", "day_rank"),
            ("author_id", "created_at"),
            ("company_id", "status", "answered", "created_at", "day_rank"),
        )


class HelpfulVote(Model):
    id = fields.IntField(primary_key=True)
    review: fields.ForeignKeyRelation[Review] = fields.ForeignKeyField(
        "models.Review", related_name="helpful_votes", on_delete=fields.CASCADE
    )
    review_id: int
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="helpful_votes", on_delete=fields.CASCADE
    )
    member_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "helpful_vote"
        unique_together = (("review", "member"),)


class CompanyResponse(Model):
    """The company's one official answer to a review. Editable by its representatives."""

    id = fields.IntField(primary_key=True)
    review: fields.OneToOneRelation[Review] = fields.OneToOneField(
        "models.Review", related_name="response", on_delete=fields.CASCADE
    )
    review_id: int
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="responses", on_delete=fields.CASCADE
    )
    company_id: int
    # The representative who wrote it; kept only while their account exists (the response is the
    # company's, and stays when they leave).
    author: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="responses", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    body = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(null=True)

    status = fields.CharEnumField(ResponseStatus, max_length=24, default=ResponseStatus.PUBLISHED)
    status_reason = fields.CharField(max_length=500, null=True)

    class Meta:
        table = "company_response"


class ReviewSlot(Model):
    """When a member last reviewed a company: one published review per member per company per
    review interval, claimed by one conditional UPDATE in the submitting transaction."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="review_slots", on_delete=fields.CASCADE
    )
    member_id: int
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="review_slots", on_delete=fields.CASCADE
    )
    company_id: int
    last_reviewed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "review_slot"
        unique_together = (("member", "company"),)


class AuditEntry(Model):
    """Append-only record of every way content left or came back: the database itself refuses
    UPDATE and DELETE on this table (triggers, migration 0006). The actor is a kind, never a
    person: who removed what is kept private; that it happened, and why, is public."""

    id = fields.IntField(primary_key=True)
    review: fields.ForeignKeyNullableRelation[Review] = fields.ForeignKeyField(
        "models.Review", related_name="audit_entries", null=True, on_delete=fields.RESTRICT
    )
    review_id: int | None
    response: fields.ForeignKeyNullableRelation[CompanyResponse] = fields.ForeignKeyField(
        "models.CompanyResponse", related_name="audit_entries", null=True, on_delete=fields.RESTRICT
    )
    response_id: int | None
    action = fields.CharEnumField(AuditAction, max_length=20)
    actor = fields.CharEnumField(AuditActor, max_length=20)
    reason = fields.CharField(max_length=500, null=True)
    status_before = fields.CharField(max_length=24)
    status_after = fields.CharField(max_length=24)
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_entry"
        indexes = (("review_id", "id"), ("response_id", "id"))


class PlatformRole(Model):
    """A platform role (moderator), granted by an operator through the CLI, never the API."""

    id = fields.IntField(primary_key=True)
    member: fields.OneToOneRelation[Member] = fields.OneToOneField(
        "models.Member", related_name="platform_role", on_delete=fields.CASCADE
    )
    member_id: int
    kind = fields.CharEnumField(PlatformRoleKind, max_length=20)
    granted_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "platform_role"
