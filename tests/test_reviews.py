"""Writing reviews: who may, how often, what is valid, and what the author can change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import models
from tests.reviewing import (
    EDIT,
    HELPFUL,
    WITHDRAW,
    published_review,
    review_input,
    reviewer,
    submit,
)
from tests.test_employment import ADD, REMOVE

MY_REVIEWS = "{ viewer { reviews { totalCount edges { node { id status title pros } } } } }"


def codes(payload):
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_a_review_carries_tenure_metadata_derived_from_the_job(api):
    token, employment_id = await reviewer(api, start="2019-01-01", end="2023-06-30")
    payload = await submit(api, token, employment_id)
    assert payload["userErrors"] == []
    review = payload["review"]
    assert review["company"] == {"slug": "acme-robotics"}
    assert review["tenure"]["employmentStatus"] == "FORMER"
    assert review["tenure"]["tenure"] == "MORE_THAN_3_YEARS"
    assert review["tenure"]["verified"] is None  # never shown: the company decides it
    assert review["ratings"] == [
        {"dimension": "COMPENSATION", "score": 5},
        {"dimension": "WORK_LIFE_BALANCE", "score": 2},
    ]
    assert review["status"] == "PUBLISHED" and review["updatedAt"] is None


async def test_a_review_needs_your_own_job_at_the_company(api):
    _, someone_elses_job = await reviewer(api)
    outsider = await api.member()
    payload = await submit(api, outsider, someone_elses_job)
    assert codes(payload) == [(["employmentId"], "NOT_FOUND")]
    assert payload["review"] is None


async def test_submitting_requires_signing_in(api):
    _, employment_id = await reviewer(api)
    response = await api.query(
        "mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { review { id } } }",
        {"input": review_input(employment_id)},
    )
    assert response.error_codes == ["UNAUTHENTICATED"]


async def test_one_review_per_member_per_company_per_12_months(api):
    token, employment_id = await reviewer(api)
    first = await submit(api, token, employment_id)
    second = await submit(api, token, employment_id, title="Changed my mind")
    assert first["userErrors"] == []
    assert codes(second) == [(["employmentId"], "REVIEW_TOO_SOON")]
    # given the member's last review of the company is older than 12 months
    thirteen_months_ago = datetime.now(UTC) - timedelta(days=400)
    await models.ReviewSlot.filter(company__slug="acme-robotics").update(last_reviewed_at=thirteen_months_ago)
    # then they may review it again
    assert (await submit(api, token, employment_id, title="A year later"))["userErrors"] == []


async def test_a_second_job_at_the_same_company_does_not_buy_a_second_voice(api):
    # given a member who worked at the company twice
    token, first_job = await reviewer(api, start="2015-01-01", end="2017-01-01")
    second_job = await api.mutate(
        "addEmployment", ADD,
        {"companyName": "Acme Robotics", "jobFunction": "PRODUCT", "location": "Shanghai",
         "startDate": "2020-01-01", "positions": [{"title": "PM", "level": 4, "startDate": "2020-01-01"}]},
        token,
    )
    # when they review from each job, then only the first is published
    assert (await submit(api, token, first_job))["userErrors"] == []
    assert codes(await submit(api, token, second_job["employment"]["id"])) == [
        (["employmentId"], "REVIEW_TOO_SOON")
    ]


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"overall": 0}, [(["overall"], "RATING_OUT_OF_RANGE")]),
        ({"overall": 6}, [(["overall"], "RATING_OUT_OF_RANGE")]),
        ({"ratings": [{"dimension": "GROWTH", "score": 0}]}, [(["ratings", "0", "score"], "RATING_OUT_OF_RANGE")]),
        ({"ratings": [{"dimension": "GROWTH", "score": 6}]}, [(["ratings", "0", "score"], "RATING_OUT_OF_RANGE")]),
        ({"ratings": []}, [(["ratings"], "DIMENSIONS_REQUIRED")]),
        (
            {"ratings": [{"dimension": "GROWTH", "score": 3}, {"dimension": "GROWTH", "score": 4}]},
            [(["ratings", "1", "dimension"], "DUPLICATE_DIMENSION")],
        ),
        ({"title": "   "}, [(["title"], "REQUIRED")]),
        ({"title": "t" * 121}, [(["title"], "TOO_LONG")]),
        ({"pros": "p" * 5001}, [(["pros"], "TOO_LONG")]),
        ({"cons": "c" * 5001}, [(["cons"], "TOO_LONG")]),
        ({"adviceToManagement": "a" * 2001}, [(["adviceToManagement"], "TOO_LONG")]),
    ],
)
async def test_review_content_is_validated(api, changes, expected):
    token, employment_id = await reviewer(api)
    payload = await submit(api, token, employment_id, **changes)
    assert codes(payload) == expected
    # and nothing was written: the job can still be reviewed
    assert (await submit(api, token, employment_id))["userErrors"] == []


async def test_text_at_the_length_limits_is_accepted(api):
    token, employment_id = await reviewer(api)
    payload = await submit(
        api, token, employment_id,
        title="t" * 120, pros="p" * 5000, cons="c" * 5000, adviceToManagement="a" * 2000,
    )
    assert payload["userErrors"] == []


async def test_the_author_edits_their_review(api):
    token, review_id = await published_review(api)
    payload = await api.mutate(
        "editReview", EDIT,
        {"reviewId": review_id, "overall": 2, "ratings": [{"dimension": "MANAGEMENT", "score": 1}],
         "cons": ""},
        token,
    )
    assert payload["userErrors"] == []
    review = payload["review"]
    assert review["overall"] == 2
    assert review["ratings"] == [{"dimension": "MANAGEMENT", "score": 1}]
    assert review["cons"] is None and review["pros"] is not None
    assert review["updatedAt"] is not None


async def test_edits_are_validated(api):
    token, review_id = await published_review(api)
    payload = await api.mutate("editReview", EDIT, {"reviewId": review_id, "overall": 9}, token)
    assert codes(payload) == [(["overall"], "RATING_OUT_OF_RANGE")]


async def test_nobody_else_can_edit_or_withdraw_a_review(api):
    _, review_id = await published_review(api)
    intruder = await api.member()
    edit = await api.query(EDIT, {"input": {"reviewId": review_id, "title": "Hacked"}}, token=intruder)
    withdraw = await api.query(WITHDRAW, {"input": {"reviewId": review_id}}, token=intruder)
    assert edit.error_codes == ["FORBIDDEN"] and withdraw.error_codes == ["FORBIDDEN"]
    node = await api.query('query ($id: ID!) { node(id: $id) { ... on Review { title status } } }', {"id": review_id})
    assert node.data["node"] == {"title": "Great pay, long hours", "status": "PUBLISHED"}


async def test_unknown_review_ids_are_not_found(api):
    token = await api.member()
    payload = await api.mutate("editReview", EDIT, {"reviewId": "bm9wZQ==", "title": "x"}, token)
    assert codes(payload) == [(["reviewId"], "NOT_FOUND")]


async def test_withdrawing_hides_the_text_from_others_but_not_from_the_author(api):
    token, review_id = await published_review(api)
    payload = await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review_id}, token)
    assert payload["review"]["status"] == "WITHDRAWN"
    assert payload["review"]["statusReason"] == "Withdrawn by its author."
    public = await api.query(
        'query ($id: ID!) { node(id: $id) { ... on Review { title pros ratings { score } status } } }',
        {"id": review_id},
    )
    assert public.data["node"] == {"title": "Withdrawn by its author", "pros": None, "ratings": [], "status": "WITHDRAWN"}
    mine = (await api.query(MY_REVIEWS, token=token)).data["viewer"]["reviews"]
    assert mine["edges"][0]["node"]["pros"] == "Top-of-market salary and a real bonus."
    again = await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review_id}, token)
    assert codes(again) == [(["reviewId"], "REVIEW_NOT_PUBLISHED")]
    edit = await api.mutate("editReview", EDIT, {"reviewId": review_id, "title": "Back"}, token)
    assert codes(edit) == [(["reviewId"], "REVIEW_NOT_EDITABLE")]


async def test_helpful_once_per_member_and_never_on_your_own(api):
    author, review_id = await published_review(api)
    reader = await api.member()
    first = await api.mutate("markReviewHelpful", HELPFUL, {"reviewId": review_id}, reader)
    assert first["review"]["helpfulCount"] == 1
    twice = await api.mutate("markReviewHelpful", HELPFUL, {"reviewId": review_id}, reader)
    assert codes(twice) == [(["reviewId"], "ALREADY_MARKED")]
    own = await api.mutate("markReviewHelpful", HELPFUL, {"reviewId": review_id}, author)
    assert codes(own) == [(["reviewId"], "OWN_REVIEW")]
    another = await api.mutate("markReviewHelpful", HELPFUL, {"reviewId": review_id}, await api.member())
    assert another["review"]["helpfulCount"] == 2


async def test_the_author_is_not_reachable_through_the_api(api):
    await published_review(api)
    fields = await api.query('{ __type(name: "Review") { fields { name type { name ofType { name } } } } }')
    names = {f["name"] for f in fields.data["__type"]["fields"]}
    types = {f["type"]["name"] or (f["type"]["ofType"] or {}).get("name") for f in fields.data["__type"]["fields"]}
    assert not names & {"author", "member", "employment", "authorId"}
    assert not types & {"Member", "Employment", "Viewer"}


async def test_viewer_reviews_lists_only_my_reviews(api):
    token, _ = await published_review(api)
    await published_review(api)
    mine = (await api.query(MY_REVIEWS, token=token)).data["viewer"]["reviews"]
    assert mine["totalCount"] == 1


async def test_a_job_with_reviews_cannot_be_removed(api):
    token, employment_id = await reviewer(api)
    await submit(api, token, employment_id)
    payload = await api.mutate("removeEmployment", REMOVE, {"employmentId": employment_id}, token)
    assert [e["code"] for e in payload["userErrors"]] == ["EMPLOYMENT_HAS_REVIEWS"]
