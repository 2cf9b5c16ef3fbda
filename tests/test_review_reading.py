"""Reading a company's reviews: k-anonymity of reviewer details, filters and ordering."""

from __future__ import annotations

import pytest

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


async def test_a_job_function_shared_by_4_is_withheld_and_by_5_is_shown(api):
    # given 4 data scientists and 6 engineers reviewed the company
    for _ in range(4):
        await published_review(api, job_function="DATA")
    for _ in range(6):
        await published_review(api, job_function="ENGINEERING", location="Hefei")
    page = nodes(await reviews(api, first=50))
    data = [r["tenure"] for r in page if r["tenure"]["jobFunction"] != "ENGINEERING"]
    assert len(data) == 4
    assert all(t["jobFunction"] is None and "jobFunction" in t["withheld"] for t in data)
    # the engineers' function and city are shared by 6, so shown; the data team's city only by 4
    engineers = [r["tenure"] for r in page if r["tenure"]["jobFunction"] == "ENGINEERING"]
    assert len(engineers) == 6 and all(t["location"] == "Hefei" for t in engineers)
    assert all(t["location"] is None and "location" in t["withheld"] for t in data)
    # when a fifth data scientist reviews
    await published_review(api, job_function="DATA")
    page = nodes(await reviews(api, first=50))
    # then the function is shown on all five
    assert sum(r["tenure"]["jobFunction"] == "DATA" for r in page) == 5


async def test_last_year_is_shown_only_for_former_employees_in_large_enough_groups(api):
    for _ in range(5):
        await published_review(api, start="2016-01-01", end="2021-03-31")
    await published_review(api, start="2016-01-01", end="2022-03-31")
    page = nodes(await reviews(api, first=50))
    shown = [r["tenure"]["lastYear"] for r in page if r["tenure"]["lastYear"] is not None]
    withheld = [r["tenure"] for r in page if r["tenure"]["lastYear"] is None]
    assert shown == [2021] * 5
    assert len(withheld) == 1 and withheld[0]["withheld"] == ["lastYear"]
    assert all(r["tenure"]["employmentStatus"] == "FORMER" for r in page)


async def test_withdrawn_reviews_do_not_count_towards_k(api):
    from tests.reviewing import WITHDRAW

    authors = [await published_review(api, job_function="SALES") for _ in range(5)]
    assert all(r["tenure"]["jobFunction"] == "SALES" for r in nodes(await reviews(api)))
    token, review_id = authors[0]
    await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review_id}, token)
    assert all(r["tenure"]["jobFunction"] is None for r in nodes(await reviews(api)))


async def test_filtering_by_a_function_shared_by_fewer_than_k_is_refused(api):
    for _ in range(4):
        await published_review(api, job_function="LEGAL")
    response = await reviews(api, filter={"jobFunction": "LEGAL"})
    assert response.error_codes == ["FILTER_TOO_NARROW"]
    assert response.body["data"] == {"company": None}


async def test_narrowing_a_large_function_group_below_k_is_refused(api):
    # given 5 engineers, one of whom gave 1 star
    for _ in range(4):
        await published_review(api, job_function="ENGINEERING")
    token, employment_id = await reviewer(api, job_function="ENGINEERING")
    await submit(api, token, employment_id, overall=1)
    assert (await reviews(api, filter={"jobFunction": "ENGINEERING"})).data["company"]["reviews"]["totalCount"] == 5
    # when the function filter is combined with a rating filter that leaves one engineer
    response = await reviews(api, filter={"jobFunction": "ENGINEERING", "maxOverall": 1})
    # then the reader cannot single them out
    assert response.error_codes == ["FILTER_TOO_NARROW"]


async def test_filters_by_status_tenure_verified_ratings_and_dates(api):
    token_short, short_job = await reviewer(api, start="2024-01-01", end="2024-06-30")
    long_token, long_job = await reviewer(api, start="2012-01-01")
    await submit(api, token_short, short_job, overall=2, ratings=[{"dimension": "GROWTH", "score": 1}])
    await submit(api, long_token, long_job, overall=5, ratings=[{"dimension": "GROWTH", "score": 5}])
    await set_verified(long_job)

    async def overalls(review_filter):
        return [r["overall"] for r in nodes(await reviews(api, filter=review_filter))]

    assert await overalls({"tenure": "LESS_THAN_1_YEAR"}) == [2]
    assert await overalls({"tenure": "MORE_THAN_10_YEARS"}) == [5]
    assert await overalls({"employmentStatus": "CURRENT"}) == [5]
    assert await overalls({"verified": True}) == [5]
    assert await overalls({"verified": False}) == [2]
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
    for score in scores:
        token, employment_id = await reviewer(api)
        await submit(api, token, employment_id, overall=score, title=f"score {score}")
        tokens.append(token)
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
