"""Every GraphQL example in the README and docs/ fits the schema, and the ones a reader would
run on the demo data run there as written (placeholders for ids aside)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from tests.api import Api

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DEMO_PASSWORD = "workcred-demo-password"


def examples(document: Path) -> list[str]:
    return re.findall(r"```graphql\n(.+?)\n```", document.read_text(encoding="utf-8"), re.S)


def named(document: Path, name: str) -> str:
    [found] = [text for text in examples(document) if re.match(rf"(query|mutation|subscription) {name}\b", text)]
    return found


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_example_fits_the_schema(document):
    schema = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    for text in examples(document):
        errors = validate(schema, parse(text))
        assert errors == [], (document.name, text, errors)


def done(response) -> dict:
    assert "errors" not in response.body, response.body
    for payload in response.data.values():
        if isinstance(payload, dict) and "userErrors" in payload:
            assert payload["userErrors"] == [], payload
    return response.data


async def test_the_governance_walkthrough_runs_on_the_demo(demo: Api):
    guide = ROOT / "docs" / "governance.md"
    colleague = done(await demo.query(named(guide, "SignInAsAColleague")))["signIn"]["token"]
    reviews = done(await demo.query(named(guide, "ReviewsToConsider"), token=colleague))["company"]["reviews"]["nodes"]
    first, second = (review["id"] for review in reviews)
    opening = named(guide, "OpenAPoll").replace("<first Review id>", first)
    poll = done(await demo.query(opening, token=colleague))["openRemovalPoll"]["poll"]
    vote = named(guide, "VoteToRemove").replace("<Poll id>", poll["id"])
    voted = done(await demo.query(vote, token=colleague))["castRemovalVote"]["poll"]
    assert voted["voterCount"] == 1 and voted["myVote"]["remove"] is True
    polls = done(await demo.query(named(guide, "Governance")))["company"]["removalPolls"]["nodes"]
    assert {"reason": "FAKE", "status": "OPEN", "vetoed": False, "voterCount": 1} in polls

    moderator = done(await demo.query(named(guide, "SignInAsModerator")))["signIn"]["token"]
    removal = named(guide, "RemoveAReview").replace("<second Review id>", second)
    removed = done(await demo.query(removal, token=moderator))["moderateContent"]["review"]
    assert removed["status"] == "REMOVED_BY_MODERATION" and removed["history"][-1]["actor"] == "MODERATOR"
    assert isinstance(done(await demo.query(named(guide, "ModerationQueue"), token=moderator))["moderationQueue"], list)


async def test_the_fit_and_credit_examples_run_on_the_demo(demo: Api):
    ranked = done(await demo.query(examples(ROOT / "docs" / "fit.md")[0]))["companies"]["edges"]
    assert ranked and all(edge["node"]["fit"]["score"] is not None for edge in ranked)
    sign_in = "mutation ($input: SignInInput!) { signIn(input: $input) { token } }"
    credentials = {"input": {"email": "member1@demo.workcred.test", "password": DEMO_PASSWORD}}
    member = done(await demo.query(sign_in, credentials))["signIn"]["token"]
    credit = done(await demo.query(examples(ROOT / "docs" / "career-credit.md")[0], token=member))
    assert credit["viewer"]["careerCredit"]["status"] in ("SCORED", "INSUFFICIENT_HISTORY")
