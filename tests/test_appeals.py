"""Appeals and the moderators' queue through the API: the author of removed content appeals
within 30 days; a moderator restores or upholds with a public reason; referred polls wait there
too; every decision is in the content's public history and the transparency totals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.api import Api
from tests.reviewing import published_review
from tests.test_moderation import MODERATE, moderator

APPEAL = """mutation ($input: AppealRemovalInput!) { appealRemoval(input: $input) {
  appeal { id status statement reason } userErrors { field code message } } }"""
DECIDE = """mutation ($input: DecideAppealInput!) { decideAppeal(input: $input) {
  appeal { id status reason } userErrors { field code message } } }"""
QUEUE = "{ moderationQueue { kind appeal { id statement } poll { id status } } }"
REVIEW = """query ($id: ID!) { node(id: $id) { ... on Review { status title history { action actor reason } } } }"""
TOTALS = """{ company(slug: "acme-robotics") { governance { appealsReceived appealsRestored appealsUpheld } } }"""
STATEMENT = "Every line of it is true; I can show my payslips to a moderator."


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def removed_review(api, mod: str) -> tuple[str, str]:
    author, review_id = await published_review(api)
    removed = await api.mutate("moderateContent", MODERATE, {
        "reviewId": review_id, "action": "REMOVE", "reason": "Names a private person."}, mod)
    assert removed["userErrors"] == [], removed
    return author, review_id


async def test_an_appeal_restores_a_review_with_a_public_reason(api):
    mod = await moderator(api)
    author, review_id = await removed_review(api, mod)
    # only the author may appeal, and only removed content
    stranger = await api.member()
    refused = await api.query(APPEAL, {"input": {"reviewId": review_id, "statement": STATEMENT}}, token=stranger)
    assert refused.error_codes == ["FORBIDDEN"]
    appealed = await api.mutate("appealRemoval", APPEAL, {"reviewId": review_id, "statement": STATEMENT}, author)
    assert appealed["userErrors"] == [] and appealed["appeal"]["status"] == "OPEN"
    again = await api.mutate("appealRemoval", APPEAL, {"reviewId": review_id, "statement": STATEMENT}, author)
    assert codes(again) == ["APPEAL_EXISTS"]
    # the moderators' queue holds it; nobody else may read the queue
    queue = (await api.query(QUEUE, token=mod)).data["moderationQueue"]
    assert queue == [{"kind": "APPEAL", "appeal": {"id": appealed["appeal"]["id"], "statement": STATEMENT}, "poll": None}]
    assert (await api.query(QUEUE, token=author)).error_codes == ["FORBIDDEN"]
    # a moderator restores it, with a public reason
    decided = await api.mutate("decideAppeal", DECIDE, {
        "appealId": appealed["appeal"]["id"], "decision": "RESTORE", "reason": "The person is a public figure."}, mod)
    assert decided["appeal"] == {"id": appealed["appeal"]["id"], "status": "RESTORED",
                                 "reason": "The person is a public figure."}
    review = (await api.query(REVIEW, {"id": review_id})).data["node"]
    assert review["status"] == "PUBLISHED"
    assert review["history"][-1] == {"action": "RESTORED", "actor": "MODERATOR", "reason": "The person is a public figure."}
    assert (await api.query(QUEUE, token=mod)).data["moderationQueue"] == []
    twice = await api.mutate("decideAppeal", DECIDE, {
        "appealId": appealed["appeal"]["id"], "decision": "UPHOLD", "reason": "Changed my mind entirely."}, mod)
    assert codes(twice) == ["APPEAL_DECIDED"]
    assert (await api.query(TOTALS)).data["company"]["governance"] == {
        "appealsReceived": 1, "appealsRestored": 1, "appealsUpheld": 0}


@pytest.fixture
async def long_sessions_api(settings_with) -> AsyncIterator[Api]:
    """Sessions outlive the month the test moves the clock."""
    from app import create_app

    async with Api.running(create_app(settings_with(token_ttl_days=365))) as api:
        yield api


async def test_an_upheld_removal_stays_with_its_reason_and_late_appeals_are_refused(long_sessions_api):
    api = long_sessions_api
    mod = await moderator(api)
    author, review_id = await removed_review(api, mod)
    appealed = await api.mutate("appealRemoval", APPEAL, {"reviewId": review_id, "statement": STATEMENT}, author)
    await api.mutate("decideAppeal", DECIDE, {
        "appealId": appealed["appeal"]["id"], "decision": "UPHOLD", "reason": "A private address is still shown."}, mod)
    review = (await api.query(REVIEW, {"id": review_id})).data["node"]
    assert review["status"] == "REMOVED_BY_MODERATION"
    assert review["history"][-1] == {"action": "UPHELD", "actor": "MODERATOR", "reason": "A private address is still shown."}
    # one appeal per removal
    assert codes(await api.mutate("appealRemoval", APPEAL, {"reviewId": review_id, "statement": STATEMENT}, author)) == [
        "APPEAL_EXISTS"]
    # and another removal can be appealed only within 30 days of it
    other_author, other_review = await removed_review(api, mod)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        late = await api.mutate("appealRemoval", APPEAL, {"reviewId": other_review, "statement": STATEMENT}, other_author)
    assert codes(late) == ["APPEAL_WINDOW_CLOSED"]
    assert (await api.query(TOTALS)).data["company"]["governance"] == {
        "appealsReceived": 1, "appealsRestored": 0, "appealsUpheld": 1}


async def test_bad_appeals_and_decisions_are_refused_clearly(api):
    mod = await moderator(api)
    author, review_id = await removed_review(api, mod)
    for given, code in (({"reviewId": review_id, "statement": "  "}, "REQUIRED"),
                        ({"reviewId": review_id, "statement": "x" * 2001}, "TOO_LONG"),
                        ({"statement": STATEMENT}, "CONTENT_REQUIRED"),
                        ({"reviewId": "bm9wZQ==", "statement": STATEMENT}, "NOT_FOUND")):
        assert codes(await api.mutate("appealRemoval", APPEAL, given, author)) == [code], given
    appealed = await api.mutate("appealRemoval", APPEAL, {"reviewId": review_id, "statement": STATEMENT}, author)
    for given, code in (({"appealId": appealed["appeal"]["id"], "decision": "RESTORE", "reason": "short"}, "TOO_SHORT"),
                        ({"appealId": "bm9wZQ==", "decision": "UPHOLD", "reason": "A reason long enough."}, "NOT_FOUND")):
        assert codes(await api.mutate("decideAppeal", DECIDE, given, mod)) == [code], given
    # and only moderators decide
    refused = await api.query(DECIDE, {"input": {"appealId": appealed["appeal"]["id"], "decision": "RESTORE",
                                                 "reason": "A reason long enough."}}, token=author)
    assert refused.error_codes == ["FORBIDDEN"]
