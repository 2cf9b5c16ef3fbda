"""Moderation by platform moderators, and the public history of how content left or came back.
There is no mutation by which a company removes or edits a review."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated

import strawberry

import models
from domain.dates import start_of_day
from domain.enums import AppealDecision
from domain.violations import Outcome
from resolvers import appeals as appeal_resolvers
from resolvers import moderation as moderation_resolvers
from resolvers.appeals import PollVerdict, QueueKind
from resolvers.context import RequestContext
from resolvers.moderation import ModerationAction
from schema.enums import exposed
from schema.errors import INPUT, PAYLOAD, USER_ERRORS, UserError, payload
from schema.governance import RemovalPoll, RemovalPollPayload
from schema.node import given_pk, pk_of, to_global_id
from schema.review import CompanyResponse, Review

exposed(ModerationAction, "What a moderator does to content.", {
    "REMOVE": "Take published content down.",
    "RESTORE": "Put removed content back.",
})


@strawberry.type(description="One public step in a review's life: what, when, why — never who.")
class ReviewHistoryEntry:
    action: str = strawberry.field(
        description="WITHDRAWN, REMOVED, RESTORED, KEPT, VETOED, REFERRED (a removal poll sent to the moderators), "
        "APPEALED or UPHELD."
    )
    actor: str = strawberry.field(description="AUTHOR, COMMUNITY, MODERATOR or CEO_VETO: a kind, never a person.")
    reason: str | None = strawberry.field(description="The public reason given, if any.")
    at: datetime.datetime = strawberry.field(description="The day (midnight UTC): never finer, to anyone.")

    @classmethod
    def of(cls, entry: models.AuditEntry) -> ReviewHistoryEntry:
        return cls(action=entry.action.value, actor=entry.actor.value, reason=entry.reason, at=start_of_day(entry.at))


@strawberry.input(description="Give `reviewId` or `responseId`, and a public reason (10–500 characters).")
class ModerateContentInput:
    review_id: strawberry.ID | None = strawberry.field(default=None, description="The review (give this or `responseId`).")
    response_id: strawberry.ID | None = strawberry.field(default=None, description="The company response (give this or `reviewId`).")
    action: ModerationAction = strawberry.field(description="REMOVE published content, or RESTORE removed content.")
    reason: str = strawberry.field(description="Why, in public (10–500 characters).")

    def to_command(self) -> moderation_resolvers.Moderation:
        return moderation_resolvers.Moderation(
            review_id=given_pk(self.review_id, "Review"),
            response_id=given_pk(self.response_id, "CompanyResponse"),
            action=self.action,
            reason=self.reason,
        )


@strawberry.type(description=PAYLOAD)
class ModerationPayload:
    review: Review | None = strawberry.field(description="The review as changed (null for a response).")
    response: CompanyResponse | None = strawberry.field(description="The response as changed (null for a review).")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class ModerationMutations:
    @strawberry.mutation(description="Remove or restore a review or a company response (platform moderators only).")
    async def moderate_content(
        self, info: strawberry.Info[RequestContext], input: Annotated[ModerateContentInput, INPUT]
    ) -> ModerationPayload:
        member = await info.context.require_viewer()
        outcome = await moderation_resolvers.moderate(member, input.to_command())
        return payload(
            ModerationPayload,
            outcome,
            review=lambda done: Review.from_row(done.review) if done.review else None,
            response=lambda done: CompanyResponse.from_row(done.response) if done.response else None,
        )


exposed(AppealDecision, "A moderator's decision on an appeal.", {
    "RESTORE": "The removal was wrong: the content is back.",
    "UPHOLD": "The removal stands.",
})
exposed(PollVerdict, "A moderator's decision on a referred removal poll.", {
    "REMOVE": "Remove the content, as the poll asked.",
    "KEEP": "Keep the content.",
})
exposed(QueueKind, "What waits in the moderation queue.", {
    "APPEAL": "An author's appeal against a removal.",
    "REFERRED_POLL": "A removal poll referred to the moderators.",
})


class AppealStatus(Enum):
    OPEN = "OPEN"
    RESTORED = "RESTORED"
    UPHELD = "UPHELD"


exposed(AppealStatus, "Where an appeal stands.", {
    "OPEN": "Waiting for a moderator.",
    "RESTORED": "The content was put back.",
    "UPHELD": "The removal stands.",
})


@strawberry.type(description="An appeal of a removal, seen by its author and the moderators. The decision and "
                             "its reason are also public, in the content's history.")
class Appeal:
    row: strawberry.Private[models.Appeal]

    @strawberry.field(description="Opaque id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Appeal", self.row.id))

    @strawberry.field(description="OPEN until a moderator decides.")
    def status(self) -> AppealStatus:
        if self.row.decision is None:
            return AppealStatus.OPEN
        return AppealStatus.RESTORED if self.row.decision is AppealDecision.RESTORE else AppealStatus.UPHELD

    @strawberry.field(description="The author's case, for the moderators.")
    def statement(self) -> str:
        return self.row.statement

    @strawberry.field(description="The moderator's public reason, once decided.")
    def reason(self) -> str | None:
        return self.row.reason

    @strawberry.field(description="The day it was made (midnight UTC).")
    def created_at(self) -> datetime.datetime:
        return start_of_day(self.row.created_at)

    @strawberry.field(description="The removed review appealed (null for a response).")
    async def review(self) -> Review | None:
        row = await models.Review.get_or_none(id=self.row.review_id) if self.row.review_id else None
        return Review.from_row(row) if row is not None else None

    @strawberry.field(description="The removed response appealed (null for a review).")
    async def response(self) -> CompanyResponse | None:
        row = await models.CompanyResponse.get_or_none(id=self.row.response_id) if self.row.response_id else None
        return CompanyResponse.from_row(row) if row is not None else None


@strawberry.type(description="One item for the moderators, oldest first: an appeal, or a removal poll carried by "
                             "recently counted colleagues (with its tally) that waits for their decision.")
class ModerationQueueItem:
    kind: QueueKind = strawberry.field(description="An APPEAL or a REFERRED_POLL.")
    since: datetime.datetime = strawberry.field(description="When it started waiting.")
    appeal: Appeal | None = strawberry.field(description="The appeal (for kind APPEAL).")
    poll: RemovalPoll | None = strawberry.field(description="The poll (for kind REFERRED_POLL).")

    @classmethod
    def of(cls, item: appeal_resolvers.QueueItem) -> ModerationQueueItem:
        return cls(
            kind=item.kind,
            since=item.since,
            appeal=Appeal(row=item.appeal) if item.appeal is not None else None,
            poll=RemovalPoll.from_row(item.poll) if item.poll is not None else None,
        )


@strawberry.input(description="Give `reviewId` or `responseId` of your removed content, and your case (to 2000 "
                              "characters) — within 30 days of the removal.")
class AppealRemovalInput:
    review_id: strawberry.ID | None = strawberry.field(default=None, description="Your removed review (give this or `responseId`).")
    response_id: strawberry.ID | None = strawberry.field(default=None, description="Your company's removed response (give this or `reviewId`).")
    statement: str = strawberry.field(description="Why the removal was wrong, for the moderators: 10–2,000 characters.")

    def to_command(self) -> appeal_resolvers.AppealRequest:
        return appeal_resolvers.AppealRequest(
            review_id=given_pk(self.review_id, "Review"),
            response_id=given_pk(self.response_id, "CompanyResponse"),
            statement=self.statement,
        )


@strawberry.input(description="A moderator's decision, with a public reason (10–500 characters).")
class DecideAppealInput:
    appeal_id: strawberry.ID = strawberry.field(description="The open appeal.")
    decision: AppealDecision = strawberry.field(description="RESTORE the content, or UPHOLD its removal.")
    reason: str = strawberry.field(description="Why, in public: it goes into the content's history and the audit log (10–500 "
        "characters).")


@strawberry.input(description="A moderator's decision on a referred poll, with a public reason (10–500 characters).")
class DecideReferredPollInput:
    poll_id: strawberry.ID = strawberry.field(description="The referred poll.")
    decision: PollVerdict = strawberry.field(description="REMOVE the content as the poll asked, or KEEP it.")
    reason: str = strawberry.field(description="Why, in public: it goes into the content's history and the audit log (10–500 "
        "characters).")


@strawberry.type(description=PAYLOAD)
class AppealPayload:
    appeal: Appeal | None = strawberry.field(description="The appeal as stored or decided; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _appeal_payload(outcome: Outcome[models.Appeal]) -> AppealPayload:
    return payload(AppealPayload, outcome, appeal=lambda row: Appeal(row=row))


@strawberry.type
class AppealMutations:
    @strawberry.mutation(description="Appeal the removal of your own review or response, within 30 days of it.")
    async def appeal_removal(self, info: strawberry.Info[RequestContext], input: Annotated[AppealRemovalInput, INPUT]) -> AppealPayload:
        member = await info.context.require_viewer()
        return _appeal_payload(await appeal_resolvers.appeal_removal(member, input.to_command()))

    @strawberry.mutation(description="Restore the content or uphold its removal (platform moderators only).")
    async def decide_appeal(self, info: strawberry.Info[RequestContext], input: Annotated[DecideAppealInput, INPUT]) -> AppealPayload:
        member = await info.context.require_viewer()
        outcome = await appeal_resolvers.decide_appeal(
            member, pk_of(input.appeal_id, "Appeal"), input.decision, input.reason
        )
        return _appeal_payload(outcome)

    @strawberry.mutation(description="Remove or keep what a referred removal poll asked (platform moderators only).")
    async def decide_referred_poll(
        self, info: strawberry.Info[RequestContext], input: Annotated[DecideReferredPollInput, INPUT]
    ) -> RemovalPollPayload:
        member = await info.context.require_viewer()
        outcome = await appeal_resolvers.decide_referred_poll(
            member, pk_of(input.poll_id, "RemovalPoll"), input.decision, input.reason
        )
        return payload(RemovalPollPayload, outcome, poll=RemovalPoll.from_row)
