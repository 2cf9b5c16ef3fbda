"""Career credit through the API: the owner's profile, privacy, sharing, employer verification."""

from __future__ import annotations

from domain.enums import CompanyRoleKind
from tests.api import pk
from tests.databases import fetch
from tests.reviewing import (
    CANCEL_REQUEST,
    REQUEST_VERIFICATION,
    ask_to_verify,
    counting_statements,
    representative,
    reviewer,
)
from workcred.roles import grant_role

CREDIT = """{ viewer { careerCredit { status score band reasonCodes positives percentile computedAt
  factors { factor score weight explanation } } } }"""
VERIFY = """mutation ($input: VerifyEmploymentInput!) { verifyEmployment(input: $input) {
  employmentId verification userErrors { field code message } } }"""
SHARE = """mutation ($input: CareerCreditShareInput!) { shareCareerCredit(input: $input) {
  share { company { slug } sharedAt } userErrors { field code message } } }"""
REVOKE = """mutation ($input: CareerCreditShareInput!) { revokeCareerCreditShare(input: $input) {
  revoked userErrors { field code message } } }"""
SHARED = """query ($slug: String!) { company(slug: $slug) { sharedCareerCredits { totalCount
  edges { node { memberDisplayName sharedAt careerCredit { score band factors { factor } } } } } } }"""
REQUESTS = """query ($slug: String!) { company(slug: $slug) { verificationRequests { totalCount
  edges { node { employmentId memberDisplayName jobFunction title verification } } } } }"""


async def credit_of(api, token):
    return (await api.query(CREDIT, token=token)).data["viewer"]["careerCredit"]


async def test_the_owner_sees_an_explained_score(api):
    token, _ = await reviewer(api, start="2015-01-01")
    credit = await credit_of(api, token)
    assert credit["status"] == "SCORED"
    assert 300 <= credit["score"] <= 850 and credit["band"] in {"POOR", "FAIR", "GOOD", "VERY_GOOD", "EXCEPTIONAL"}
    assert [f["factor"] for f in credit["factors"]] == [
        "STABILITY", "PROGRESSION", "EXPERIENCE", "VERIFICATION", "EMPLOYER_REPUTATION"]
    assert sum(f["weight"] for f in credit["factors"]) == 1
    assert all(f["explanation"] for f in credit["factors"])
    assert "UNVERIFIED_HISTORY" in credit["reasonCodes"] and credit["computedAt"]


async def test_no_history_means_insufficient_history_not_a_score(api):
    credit = await credit_of(api, await api.member())
    assert credit["status"] == "INSUFFICIENT_HISTORY"
    assert credit["score"] is None and credit["band"] is None and credit["factors"] == []


async def test_the_stored_score_moves_with_the_history_in_the_same_write(api, settings):
    token, employment_id = await reviewer(api, start="2016-01-01")
    live = (await credit_of(api, token))["score"]
    member_id = fetch(settings.database_url, "SELECT member_id FROM employment WHERE id = "
                      f"{await pk(employment_id, 'Employment')}")[0][0]
    [(stored,)] = fetch(settings.database_url, f"SELECT score FROM stored_credit WHERE member_id = {member_id}")
    assert stored == live
    await api.mutate("addCareerBreak", """mutation ($input: AddCareerBreakInput!) {
        addCareerBreak(input: $input) { userErrors { code } } }""",
        {"kind": "EDUCATION", "startDate": "2014-01-01", "endDate": "2015-06-30"}, token)
    [(computed_twice,)] = fetch(settings.database_url,
                                f"SELECT COUNT(*) FROM stored_credit WHERE member_id = {member_id}")
    assert computed_twice == 1


async def test_nobody_else_reaches_a_members_credit(api):
    token, _ = await reviewer(api, start="2015-01-01")
    member_id = (await api.query("{ viewer { member { id } } }", token=token)).data["viewer"]["member"]["id"]
    # anonymous readers have no viewer, and another member's node is null
    assert (await api.query(CREDIT)).data == {"viewer": None}
    other = await api.member()
    node = await api.query('query ($id: ID!) { node(id: $id) { id } }', {"id": member_id}, token=other)
    assert node.data == {"node": None}
    # a plain member, and the company's representative before any share, see nothing
    assert (await api.query(SHARED, {"slug": "acme-robotics"}, token=other)).error_codes == ["FORBIDDEN"]
    rep = await representative(api, "acme-robotics")
    shared = (await api.query(SHARED, {"slug": "acme-robotics"}, token=rep)).data
    assert shared["company"]["sharedCareerCredits"]["totalCount"] == 0
    # and the schema offers no other road to a CareerCredit
    types = await api.query("{ __schema { types { name fields { name type { name ofType { name } } } } } }")
    holders = {
        (t["name"], f["name"])
        for t in types.data["__schema"]["types"] if not t["name"].startswith("__")
        for f in t["fields"] or []
        if "CareerCredit" in {f["type"]["name"], (f["type"]["ofType"] or {}).get("name")}
    }
    assert holders == {("Viewer", "careerCredit"), ("SharedCareerCredit", "careerCredit")}


async def test_share_then_revoke(api):
    token, _ = await reviewer(api, start="2015-01-01")
    await reviewer(api, company="Other Corp")
    rep = await representative(api, "acme-robotics")
    rival = await representative(api, "other-corp")
    shared = await api.mutate("shareCareerCredit", SHARE, {"companySlug": "acme-robotics"}, token)
    assert shared["userErrors"] == [] and shared["share"]["company"] == {"slug": "acme-robotics"}
    # the company's representative sees it, with the same score the owner sees
    seen = (await api.query(SHARED, {"slug": "acme-robotics"}, token=rep)).data["company"]["sharedCareerCredits"]
    assert seen["totalCount"] == 1
    assert seen["edges"][0]["node"]["careerCredit"]["score"] == (await credit_of(api, token))["score"]
    # another company's representative does not, through either company
    assert (await api.query(SHARED, {"slug": "acme-robotics"}, token=rival)).error_codes == ["FORBIDDEN"]
    theirs = (await api.query(SHARED, {"slug": "other-corp"}, token=rival)).data
    assert theirs["company"]["sharedCareerCredits"]["totalCount"] == 0
    # after revoking, nobody does
    revoked = await api.mutate("revokeCareerCreditShare", REVOKE, {"companySlug": "acme-robotics"}, token)
    assert revoked == {"revoked": True, "userErrors": []}
    after = (await api.query(SHARED, {"slug": "acme-robotics"}, token=rep)).data["company"]["sharedCareerCredits"]
    assert after["totalCount"] == 0
    again = await api.mutate("revokeCareerCreditShare", REVOKE, {"companySlug": "acme-robotics"}, token)
    assert [e["code"] for e in again["userErrors"]] == ["NOT_SHARED"]
    # sharing again restores it
    await api.mutate("shareCareerCredit", SHARE, {"companySlug": "acme-robotics"}, token)
    listed = (await api.query("{ viewer { careerCreditShares { company { slug } } } }", token=token)).data
    assert listed["viewer"]["careerCreditShares"] == [{"company": {"slug": "acme-robotics"}}]


async def test_sharing_with_an_unknown_company_is_refused(api):
    token = await api.member()
    payload = await api.mutate("shareCareerCredit", SHARE, {"companySlug": "nope"}, token)
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["companySlug"], "COMPANY_NOT_FOUND")]


async def test_the_company_sees_a_job_only_once_its_member_asks_and_then_verifies_it(api):
    token, employment_id = await reviewer(api, start="2015-01-01")
    before = await credit_of(api, token)
    rep = await representative(api, "acme-robotics")
    # a job nobody sent is the member's alone: not listed, not verifiable
    assert (await api.query(REQUESTS, {"slug": "acme-robotics"}, token=rep)).data["company"][
        "verificationRequests"]["edges"] == []
    unsent = await api.mutate("verifyEmployment", VERIFY, {"employmentId": employment_id, "decision": "VERIFIED"}, rep)
    assert [e["code"] for e in unsent["userErrors"]] == ["NOT_FOUND"]
    # once the member asks, the company sees it, with their name, and answers
    await ask_to_verify(api, employment_id, token)
    requests = (await api.query(REQUESTS, {"slug": "acme-robotics"}, token=rep)).data
    node = requests["company"]["verificationRequests"]["edges"][0]["node"]
    assert node["employmentId"] == employment_id and node["verification"] == "REQUESTED"
    assert node["title"] == "Member of staff"
    payload = await api.mutate("verifyEmployment", VERIFY, {"employmentId": employment_id, "decision": "VERIFIED"}, rep)
    assert payload == {"employmentId": employment_id, "verification": "VERIFIED", "userErrors": []}
    after = await credit_of(api, token)
    assert after["score"] > before["score"]
    assert "UNVERIFIED_HISTORY" not in after["reasonCodes"]
    jobs = (await api.query("{ viewer { employments { verification } } }", token=token)).data
    assert jobs["viewer"]["employments"] == [{"verification": "VERIFIED"}]


async def test_verification_by_anyone_but_that_companys_representative_is_refused(api):
    token, employment_id = await reviewer(api)
    await reviewer(api, company="Other Corp")
    rival = await representative(api, "other-corp")
    missing = VERIFY_INPUT_FOR_MISSING_JOB
    for who in (rival, await api.member(), token):
        # a stranger cannot tell an existing job from a missing one
        for job in (employment_id, missing):
            payload = await api.mutate("verifyEmployment", VERIFY, {"employmentId": job, "decision": "VERIFIED"}, who)
            assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    # the company's own list stays its own; the rest of the page is still served
    response = await api.query(REQUESTS, {"slug": "acme-robotics"}, token=rival)
    assert response.error_codes == ["FORBIDDEN"]
    assert response.body["data"] == {"company": {"verificationRequests": None}}


VERIFY_INPUT_FOR_MISSING_JOB = "RW1wbG95bWVudDo5OTk5OTk="  # Employment:999999


async def test_a_request_taken_back_before_the_answer_makes_the_job_private_again(api):
    token, employment_id = await reviewer(api)
    rep = await representative(api, "acme-robotics")
    await ask_to_verify(api, employment_id, token)
    again = await api.mutate("requestVerification", REQUEST_VERIFICATION, {"employmentId": employment_id}, token)
    assert [e["code"] for e in again["userErrors"]] == ["NOT_REQUESTABLE"]
    cancelled = await api.mutate("cancelVerificationRequest", CANCEL_REQUEST, {"employmentId": employment_id}, token)
    assert cancelled == {"employmentId": employment_id, "verification": "UNVERIFIED", "userErrors": []}
    assert (await api.query(REQUESTS, {"slug": "acme-robotics"}, token=rep)).data["company"][
        "verificationRequests"]["edges"] == []
    twice = await api.mutate("cancelVerificationRequest", CANCEL_REQUEST, {"employmentId": employment_id}, token)
    assert [e["code"] for e in twice["userErrors"]] == ["NOT_REQUESTED"]
    # someone else's job, or no job, is nobody's to ask about
    stranger = await api.member()
    for job in (employment_id, "bm9wZQ=="):
        refused = await api.mutate("requestVerification", REQUEST_VERIFICATION, {"employmentId": job}, stranger)
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    # and an address not yet proven cannot ask
    unproven = await api.member(verified=False)
    refused = await api.mutate("requestVerification", REQUEST_VERIFICATION, {"employmentId": employment_id}, unproven)
    assert [e["code"] for e in refused["userErrors"]] == ["EMAIL_NOT_VERIFIED"]


async def test_a_representative_cannot_verify_their_own_job(api):
    # given a member with a job at the company who is also its representative, who sent it
    token, employment_id = await reviewer(api)
    await ask_to_verify(api, employment_id, token)
    viewer = (await api.query("{ viewer { member { email } } }", token=token)).data["viewer"]["member"]
    await grant_role("acme-robotics", viewer["email"], CompanyRoleKind.REPRESENTATIVE)
    # when they verify their own job, then it is refused
    payload = await api.mutate("verifyEmployment", VERIFY, {"employmentId": employment_id, "decision": "VERIFIED"}, token)
    assert [e["code"] for e in payload["userErrors"]] == ["OWN_EMPLOYMENT"]


async def test_a_disputed_job_counts_as_unverified(api):
    token, employment_id = await reviewer(api, start="2015-01-01")
    rep = await representative(api, "acme-robotics")
    await ask_to_verify(api, employment_id, token)
    await api.mutate("verifyEmployment", VERIFY, {"employmentId": employment_id, "decision": "VERIFIED"}, rep)
    verified = await credit_of(api, token)
    payload = await api.mutate("verifyEmployment", VERIFY, {"employmentId": employment_id, "decision": "DISPUTED"}, rep)
    assert payload["verification"] == "DISPUTED"
    assert (await credit_of(api, token))["score"] < verified["score"]


async def test_unknown_employment_ids_are_not_found(api):
    rep = await api.member()
    payload = await api.mutate("verifyEmployment", VERIFY, {"employmentId": "bm9wZQ==", "decision": "VERIFIED"}, rep)
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["employmentId"], "NOT_FOUND")]


async def test_percentile_changes_as_other_members_histories_change(api):
    token, _ = await reviewer(api, start="2012-01-01")
    assert (await credit_of(api, token))["percentile"] is None  # nobody to compare with yet
    # members with short histories score below
    for _ in range(3):
        await reviewer(api, start="2025-01-01")
    low_company = (await credit_of(api, token))["percentile"]
    assert low_company == 75.0  # above 3 of the 4 scored members
    # a member with a long, verified, fast-rising history joins and scores above
    strong, employment_id = await reviewer(api, start="2008-01-01")
    await api.mutate("updateEmployment", """mutation ($input: UpdateEmploymentInput!) {
        updateEmployment(input: $input) { userErrors { code } } }""",
        {"employmentId": employment_id, "positions": [
            {"title": "Engineer", "level": 2, "startDate": "2008-01-01"},
            {"title": "Director", "level": 9, "startDate": "2014-01-01"}]}, strong)
    assert (await credit_of(api, strong))["score"] > (await credit_of(api, token))["score"]
    assert (await credit_of(api, token))["percentile"] == 60.0  # above 3 of 5


async def test_demo_members_have_credits_and_verified_jobs(demo):
    from workcred.demo import DEMO_PASSWORD

    signed_in = await demo.mutate("signIn", """mutation ($input: SignInInput!) {
        signIn(input: $input) { token userErrors { code } } }""",
        {"email": "member1@demo.workcred.test", "password": DEMO_PASSWORD})
    credit = await credit_of(demo, signed_in["token"])
    assert credit["status"] == "SCORED" and credit["percentile"] is not None


async def shared_page_statements(api, rep: str) -> tuple[int, int]:
    with counting_statements() as counter:
        page = (await api.query(SHARED, {"slug": "acme-robotics"}, token=rep)).data
    edges = page["company"]["sharedCareerCredits"]["edges"]
    assert all(edge["node"]["careerCredit"]["score"] for edge in edges)
    return len(counter.statements), len(edges)


async def test_shared_credits_cost_the_same_statements_for_one_share_or_six(api):
    # given one member who shared their credit with the company, and its representative
    async def share_from_new_member() -> None:
        token, _ = await reviewer(api, start="2015-01-01")
        assert (await api.mutate("shareCareerCredit", SHARE, {"companySlug": "acme-robotics"}, token))[
            "userErrors"
        ] == []

    await share_from_new_member()
    rep = await representative(api, "acme-robotics")
    one = await shared_page_statements(api, rep)
    # when five more share
    for _ in range(5):
        await share_from_new_member()
    six = await shared_page_statements(api, rep)
    # then the page costs the same number of statements
    assert (one[1], six[1]) == (1, 6)
    assert one[0] == six[0] == SHARED_PAGE_STATEMENTS, (one, six)


# viewer, company, role check, count and page of shares; histories (jobs, positions, breaks,
# employer ratings and their platform mean), peers, percentiles: none per member.
SHARED_PAGE_STATEMENTS = 12
