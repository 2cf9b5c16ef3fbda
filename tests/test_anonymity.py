"""Attacks on reviewer anonymity, played through the public API by the reviewed company.

The company knows every job claimed there (`verificationRequests`), may verify and dispute
them, may run sock-puppet accounts, and reads everything public. Whatever it does, no review
may be pinned on fewer than k members — the property every test here asserts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from domain.anonymity import ClaimedJob, safe_face
from domain.enums import JobFunction
from tests.api import Api
from tests.cli import workcred
from tests.reviewing import (
    EDIT,
    HELPFUL,
    RESPOND,
    WITHDRAW,
    age_accounts,
    ask_to_verify,
    representative,
    reviewer,
    submit,
)
from tests.test_employment import ADD, UPDATE

K = 5
SLUG = "acme-robotics"
FACES = """query ($after: String) { company(slug: "acme-robotics") { reviews(first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id overall createdAt updatedAt
    tenure { employmentStatus tenure verified jobFunction location lastYear withheld } } } } } }"""
CLAIMS = """query ($after: String) { company(slug: "acme-robotics") { verificationRequests(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { employmentId memberDisplayName jobFunction location startDate endDate verification } } } } }"""
REVIEW_DAY = """query ($id: ID!) { node(id: $id) { ... on Review { createdAt title } } }"""
PRODUCTION_RULE = {"WORKCRED_K_ANONYMITY": str(K), "WORKCRED_COLLEAGUE_MIN_AGE_DAYS": "30"}  # as the CLI reads it
VERIFY = """mutation ($input: VerifyEmploymentInput!) { verifyEmployment(input: $input) {
  verification userErrors { code } } }"""


@pytest.fixture
async def private_api(settings_with) -> AsyncIterator[Api]:
    """The app with the production anonymity rule: k = 5, colleagues counted after 30 days (and
    sessions that outlive the month some tests move the clock)."""
    from app import create_app

    settings = settings_with(k_anonymity=K, colleague_min_age_days=30, token_ttl_days=365)
    async with Api.running(create_app(settings)) as api:
        yield api


async def pages(api: Api, document: str, token: str | None, field: str) -> list[dict]:
    nodes, after = [], None
    while True:
        data = (await api.query(document, {"after": after}, token=token)).data["company"][field]
        nodes += [edge["node"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return nodes
        after = data["pageInfo"]["endCursor"]


async def faces(api: Api) -> dict[str, dict]:
    return {review["id"]: review["tenure"] for review in await pages(api, FACES, None, "reviews")}


async def plausible_authors(api: Api, rep: str) -> dict[str, set[str]]:
    """The company's best guess: for each review, the members (by display name) whose claimed
    jobs could be behind its face — replaying the face rule for each candidate, as an adversary
    who knows the rule would."""
    claims = await pages(api, CLAIMS, rep, "verificationRequests")
    names = sorted({c["memberDisplayName"] for c in claims})
    jobs = [
        ClaimedJob(
            names.index(c["memberDisplayName"]),
            date.fromisoformat(c["startDate"]),
            date.fromisoformat(c["endDate"]) if c["endDate"] else None,
            JobFunction(c["jobFunction"]),
            c["location"],
        )
        for c in claims
    ]
    guesses = {}
    for review in await pages(api, FACES, None, "reviews"):
        as_of = date.fromisoformat((review["updatedAt"] or review["createdAt"])[:10])
        shown = review["tenure"]
        guesses[review["id"]] = {
            names[job.member_id]
            for job in jobs
            if (face := safe_face(job, jobs, as_of, K)) is not None
            and {
                "employmentStatus": face.employment_status,
                "tenure": face.tenure,
                "jobFunction": face.job_function,
                "location": face.location,
                "lastYear": face.last_year,
            }
            == {key: shown[key] for key in ("employmentStatus", "tenure", "jobFunction", "location", "lastYear")}
        }
    return guesses


def assert_nobody_singled_out(guesses: dict[str, set[str]]) -> None:
    for review_id, candidates in guesses.items():
        assert len(candidates) >= K, f"review {review_id} narrowed to {sorted(candidates)}"


async def colleague(api: Api, job_function: str = "ENGINEERING", **job) -> tuple[str, str]:
    """A member with a job at the company (in Shanghai, like everyone here)."""
    return await reviewer(api, job_function=job_function, **job)


async def test_verifying_and_disputing_never_changes_what_a_review_shows(private_api):
    # given ten established engineers, one of whom the company verified, and their reviews
    members = [await colleague(private_api, start=f"201{n % 8}-03-01") for n in range(10)]
    for token, job in members:
        await ask_to_verify(private_api, job, token)
    rep = await representative(private_api, SLUG)
    await age_accounts()
    for token, job in members[:6]:
        assert (await submit(private_api, token, job))["userErrors"] == []
    before = await faces(private_api)
    # when the company disputes, then verifies, each job in turn, re-reading after every step
    for _, job in members:
        for decision in ("DISPUTED", "VERIFIED"):
            await private_api.mutate("verifyEmployment", VERIFY, {"employmentId": job, "decision": decision}, rep)
            # then no review's face moved, so no flip links a review to a job
            assert await faces(private_api) == before


async def test_the_claimed_jobs_list_never_pins_a_review_on_one_member(private_api):
    # given a company whose colleagues differ in function, tenure and current/former
    profiles = [("ENGINEERING", "2015-01-01", None)] * 6 + [("DATA", "2022-05-01", None)] * 2 + [
        ("SALES", "2016-01-01", "2023-08-31")
    ] * 3 + [("LEGAL", "2024-01-01", None)]
    members = [await colleague(private_api, job_function=f, start=s, end=e) for f, s, e in profiles]
    for token, job in members:  # every one of them sent their job: the company sees them all
        await ask_to_verify(private_api, job, token)
    rep = await representative(private_api, SLUG)
    await age_accounts()
    # when each of them reviews
    published = 0
    for token, job in members:
        payload = await submit(private_api, token, job)
        published += payload["review"] is not None
    # then the company, matching each face against every claimed job, finds k or more suspects
    assert published == len(members)  # generalising, not hiding everything
    assert_nobody_singled_out(await plausible_authors(private_api, rep))


async def test_sock_puppets_neither_count_towards_k_nor_reveal_other_faces(private_api):
    # given established colleagues: five engineers, three data scientists, two in sales;
    # one data scientist reviews, and too few share that function for the face to show it
    for function, count in (("ENGINEERING", 5), ("DATA", 2), ("SALES", 2)):
        for _ in range(count):
            await colleague(private_api, job_function=function, start="2018-01-01")
    author, author_job = await colleague(private_api, job_function="DATA", start="2018-01-01")
    await age_accounts()
    payload = await submit(private_api, author, author_job)
    assert payload["review"]["tenure"]["jobFunction"] is None
    before = await faces(private_api)
    # when the company's fresh sock puppets claim data jobs and review, cycling their own
    # job's function and re-editing, as the earlier attack did
    socks = [await colleague(private_api, job_function="DATA", start="2018-01-01") for _ in range(4)]
    for token, job in socks:
        await submit(private_api, token, job)
    for token, job in socks:
        for function in ("DATA", "ENGINEERING", "DATA"):
            await private_api.mutate("updateEmployment", UPDATE, {"employmentId": job, "jobFunction": function}, token)
            mine = (await private_api.query("{ viewer { reviews { edges { node { id } } } } }", token=token)).data
            for edge in mine["viewer"]["reviews"]["edges"]:
                await private_api.mutate("editReview", EDIT, {"reviewId": edge["node"]["id"], "title": function}, token)
    # then the data scientist's review shows exactly what it showed before
    after = await faces(private_api)
    assert {rid: after[rid] for rid in before} == before
    # and filtering by the withheld function does not find it either
    response = await private_api.query(
        '{ company(slug: "acme-robotics") { reviews(filter: {jobFunction: DATA}) { edges { node { id } } } } }'
    )
    found = {e["node"]["id"] for e in response.data["company"]["reviews"]["edges"]}
    assert payload["review"]["id"] not in found


HELD_READS = """query ($id: ID!) { node(id: $id) { id } company(slug: "acme-robotics") {
  reviews { totalCount } unansweredReviewCount } }"""


async def preview(api: Api, employment_id: str, token: str) -> dict | None:
    response = await api.query(
        "query ($id: ID!) { reviewFacePreview(employmentId: $id) { held tenure { employmentStatus jobFunction } } }",
        {"id": employment_id}, token=token,
    )
    return response.data["reviewFacePreview"]


async def test_a_review_no_face_can_hide_is_held_seen_by_its_author_only_and_published_later(private_api, settings):
    # given the only member of a small company (and a fresh account: not counted)
    token, job = await colleague(private_api)
    await age_accounts()
    await colleague(private_api)
    rep = await representative(private_api, SLUG)
    # the preview says so before they write; it shows nothing of another's job
    assert await preview(private_api, job, token) == {"held": True, "tenure": None}
    assert await preview(private_api, job, rep) is None
    # when they review, then the review is held, not refused — and kept as written
    review = (await submit(private_api, token, job))["review"]
    assert (review["status"], review["title"], review["tenure"]) == ("HELD", "Great pay, long hours", None)
    mine = await private_api.query("{ viewer { reviews { edges { node { id status } } } } }", token=token)
    assert mine.data["viewer"]["reviews"]["edges"] == [{"node": {"id": review["id"], "status": "HELD"}}]
    # and to anyone else it does not exist: no node, no count, no status to filter by, nothing
    # to answer, mark or poll
    for reader in (None, rep):
        read = await private_api.query(HELD_READS, {"id": review["id"]}, token=reader)
        assert read.data == {"node": None, "company": {"reviews": {"totalCount": 0}, "unansweredReviewCount": 0}}
    held = await private_api.query('{ company(slug: "acme-robotics") { reviews(filter: {status: HELD}) { totalCount } } }')
    assert held.error_codes == ["BAD_USER_INPUT"]
    answer = await private_api.mutate("respondToReview", RESPOND, {"reviewId": review["id"], "body": "Hi"}, rep)
    assert [e["code"] for e in answer["userErrors"]] == ["NOT_FOUND"]
    marked = await private_api.mutate("markReviewHelpful", HELPFUL, {"reviewId": review["id"]}, rep)
    assert [e["code"] for e in marked["userErrors"]] == ["NOT_FOUND"]
    # and its author may edit it meanwhile (it stays held)
    edited = await private_api.mutate("editReview", EDIT, {"reviewId": review["id"], "title": "Still true"}, token)
    assert (edited["review"]["status"], edited["review"]["title"]) == ("HELD", "Still true")
    # when four more colleagues arrive and, a month on, count, then one release run publishes it
    for _ in range(K - 1):
        await colleague(private_api)
    assert workcred(settings.database_url, "release-held-reviews", **PRODUCTION_RULE).stdout == "published 0 held review(s)\n"
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        shown = await preview(private_api, job, token)
        assert shown is not None and shown["tenure"]["employmentStatus"] == "CURRENT"
        ran = workcred(settings.database_url, "release-held-reviews", **PRODUCTION_RULE)
        assert ran.stdout == "published 1 held review(s)\n"
        published = await faces(private_api)
        # on the day it was published: the face was judged against the colleagues counted then
        [(review_id, face)] = published.items()
        assert review_id == review["id"] and face["employmentStatus"] == "CURRENT"
        read = await private_api.query(REVIEW_DAY, {"id": review["id"]})
        assert read.data["node"]["createdAt"] == f"{datetime.now(UTC).date()}T00:00:00+00:00"
        assert read.data["node"]["title"] == "Still true"


async def test_withdrawing_a_held_review_leaves_nothing_and_frees_the_member_to_write_again(private_api):
    token, job = await colleague(private_api)
    review = (await submit(private_api, token, job))["review"]
    assert review["status"] == "HELD"
    gone = await private_api.mutate("withdrawReview", WITHDRAW, {"reviewId": review["id"]}, token)
    assert gone["review"]["status"] == "WITHDRAWN"
    assert (await private_api.query("{ viewer { reviews { totalCount } } }", token=token)).data == {
        "viewer": {"reviews": {"totalCount": 0}}
    }
    assert (await submit(private_api, token, job))["review"]["status"] == "HELD"


async def test_the_companys_own_representatives_never_count_as_colleagues(private_api):
    # given four established engineers and a representative who also claims an engineering job
    members = [await colleague(private_api) for _ in range(4)]
    rep_token, _ = await colleague(private_api)
    viewer = (await private_api.query("{ viewer { member { email } } }", token=rep_token)).data["viewer"]
    from domain.enums import CompanyRoleKind
    from workcred.roles import grant_role

    await grant_role(SLUG, viewer["member"]["email"], CompanyRoleKind.REPRESENTATIVE)
    await age_accounts()
    # then the four are too few to hide anyone: a review is held
    token, job = members[0]
    assert (await submit(private_api, token, job))["review"]["status"] == "HELD"


async def test_rewriting_a_verified_job_unverifies_it(private_api):
    # given an established member whose job the company verified
    token, job = await colleague(private_api, start="2016-01-01")
    rep = await representative(private_api, SLUG)
    await ask_to_verify(private_api, job, token)
    await private_api.mutate("verifyEmployment", VERIFY, {"employmentId": job, "decision": "VERIFIED"}, rep)
    credit = "{ viewer { careerCredit { score } } }"
    verified_score = (await private_api.query(credit, token=token)).data["viewer"]["careerCredit"]["score"]
    # when the member rewrites what the company vouched for
    for change in ({"startDate": "2010-01-01", "positions": [{"title": "Director", "level": 9, "startDate": "2010-01-01"}]},
                   {"jobFunction": "MANAGEMENT"}):
        if (await private_api.query("{ viewer { employments { verification } } }", token=token)).data["viewer"][
                "employments"][0]["verification"] == "UNVERIFIED":
            await ask_to_verify(private_api, job, token)
        await private_api.mutate("verifyEmployment", VERIFY, {"employmentId": job, "decision": "VERIFIED"}, rep)
        payload = await private_api.mutate("updateEmployment", UPDATE, {"employmentId": job, **change}, token)
        # then the job is unverified again, in the same write
        assert payload["employment"]["verification"] == "UNVERIFIED"
    # and it is the member's alone again (until they ask anew), and the credit lost the badge
    claims = await pages(private_api, CLAIMS, rep, "verificationRequests")
    assert [c for c in claims if c["employmentId"] == job] == []
    assert (await private_api.query(credit, token=token)).data["viewer"]["careerCredit"]["score"] != verified_score
    # while a change the verification did not vouch for keeps it
    await ask_to_verify(private_api, job, token)
    await private_api.mutate("verifyEmployment", VERIFY, {"employmentId": job, "decision": "VERIFIED"}, rep)
    payload = await private_api.mutate("updateEmployment", UPDATE, {"employmentId": job, "location": "Hefei"}, token)
    assert payload["employment"]["verification"] == "VERIFIED"


RECORD = """{ company(slug: "acme-robotics") { record { membersWhoWorkedThere formerMembers
  medianCompletedTenureMonths earlyAttrition } } }"""


async def test_one_account_with_many_short_stints_cannot_poison_the_company_record(private_api):
    # given five former colleagues (k of them: the record shows its figures) who stayed 13 to 30 months
    for start, end in [("2018-01-01", "2019-02-01"), ("2017-01-01", "2019-07-01"), ("2016-01-01", "2018-07-01"),
                       ("2015-01-01", "2017-07-01"), ("2014-01-01", "2016-07-01")]:
        await colleague(private_api, start=start, end=end)
    await age_accounts()
    before = (await private_api.query(RECORD)).data["company"]["record"]
    # when one fresh account claims ten one-month stints there
    token = await private_api.member()
    for month in range(1, 11):
        start = f"2020-{month:02d}-01"
        payload = await private_api.mutate("addEmployment", ADD, {
            "companyName": "Acme Robotics", "jobFunction": "ENGINEERING", "location": "Shanghai",
            "startDate": start, "endDate": f"2020-{month:02d}-27",
            "positions": [{"title": "Temp", "level": 1, "startDate": start}]}, token)
        assert payload["userErrors"] == [], payload
    after = (await private_api.query(RECORD)).data["company"]["record"]
    # then the count does not move (one member more is under a step of k), nor do the tenure
    # figures (established members only)
    assert after["membersWhoWorkedThere"] == before["membersWhoWorkedThere"] == 5
    assert after["medianCompletedTenureMonths"] == before["medianCompletedTenureMonths"] == 30
    assert after["earlyAttrition"] == before["earlyAttrition"] == 0
    # and once established it counts as one member who stayed ten months in all
    await age_accounts()
    settled = (await private_api.query(RECORD)).data["company"]["record"]
    assert settled["earlyAttrition"] == pytest.approx(1 / 6)
    assert settled["medianCompletedTenureMonths"] == 30


async def test_a_withdrawn_review_shows_no_scores_and_cannot_be_probed_for_them(api):
    token, job = await reviewer(api)
    review = (await submit(api, token, job, overall=2, ratings=[{"dimension": "GROWTH", "score": 1}]))["review"]
    await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review["id"]}, token)
    read = (await api.query(
        '{ company(slug: "acme-robotics") { reviews(filter: {status: WITHDRAWN}) { totalCount edges { node {'
        " overall ratings { score } tenure { tenure } title statusReason } } } } }"
    )).data["company"]["reviews"]
    assert read["totalCount"] == 1
    assert read["edges"][0]["node"] == {
        "overall": None, "ratings": [], "tenure": None,
        "title": "Withdrawn by its author", "statusReason": "Withdrawn by its author.",
    }
    # score filters and score orders on reviews no longer published are refused, not answered
    for arguments in (
        "filter: {status: WITHDRAWN, minOverall: 2}",
        "filter: {status: WITHDRAWN, dimensionMinimums: [{dimension: GROWTH, minimum: 1}]}",
        "filter: {status: WITHDRAWN, jobFunction: ENGINEERING}",
        "filter: {status: WITHDRAWN}, orderBy: LOWEST",
    ):
        response = await api.query(f'{{ company(slug: "acme-robotics") {{ reviews({arguments}) {{ totalCount }} }} }}')
        assert response.error_codes == ["BAD_USER_INPUT"], arguments


async def test_review_times_are_dates(api):
    token, job = await reviewer(api)
    review = (await submit(api, token, job))["review"]
    assert review["createdAt"].endswith("T00:00:00+00:00")


async def test_the_full_face_found_a_batch_at_a_time_is_the_same_face(private_api, monkeypatch):
    # given colleagues read one at a time (as at a large company, where k of them are found in
    # the first batch and the rest never read)
    monkeypatch.setattr("resolvers.anonymity.FULL_FACE_BATCH", 1)
    # then the faces chosen still keep every author among k plausible ones
    await test_sock_puppets_neither_count_towards_k_nor_reveal_other_faces(private_api)


async def test_the_server_publishes_held_reviews_on_its_own_release_run(settings_with):
    from app import create_app
    from resolvers.clock import jumped

    settings = settings_with(k_anonymity=K, colleague_min_age_days=30, release_held_seconds=300)
    async with Api.running(create_app(settings)) as api:
        # given a held review, and the colleagues that will hide its author once counted
        token, job = await colleague(api)
        review = (await submit(api, token, job))["review"]
        for _ in range(K - 1):
            await colleague(api)
        # when a month passes, and the server's next run is due
        with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
            jumped()  # its wait looks at the clock again
            # then the server published it, with no command run
            for _ in range(500):
                if (await api.query(REVIEW_DAY, {"id": review["id"]})).data["node"] is not None:
                    break
                await asyncio.sleep(0.01)  # the run's own writes, not time, are awaited
            assert (await faces(api)).keys() == {review["id"]}


async def test_an_author_may_show_less_than_the_rule_allows_and_an_edit_keeps_it(private_api):
    # given six counted engineers in Shanghai: the rule would show function and city
    members = [await colleague(private_api, start="2018-03-01") for _ in range(6)]
    await age_accounts()
    (plain, plain_job), (shy, shy_job) = members[:2]
    shown = (await submit(private_api, plain, plain_job))["review"]["tenure"]
    assert (shown["jobFunction"], shown["location"]) == ("ENGINEERING", "Shanghai")
    # when another writes withholding the function and city, then neither shows
    review = (await submit(private_api, shy, shy_job, withhold=["JOB_FUNCTION", "LOCATION"]))["review"]
    assert (review["tenure"]["jobFunction"], review["tenure"]["location"]) == (None, None)
    assert {"JOB_FUNCTION", "LOCATION"} <= set(review["tenure"]["withheld"])
    assert review["tenure"]["employmentStatus"] == shown["employmentStatus"]  # the rest as allowed
    # and an edit keeps what the author withheld
    edited = await private_api.mutate("editReview", EDIT, {"reviewId": review["id"], "title": "Edited"}, shy)
    assert (edited["review"]["tenure"]["jobFunction"], edited["review"]["tenure"]["location"]) == (None, None)


COMPANY_READS = """{ company(slug: "acme-robotics") {
  verificationRequests(first: 100) { edges { node { employmentId memberDisplayName } } }
  sharedCareerCredits(first: 100) { totalCount }
  record { membersWhoWorkedThere verifiedMembers formerMembers medianCompletedTenureMonths earlyAttrition
    reviewCount responseRate medianResponseTimeDays }
  reviews(first: 100) { totalCount edges { node { id tenure { employmentStatus tenure jobFunction location withheld } } } }
  ratings { overall { count } } ratingTrend { label count } unansweredReviewCount
  governance { pollsOpened removedByVote appealsReceived } removalPolls(first: 10) { totalCount } } }"""


PUBLIC_PAGE = """{ company(slug: "acme-robotics") {
  record { membersWhoWorkedThere verifiedMembers formerMembers medianCompletedTenureMonths earlyAttrition }
  reviews(first: 100) { totalCount edges { node { id tenure { employmentStatus tenure } } } }
  ratings { overall { count } } governance { pollsOpened } removalPolls(first: 10) { totalCount } } }"""


async def test_how_fresh_a_cached_page_is_never_tells_the_company_a_member_recorded_a_job(private_api):
    # given the company's public page, which the company reads anonymously, again and again
    members = [await colleague(private_api, start=f"201{n % 8}-03-01") for n in range(10)]
    await age_accounts()
    for token, job in members[:5]:
        assert (await submit(private_api, token, job))["userErrors"] == []

    async def read(**headers: str):
        return await private_api.client.get("/graphql", params={"query": PUBLIC_PAGE}, headers=headers)

    await read()
    kept = await read()
    assert kept.headers["x-cache"] == "hit"
    # when the new hire HR just announced records the job and changes it, and the company names
    # a representative (writes its page does not show)
    token, job = await colleague(private_api, start="2026-11-02")
    await private_api.mutate("updateEmployment", UPDATE, {"employmentId": job, "jobFunction": "MANAGEMENT"}, token)
    await representative(private_api, SLUG)
    # then the page answers exactly as before: from the cache, with the same ETag (a 304 to it)
    again = await read()
    assert (again.headers["x-cache"], again.headers["etag"], again.text) == ("hit", kept.headers["etag"], kept.text)
    assert (await read(**{"If-None-Match": kept.headers["etag"]})).status_code == 304
    # while a review, which the page shows, is seen by the next read
    token, job = members[5]
    assert (await submit(private_api, token, job))["userErrors"] == []
    shown = await read()
    assert shown.headers["x-cache"] == "miss" and shown.json()["data"]["company"]["reviews"]["totalCount"] == 6


async def test_a_member_who_never_asks_changes_nothing_the_company_reads(private_api):
    # given ten counted colleagues of long standing, five of whom reviewed, none of whom asked the
    # company to verify anything, and the company's own view of itself
    members = [await colleague(private_api, start=f"201{n % 8}-03-01") for n in range(10)]
    await age_accounts()
    for token, job in members[:5]:
        assert (await submit(private_api, token, job))["userErrors"] == []
    rep = await representative(private_api, SLUG)
    before = (await private_api.query(COMPANY_READS, token=rep)).data
    assert before["company"]["verificationRequests"]["edges"] == []
    assert before["company"]["record"]["membersWhoWorkedThere"] == 10
    # when the new hire HR just announced joins workcred and records the job (never asking)
    await colleague(private_api, start="2026-11-02")
    # then every read path of the company shows exactly what it showed: the day it happens, and
    # a month on, once the new member counts as a colleague too
    assert (await private_api.query(COMPANY_READS, token=rep)).data == before
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        assert (await private_api.query(COMPANY_READS, token=rep)).data == before
