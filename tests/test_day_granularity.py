"""Nothing finer than a day: two reviews written a second apart on one day, and everything the
reviewed company can read about them — fields, orderings, ids, history, its record."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import time_machine

import models
from domain.dates import start_of_day
from tests.api import pk
from tests.reviewing import RESPOND, WITHDRAW, representative, reviewer, submit

EVERYTHING = """query ($order: ReviewOrder) { company(slug: "acme-robotics") {
  reviews(orderBy: $order, filter: {status: PUBLISHED}) { edges { cursor node { id title createdAt updatedAt
    history { action actor reason at } response { createdAt } } } }
  record { medianResponseTimeDays } } }"""
WITHDRAWN = """{ company(slug: "acme-robotics") { reviews(filter: {status: WITHDRAWN}) {
  edges { node { id createdAt updatedAt history { at } } } } } }"""


async def test_two_reviews_a_second_apart_tell_the_company_nothing_of_their_order(api):
    # given two members (who joined yesterday) who review one second apart today, the first at 09:00:00
    nine = start_of_day(datetime.now(UTC)) + timedelta(hours=9)
    with time_machine.travel(nine - timedelta(days=1)):
        (first, first_job), (second, second_job) = [await reviewer(api) for _ in range(2)]
    with time_machine.travel(nine, tick=False):
        early = (await submit(api, first, first_job, title="Early"))["review"]["id"]
    with time_machine.travel(nine + timedelta(seconds=1), tick=False):
        late = (await submit(api, second, second_job, title="Late"))["review"]["id"]
    rep = await representative(api, "acme-robotics")
    # the rows themselves keep the day only
    for review_id in (early, late):
        stored = await models.Review.get(id=await pk(review_id, "Review"))
        assert stored.created_at == start_of_day(nine)

    async def read(order: str) -> list[dict]:
        edges = (await api.query(EVERYTHING, {"order": order}, token=rep)).data["company"]["reviews"]["edges"]
        return [edge["node"] for edge in edges]

    # then every field the company reads is the same for both but the text and id
    newest, oldest = await read("NEWEST"), await read("OLDEST")
    for node in newest:
        assert node["createdAt"] == f"{start_of_day(nine).date()}T00:00:00+00:00" and node["updatedAt"] is None
    # and the day's order is each review's random place, the same on every read, not the order written
    ranks = {review_id: (await models.Review.get(id=await pk(review_id, "Review"))).day_rank for review_id in (early, late)}
    by_rank = sorted((early, late), key=ranks.__getitem__)
    assert [node["id"] for node in oldest] == by_rank and [node["id"] for node in newest] == by_rank[::-1]
    assert await read("NEWEST") == newest
    await models.Review.filter(id=await pk(by_rank[0], "Review")).update(day_rank=ranks[by_rank[1]] + 1)
    assert [node["id"] for node in await read("OLDEST")] == by_rank[::-1]  # the rank, and only it, orders
    # and ids are a keyed permutation: neither the sequential form resolves nor do they count up
    for review_id in (early, late):
        sequential = base64.urlsafe_b64encode(f"Review:{await pk(review_id, 'Review')}".encode()).decode()
        assert (await api.query('query ($id: ID!) { node(id: $id) { id } }', {"id": sequential})).data == {"node": None}
    # and answering both at once shows the same response time for each: measured from the day
    for review_id in (early, late):
        await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Thank you."}, rep)
    assert (await api.query(EVERYTHING, {"order": "NEWEST"}, token=rep)).data["company"]["record"][
        "medianResponseTimeDays"] is not None
    # and a withdrawal shows its day, in the review and in its history
    with time_machine.travel(nine + timedelta(hours=3, seconds=17), tick=False):
        await api.mutate("withdrawReview", WITHDRAW, {"reviewId": early}, first)
    [withdrawn] = [edge["node"] for edge in (await api.query(WITHDRAWN, token=rep)).data["company"]["reviews"]["edges"]]
    day = f"{start_of_day(nine).date()}T00:00:00+00:00"
    assert withdrawn["updatedAt"] == day and [entry["at"] for entry in withdrawn["history"]] == [day]
    # and no header of a read says more: neither a company's nor an anonymous cached one
    for response in (
        await api.client.post("/graphql", json={"query": WITHDRAWN}, headers={"Authorization": f"Bearer {rep}"}),
        await api.client.get("/graphql", params={"query": WITHDRAWN}),
        await api.client.get("/graphql", params={"query": WITHDRAWN}),  # from the cache
    ):
        assert response.status_code == 200 and "last-modified" not in response.headers
        for value in response.headers.values():
            assert nine.strftime("%H:%M") not in value and str(int(nine.timestamp())) not in value, response.headers
