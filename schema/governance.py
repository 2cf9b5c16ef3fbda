"""Removal polls in the API: opening, voting, the CEO's veto, and what is public about them."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

import models
from domain.enums import RemovalPollStatus, RemovalReason
from resolvers import governance
from resolvers.context import RequestContext
from schema.errors import INPUT, PAYLOAD, USER_ERRORS, UserError, payload
from schema.node import Node, given_pk, pk_of, to_global_id


@strawberry.type(description="A settled poll's result; who voted how is never shown.")
class RemovalTally:
    remove_voters: int = strawberry.field(description="How many voted to remove.")
    keep_voters: int = strawberry.field(description="How many voted to keep.")
    remove_weight: float = strawberry.field(description="The weight behind removal.")
    keep_weight: float = strawberry.field(description="The weight behind keeping.")
    remove_share: float = strawberry.field(description="0–1: the weighted share for removal.")


@strawberry.type(description="Your own vote, and the weight it carried when cast.")
class MyRemovalVote:
    remove: bool = strawberry.field(description="True if you voted to remove.")
    weight: float = strawberry.field(description="The weight your vote carried.")


@strawberry.type(description="A vote of the company's colleague circle on removing a review or a response.")
class RemovalPoll(Node):
    row: strawberry.Private[models.RemovalPoll]

    @strawberry.field(description="The rule the content is said to break.")
    def reason(self) -> RemovalReason:
        return self.row.reason

    @strawberry.field(description="A public note, if any.")
    def note(self) -> str | None:
        return self.row.note

    @strawberry.field(description="OPEN, or how it ended: REMOVED, KEPT, VETOED, or REFERRED to the moderators.")
    def status(self) -> RemovalPollStatus:
        return self.row.status

    @strawberry.field(description="When it opened.")
    def opened_at(self) -> datetime.datetime:
        return self.row.opened_at

    @strawberry.field(description="When voting ends.")
    def closes_at(self) -> datetime.datetime:
        return self.row.closes_at

    @strawberry.field(description="When it was settled; null while open.")
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

    @strawberry.field(description="Whether the CEO vetoed it.")
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


@strawberry.type(description="How many removals by vote gave one reason.")
class ReasonCount:
    reason: RemovalReason = strawberry.field(description="The rule broken.")
    count: int = strawberry.field(description="How many removals.")


@strawberry.type(description="How content about a company (or the platform) left or stayed.")
class Transparency:
    removed_by_vote: int = strawberry.field(description="Content removed by colleagues' votes.")
    removed_by_vote_by_reason: list[ReasonCount] = strawberry.field(description="The same, by the rule broken.")
    removed_by_moderation: int = strawberry.field(description="Content removed by the moderators.")
    polls_opened: int = strawberry.field(description="Removal polls opened.")
    polls_kept: int = strawberry.field(description="Polls that kept their content.")
    polls_referred: int = strawberry.field(description="Removals carried by recently counted colleagues, sent to "
                                           "the moderators instead of executed.")
    vetoes_used: int = strawberry.field(description="CEO vetoes used.")
    appeals_received: int = strawberry.field(description="Appeals against removals.")
    appeals_restored: int = strawberry.field(description="Appeals that restored the content.")
    appeals_upheld: int = strawberry.field(description="Appeals that upheld the removal.")

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
    review_id: strawberry.ID | None = strawberry.field(default=None, description="The review (give this or `responseId`).")
    response_id: strawberry.ID | None = strawberry.field(default=None, description="The company response (give this or `reviewId`).")
    reason: RemovalReason = strawberry.field(description="Which rule the content breaks.")
    note: str | None = strawberry.field(default=None, description="Up to 500 characters.")

    def to_command(self) -> governance.PollRequest:
        return governance.PollRequest(
            review_id=given_pk(self.review_id, "Review"),
            response_id=given_pk(self.response_id, "CompanyResponse"),
            reason=self.reason,
            note=self.note,
        )


@strawberry.input(description="Your vote on an open removal poll about what is said of your company.")
class CastRemovalVoteInput:
    poll_id: strawberry.ID = strawberry.field(description="The open poll.")
    remove: bool = strawberry.field(description="True to remove the content, false to keep it. Voting again changes your vote.")


@strawberry.input(description="The CEO's veto of a removal by vote (once per veto period).")
class VetoRemovalInput:
    poll_id: strawberry.ID = strawberry.field(description="An open poll, or one that removed its content in the last 24 hours.")
    note: str | None = strawberry.field(default=None, description="A public note on why (optional, at most 500 characters).")


@strawberry.type(description=PAYLOAD)
class RemovalPollPayload:
    poll: RemovalPoll | None = strawberry.field(description="The poll as it stands; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class GovernanceMutations:
    @strawberry.mutation(
        description="Ask the company's colleague circle whether to remove a review or response."
    )
    async def open_removal_poll(
        self, info: strawberry.Info[RequestContext], input: Annotated[OpenRemovalPollInput, INPUT]
    ) -> RemovalPollPayload:
        member = await info.context.require_viewer()
        outcome = await governance.open_poll(member, input.to_command())
        return payload(RemovalPollPayload, outcome, poll=RemovalPoll.from_row)

    @strawberry.mutation(description="Vote (or change your vote) while the poll is open.")
    async def cast_removal_vote(
        self, info: strawberry.Info[RequestContext], input: Annotated[CastRemovalVoteInput, INPUT]
    ) -> RemovalPollPayload:
        member = await info.context.require_viewer()
        outcome = await governance.cast_vote(member, pk_of(input.poll_id, "RemovalPoll"), input.remove)
        return payload(RemovalPollPayload, outcome, poll=RemovalPoll.from_row)

    @strawberry.mutation(
        description="The CEO keeps content: once per period, on an open poll or a fresh removal."
    )
    async def veto_removal(
        self, info: strawberry.Info[RequestContext], input: Annotated[VetoRemovalInput, INPUT]
    ) -> RemovalPollPayload:
        member = await info.context.require_viewer()
        outcome = await governance.veto(member, pk_of(input.poll_id, "RemovalPoll"), input.note)
        return payload(RemovalPollPayload, outcome, poll=RemovalPoll.from_row)
