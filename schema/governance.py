"""Removal polls in the API: opening, voting, the CEO's veto, and what is public about them."""

from __future__ import annotations

import datetime

import strawberry

import models
from domain.enums import RemovalPollStatus, RemovalReason
from resolvers import governance
from resolvers.context import RequestContext
from schema.errors import UserError, payload
from schema.node import Node, given_pk, pk_of, to_global_id

strawberry.enum(RemovalReason)
strawberry.enum(RemovalPollStatus)


@strawberry.type(description="A settled poll's result; who voted how is never shown.")
class RemovalTally:
    remove_voters: int
    keep_voters: int
    remove_weight: float
    keep_weight: float
    remove_share: float = strawberry.field(description="0–1: the weighted share for removal.")


@strawberry.type(description="Your own vote, and the weight it carried when cast.")
class MyRemovalVote:
    remove: bool
    weight: float


@strawberry.type(description="A vote of the company's colleague circle on removing a review or a response.")
class RemovalPoll(Node):
    row: strawberry.Private[models.RemovalPoll]

    @strawberry.field
    def reason(self) -> RemovalReason:
        return self.row.reason

    @strawberry.field
    def note(self) -> str | None:
        return self.row.note

    @strawberry.field
    def status(self) -> RemovalPollStatus:
        return self.row.status

    @strawberry.field
    def opened_at(self) -> datetime.datetime:
        return self.row.opened_at

    @strawberry.field
    def closes_at(self) -> datetime.datetime:
        return self.row.closes_at

    @strawberry.field
    def settled_at(self) -> datetime.datetime | None:
        return self.row.settled_at

    @strawberry.field(description="Distinct voters needed for a removal.")
    def quorum(self) -> int:
        return self.row.quorum

    @strawberry.field(description="Weighted share (0–1) for removal needed to remove.")
    def threshold(self) -> float:
        return self.row.threshold

    @strawberry.field(description="How many have voted so far (live).")
    def voter_count(self) -> int:
        return self.row.remove_voters + self.row.keep_voters

    @strawberry.field(
        description="Null while the poll is open: a live tally would let anyone difference a known vote."
    )
    def tally(self) -> RemovalTally | None:
        if self.row.status is RemovalPollStatus.OPEN:
            return None
        tally = governance.tally_of(self.row)
        return RemovalTally(
            remove_voters=tally.remove_voters,
            keep_voters=tally.keep_voters,
            remove_weight=tally.remove_weight,
            keep_weight=tally.keep_weight,
            remove_share=tally.remove_share,
        )

    @strawberry.field
    def vetoed(self) -> bool:
        return self.row.vetoed

    @strawberry.field(description="Your own vote; null if you did not vote or are not signed in.")
    async def my_vote(self, info: strawberry.Info[RequestContext]) -> MyRemovalVote | None:
        viewer = await info.context.viewer()
        if viewer is None:
            return None
        vote = await info.context.loaders.vote_by_poll_and_member.load((self.row.id, viewer.id))
        return MyRemovalVote(remove=vote.remove, weight=vote.weight) if vote is not None else None

    @classmethod
    def from_row(cls, row: models.RemovalPoll) -> RemovalPoll:
        return cls(id=to_global_id("RemovalPoll", row.id), row=row)


@strawberry.type
class ReasonCount:
    reason: RemovalReason
    count: int


@strawberry.type(description="How content about a company (or the platform) left or stayed.")
class Transparency:
    removed_by_vote: int
    removed_by_vote_by_reason: list[ReasonCount]
    removed_by_moderation: int
    polls_opened: int
    polls_kept: int
    polls_referred: int = strawberry.field(description="Removals carried by recently counted colleagues, sent to "
                                           "the moderators instead of executed.")
    vetoes_used: int
    appeals_received: int
    appeals_restored: int
    appeals_upheld: int

    @classmethod
    def of(cls, totals: governance.Transparency) -> Transparency:
        return cls(
            removed_by_vote=sum(totals.removed_by_vote.values()),
            removed_by_vote_by_reason=[
                ReasonCount(reason=RemovalReason(reason), count=count)
                for reason, count in sorted(totals.removed_by_vote.items())
            ],
            removed_by_moderation=totals.removed_by_moderation,
            polls_opened=totals.polls_opened,
            polls_kept=totals.polls_kept,
            polls_referred=totals.polls_referred,
            vetoes_used=totals.vetoes_used,
            appeals_received=totals.appeals_received,
            appeals_restored=totals.appeals_restored,
            appeals_upheld=totals.appeals_upheld,
        )


@strawberry.input(description="Give `reviewId` or `responseId`.")
class OpenRemovalPollInput:
    review_id: strawberry.ID | None = None
    response_id: strawberry.ID | None = None
    reason: RemovalReason
    note: str | None = strawberry.field(default=None, description="Up to 500 characters.")

    def to_command(self) -> governance.PollRequest:
        return governance.PollRequest(
            review_id=given_pk(self.review_id, "Review"),
            response_id=given_pk(self.response_id, "CompanyResponse"),
            reason=self.reason,
            note=self.note,
        )


@strawberry.input
class CastRemovalVoteInput:
    poll_id: strawberry.ID
    remove: bool


@strawberry.input
class VetoRemovalInput:
    poll_id: strawberry.ID
    note: str | None = None


@strawberry.type
class RemovalPollPayload:
    poll: RemovalPoll | None
    user_errors: list[UserError]


@strawberry.type
class GovernanceMutations:
    @strawberry.mutation(
        description="Ask the company's colleague circle whether to remove a review or response."
    )
    async def open_removal_poll(
        self, info: strawberry.Info[RequestContext], input: OpenRemovalPollInput
    ) -> RemovalPollPayload:
        member = await info.context.require_viewer()
        outcome = await governance.open_poll(member, input.to_command())
        return payload(RemovalPollPayload, outcome, poll=RemovalPoll.from_row)

    @strawberry.mutation(description="Vote (or change your vote) while the poll is open.")
    async def cast_removal_vote(
        self, info: strawberry.Info[RequestContext], input: CastRemovalVoteInput
    ) -> RemovalPollPayload:
        member = await info.context.require_viewer()
        outcome = await governance.cast_vote(member, pk_of(input.poll_id, "RemovalPoll"), input.remove)
        return payload(RemovalPollPayload, outcome, poll=RemovalPoll.from_row)

    @strawberry.mutation(
        description="The CEO keeps content: once per period, on an open poll or a fresh removal."
    )
    async def veto_removal(
        self, info: strawberry.Info[RequestContext], input: VetoRemovalInput
    ) -> RemovalPollPayload:
        member = await info.context.require_viewer()
        outcome = await governance.veto(member, pk_of(input.poll_id, "RemovalPoll"), input.note)
        return payload(RemovalPollPayload, outcome, poll=RemovalPoll.from_row)
