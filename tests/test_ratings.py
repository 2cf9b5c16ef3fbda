"""Company ratings, trend and record: always equal to a recomputation from raw reviews."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

import models
from resolvers.aggregate_repair import Drift, recompute_aggregates
from tests.api import pk
from tests.reviewing import (
    EDIT,
    RESPOND,
    WITHDRAW,
    counting_statements,
    published_review,
    representative,
    reviewer,
    set_verified,
    submit,
)

DIMENSIONS = ["COMPENSATION", "WORK_LIFE_BALANCE", "MANAGEMENT", "GROWTH", "MEANING", "CULTURE", "STABILITY"]
RATINGS = """query ($slug: String!) { company(slug: $slug) { ratings {
  overall { count mean bayesianAverage distribution }
  dimensions { dimension count mean bayesianAverage distribution } } } }"""
RECORD = """{ company(slug: "acme-robotics") { ratingTrend { year quarter label count mean }
  record { membersWhoWorkedThere verifiedMembers formerMembers medianCompletedTenureMonths
    earlyAttrition reviewCount responseRate medianResponseTimeDays ratingTrend { label count } } } }"""


async def ratings_of(api, slug="acme-robotics"):
    return (await api.query(RATINGS, {"slug": slug})).data["company"]["ratings"]


async def test_ratings_count_mean_distribution_and_bayesian_average(api):
    for overall, compensation in [(5, 5), (4, 3), (2, 1)]:
        token, job = await reviewer(api)
        await submit(api, token, job, overall=overall, ratings=[{"dimension": "COMPENSATION", "score": compensation}])
    token, job = await reviewer(api, company="Other Corp")
    await submit(api, token, job, overall=1, ratings=[{"dimension": "COMPENSATION", "score": 3}])

    ratings = await ratings_of(api)
    overall = ratings["overall"]
    assert overall["count"] == 3
    assert overall["mean"] == pytest.approx(11 / 3)
    assert overall["distribution"] == [0, 1, 0, 1, 1]
    platform_mean = (5 + 4 + 2 + 1) / 4
    assert overall["bayesianAverage"] == pytest.approx((10 * platform_mean + 11) / (10 + 3))
    compensation = ratings["dimensions"][0]
    assert compensation["dimension"] == "COMPENSATION"
    assert compensation["bayesianAverage"] == pytest.approx((10 * 3 + 9) / 13)
    assert [d["dimension"] for d in ratings["dimensions"]] == DIMENSIONS
    unrated = ratings["dimensions"][4]
    assert unrated == {"dimension": "MEANING", "count": 0, "mean": None, "bayesianAverage": None,
                       "distribution": [0, 0, 0, 0, 0]}


async def test_prior_strength_comes_from_settings(settings_with):
    from app import create_app
    from tests.api import Api

    async with Api.running(create_app(settings_with(bayesian_prior_strength=0))) as api:
        for overall in (5, 3):
            token, job = await reviewer(api)
            await submit(api, token, job, overall=overall)
        assert (await ratings_of(api))["overall"]["bayesianAverage"] == pytest.approx(4.0)


async def test_edit_and_withdraw_move_the_aggregates(api):
    token, review_id = await published_review(api)
    await api.mutate("editReview", EDIT, {"reviewId": review_id, "overall": 1,
                                          "ratings": [{"dimension": "CULTURE", "score": 2}]}, token)
    ratings = await ratings_of(api)
    assert ratings["overall"]["distribution"] == [1, 0, 0, 0, 0]
    assert ratings["dimensions"][0]["count"] == 0  # compensation no longer rated
    assert ratings["dimensions"][5]["distribution"] == [0, 1, 0, 0, 0]
    await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review_id}, token)
    assert (await ratings_of(api))["overall"]["count"] == 0


class Oracle:
    """What the aggregates should be, tracked independently of the server."""

    def __init__(self) -> None:
        self.reviews: dict[str, dict] = {}

    def expected(self) -> dict:
        published = [r for r in self.reviews.values() if r["published"]]
        result = {}
        for key in ["OVERALL", *DIMENSIONS]:
            scores = [r["scores"][key] for r in published if key in r["scores"]]
            result[key] = (len(scores), [scores.count(s) for s in range(1, 6)])
        return result


def random_scores(rng: random.Random) -> tuple[int, list[dict]]:
    dimensions = rng.sample(DIMENSIONS, k=rng.randint(1, len(DIMENSIONS)))
    return rng.randint(1, 5), [{"dimension": d, "score": rng.randint(1, 5)} for d in dimensions]


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_writes_keep_every_aggregate_equal_to_a_recomputation(api, seed):
    rng = random.Random(seed)
    oracle = Oracle()
    authors: dict[str, str] = {}
    for _ in range(40):
        action = rng.choice(["submit", "submit", "edit", "withdraw"])
        live = [rid for rid, r in oracle.reviews.items() if r["published"]]
        if action == "submit" or not live:
            token, job = await reviewer(api, job_function=rng.choice(["ENGINEERING", "SALES"]))
            overall, ratings = random_scores(rng)
            payload = await submit(api, token, job, overall=overall, ratings=ratings)
            review_id = payload["review"]["id"]
            authors[review_id] = token
            oracle.reviews[review_id] = {"published": True, "scores": {"OVERALL": overall, **{r["dimension"]: r["score"] for r in ratings}}}
        elif action == "edit":
            review_id = rng.choice(live)
            overall, ratings = random_scores(rng)
            payload = await api.mutate("editReview", EDIT, {"reviewId": review_id, "overall": overall, "ratings": ratings}, authors[review_id])
            assert payload["userErrors"] == []
            oracle.reviews[review_id]["scores"] = {"OVERALL": overall, **{r["dimension"]: r["score"] for r in ratings}}
        else:
            review_id = rng.choice(live)
            await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review_id}, authors[review_id])
            oracle.reviews[review_id]["published"] = False

    ratings = await ratings_of(api)
    served = {"OVERALL": (ratings["overall"]["count"], ratings["overall"]["distribution"])}
    served.update({d["dimension"]: (d["count"], d["distribution"]) for d in ratings["dimensions"]})
    assert served == oracle.expected()
    drift = await recompute_aggregates(fix=False)
    assert drift.total == 0, drift


async def test_company_record(api):
    # given stints of 6, 18 and 30 months that ended, one current, one verified
    for start, end in [("2020-01-01", "2020-07-01"), ("2019-01-01", "2020-07-01"), ("2018-01-01", "2020-07-01")]:
        await reviewer(api, start=start, end=end)
    token, current_job = await reviewer(api, start="2021-01-01")
    await set_verified(current_job)
    # and two reviews, one answered two days after the day it was written
    await submit(api, token, current_job)
    _, second_review = await published_review(api, start="2022-01-01")
    await models.Review.filter(id=await pk(second_review, "Review")).update(
        created_at=datetime.now(UTC) - timedelta(days=2)
    )
    rep = await representative(api, "acme-robotics")
    await api.mutate("respondToReview", RESPOND, {"reviewId": second_review, "body": "Thanks"}, rep)

    data = (await api.query(RECORD)).data["company"]
    record = data["record"]
    assert record["membersWhoWorkedThere"] == 5
    assert record["verifiedMembers"] == 1
    assert record["formerMembers"] == 3
    assert record["medianCompletedTenureMonths"] == 18
    assert record["earlyAttrition"] == pytest.approx(1 / 3)
    assert record["reviewCount"] == 2
    assert record["responseRate"] == pytest.approx(0.5)
    assert record["medianResponseTimeDays"] == 2
    today = datetime.now(UTC).date()
    label = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    assert data["ratingTrend"] == [
        {"year": today.year, "quarter": (today.month - 1) // 3 + 1, "label": label, "count": 2, "mean": 4.0}
    ]
    assert record["ratingTrend"] == [{"label": label, "count": 2}]


async def test_a_company_without_reviews_has_an_empty_record(api):
    await reviewer(api)
    record = (await api.query(RECORD)).data["company"]["record"]
    assert record["reviewCount"] == 0 and record["responseRate"] is None
    assert record["medianCompletedTenureMonths"] is None and record["earlyAttrition"] is None


COMPANY_PAGE = """query ($first: Int) { company(slug: "acme-robotics") {
  id name slug
  ratings { overall { count mean bayesianAverage distribution }
            dimensions { dimension count mean bayesianAverage distribution } }
  record { membersWhoWorkedThere verifiedMembers medianCompletedTenureMonths earlyAttrition
           reviewCount responseRate medianResponseTimeDays ratingTrend { label count mean } }
  reviews(first: $first) { totalCount edges { cursor node {
    id overall title pros cons helpfulCount status createdAt
    ratings { dimension score }
    tenure { employmentStatus tenure verified jobFunction location lastYear withheld }
    history { action actor } removalPoll { status voterCount myVote { remove } }
    response { body createdAt updatedAt company { slug } removalPoll { status } } } } } } }"""


async def page_statements(api, reviews: int, page: str = COMPANY_PAGE) -> tuple[int, int]:
    review_ids = [(await published_review(api))[1] for _ in range(reviews)]
    rep = await representative(api, "acme-robotics")
    for review_id in review_ids[::2]:
        await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Thanks"}, rep)
    with counting_statements() as counter:  # (the process's ranking snapshot catching up is apart)
        response = await api.query(page, {"first": reviews})
    assert len(response.data["company"]["reviews"]["edges"]) == reviews
    return len(counter.statements), len(response.data["company"]["reviews"]["edges"])


@pytest.mark.parametrize("reviews", [5, 50])
async def test_a_full_company_page_costs_a_fixed_number_of_statements(api, reviews):
    statements, shown = await page_statements(api, reviews)
    assert shown == reviews
    assert statements == COMPANY_PAGE_STATEMENTS, f"{statements} statements for {reviews} reviews"


# the data version (the anonymous response cache's key), the company, its tallies (ratings,
# trend, record histograms, not-yet-established members, polls due to settle: one UNION), the
# review page, its responses, and one each for the reviews' histories, their removal polls and
# their responses' removal polls (faces are stored on the reviews: no anonymity queries;
# totalCount comes from the rating tallies, not a count of reviews; the platform means from the
# process's ranking snapshot)
COMPANY_PAGE_STATEMENTS = 8

# The company page as a reader first sees it: company, ratings, the whole record, the trend and
# the newest reviews with their faces and responses.
READER_PAGE = """query ($first: Int) { company(slug: "acme-robotics") { name
  ratings { overall { count mean bayesianAverage distribution } dimensions { dimension count bayesianAverage } }
  record { membersWhoWorkedThere verifiedMembers formerMembers medianCompletedTenureMonths earlyAttrition
           reviewCount responseRate medianResponseTimeDays ratingTrend { label count mean } }
  ratingTrend { label count mean }
  reviews(first: $first) { totalCount edges { node { id overall title pros cons helpfulCount createdAt
    tenure { employmentStatus tenure verified jobFunction location lastYear withheld }
    response { body createdAt } } } } } }"""


@pytest.mark.parametrize("reviews", [5, 50])
async def test_the_readers_company_page_costs_five_statements_whatever_its_size(api, reviews):
    # the data version, the company, its tallies, the review page and its responses
    statements, shown = await page_statements(api, reviews, READER_PAGE)
    assert shown == reviews and statements == 5


@pytest.mark.parametrize("review_filter", [None, {"answered": False}])
async def test_totals_of_all_published_reviews_and_of_the_inbox_come_from_aggregates(api, review_filter):
    for _ in range(3):
        await published_review(api)
    with counting_statements() as log:
        page = await api.query(
            """query ($filter: ReviewFilter) { company(slug: "acme-robotics") {
               reviews(first: 2, filter: $filter) { totalCount pageInfo { hasNextPage } } } }""",
            {"filter": review_filter},
        )
    assert page.data["company"]["reviews"] == {"totalCount": 3, "pageInfo": {"hasNextPage": True}}
    assert not [s for s in log.statements if "COUNT(" in s.upper() and '"review"' in s]
    narrowed = await api.query("""{ company(slug: "acme-robotics") {
        reviews(filter: {minOverall: 5}) { totalCount } } }""")
    assert narrowed.data["company"]["reviews"]["totalCount"] == 0  # counted: no aggregate knows it


async def test_the_set_based_repair_agrees_with_the_demo_and_mends_every_kind_of_drift(demo):
    assert await recompute_aggregates(fix=False) == Drift(0, 0)
    company = await models.Company.get(slug="qingyun-electric-motors")
    # a row lost, a row with a wrong bucket, a bogus row, a trend off by one, a count wrong
    lost = await models.RatingAggregate.get(company_id=company.id, scope="ALL", rating_key="GROWTH")
    await models.RatingAggregate.filter(id=lost.id).delete()
    await models.RatingAggregate.filter(company_id=company.id, scope="ALL", rating_key="OVERALL").update(score_3=0)
    await models.RatingAggregate.create(company_id=company.id, scope="NO_SUCH_FUNCTION", rating_key="MEANING",
                                        count=1, total=5, score_5=1)
    trend = await models.RatingTrend.filter(company_id=company.id).order_by("id").first()
    assert trend is not None
    await models.RatingTrend.filter(id=trend.id).update(count=trend.count + 1)
    await models.Company.filter(id=company.id).update(unanswered_review_count=999)
    found = await recompute_aggregates(fix=False)
    assert found.rating_rows == 3 and found.trend_rows == 1 and found.company_rows == 1
    assert await recompute_aggregates(fix=True) == found
    assert await recompute_aggregates(fix=False) == Drift(0, 0)


async def test_platform_means_follow_the_data_version_without_a_query_per_page(api, settings):
    # given one review at Acme (overall 4)
    token, _ = await published_review(api)
    page = '{ company(slug: "acme-robotics") { ratings { overall { bayesianAverage } } } }'

    async def bayesian_average() -> float:
        with counting_statements() as log:  # signed in: no shared response cache involved
            response = await api.query(page, token=token)
        # the means are the process's, summed from its ranking snapshot: no GROUP BY per page
        assert not any("GROUP BY" in statement for statement in log.statements)
        return response.data["company"]["ratings"]["overall"]["bayesianAverage"]

    assert await bayesian_average() == pytest.approx(4)  # the platform mean is Acme's own
    # when a review elsewhere (overall 1) moves the platform mean to 2.5
    other, job = await reviewer(api, company="Other Co")
    assert (await submit(api, other, job, overall=1))["userErrors"] == []
    # then Acme's average shrinks toward the new mean on the next read
    strength = settings.bayesian_prior_strength
    assert await bayesian_average() == pytest.approx((strength * 2.5 + 4) / (strength + 1))
