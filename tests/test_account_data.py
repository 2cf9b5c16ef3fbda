"""Leaving with one's data: the export holds every table with a member column, and deleting the
account leaves nothing personal of the member anywhere while every aggregate stays exact."""

from __future__ import annotations

import json

import pytest
from tortoise import Tortoise

import models
from app import create_app
from resolvers.account_data import EXPORTED_TABLES
from tests.api import PASSWORD, Api
from tests.cli import workcred
from tests.databases import fetch
from tests.mailbox import mailbox
from tests.reviewing import (
    RESPOND,
    age_accounts,
    published_review,
    representative,
    reviewer,
    set_verified,
    submit,
)
from tests.test_accounts import ME, sign_up
from tests.test_credit import SHARE
from tests.test_governance import OPEN, VOTE, close_polls

EXPORT = "{ viewer { export } }"
DELETE = """mutation ($input: DeleteAccountInput!) { deleteAccount(input: $input) { done userErrors { field code } } }"""
HELPFUL = """mutation ($input: ReviewIdInput!) { markReviewHelpful(input: $input) { userErrors { code } } }"""
PRIORITIES = """mutation ($input: PrioritiesInput!) { setPriorities(input: $input) { userErrors { code } } }"""
BREAK = """mutation ($input: AddCareerBreakInput!) { addCareerBreak(input: $input) { userErrors { code } } }"""


def member_columns() -> dict[str, list[str]]:
    """Every table with a column naming a member, from the models themselves."""
    found: dict[str, list[str]] = {}
    for model in Tortoise.apps["models"].values():
        for field in model._meta.fields_map.values():
            related = getattr(field, "related_model", None)
            if related is models.Member and getattr(field, "source_field", None):
                found.setdefault(model._meta.db_table, []).append(field.source_field)
    return found


@pytest.fixture
async def polls_api(settings_with):
    async with Api.running(create_app(settings_with(poll_quorum=2))) as api:
        yield api


async def a_full_life(api: Api) -> tuple[str, str, dict[str, str]]:
    """A member with something in every table that can name them; (token, email, their content)."""
    token, job = await reviewer(api, job_function="DATA")  # at Acme Robotics, from 2019
    email = (await api.query(ME, token=token)).data["viewer"]["member"]["email"]
    await set_verified(job)
    review = (await submit(api, token, job))["review"]["id"]
    rep = await representative(api, "acme-robotics")
    await api.mutate("respondToReview", RESPOND, {"reviewId": review, "body": "Thanks for this."}, rep)
    # their voice on others' reviews: a helpful mark, a vote in a poll that settles, one in a poll still open
    _, others_review = await published_review(api)
    _, third_review = await published_review(api)
    assert (await api.query(HELPFUL, {"input": {"reviewId": others_review}}, token)).data["markReviewHelpful"]["userErrors"] == []
    colleague, _ = await reviewer(api)
    await age_accounts()
    settled = (await api.mutate("openRemovalPoll", OPEN, {"reviewId": others_review, "reason": "SPAM"}, colleague))["poll"]["id"]
    assert (await api.mutate("castRemovalVote", VOTE, {"pollId": settled, "remove": False}, token))["userErrors"] == []
    await close_polls()
    still_open = (await api.mutate("openRemovalPoll", OPEN, {"reviewId": third_review, "reason": "SPAM"}, colleague))["poll"]["id"]
    assert (await api.mutate("castRemovalVote", VOTE, {"pollId": still_open, "remove": True}, token))["userErrors"] == []
    # and the rest of an account's life
    await api.mutate("setPriorities", PRIORITIES, {"weights": [{"dimension": "GROWTH", "weight": 5}]}, token)
    await api.mutate("addCareerBreak", BREAK, {"kind": "EDUCATION", "startDate": "2017-01-01", "endDate": "2018-06-30"}, token)
    await api.mutate("shareCareerCredit", SHARE, {"companySlug": "acme-robotics"}, token)
    await api.query("{ viewer { careerCredit { score } } }", token=token)
    await api.mutate("requestPasswordReset", """mutation ($input: RequestPasswordResetInput!) {
        requestPasswordReset(input: $input) { done } }""", {"email": email})
    return token, email, {"review": review, "open_poll": still_open, "settled_poll": settled}


async def test_the_export_holds_every_table_with_a_member_column(polls_api):
    token, email, _ = await a_full_life(polls_api)
    document = (await polls_api.query(EXPORT, token=token)).data["viewer"]["export"]
    # every table that can name a member has its section, and none is forgotten
    assert {"member", *member_columns()} == set(EXPORTED_TABLES)
    assert set(EXPORTED_TABLES.values()) <= set(document)
    # and the sections hold the member's own rows
    assert document["account"]["email"] == email and document["account"]["verifiedEmail"] == email
    assert [e["company"] for e in document["employments"]] == ["acme-robotics"]
    assert document["employments"][0]["verification"] == "VERIFIED" and document["employments"][0]["positions"]
    assert [r["companyResponse"] for r in document["reviews"]] == ["Thanks for this."]
    assert len(document["helpfulMarks"]) == 1 and len(document["removalVotes"]) == 2
    assert document["careerBreaks"][0]["kind"] == "EDUCATION" and document["creditShares"]
    assert document["careerCredit"]["factors"] and document["sessions"] and document["passwordResets"]
    json.dumps(document)  # one JSON document


@pytest.mark.parametrize("withdraw_reviews", [False, True])
async def test_deleting_an_account_leaves_nothing_of_the_member_and_every_figure_exact(
    polls_api, settings, withdraw_reviews
):
    api = polls_api
    token, email, content = await a_full_life(api)
    member_id = (await models.Member.get(email=email)).id
    wrong = await api.mutate("deleteAccount", DELETE, {"password": "not the password", "withdrawReviews": True}, token)
    assert wrong == {"done": False, "userErrors": [{"field": ["currentPassword"], "code": "INVALID_CREDENTIALS"}]}
    # when the member deletes their account
    deleted = await api.mutate("deleteAccount", DELETE, {"password": PASSWORD, "withdrawReviews": withdraw_reviews}, token)
    assert deleted == {"done": True, "userErrors": []}
    # then no table names them, and their address and name are nowhere
    url = settings.database_url
    for table, columns in member_columns().items():
        for column in columns:
            assert fetch(url, f"SELECT COUNT(*) FROM {table} WHERE {column} = {member_id}") == [(0,)], (table, column)
    for table in [t for (t,) in fetch(url, "SELECT name FROM sqlite_master WHERE type = 'table'")] if url.startswith(
            "sqlite") else [t for (t,) in fetch(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]:
        rows = fetch(url, f"SELECT * FROM {table}")
        assert not [row for row in rows if email in repr(row)], table
    # the session is gone
    assert (await api.query(ME, token=token)).error_codes == ["UNAUTHENTICATED"]
    # their review stays as anonymous content, or is withdrawn, as they chose; the vote in the
    # open poll left its tally, the one in the settled poll stays without a voter
    review = await models.Review.get(id=await _pk(content["review"]))
    assert (review.author_id, review.employment_id) == (None, None)
    assert review.status == ("WITHDRAWN" if withdraw_reviews else "PUBLISHED")
    open_poll = await models.RemovalPoll.get(id=await _pk(content["open_poll"]))
    assert (open_poll.remove_voters, open_poll.remove_weight) == (0, 0)
    assert await models.RemovalVote.filter(poll_id=await _pk(content["settled_poll"]), member_id=None).count() == 1
    # every aggregate and the company record moved exactly
    check = workcred(url, "repair-aggregates", "--check")
    assert check.returncode == 0, check.stdout
    # and the address can sign up again, and be proven again
    mails = len(mailbox().sent_to(email))
    again = await sign_up(api, email)
    assert again["userErrors"] == []
    await api.verify(again["token"], email, mails)


async def _pk(global_id: str) -> int:
    from tests.api import pk

    for kind in ("Review", "RemovalPoll"):
        if (found := await pk(global_id, kind)) is not None:
            return found
    raise AssertionError(global_id)


async def test_deleting_takes_the_password_and_bad_input_is_a_user_error(api):
    token = await api.member()
    for password in ("", "x" * 10_000):
        response = await api.query(DELETE, {"input": {"password": password, "withdrawReviews": False}}, token)
        assert response.data["deleteAccount"]["userErrors"] == [{"field": ["currentPassword"], "code": "INVALID_CREDENTIALS"}]
    assert (await api.query(DELETE, {"input": {"password": PASSWORD, "withdrawReviews": False}})).error_codes == [
        "UNAUTHENTICATED"]


async def test_a_representatives_response_stays_the_companys_when_they_leave(api, settings):
    _, review = await published_review(api)
    rep = await representative(api, "acme-robotics")
    await api.mutate("respondToReview", RESPOND, {"reviewId": review, "body": "We hear you."}, rep)
    assert (await api.mutate("deleteAccount", DELETE, {"password": PASSWORD, "withdrawReviews": True}, rep))["done"]
    response = await models.CompanyResponse.get(body="We hear you.")
    assert response.author_id is None and response.status == "PUBLISHED"
    assert not await models.CompanyRole.filter(company__slug="acme-robotics").exists()
    check = workcred(settings.database_url, "repair-aggregates", "--check")
    assert check.returncode == 0, check.stdout
