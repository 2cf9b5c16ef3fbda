"""Removal polls through the API: who may open and vote, weights, settling once, the CEO's veto,
and what is public. A company never removes a review; its colleague circle may."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

import models
from app import create_app
from domain.enums import CompanyRoleKind
from schema import build_schema
from tests.api import Api, pk
from tests.reviewing import age_accounts, published_review, representative, reviewer, submit
from workcred.roles import grant_role

POLL_FIELDS = "poll { id status voterCount vetoed tally { removeVoters keepVoters removeShare } myVote { remove weight } }"
OPEN = f"""mutation ($input: OpenRemovalPollInput!) {{ openRemovalPoll(input: $input) {{ {POLL_FIELDS}
  userErrors {{ field code message }} }} }}"""
VOTE = f"""mutation ($input: CastRemovalVoteInput!) {{ castRemovalVote(input: $input) {{ {POLL_FIELDS}
  userErrors {{ field code message }} }} }}"""
VETO = f"""mutation ($input: VetoRemovalInput!) {{ vetoRemoval(input: $input) {{ {POLL_FIELDS}
  userErrors {{ field code message }} }} }}"""
REVIEW = """query ($id: ID!) { node(id: $id) { ... on Review { status statusReason overall
  history { action actor reason } removalPoll { status tally { removeVoters keepVoters } vetoed } } } }"""
DECIDE_POLL = f"""mutation ($input: DecideReferredPollInput!) {{ decideReferredPoll(input: $input) {{ {POLL_FIELDS}
  userErrors {{ field code message }} }} }}"""
GOVERNANCE = """{ company(slug: "acme-robotics") { governance { removedByVote removedByModeration pollsOpened
  pollsKept vetoesUsed removedByVoteByReason { reason count } } ratings { overall { count } } } }"""


@pytest.fixture
async def polls_api(settings_with) -> AsyncIterator[Api]:
    async with Api.running(create_app(settings_with(poll_quorum=3))) as api:
        yield api


async def circle(api: Api, size: int) -> list[str]:
    """Colleagues at the company, with accounts old enough to vote."""
    tokens = [(await reviewer(api))[0] for _ in range(size)]
    return tokens


async def close_polls() -> None:
    await models.RemovalPoll.all().update(closes_at=datetime.now(UTC) - timedelta(seconds=1))


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_a_quorum_voting_to_remove_removes_by_vote_with_a_public_reason(polls_api):
    api = polls_api
    # given a published review and three established colleagues
    _, review_id = await published_review(api)
    voters = await circle(api, 3)
    await age_accounts()
    opened = await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "FAKE"}, voters[0])
    assert opened["userErrors"] == []
    poll_id = opened["poll"]["id"]
    # when they all vote to remove
    for token in voters:
        voted = await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": True}, token)
        assert voted["userErrors"] == []
    # then, while open, only the number of voters is public
    assert voted["poll"]["voterCount"] == 3 and voted["poll"]["tally"] is None
    # and once the window passes, the next read settles it: removed, with the tally published
    await close_polls()
    review = (await api.query(REVIEW, {"id": review_id})).data["node"]
    assert review["removalPoll"] == {"status": "REMOVED", "tally": {"removeVoters": 3, "keepVoters": 0},
                                     "vetoed": False}
    assert (review["status"], review["statusReason"], review["overall"]) == ("REMOVED_BY_VOTE", "FAKE", None)
    assert review["history"] == [{"action": "REMOVED", "actor": "COMMUNITY", "reason": "FAKE"}]
    governance = (await api.query(GOVERNANCE)).data["company"]
    assert governance["governance"]["removedByVote"] == 1
    assert governance["governance"]["removedByVoteByReason"] == [{"reason": "FAKE", "count": 1}]
    assert governance["ratings"]["overall"]["count"] == 0


async def test_without_quorum_the_content_is_kept_and_cannot_be_repolled_at_once(polls_api):
    api = polls_api
    _, review_id = await published_review(api)
    [voter] = await circle(api, 1)
    await age_accounts()
    poll_id = (await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "SPAM"}, voter))["poll"]["id"]
    await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": True}, voter)
    await close_polls()
    review = (await api.query(REVIEW, {"id": review_id})).data["node"]
    assert review["status"] == "PUBLISHED" and review["removalPoll"]["status"] == "KEPT"
    assert review["history"] == [{"action": "KEPT", "actor": "COMMUNITY", "reason": "SPAM"}]
    again = await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "SPAM"}, voter)
    assert codes(again) == ["POLL_COOLDOWN"]


async def test_who_may_open_and_vote(polls_api):
    api = polls_api
    author, review_id = await published_review(api)
    [colleague] = await circle(api, 1)
    outsider, _ = await reviewer(api, company="Elsewhere Ltd")
    await age_accounts()
    newcomer, _ = await reviewer(api)  # a colleague, but an account made today
    for token, code in ((author, "OWN_CONTENT"), (outsider, "NOT_A_COLLEAGUE"), (newcomer, "ACCOUNT_TOO_NEW")):
        payload = await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "SPAM"}, token)
        assert codes(payload) == [code]
    opened = await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "SPAM"}, colleague)
    poll_id = opened["poll"]["id"]
    # one open poll per piece of content; opening is not a vote
    assert opened["poll"]["voterCount"] == 0
    second = await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "FAKE"}, colleague)
    assert codes(second) == ["POLL_ALREADY_OPEN"]
    # the same vote twice changes nothing; the other value changes the vote
    first = await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": True}, colleague)
    assert first["poll"]["myVote"]["remove"] is True
    assert codes(await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": True}, colleague)) == [
        "ALREADY_VOTED"]
    changed = await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": False}, colleague)
    assert changed["poll"]["voterCount"] == 1 and changed["poll"]["myVote"]["remove"] is False
    # another member sees no vote of theirs, and nobody sees who voted how
    other = await api.query('query ($id: ID!) { node(id: $id) { ... on RemovalPoll { voterCount myVote { remove } } } }',
                            {"id": poll_id}, token=author)
    assert other.data["node"] == {"voterCount": 1, "myVote": None}
    # a vote after the window is refused
    await close_polls()
    late = await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": True}, colleague)
    assert codes(late) == ["POLL_CLOSED"]
    settled = (await api.query(REVIEW, {"id": review_id})).data["node"]["removalPoll"]
    assert settled["tally"] == {"removeVoters": 0, "keepVoters": 1}


async def test_the_ceo_weighs_double_and_vetoes_once_per_period_only_to_keep(polls_api):
    api = polls_api
    _, first_review = await published_review(api)
    _, second_review = await published_review(api)
    voters = await circle(api, 3)
    ceo, _ = await reviewer(api)
    email = (await api.query("{ viewer { member { email } } }", token=ceo)).data["viewer"]["member"]["email"]
    await grant_role("acme-robotics", email, CompanyRoleKind.CEO)
    await age_accounts()
    weight = (await api.query("{ viewer { contributionWeight } }", token=ceo)).data["viewer"]["contributionWeight"]
    first = (await api.mutate("openRemovalPoll", OPEN, {"reviewId": first_review, "reason": "OFF_TOPIC"}, voters[0]))["poll"]["id"]
    vote = await api.mutate("castRemovalVote", VOTE, {"pollId": first, "remove": False}, ceo)
    assert vote["poll"]["myVote"]["weight"] == pytest.approx(2 * weight)
    # a representative who is not the CEO cannot veto
    rep = await representative(api, "acme-robotics")
    assert (await api.query(VETO, {"input": {"pollId": first}}, token=rep)).error_codes == ["FORBIDDEN"]
    # the CEO's veto on an open poll keeps the content
    vetoed = await api.mutate("vetoRemoval", VETO, {"pollId": first, "note": "We disagree."}, ceo)
    assert vetoed["poll"]["status"] == "VETOED" and vetoed["poll"]["vetoed"] is True
    history = (await api.query(REVIEW, {"id": first_review})).data["node"]["history"]
    assert history == [{"action": "VETOED", "actor": "CEO_VETO", "reason": "OFF_TOPIC"}]
    # a second poll removes by vote; a second veto within the period is refused
    second = (await api.mutate("openRemovalPoll", OPEN, {"reviewId": second_review, "reason": "FAKE"}, voters[0]))["poll"]["id"]
    for token in voters:
        await api.mutate("castRemovalVote", VOTE, {"pollId": second, "remove": True}, token)
    await close_polls()
    assert (await api.query(REVIEW, {"id": second_review})).data["node"]["status"] == "REMOVED_BY_VOTE"
    assert codes(await api.mutate("vetoRemoval", VETO, {"pollId": second}, ceo)) == ["VETO_ALREADY_USED"]
    # after the period, the veto restores the removal (within 24 hours of it)
    await models.Veto.all().update(at=datetime.now(UTC) - timedelta(days=8))
    restored = await api.mutate("vetoRemoval", VETO, {"pollId": second}, ceo)
    assert restored["poll"]["status"] == "VETOED"
    review = (await api.query(REVIEW, {"id": second_review})).data["node"]
    assert review["status"] == "PUBLISHED"
    assert [h["action"] for h in review["history"]] == ["REMOVED", "RESTORED"]
    governance = (await api.query(GOVERNANCE)).data["company"]["governance"]
    assert governance["vetoesUsed"] == 2 and governance["pollsOpened"] == 2


async def test_settling_happens_exactly_once(polls_api, settings):
    from infra.settings import put_in_force
    from resolvers.governance import settle_due_polls, settle_every_due_poll

    api = polls_api
    _, review_id = await published_review(api)
    [voter] = await circle(api, 1)
    await age_accounts()
    poll_id = (await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "SPAM"}, voter))["poll"]["id"]
    await close_polls()
    put_in_force(settings)
    assert await settle_every_due_poll() == 1
    poll = await pk(poll_id, "RemovalPoll")
    assert poll is not None and await settle_due_polls([poll]) == 0
    assert await settle_every_due_poll() == 0
    assert await models.AuditEntry.filter(review_id=await pk(review_id, "Review")).count() == 1


async def test_the_platform_report_counts_a_quarter(polls_api):
    api = polls_api
    now = datetime.now(UTC)
    period = f"{now.year}-Q{(now.month - 1) // 3 + 1}"
    _, review_id = await published_review(api)
    [voter] = await circle(api, 1)
    await age_accounts()
    await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "SPAM"}, voter)
    report = await api.query('query ($p: String!) { transparencyReport(period: $p) { pollsOpened } }', {"p": period})
    assert report.data["transparencyReport"]["pollsOpened"] == 1
    bad = await api.query('{ transparencyReport(period: "last week") { pollsOpened } }')
    assert bad.error_codes == ["BAD_USER_INPUT"]


def test_only_the_listed_mutations_take_a_review_id():
    # given every mutation and the input fields it accepts
    schema = build_schema_for_inspection()
    takes_review = []
    for name, field in schema.mutation_type.fields.items():
        input_arg = field.args.get("input")
        if input_arg is not None:
            input_type = input_arg.type.of_type if hasattr(input_arg.type, "of_type") else input_arg.type
            if "reviewId" in input_type.fields:
                takes_review.append(name)
    # then no company-side mutation can touch a review (an appeal is its author's)
    assert sorted(takes_review) == sorted([
        "editReview", "withdrawReview", "markReviewHelpful", "respondToReview", "openRemovalPoll", "moderateContent",
        "appealRemoval"])


def build_schema_for_inspection():
    from infra.settings import Settings

    return build_schema(Settings(database_url="sqlite://:memory:"))._schema


RESPOND = """mutation ($input: RespondToReviewInput!) { respondToReview(input: $input) { response { id } } }"""
RESPONSE_POLL = """query ($id: ID!) { node(id: $id) { ... on Review { response { status body
  removalPoll { status } } } } }"""


async def test_a_company_response_can_be_voted_away_and_a_late_write_settles_the_poll(polls_api):
    api = polls_api
    _, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    response_id = (await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Nonsense."}, rep))[
        "response"]["id"]
    voters = await circle(api, 3)
    await age_accounts()
    # the responder is not the content's author for anyone else; colleagues may poll it
    opened = await api.mutate("openRemovalPoll", OPEN, {"responseId": response_id, "reason": "HARASSMENT"}, voters[0])
    poll_id = opened["poll"]["id"]
    for token in voters:
        await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": True}, token)
    await close_polls()
    # a write touching the poll after its window settles it (and is refused itself)
    late = await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": False}, voters[0])
    assert codes(late) == ["POLL_CLOSED"]
    assert (await models.RemovalPoll.get(id=await pk(poll_id, "RemovalPoll"))).status == "REMOVED"
    response = (await api.query(RESPONSE_POLL, {"id": review_id})).data["node"]["response"]
    assert response == {"status": "REMOVED_BY_VOTE", "body": "Removed by a community vote",
                        "removalPoll": {"status": "REMOVED"}}


async def test_poll_input_is_checked(polls_api):
    api = polls_api
    _, review_id = await published_review(api)
    [voter] = await circle(api, 1)
    await age_accounts()
    neither = await api.mutate("openRemovalPoll", OPEN, {"reason": "SPAM"}, voter)
    assert codes(neither) == ["CONTENT_REQUIRED"]
    long_note = await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "SPAM", "note": "x" * 501},
                                 voter)
    assert codes(long_note) == ["TOO_LONG"]
    unknown = await api.mutate("castRemovalVote", VOTE, {"pollId": "bm9wZQ==", "remove": True}, voter)
    assert codes(unknown) == ["NOT_FOUND"]


async def test_a_kept_poll_cannot_be_vetoed(polls_api):
    api = polls_api
    _, review_id = await published_review(api)
    [voter] = await circle(api, 1)
    ceo, _ = await reviewer(api)
    email = (await api.query("{ viewer { member { email } } }", token=ceo)).data["viewer"]["member"]["email"]
    await grant_role("acme-robotics", email, CompanyRoleKind.CEO)
    await age_accounts()
    poll_id = (await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": "SPAM"}, voter))["poll"]["id"]
    await close_polls()
    assert codes(await api.mutate("vetoRemoval", VETO, {"pollId": poll_id}, ceo)) == ["NOT_VETOABLE"]


@pytest.fixture
async def guarded_polls_api(settings_with) -> AsyncIterator[Api]:
    """Polls of three voters under the production colleague rule: counted after 30 days, at most
    max(2, 10 %) new colleagues a month per company; sessions outlive the months moved."""
    settings = settings_with(
        poll_quorum=3, colleague_min_age_days=30, colleague_inflow_min=2, token_ttl_days=365
    )
    async with Api.running(create_app(settings)) as api:
        yield api


def later(days: float):
    import time_machine

    return time_machine.travel(datetime.now(UTC) + timedelta(days=days))


async def test_planted_accounts_cannot_outvote_counted_colleagues_and_a_removal_they_carry_waits(guarded_polls_api):
    api = guarded_polls_api
    # given a critical review and five counted colleagues of long standing
    author, job = await reviewer(api)
    keepers = await circle(api, 5)
    await age_accounts(days=200)
    review_id = (await submit(api, author, job))["review"]["id"]

    async def poll(opener: str, reason: str) -> str:
        opened = await api.mutate("openRemovalPoll", OPEN, {"reviewId": review_id, "reason": reason}, opener)
        assert codes(opened) == [], opened
        return opened["poll"]["id"]

    async def votes(poll_id: str, tokens: list[str], remove: bool) -> list[list[str]]:
        return [codes(await api.mutate("castRemovalVote", VOTE, {"pollId": poll_id, "remove": remove}, token))
                for token in tokens]

    # when the company plants ten accounts with verified addresses and jobs there
    puppets = await circle(api, 10)
    # then, fresh, they can neither open a poll nor vote in one
    first = await poll(keepers[0], "FAKE")
    assert await votes(first, puppets, True) == [["ACCOUNT_TOO_NEW"]] * 10
    # and a month on the allowance has let in two: they open a poll and vote, the others cannot,
    # and the colleagues who vote to keep keep the review
    with later(31):
        await close_polls()
        second = await poll(puppets[0], "SPAM")
        assert sorted(map(tuple, await votes(second, puppets, True))) == [()] * 2 + [("ACCOUNT_TOO_NEW",)] * 8
        assert await votes(second, keepers, False) == [[]] * 5
        await close_polls()
        review = (await api.query(REVIEW, {"id": review_id})).data["node"]
        assert (review["status"], review["removalPoll"]["status"]) == ("PUBLISHED", "KEPT")

    # when, three months on, six of them count (two a month) and carry a removal nobody opposes
    with later(100):
        third = await poll(puppets[0], "FAKE")
        assert sorted(map(tuple, await votes(third, puppets, True))) == [()] * 6 + [("ACCOUNT_TOO_NEW",)] * 4
        await close_polls()
        # then it is not executed while most of its weight is colleagues counted within 90 days:
        # a moderator decides
        review = (await api.query(REVIEW, {"id": review_id})).data["node"]
        assert (review["status"], review["removalPoll"]["status"]) == ("PUBLISHED", "REFERRED")
        assert review["history"][-1] == {"action": "REFERRED", "actor": "COMMUNITY", "reason": "FAKE"}
        # and the moderators find it in their queue, with its tally, and keep the review
        from tests.test_moderation import moderator

        mod = await moderator(api)
        queue = (await api.query("{ moderationQueue { kind poll { id tally { removeVoters } } } }", token=mod)).data
        assert queue["moderationQueue"] == [{"kind": "REFERRED_POLL", "poll": {"id": third, "tally": {"removeVoters": 6}}}]
        kept = await api.mutate("decideReferredPoll", DECIDE_POLL, {
            "pollId": third, "decision": "KEEP", "reason": "Six accounts counted this spring, nobody else."}, mod)
        assert kept["poll"]["status"] == "KEPT"
        review = (await api.query(REVIEW, {"id": review_id})).data["node"]
        assert review["status"] == "PUBLISHED"
        assert review["history"][-1] == {
            "action": "KEPT", "actor": "MODERATOR", "reason": "Six accounts counted this spring, nobody else."}


async def test_only_acknowledgments_from_outside_the_voters_circles_raise_a_vote(api):
    from tests.reviewing import HELPFUL

    # given a member with a published review at Acme, and two colleagues there, and two members
    # counted at another company
    author, review_id = await published_review(api)
    ring = [(await reviewer(api))[0] for _ in range(2)]
    outsiders = [(await reviewer(api, company="Elsewhere Ltd"))[0] for _ in range(2)]
    await age_accounts()
    weight = "{ viewer { contributionWeight } }"
    # when their colleagues mark the review helpful, then the vote weighs what a newcomer's does
    for token in ring:
        assert codes(await api.mutate("markReviewHelpful", HELPFUL, {"reviewId": review_id}, token)) == []
    assert (await api.query(weight, token=author)).data["viewer"]["contributionWeight"] == 1
    # and when members outside their companies do, it weighs more
    for token in outsiders:
        assert codes(await api.mutate("markReviewHelpful", HELPFUL, {"reviewId": review_id}, token)) == []
    assert (await api.query(weight, token=author)).data["viewer"]["contributionWeight"] == pytest.approx(2.0)
