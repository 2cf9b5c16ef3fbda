"""Moderation by platform moderators, and the public history of how content left or came back.
There is no mutation by which a company removes or edits a review."""

from __future__ import annotations

import datetime

import strawberry

import models
from resolvers import moderation as moderation_resolvers
from resolvers.context import RequestContext
from resolvers.moderation import ModerationAction
from schema.errors import UserError, payload
from schema.node import given_pk
from schema.review import CompanyResponse, Review

strawberry.enum(ModerationAction, description="REMOVE published content, or RESTORE removed content.")


@strawberry.type(description="One public step in a review's life: what, when, why — never who.")
class ReviewHistoryEntry:
    action: str = strawberry.field(description="WITHDRAWN, REMOVED or RESTORED.")
    actor: str = strawberry.field(description="AUTHOR, COMMUNITY, MODERATOR or CEO_VETO: a kind, never a person.")
    reason: str | None
    at: datetime.datetime

    @classmethod
    def of(cls, entry: models.AuditEntry) -> ReviewHistoryEntry:
        return cls(action=entry.action.value, actor=entry.actor.value, reason=entry.reason, at=entry.at)


@strawberry.input(description="Give `reviewId` or `responseId`, and a public reason (10–500 characters).")
class ModerateContentInput:
    review_id: strawberry.ID | None = None
    response_id: strawberry.ID | None = None
    action: ModerationAction
    reason: str

    def to_command(self) -> moderation_resolvers.Moderation:
        return moderation_resolvers.Moderation(
            review_id=given_pk(self.review_id, "Review"),
            response_id=given_pk(self.response_id, "CompanyResponse"),
            action=self.action,
            reason=self.reason,
        )


@strawberry.type
class ModerationPayload:
    review: Review | None
    response: CompanyResponse | None
    user_errors: list[UserError]


@strawberry.type
class ModerationMutations:
    @strawberry.mutation(description="Remove or restore a review or a company response (platform moderators only).")
    async def moderate_content(
        self, info: strawberry.Info[RequestContext], input: ModerateContentInput
    ) -> ModerationPayload:
        member = await info.context.require_viewer()
        outcome = await moderation_resolvers.moderate(member, input.to_command())
        return payload(
            ModerationPayload,
            outcome,
            review=lambda done: Review.from_row(done.review) if done.review else None,
            response=lambda done: CompanyResponse.from_row(done.response) if done.response else None,
        )
