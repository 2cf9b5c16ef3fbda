"""Fit per reader: ranking companies by their own priorities, on the demo data and beyond."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import models
from app import create_app
from domain.enums import Dimension, JobFunction
from domain.review import ReviewContent
from infra.settings import put_in_force
from resolvers.aggregate_repair import recompute_aggregates
from resolvers.clock import now
from resolvers.colleagues import replay_admissions
from resolvers.review import submit_review
from tests.api import Api
from tests.reviewing import counting_statements, reviewer, submit

FIT_DETAILS = """{ score confidence meetsMinimums unmetMinimums perspective perspectiveApplied
  contributions { dimension weight average normalizedScore points reviewCount } }"""
RANK = """query ($priorities: PrioritiesInput, $first: Int, $after: String, $filter: CompanyFilter,
               $orderBy: CompanyOrder) {
  companies(priorities: $priorities, first: $first, after: $after, filter: $filter,
            orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { slug fit(priorities: $priorities) """ + FIT_DETAILS + " } } } }"
BY_FIT = {"field": "FIT"}
SET = """mutation ($input: PrioritiesInput!) { setPriorities(input: $input) {
  priorities { weights { dimension weight } minimums { dimension minimum } perspective }
  userErrors { field code message } } }"""

NEEDS_PAY = {"weights": [{"dimension": "COMPENSATION", "weight": 10}]}
WANTS_MEANING_AND_BALANCE = {"weights": [{"dimension": "MEANING", "weight": 10}, {"dimension": "WORK_LIFE_BALANCE", "weight": 8}]}


def slugs(response):
    return [e["node"]["slug"] for e in response.data["companies"]["edges"]]


async def test_readers_with_opposite_priorities_get_different_top_companies(demo):
    pay = await demo.query(RANK, {"priorities": NEEDS_PAY, "orderBy": BY_FIT, "first": 3})
    meaning = await demo.query(RANK, {"priorities": WANTS_MEANING_AND_BALANCE, "orderBy": BY_FIT, "first": 3})
    pay_top, meaning_top = slugs(pay), slugs(meaning)
    assert pay_top[0] != meaning_top[0]
    assert pay_top[0] in {"kuaixun-internet", "zhiyuan-intelligence"}
    assert meaning_top[0] in {"tanzero-energy", "kangning-biotech", "greenledger-carbon", "deepframe-ai"}
    scores = [e["node"]["fit"]["score"] for e in pay.data["companies"]["edges"]]
    assert scores == sorted(scores, reverse=True)
    top = pay.data["companies"]["edges"][0]["node"]["fit"]
    assert [c["dimension"] for c in top["contributions"]] == ["COMPENSATION"]
    assert top["contributions"][0]["points"] == pytest.approx(top["score"])


async def test_ascending_fit_lists_the_worst_fit_first(demo):
    best = slugs(await demo.query(RANK, {"priorities": NEEDS_PAY, "orderBy": BY_FIT, "first": 100}))
    worst = slugs(await demo.query(
        RANK, {"priorities": NEEDS_PAY, "orderBy": {"field": "FIT", "direction": "ASC"}, "first": 100}
    ))
    assert worst == best[::-1]


async def test_pages_of_a_fit_ranking_are_stable_and_complete(demo):
    whole = slugs(await demo.query(RANK, {"priorities": WANTS_MEANING_AND_BALANCE, "orderBy": BY_FIT, "first": 100}))
    walked, after = [], None
    while True:
        page = await demo.query(RANK, {"priorities": WANTS_MEANING_AND_BALANCE, "orderBy": BY_FIT, "first": 5, "after": after})
        walked += slugs(page)
        info = page.data["companies"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert walked == whole and len(set(walked)) == 12


async def test_meets_minimums_filter(demo):
    priorities = {**NEEDS_PAY, "minimums": [{"dimension": "WORK_LIFE_BALANCE", "minimum": 3.2}]}
    everyone = await demo.query(RANK, {"priorities": priorities, "orderBy": BY_FIT, "first": 100})
    meeting = await demo.query(
        RANK, {"priorities": priorities, "orderBy": BY_FIT, "first": 100, "filter": {"meetsMinimums": True}}
    )
    fits = {e["node"]["slug"]: e["node"]["fit"] for e in everyone.data["companies"]["edges"]}
    expected = [slug for slug in slugs(everyone) if fits[slug]["meetsMinimums"]]
    assert slugs(meeting) == expected
    assert 0 < len(expected) < 12
    failing = next(f for f in fits.values() if not f["meetsMinimums"])
    assert failing["unmetMinimums"] == ["WORK_LIFE_BALANCE"]
    # the filter also works with name order
    by_name = await demo.query(RANK, {"priorities": priorities, "first": 100, "filter": {"meetsMinimums": True}})
    assert slugs(by_name) == sorted(expected)


async def test_min_review_count_filter(demo):
    counts = await demo.query('{ companies(first: 100) { edges { node { slug ratings { overall { count } } } } } }')
    by_slug = {e["node"]["slug"]: e["node"]["ratings"]["overall"]["count"] for e in counts.data["companies"]["edges"]}
    filtered = await demo.query(RANK, {"first": 100, "filter": {"minReviewCount": 10}})
    assert slugs(filtered) == sorted(s for s, n in by_slug.items() if n >= 10)
    assert (await demo.query(RANK, {"filter": {"minReviewCount": -1}})).error_codes == ["BAD_USER_INPUT"]


async def test_saved_priorities_are_used_when_none_are_passed(demo):
    token = await demo.member()
    saved = await demo.mutate("setPriorities", SET, WANTS_MEANING_AND_BALANCE, token)
    assert saved["userErrors"] == []
    assert saved["priorities"]["weights"] == [
        {"dimension": "WORK_LIFE_BALANCE", "weight": 8.0}, {"dimension": "MEANING", "weight": 10.0},
    ]
    mine = await demo.query(RANK, {"orderBy": BY_FIT, "first": 12}, token=token)
    passed = await demo.query(RANK, {"priorities": WANTS_MEANING_AND_BALANCE, "orderBy": BY_FIT, "first": 12})
    assert slugs(mine) == slugs(passed)
    assert mine.data["companies"]["edges"][0]["node"]["fit"] is not None
    viewer = await demo.query("{ viewer { priorities { weights { dimension } perspective } } }", token=token)
    assert len(viewer.data["viewer"]["priorities"]["weights"]) == 2
    # when cleared, ranking by fit needs priorities again
    await demo.query("mutation { clearPriorities { userErrors { code } } }", token=token)
    again = await demo.query(RANK, {"orderBy": BY_FIT}, token=token)
    assert again.error_codes == ["BAD_USER_INPUT"]
    assert "needs priorities" in again.body["errors"][0]["message"]


async def test_fit_is_null_without_priorities(demo):
    response = await demo.query('{ company(slug: "tanzero-energy") { fit { score } } }')
    assert response.data == {"company": {"fit": None}}


@pytest.mark.parametrize(
    "priorities, codes",
    [
        ({"weights": [{"dimension": "GROWTH", "weight": 0}]}, ["ALL_WEIGHTS_ZERO"]),
        ({"weights": []}, ["ALL_WEIGHTS_ZERO"]),
        ({"weights": [{"dimension": "GROWTH", "weight": 12}]}, ["WEIGHT_OUT_OF_RANGE"]),
        ({"weights": [{"dimension": "GROWTH", "weight": 1}, {"dimension": "GROWTH", "weight": 2}]},
         ["DUPLICATE_DIMENSION"]),
        ({**NEEDS_PAY, "minimums": [{"dimension": "GROWTH", "minimum": 0}]}, ["MINIMUM_OUT_OF_RANGE"]),
    ],
)
async def test_invalid_priorities_are_rejected_clearly(demo, priorities, codes):
    query = await demo.query(RANK, {"priorities": priorities, "orderBy": BY_FIT})
    [error] = query.body["errors"]
    assert error["extensions"]["code"] == "INVALID_PRIORITIES"
    assert [p["code"] for p in error["extensions"]["problems"]] == codes
    saved = await demo.mutate("setPriorities", SET, priorities, await demo.member())
    assert [e["code"] for e in saved["userErrors"]] == codes and saved["priorities"] is None


async def test_an_unknown_dimension_is_a_validation_error(demo):
    response = await demo.query(RANK, {"priorities": {"weights": [{"dimension": "SALARY", "weight": 3}]}})
    assert "Value 'SALARY' does not exist in 'Dimension' enum" in response.body["errors"][0]["message"]


FIT_OF = """query ($priorities: PrioritiesInput) { company(slug: "acme-robotics") {
  fit(priorities: $priorities) { score perspective perspectiveApplied
    contributions { dimension average reviewCount } } } }"""


async def test_a_perspective_uses_that_functions_reviews_once_k_share_it(settings_with):
    async with Api.running(create_app(settings_with(k_anonymity=5))) as api:
        await _perspective_needs_k_reviews_showing_the_function(api)


async def _perspective_needs_k_reviews_showing_the_function(api):
    # given five colleagues in sales, four data scientists and two lawyers (all on the platform
    # first, so each review's face is chosen among all of them) ...
    sales_team = [await reviewer(api, job_function="SALES") for _ in range(5)]
    data_team = [await reviewer(api, job_function="DATA") for _ in range(4)]
    lawyers = [await reviewer(api, job_function="LEGAL") for _ in range(2)]
    # ... who all review: the sales team unhappy about growth, the others delighted
    everyone = [(m, 2, 1) for m in sales_team] + [(m, 5, 5) for m in data_team + lawyers]
    for (token, job), overall, score in everyone:
        payload = await submit(api, token, job, overall=overall, ratings=[{"dimension": "GROWTH", "score": score}])
        assert payload["userErrors"] == []
    growth = {"weights": [{"dimension": "GROWTH", "weight": 5}]}
    company_view = (await api.query(FIT_OF, {"priorities": growth})).data["company"]["fit"]
    sales = (await api.query(FIT_OF, {"priorities": {**growth, "perspective": "SALES"}})).data["company"]["fit"]
    data = (await api.query(FIT_OF, {"priorities": {**growth, "perspective": "DATA"}})).data["company"]["fit"]
    assert sales["perspectiveApplied"] and sales["score"] < company_view["score"]
    assert sales["contributions"][0]["reviewCount"] == 5
    # four data scientists are fewer than k: their reviews do not show the function, so the
    # company's averages are used, and it says so
    assert data["perspective"] == "DATA" and data["perspectiveApplied"] is False
    assert data["score"] == pytest.approx(company_view["score"])


async def add_reviews(company: models.Company, how_many: int, start: int = 0) -> None:
    """Reviews written through the real write path (aggregates included), without HTTP: one
    member per review, as one member may review a company once a year. The members and their
    jobs are added in bulk, and their standing at the company recomputed as adding each would."""
    indices = range(start, start + how_many)
    emails = [f"bulk-{index}@{company.slug}.example.com" for index in indices]
    await models.Member.bulk_create([
        models.Member(email=email, verified_email=email, email_verified_at=now(), display_name="Bulk", password_hash="x")
        for email in emails
    ])
    members = {member.email: member for member in await models.Member.filter(email__in=emails)}
    days = [date(1990, 1, 1) + timedelta(days=2 * index) for index in indices]
    await models.Employment.bulk_create([
        models.Employment(
            member=members[email], company=company, job_function=JobFunction.ENGINEERING, location="Shanghai",
            start_date=day, end_date=day,
        )
        for email, day in zip(emails, days, strict=True)
    ])
    await recompute_aggregates(fix=True)
    await replay_admissions()
    employments = dict(await models.Employment.filter(company=company, member__email__in=emails).values_list(
        "member_id", "id"
    ))
    for index, email in zip(indices, emails, strict=True):
        member = members[email]
        content = ReviewContent(1 + index % 5, [(Dimension.GROWTH, 1 + index % 5)], "t", None, None, None)
        outcome = await submit_review(member, employments[member.id], content)
        assert outcome.value is not None, outcome.violations


async def test_ranking_costs_the_same_statements_for_10_or_1000_reviews(api, settings):
    put_in_force(settings)  # the reviews below are written outside any request
    small = await models.Company.create(slug="small-co", name="Small Co")
    large = await models.Company.create(slug="large-co", name="Large Co")
    await add_reviews(small, 10)
    priorities = {"weights": [{"dimension": "GROWTH", "weight": 5}], "perspective": "ENGINEERING"}

    async def statements() -> tuple[int, int, int]:
        """Statements of the first ranking after writes and of its process's snapshot catching up
        with them, then of the next ranking (two documents: the second is no response-cache hit).
        A catch-up that found no change of this database's (another's commit moved PostgreSQL's
        version) costs less, so the one that reloaded the written companies costs the most."""
        counters = []
        for first in (10, 9):
            with counting_statements() as counter:
                response = await api.query(RANK, {"priorities": priorities, "orderBy": BY_FIT, "first": first})
            assert len(response.data["companies"]["edges"]) == 2
            counters.append(counter)
        after_writes, next_one = counters
        return len(after_writes.statements), max(map(len, after_writes.catch_ups)), len(next_one.statements)

    await statements()  # the process's first ranking loads its whole snapshot
    await add_reviews(small, 1, start=10)
    before = await statements()
    await add_reviews(large, 1000)
    after = await statements()
    assert before == after == (RANKING_STATEMENTS, CATCH_UP_STATEMENTS, RANKING_STATEMENTS)


# the data version (the anonymous response cache's key), the companies shown, and their
# perspective's tallies for their fit (their company-wide tallies come from the ranking snapshot)
RANKING_STATEMENTS = 3
# the change marker, the companies changed since the last one, their rows (and any new ones'),
# their aggregates
CATCH_UP_STATEMENTS = 4


async def test_nodes_of_a_ranking_default_to_the_ranking_priorities(demo):
    # the fit a ranking knows already (scored from its snapshot) is the one a node computes
    # when asked with the same priorities explicitly: every part of it, perspective and all
    priorities = {**NEEDS_PAY, "minimums": [{"dimension": "GROWTH", "minimum": 3}], "perspective": "ENGINEERING"}
    listing = await demo.query(
        f"""query ($priorities: PrioritiesInput) {{ companies(priorities: $priorities, first: 5,
             orderBy: {{field: FIT}}) {{ edges {{ node {{ slug fit {FIT_DETAILS} }} }} }} }}""",
        {"priorities": priorities},
    )
    explicit = await demo.query(RANK, {"priorities": priorities, "orderBy": BY_FIT, "first": 5})
    implicit_fits = [e["node"] for e in listing.data["companies"]["edges"]]
    assert implicit_fits == [e["node"] for e in explicit.data["companies"]["edges"]]
    assert any(fit["fit"]["contributions"] for fit in implicit_fits)


async def test_invalid_priorities_are_refused_even_when_ordering_by_name(demo):
    response = await demo.query(RANK, {"priorities": {"weights": []}})
    assert response.error_codes == ["INVALID_PRIORITIES"]


async def test_a_ranked_companys_ratings_are_those_of_its_page(demo):
    # given a ranking (its companies' ratings come from the process's ranking snapshot)
    ratings = "ratings { overall { count mean bayesianAverage distribution } dimensions { dimension count distribution } }"
    ranked = await demo.query(
        f"query ($priorities: PrioritiesInput) {{ companies(first: 4, orderBy: {{field: FIT}}, priorities: $priorities) "
        f"{{ edges {{ node {{ slug {ratings} }} }} }} }}",
        {"priorities": NEEDS_PAY},
    )
    # then each is what the company's own page (read from the database) shows
    for edge in ranked.data["companies"]["edges"]:
        page = await demo.query(f'query ($slug: String!) {{ company(slug: $slug) {{ {ratings} }} }}',
                                {"slug": edge["node"]["slug"]})
        assert page.data["company"]["ratings"] == edge["node"]["ratings"]
