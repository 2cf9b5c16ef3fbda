"""Mutations on reviews and company responses. There is deliberately no mutation by which a
company edits or removes a review."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from domain.enums import ReviewStatus
from domain.violations import Outcome
from resolvers import response as response_resolvers
from resolvers import review as review_resolvers
from resolvers import signals
from resolvers.context import RequestContext
from schema.errors import INPUT, payload
from schema.node import pk_of
from schema.review import (
    CompanyResponse,
    EditResponseInput,
    EditReviewInput,
    RespondToReviewInput,
    ResponsePayload,
    Review,
    ReviewIdInput,
    ReviewPayload,
    SubmitReviewInput,
)


def _review_payload(outcome: Outcome[models.Review], show_hidden_text: bool = False) -> ReviewPayload:
    return payload(ReviewPayload, outcome, review=lambda row: Review.from_row(row, show_hidden_text))


def _response_payload(outcome: Outcome[models.CompanyResponse]) -> ResponsePayload:
    return payload(ResponsePayload, outcome, response=CompanyResponse.from_row)


@strawberry.type
class ReviewMutations:
    @strawberry.mutation(
        description="Review a company from one of your jobs there (one per member per company per 12 months). While "
        "too few counted colleagues could be behind any face, the review is HELD — seen by you only — and published "
        "as soon as one can hide you."
    )
    async def submit_review(
        self, info: strawberry.Info[RequestContext], input: Annotated[SubmitReviewInput, INPUT]
    ) -> ReviewPayload:
        member = await info.context.require_viewer()
        outcome = await review_resolvers.submit_review(
            member, pk_of(input.employment_id, "Employment"), input.to_command(), withhold=input.withhold
        )
        if outcome.value is not None and outcome.value.status is ReviewStatus.PUBLISHED:
            await signals.announce_review(info.context.events, outcome.value)
        return _review_payload(outcome, show_hidden_text=True)  # the author's own, held or not

    @strawberry.mutation(description="Change your own published or held review. A held review is published by the "
                         "edit if a face can hide its author by then.")
    async def edit_review(
        self, info: strawberry.Info[RequestContext], input: Annotated[EditReviewInput, INPUT]
    ) -> ReviewPayload:
        member = await info.context.require_viewer()
        outcome = await review_resolvers.edit_review(member, pk_of(input.review_id, "Review"), input.to_command())
        if outcome.value is not None and outcome.value.status is ReviewStatus.PUBLISHED and outcome.value.updated_at is None:
            await signals.announce_review(info.context.events, outcome.value)  # published by this edit
        return _review_payload(outcome, show_hidden_text=True)

    @strawberry.mutation(description="Take your own review down; it stays listed as withdrawn.")
    async def withdraw_review(
        self, info: strawberry.Info[RequestContext], input: Annotated[ReviewIdInput, INPUT]
    ) -> ReviewPayload:
        member = await info.context.require_viewer()
        outcome = await review_resolvers.withdraw_review(member, pk_of(input.review_id, "Review"))
        return _review_payload(outcome, show_hidden_text=True)

    @strawberry.mutation(description="Mark someone else's review as helpful, once.")
    async def mark_review_helpful(
        self, info: strawberry.Info[RequestContext], input: Annotated[ReviewIdInput, INPUT]
    ) -> ReviewPayload:
        member = await info.context.require_viewer()
        return _review_payload(await review_resolvers.mark_helpful(member, pk_of(input.review_id, "Review")))

    @strawberry.mutation(description="The company's one official response (representatives only).")
    async def respond_to_review(
        self, info: strawberry.Info[RequestContext], input: Annotated[RespondToReviewInput, INPUT]
    ) -> ResponsePayload:
        member = await info.context.require_viewer()
        outcome = await response_resolvers.respond_to_review(member, pk_of(input.review_id, "Review"), input.body)
        if outcome.value is not None:
            await signals.announce_response(info.context.events, outcome.value)
        return _response_payload(outcome)

    @strawberry.mutation(description="Edit the company's response (that company's representatives only).")
    async def edit_response(
        self, info: strawberry.Info[RequestContext], input: Annotated[EditResponseInput, INPUT]
    ) -> ResponsePayload:
        member = await info.context.require_viewer()
        outcome = await response_resolvers.edit_response(
            member, pk_of(input.response_id, "CompanyResponse"), input.body
        )
        if outcome.value is not None:
            await signals.announce_response(info.context.events, outcome.value)
        return _response_payload(outcome)
