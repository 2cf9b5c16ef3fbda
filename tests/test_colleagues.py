"""The planted-colleague attack, played through the API by a patient company with the clock
moved: it knows its staff from HR, clones a reviewer's face into k−1 accounts with proven
addresses, verifies whom it likes, and waits. Counted colleagues (domain/colleagues.py) make it
wait for the company's inflow allowance, and `workcred report-inflow` names it meanwhile."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.api import Api
from tests.cli import workcred
from tests.reviewing import EDIT, age_accounts, ask_to_verify, representative, reviewer, submit

K = 5
SLUG = "acme-robotics"
# Start dates whose tenure bucket stays put over the two months the test moves
TARGET_JOB = {"job_function": "ENGINEERING", "location": "Shenzhen", "start": "2019-06-01"}
VERIFY = """mutation ($input: VerifyEmploymentInput!) { verifyEmployment(input: $input) {
  verification userErrors { code } } }"""
PRODUCTION_RULE = {  # as the CLI reads it
    "WORKCRED_K_ANONYMITY": str(K), "WORKCRED_COLLEAGUE_MIN_AGE_DAYS": "30", "WORKCRED_COLLEAGUE_INFLOW_MIN": "2",
}


@pytest.fixture
async def guarded_api(settings_with) -> AsyncIterator[Api]:
    """The app with the production rule: k = 5, colleagues counted after 30 days, at most
    max(2, 10 %) new ones a month per company; sessions outlive the months the test moves."""
    from app import create_app

    settings = settings_with(
        k_anonymity=K, colleague_min_age_days=30, colleague_inflow_share=0.1, colleague_inflow_min=2, token_ttl_days=365
    )
    async with Api.running(create_app(settings)) as api:
        yield api


@contextmanager
def days_later(days: float) -> Iterator[None]:
    with time_machine.travel(datetime.now(UTC) + timedelta(days=days)):
        yield


async def target_face(api: Api, token: str, review_id: str, title: str) -> dict:
    """The review's face after its author edits it (a face is chosen when the author writes)."""
    payload = await api.mutate("editReview", EDIT, {"reviewId": review_id, "title": title}, token)
    assert payload["userErrors"] == [], payload
    tenure = payload["review"]["tenure"]
    return {key: tenure[key] for key in ("employmentStatus", "tenure", "jobFunction", "location")}


def report_inflow(settings) -> tuple[int, str]:
    ran = workcred(settings.database_url, "report-inflow", **PRODUCTION_RULE)
    return ran.returncode, ran.stdout


async def test_clones_planted_faster_than_the_allowance_wait_months_to_move_a_face(guarded_api, settings):
    api = guarded_api
    # given six counted colleagues of long standing, all five to eight years in: the target, a
    # real colleague with the target's face, and four others in other functions and in Shanghai
    target, target_job = await reviewer(api, **TARGET_JOB)
    twin, twin_job = await reviewer(api, **TARGET_JOB)
    for function, start in (("DATA", "2020-01-01"), ("SALES", "2019-09-01"), ("DATA", "2021-01-01"),
                            ("LEGAL", "2020-06-01")):
        await reviewer(api, job_function=function, start=start)
    for token, job in ((target, target_job), (twin, twin_job)):
        await ask_to_verify(api, job, token)
    await age_accounts(days=200)
    review = (await submit(api, target, target_job))["review"]
    general = {key: review["tenure"][key] for key in ("employmentStatus", "tenure", "jobFunction", "location")}
    assert general == {  # any of the six could have written it
        "employmentStatus": "CURRENT", "tenure": "MORE_THAN_5_YEARS", "jobFunction": None, "location": None,
    }
    assert report_inflow(settings) == (0, "no company's new colleagues run over its inflow allowance\n")

    # when the company clones the target's face into k−1 accounts with proven addresses, each of
    # which asks to be verified, and verifies the target and its clones but not the twin
    rep = await representative(api, SLUG)
    clones = [await reviewer(api, **TARGET_JOB) for _ in range(K - 1)]
    for token, job in clones:
        await ask_to_verify(api, job, token)
    for job in (target_job, *(job for _, job in clones)):
        payload = await api.mutate("verifyEmployment", VERIFY, {"employmentId": job, "decision": "VERIFIED"}, rep)
        assert payload["userErrors"] == [], payload

    # then selective verification moves nothing; nor do the clones once their claims are a month
    # old (two of four let in: the allowance at six colleagues), nor on the 59th day
    assert await target_face(api, target, review["id"], "now") == general
    for days in (31, 45, 59.9):
        with days_later(days):
            assert await target_face(api, target, review["id"], f"day {days}") == general
            code, listing = report_inflow(settings)
            assert code == 1 and SLUG in listing, listing  # the operator is warned meanwhile
            assert f"{SLUG:<40} {6 + 2:>8} {2:>10}" in listing
    # and only from the 60th day, when the allowance has let them all in, can the face narrow
    with days_later(60.1):
        assert await target_face(api, target, review["id"], "day 60") == {
            "employmentStatus": "CURRENT", "tenure": "MORE_THAN_5_YEARS", "jobFunction": "ENGINEERING",
            "location": "Shenzhen",
        }
        assert report_inflow(settings)[0] == 0
