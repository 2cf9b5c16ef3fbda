"""Platform moderation with a public reason, an append-only audit log, and one door for every
status change. No company removes a review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.databases import fetch
from tests.reviewing import RESPOND, WITHDRAW, published_review, representative
from workcred.roles import grant_moderator

ROOT = Path(__file__).resolve().parent.parent
MODERATE = """mutation ($input: ModerateContentInput!) { moderateContent(input: $input) {
  review { id status statusReason overall title history { action actor reason } }
  response { id status statusReason body } userErrors { field code message } } }"""
PAGE = """{ company(slug: "acme-robotics") { ratings { overall { count } }
  record { reviewCount responseRate } } }"""
REASON = "Names a colleague and their home address."


async def moderator(api) -> str:
    token = await api.member()
    email = (await api.query("{ viewer { member { email } } }", token=token)).data["viewer"]["member"]["email"]
    await grant_moderator(email)
    return token


def codes(payload) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_a_moderator_removes_a_review_with_a_public_reason_and_may_restore_it(api):
    # given a published review
    _, review_id = await published_review(api)
    mod = await moderator(api)
    assert (await api.query(PAGE)).data["company"]["ratings"]["overall"]["count"] == 1
    # when a moderator removes it
    removed = await api.mutate("moderateContent", MODERATE,
                               {"reviewId": review_id, "action": "REMOVE", "reason": REASON}, mod)
    # then it shows the reason and no scores, and leaves the aggregates in the same write
    assert removed["userErrors"] == []
    review = removed["review"]
    assert (review["status"], review["statusReason"], review["overall"]) == ("REMOVED_BY_MODERATION", REASON, None)
    assert review["title"] == "Removed by moderators"
    assert review["history"] == [{"action": "REMOVED", "actor": "MODERATOR", "reason": REASON}]
    assert (await api.query(PAGE)).data["company"]["ratings"]["overall"]["count"] == 0
    # and a restore brings it back, counted again, with both steps in its history
    restored = await api.mutate("moderateContent", MODERATE,
                                {"reviewId": review_id, "action": "RESTORE", "reason": "Removed in error, sorry."}, mod)
    assert restored["review"]["status"] == "PUBLISHED"
    assert [h["action"] for h in restored["review"]["history"]] == ["REMOVED", "RESTORED"]
    assert (await api.query(PAGE)).data["company"]["ratings"]["overall"]["count"] == 1


async def test_a_moderator_removes_a_company_response(api):
    _, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    response_id = (await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Thanks"}, rep))[
        "response"]["id"]
    assert (await api.query(PAGE)).data["company"]["record"]["responseRate"] == 1
    mod = await moderator(api)
    payload = await api.mutate("moderateContent", MODERATE,
                               {"responseId": response_id, "action": "REMOVE", "reason": REASON}, mod)
    assert payload["response"]["status"] == "REMOVED_BY_MODERATION"
    assert payload["response"]["body"] == "Removed by moderators"
    # a removed answer is no answer in the company's record
    assert (await api.query(PAGE)).data["company"]["record"]["responseRate"] == 0


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"reason": "spam"}, ["TOO_SHORT"]),
        ({"reason": "x" * 501}, ["TOO_LONG"]),
        ({"reason": "   "}, ["REQUIRED"]),
        ({"reviewId": None}, ["CONTENT_REQUIRED"]),
        ({"reviewId": "bm9wZQ=="}, ["NOT_FOUND"]),
        ({"action": "RESTORE"}, ["NOT_REMOVED"]),
    ],
    ids=["short-reason", "long-reason", "blank-reason", "no-content", "unknown-review", "restore-published"],
)
async def test_moderation_input_is_checked(api, changes, expected):
    _, review_id = await published_review(api)
    mod = await moderator(api)
    payload = await api.mutate("moderateContent", MODERATE,
                               {"reviewId": review_id, "action": "REMOVE", "reason": REASON, **changes}, mod)
    assert codes(payload) == expected


async def test_nobody_but_a_moderator_moderates_not_even_the_company(api):
    author, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    ceo = await representative(api, "acme-robotics")
    for who in (rep, ceo, author, await api.member()):
        response = await api.query(MODERATE, {"input": {"reviewId": review_id, "action": "REMOVE", "reason": REASON}},
                                   token=who)
        assert response.error_codes == ["FORBIDDEN"]


async def test_a_withdrawal_goes_through_the_door_and_only_its_author_restores_by_writing_again(api):
    author, review_id = await published_review(api)
    withdrawn = await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review_id}, author)
    assert withdrawn["review"]["status"] == "WITHDRAWN"
    mod = await moderator(api)
    payload = await api.mutate("moderateContent", MODERATE,
                               {"reviewId": review_id, "action": "RESTORE", "reason": "Bring it back please."}, mod)
    assert codes(payload) == ["NOT_REMOVED"]
    history = await api.query('query ($id: ID!) { node(id: $id) { ... on Review { history { action actor } } } }',
                              {"id": review_id})
    assert history.data["node"]["history"] == [{"action": "WITHDRAWN", "actor": "AUTHOR"}]


async def test_the_database_refuses_to_change_or_delete_the_audit_log(api, settings):
    _, review_id = await published_review(api)
    mod = await moderator(api)
    await api.mutate("moderateContent", MODERATE, {"reviewId": review_id, "action": "REMOVE", "reason": REASON}, mod)
    assert fetch(settings.database_url, "SELECT COUNT(*) FROM audit_entry")[0][0] == 1
    for statement in ("UPDATE audit_entry SET reason = 'nothing happened'", "DELETE FROM audit_entry"):
        with pytest.raises(Exception, match="append-only"):
            fetch(settings.database_url, statement)
    assert fetch(settings.database_url, "SELECT reason FROM audit_entry")[0][0] == REASON


def test_only_the_status_door_changes_a_status():
    # given every place in the code that could write a status: attribute assignments, and
    # create/update calls passing `status=` (filters only read it; a poll's own status is not
    # a review's)
    writes = []
    for folder in ("resolvers", "schema", "workcred", "models", "domain", "infra"):
        for path in (ROOT / folder).glob("*.py"):
            source = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(source)):
                assigned = isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and any(
                    isinstance(target, ast.Attribute) and target.attr == "status"
                    for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                )
                written = (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"update", "update_from_dict", "create", "bulk_create", "update_or_create"}
                    and any(keyword.arg == "status" for keyword in node.keywords)
                )
                # (the source segment only of candidates: cutting it out is linear in the file)
                if (assigned or written) and "RemovalPoll" not in (ast.get_source_segment(source, node) or ""):
                    assert isinstance(node, ast.stmt | ast.expr)
                    writes.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    # then they are all in the one door
    assert writes and all(w.startswith("resolvers/status.py:") for w in writes), writes
