"""Reading a company's reviews: filters and ordering (anonymity: tests/test_anonymity.py)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

import models
from domain.dates import start_of_day
from tests.api import pk
from tests.reviewing import HELPFUL, published_review, reviewer, set_verified, submit

REVIEWS = """query ($filter: ReviewFilter, $orderBy: ReviewOrder, $first: Int) {
  company(slug: "acme-robotics") { reviews(filter: $filter, orderBy: $orderBy, first: $first) {
    totalCount
    edges { node { overall title helpfulCount
      tenure { employmentStatus tenure verified jobFunction location lastYear withheld } } } } } }"""


async def reviews(api, **variables):
    response = await api.query(REVIEWS, variables)
    return response


def nodes(response):
    return [e["node"] for e in response.data["company"]["reviews"]["edges"]]


async def test_filters_by_status_tenure_ratings_and_dates_and_never_by_verification(api):
    token_short, short_job = await reviewer(api, start="2024-01-01", end="2024-06-30")
    long_token, long_job = await reviewer(api, start="2012-01-01")
    await set_verified(long_job)  # the company's decision: no face shows it, no filter finds it
    await submit(api, token_short, short_job, overall=2, ratings=[{"dimension": "GROWTH", "score": 1}])
    await submit(api, long_token, long_job, overall=5, ratings=[{"dimension": "GROWTH", "score": 5}])

    async def overalls(review_filter):
        return [r["overall"] for r in nodes(await reviews(api, filter=review_filter))]

    assert await overalls({"tenure": "LESS_THAN_1_YEAR"}) == [2]
    assert await overalls({"tenure": "MORE_THAN_10_YEARS"}) == [5]
    assert await overalls({"employmentStatus": "CURRENT"}) == [5]
    assert sorted(await overalls({"verified": True})) == sorted(await overalls({"verified": False})) == [2, 5]
    assert await overalls({"minOverall": 3}) == [5]
    assert await overalls({"minOverall": 1, "maxOverall": 3}) == [2]
    assert await overalls({"dimensionMinimums": [{"dimension": "GROWTH", "minimum": 4}]}) == [5]
    assert await overalls({"dimensionMinimums": [{"dimension": "MEANING", "minimum": 1}]}) == []
    assert await overalls({"writtenFrom": "2000-01-01", "writtenTo": "2000-12-31"}) == []
    assert sorted(await overalls({"writtenFrom": "2020-01-01"})) == [2, 5]
    assert await overalls({"status": "WITHDRAWN"}) == []


@pytest.mark.parametrize(
    "review_filter, message",
    [
        ({"minOverall": 0}, "`minOverall` must be between 1 and 5."),
        ({"maxOverall": 6}, "`maxOverall` must be between 1 and 5."),
        ({"dimensionMinimums": [{"dimension": "GROWTH", "minimum": 9}]}, "The minimum for GROWTH must be between 1 and 5."),
        ({"writtenFrom": "2024-02-01", "writtenTo": "2024-01-01"}, "`writtenFrom` is after `writtenTo`."),
    ],
)
async def test_bad_filters_are_clear_errors(api, review_filter, message):
    await published_review(api)
    response = await reviews(api, filter=review_filter)
    assert response.error_codes == ["BAD_USER_INPUT"]
    assert response.body["errors"][0]["message"] == message


async def test_orderings(api):
    scores = [3, 5, 1, 4]
    tokens = []
    for day, score in enumerate(scores):
        token, employment_id = await reviewer(api)
        await submit(api, token, employment_id, overall=score, title=f"score {score}")
        tokens.append(token)
        # written on days one apart (within a day, the order is no one's to know)
        written = start_of_day(datetime.now(UTC)) - timedelta(days=len(scores) - day)
        await models.Review.filter(title=f"score {score}").update(created_at=written)
    # the 1-star review is the most helpful
    one_star = [n for n in nodes(await reviews(api)) if n["overall"] == 1]
    assert one_star
    review_ids = (await api.query(
        '{ company(slug: "acme-robotics") { reviews { edges { node { id overall } } } } }'
    )).data["company"]["reviews"]["edges"]
    one_star_id = next(e["node"]["id"] for e in review_ids if e["node"]["overall"] == 1)
    await api.mutate("markReviewHelpful", HELPFUL, {"reviewId": one_star_id}, tokens[0])

    async def order(by):
        return [n["overall"] for n in nodes(await reviews(api, orderBy=by))]

    assert await order("NEWEST") == [4, 1, 5, 3]
    assert await order("HIGHEST") == [5, 4, 3, 1]
    assert await order("LOWEST") == [1, 3, 4, 5]
    assert (await order("MOST_HELPFUL"))[0] == 1


@pytest.mark.parametrize("order", ["NEWEST", "MOST_HELPFUL", "LOWEST"])
async def test_paging_through_reviews_while_reviews_are_written_skips_and_repeats_nothing(demo, order):
    # given a reader who has read the first page of a company's reviews
    reviews = """query ($after: String, $order: ReviewOrder) { company(slug: "qingyun-electric-motors") {
      reviews(first: 5, after: $after, orderBy: $order) { nodes { id } pageInfo { endCursor hasNextPage } } } }"""

    async def page(after: str | None = None) -> dict:
        return (await demo.query(reviews, {"after": after, "order": order})).data["company"]["reviews"]

    first, everything_before = await page(), []
    cursor = None
    for _ in range(3):
        shown = await page(cursor)
        everything_before += [node["id"] for node in shown["nodes"]]
        cursor = shown["pageInfo"]["endCursor"]
    # when new reviews are published meanwhile (newest, and rated lowest)
    for _ in range(2):
        token, employment_id = await reviewer(demo, company="Qingyun Electric Motors")
        payload = await submit(demo, token, employment_id, overall=1)
        assert payload["userErrors"] == [] and payload["review"]["status"] == "PUBLISHED", payload
    # then the pages after the first go on exactly where they would have
    second = await page(first["pageInfo"]["endCursor"])
    third = await page(second["pageInfo"]["endCursor"])
    assert [node["id"] for node in first["nodes"] + second["nodes"] + third["nodes"]] == everything_before


async def test_a_cursor_tells_nothing_of_the_review_it_names(demo):
    # given the cursor at the end of a page of a company's reviews
    page = """query ($after: String) { company(slug: "qingyun-electric-motors") {
      reviews(first: 3, after: $after) { edges { cursor node { id createdAt } } } } }"""
    edges = (await demo.query(page)).data["company"]["reviews"]["edges"]
    cursor = edges[-1]["cursor"]
    opened = base64.urlsafe_b64decode(cursor)
    review_pk = await pk(edges[-1]["node"]["id"], "Review")
    # then it holds neither the review's row number nor its day, the same page gives the same
    # cursor, and a cursor altered anywhere names nothing
    assert str(review_pk).encode() not in opened and edges[-1]["node"]["createdAt"][:10].encode() not in opened
    assert (await demo.query(page)).data["company"]["reviews"]["edges"][-1]["cursor"] == cursor
    altered = base64.urlsafe_b64encode(opened[:-1] + bytes([opened[-1] ^ 1])).decode()
    refused = await demo.query(page, {"after": altered})
    assert refused.error_codes == ["BAD_USER_INPUT"]
