"""The responder's inbox: reviews still waiting for the company's answer, oldest first, and a
public count of them kept in the writing transactions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import models
from domain.dates import start_of_day
from resolvers.aggregate_repair import recompute_aggregates
from tests.api import pk
from tests.reviewing import RESPOND, WITHDRAW, counting_statements, published_review, representative
from tests.test_moderation import MODERATE, moderator

INBOX = """query ($answered: Boolean, $order: ReviewOrder) { company(slug: "acme-robotics") {
  unansweredReviewCount
  reviews(first: 10, filter: {answered: $answered}, orderBy: $order) { totalCount edges { node { id } } } } }"""
REASON = "Names a colleague and their home address."


async def inbox(api, answered=False, order="OLDEST", token=None) -> tuple[int, list[str]]:
    company = (await api.query(INBOX, {"answered": answered, "order": order}, token)).data["company"]
    return company["unansweredReviewCount"], [e["node"]["id"] for e in company["reviews"]["edges"]]


async def written_days_apart(reviews: list[str]) -> None:
    """Arrange that the reviews were written on consecutive days, in order (within one day the
    order is each review's random place)."""
    for age, review_id in enumerate(reversed(reviews), start=1):
        written = start_of_day(datetime.now(UTC)) - timedelta(days=age)
        await models.Review.filter(id=await pk(review_id, "Review")).update(created_at=written)
    await recompute_aggregates(fix=True)  # the aggregates as if they had been written then


async def test_the_inbox_lists_unanswered_reviews_oldest_first_and_the_count_follows_answers(api):
    reviews = [(await published_review(api))[1] for _ in range(3)]
    await written_days_apart(reviews)
    rep = await representative(api, "acme-robotics")
    assert await inbox(api, token=rep) == (3, reviews)
    assert await inbox(api, order="NEWEST") == (3, reviews[::-1])

    answered = await api.mutate("respondToReview", RESPOND, {"reviewId": reviews[1], "body": "Thank you."}, rep)
    assert answered["userErrors"] == []
    assert await inbox(api) == (2, [reviews[0], reviews[2]])
    assert await inbox(api, answered=True) == (2, [reviews[1]])
    assert (await recompute_aggregates(fix=False)).total == 0


async def test_a_refused_response_leaves_the_count_alone(api):
    _, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Thanks"}, rep)
    second = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Again"}, rep)
    assert [e["code"] for e in second["userErrors"]] == ["ALREADY_RESPONDED"]
    empty = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": " "}, rep)
    assert [e["code"] for e in empty["userErrors"]] == ["REQUIRED"]
    assert await inbox(api) == (0, [])
    assert (await recompute_aggregates(fix=False)).total == 0


async def test_withdrawn_and_removed_reviews_leave_the_inbox_and_a_restored_one_returns(api):
    author, withdrawn = await published_review(api)
    _, removed = await published_review(api)
    _, kept = await published_review(api)
    await written_days_apart([withdrawn, removed, kept])
    await api.mutate("withdrawReview", WITHDRAW, {"reviewId": withdrawn}, author)
    mod = await moderator(api)
    await api.mutate("moderateContent", MODERATE, {"reviewId": removed, "action": "REMOVE", "reason": REASON}, mod)
    assert await inbox(api) == (1, [kept])
    await api.mutate("moderateContent", MODERATE, {"reviewId": removed, "action": "RESTORE", "reason": REASON}, mod)
    assert await inbox(api) == (2, [removed, kept])
    assert (await recompute_aggregates(fix=False)).total == 0


async def test_a_removed_response_still_counts_as_answered(api):
    """The company spoke and cannot respond twice, so the review does not return to the inbox."""
    _, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    created = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Thanks"}, rep)
    mod = await moderator(api)
    await api.mutate(
        "moderateContent", MODERATE, {"responseId": created["response"]["id"], "action": "REMOVE", "reason": REASON}, mod
    )
    assert await inbox(api) == (0, [])


async def test_repair_restores_a_drifted_count(api):
    await published_review(api)
    await models.Company.filter(slug="acme-robotics").update(unanswered_review_count=7)
    assert (await recompute_aggregates(fix=False)).company_rows == 1
    await recompute_aggregates(fix=True)
    assert (await inbox(api))[0] == 1
    assert (await recompute_aggregates(fix=False)).total == 0


async def test_the_count_is_read_from_the_company_row_not_counted_over_reviews(api):
    for _ in range(2):
        await published_review(api)
    with counting_statements() as log:
        company = (await api.query('{ company(slug: "acme-robotics") { unansweredReviewCount } }')).data["company"]
    assert company == {"unansweredReviewCount": 2}
    assert not [s for s in log.statements if '"review"' in s], log.statements
