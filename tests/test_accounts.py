"""Accounts a person can trust, tried as a new member and as an attacker would: a proven address
before speaking, nothing told about which addresses have accounts, no lockout by strangers,
password change and reset, sessions. Mail goes through the suite's real SMTP server."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

import models
from app import create_app
from tests.api import PASSWORD, SIGN_UP, VERIFY_EMAIL, Api
from tests.mailbox import mailbox
from tests.reviewing import SUBMIT, published_review, review_input
from tests.test_employment import ADD
from tests.test_rate_limits import SIGN_IN, outcome

ME = """{ viewer { member { email emailVerified } } }"""
RESEND = "mutation { resendVerificationEmail { member { emailVerified } userErrors { code } } }"
CHANGE = """mutation ($input: ChangePasswordInput!) { changePassword(input: $input) {
  member { email } userErrors { field code message } } }"""
REQUEST_RESET = """mutation ($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) {
  done userErrors { field code message } } }"""
RESET = """mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) {
  token viewer { member { email emailVerified } } userErrors { field code message } } }"""
SESSIONS = "{ viewer { sessions { id createdOn lastUsedOn client current } } }"
REVOKE = """mutation ($input: RevokeSessionInput!) { revokeSession(input: $input) { done userErrors { field code } } }"""
EVERYWHERE = "mutation { signOutEverywhere { done userErrors { code } } }"
HELPFUL = """mutation ($input: ReviewIdInput!) { markReviewHelpful(input: $input) { userErrors { code } } }"""
OPEN_POLL = """mutation ($input: OpenRemovalPollInput!) { openRemovalPoll(input: $input) { userErrors { code } } }"""
JOB = {"companyName": "Acme Robotics", "jobFunction": "ENGINEERING", "location": "Shanghai", "startDate": "2019-01-01",
       "positions": [{"title": "Engineer", "level": 3, "startDate": "2019-01-01"}]}


async def sign_up(api: Api, email: str, password: str = PASSWORD, user_agent: str | None = None) -> dict:
    headers = {"user-agent": user_agent} if user_agent else {}
    response = await api.client.post("/graphql", headers=headers, json={
        "query": SIGN_UP, "variables": {"input": {"email": email, "password": password, "displayName": "Ada"}}})
    return response.json()["data"]["signUp"]


async def sign_in(api: Api, email: str, password: str, address: str | None = None,
                  user_agent: str | None = None) -> dict:
    headers = {"x-forwarded-for": address} if address else {}
    if user_agent:
        headers["user-agent"] = user_agent
    response = await api.client.post("/graphql", headers=headers, json={
        "query": SIGN_IN, "variables": {"input": {"email": email, "password": password}}})
    return dict(response.json())


def user_error_codes(payload: dict) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


# --- Proving the address ---------------------------------------------------------------------

async def test_a_fresh_account_browses_and_records_but_cannot_speak_until_it_enters_its_code(api):
    # given a published review by someone, and a fresh account with a job at the company
    _, review_id = await published_review(api)
    mails = len(mailbox().sent_to("fresh@example.com"))
    token = (await sign_up(api, "fresh@example.com"))["token"]
    assert (await api.query(ME, token=token)).data["viewer"]["member"]["emailVerified"] is False
    job = await api.mutate("addEmployment", ADD, JOB, token)
    assert job["userErrors"] == []  # recording history is allowed
    assert (await api.query("{ viewer { careerCredit { score } } }", token=token)).data["viewer"]["careerCredit"]
    # when it tries to speak
    refused = [
        user_error_codes((await api.query(SUBMIT, {"input": review_input(job["employment"]["id"])}, token)).data["submitReview"]),
        user_error_codes((await api.query(HELPFUL, {"input": {"reviewId": review_id}}, token)).data["markReviewHelpful"]),
        user_error_codes((await api.query(OPEN_POLL, {"input": {"reviewId": review_id, "reason": "SPAM"}}, token)).data["openRemovalPoll"]),
    ]
    # then it is told to prove its address first
    assert refused == [["EMAIL_NOT_VERIFIED"]] * 3
    # and once the mailed code is entered, it speaks
    code = await mailbox().code_for("fresh@example.com", mails)
    verified = await api.mutate("verifyEmail", VERIFY_EMAIL, {"code": code}, token)
    assert verified == {"member": {"emailVerified": True}, "userErrors": []}
    submitted = await api.query(SUBMIT, {"input": review_input(job["employment"]["id"])}, token)
    assert submitted.data["submitReview"]["userErrors"] == []


async def test_a_code_takes_five_tries_and_thirty_minutes_and_a_new_one_replaces_it(api):
    mails = len(mailbox().sent_to("tries@example.com"))
    token = (await sign_up(api, "tries@example.com"))["token"]
    code = await mailbox().code_for("tries@example.com", mails)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert user_error_codes(await api.mutate("verifyEmail", VERIFY_EMAIL, {"code": wrong}, token)) == ["INVALID_CODE"]
    # the right code, after five wrong ones, is used up too
    assert user_error_codes(await api.mutate("verifyEmail", VERIFY_EMAIL, {"code": code}, token)) == ["INVALID_CODE"]
    # a new code works — but not after thirty minutes
    assert (await api.query(RESEND, token=token)).data["resendVerificationEmail"]["userErrors"] == []
    fresh = await mailbox().code_for("tries@example.com", mails + 1)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=31)):
        assert user_error_codes(await api.mutate("verifyEmail", VERIFY_EMAIL, {"code": fresh}, token)) == ["INVALID_CODE"]
    assert (await api.query(RESEND, token=token)).data["resendVerificationEmail"]["userErrors"] == []
    newest = await mailbox().code_for("tries@example.com", mails + 2)
    assert user_error_codes(await api.mutate("verifyEmail", VERIFY_EMAIL, {"code": fresh}, token)) == ["INVALID_CODE"]
    assert user_error_codes(await api.mutate("verifyEmail", VERIFY_EMAIL, {"code": newest}, token)) == []
    # and then there is nothing left to verify
    assert user_error_codes(await api.mutate("verifyEmail", VERIFY_EMAIL, {"code": newest}, token)) == [
        "EMAIL_ALREADY_VERIFIED"]


async def test_asking_for_codes_is_rate_limited(settings_with):
    async with Api.running(create_app(settings_with(rate_limit_mail="2/hour"))) as api:
        token = (await sign_up(api, "many-codes@example.com"))["token"]
        asked = [(await api.query(RESEND, token=token)).error_codes for _ in range(3)]
        assert asked == [[], [], ["RATE_LIMITED"]]


async def test_an_account_from_before_addresses_were_proven_is_asked_at_its_next_sign_in(api, settings):
    # given an account as migration 0016 leaves one: unverified, no code under way
    mails = len(mailbox().sent_to("old@example.com"))
    token = (await sign_up(api, "old@example.com"))["token"]
    await mailbox().code_for("old@example.com", mails)  # (the sign-up's, forgotten:)
    await models.EmailCode.all().delete()
    mails += 1
    # when it signs in, a code is mailed
    assert outcome(await sign_in(api, "old@example.com", PASSWORD)) == "SIGNED_IN"
    code = await mailbox().code_for("old@example.com", mails)
    assert user_error_codes(await api.mutate("verifyEmail", VERIFY_EMAIL, {"code": code}, token)) == []


async def test_demo_accounts_are_verified(demo):
    signed_in = await sign_in(demo, "member1@demo.workcred.test", "workcred-demo-password")
    token = signed_in["data"]["signIn"]["token"]
    assert (await demo.query(ME, token=token)).data["viewer"]["member"]["emailVerified"] is True


# --- Revealing nothing about which addresses have accounts ----------------------------------

async def test_signing_up_with_a_taken_address_answers_as_a_fresh_one_and_tells_the_owner(api):
    # given an owner with a verified address
    owner = await api.member()
    owner_email = (await api.query(ME, token=owner)).data["viewer"]["member"]["email"]
    mails = len(mailbox().sent_to(owner_email))
    # when someone signs up with it (spelt otherwise), and someone else with a fresh address
    taken = await sign_up(api, f"  {owner_email.upper()} ", "another long passphrase")
    fresh = await sign_up(api, "nobody-yet@example.com", "another long passphrase")
    # then both answers look alike: a session of an unverified account, no errors
    for answer in (taken, fresh):
        assert answer["userErrors"] == [] and len(answer["token"]) >= 43
        assert (await api.query(ME, token=answer["token"])).data["viewer"]["member"]["emailVerified"] is False
    # the owner is told, and no code goes to an address someone else proved
    told = await mailbox().next_to(owner_email, mails)
    assert "tried to sign up" in told.subject
    assert [m.subject for m in mailbox().sent_to(owner_email)[mails:]] == [told.subject]
    assert not await models.EmailCode.filter(member__email=owner_email).exists()
    # the address still signs in to its owner only: the newcomer's password opens nothing
    assert outcome(await sign_in(api, owner_email, "another long passphrase")) == "INVALID_CREDENTIALS"
    assert outcome(await sign_in(api, owner_email, PASSWORD)) == "SIGNED_IN"


async def _timed(api: Api, results: list[float], attempt):
    """Run `attempt()`, adding its time to `results`; then wait for the mail it sent to be gone,
    so no mail leaving in the background overlaps the next attempt's timing."""
    started = time.perf_counter()
    answer = await attempt()
    results.append(time.perf_counter() - started)
    await api.app.state.mailer.drain()
    return answer


TIMED_ADDRESS = "exists@example.com"


async def test_sign_in_and_sign_up_tell_no_account_by_answer_or_time(api, capsys):
    # given one account, whose owner proved its address
    mails = len(mailbox().sent_to(TIMED_ADDRESS))
    token = (await sign_up(api, TIMED_ADDRESS))["token"]
    await api.verify(token, TIMED_ADDRESS, mails)
    unknown: list[float] = []
    wrong: list[float] = []
    fresh: list[float] = []
    taken: list[float] = []
    answers = set()
    # when each is tried 30 times, interleaved (after 5 rounds to warm up)
    for attempt in range(35):
        if attempt == 5:
            for times in (unknown, wrong, fresh, taken):
                times.clear()
        stranger, new_address = f"nobody{attempt}@example.com", f"new{attempt}@example.com"
        # each pair in turn one way round and the other, so drift in the machine's speed cancels
        for which in (("unknown", "wrong") if attempt % 2 else ("wrong", "unknown")):
            if which == "unknown":
                answer = await _timed(api, unknown, lambda address=stranger: sign_in(api, address, "wrong passphrase"))
            else:
                answer = await _timed(api, wrong, lambda: sign_in(api, TIMED_ADDRESS, "wrong passphrase"))
            answers.add(outcome(answer))
        for which in (("fresh", "taken") if attempt % 2 else ("taken", "fresh")):
            if which == "fresh":
                answer = await _timed(api, fresh, lambda address=new_address: sign_up(api, address))
            else:
                answer = await _timed(api, taken, lambda: sign_up(api, TIMED_ADDRESS))
            answers.add(str(user_error_codes(answer)))
    # then the answers are the same and so are the times (medians within 10 %)
    assert answers == {"INVALID_CREDENTIALS", "[]"}
    sign_in_ratio = statistics.median(wrong) / statistics.median(unknown)
    sign_up_ratio = statistics.median(taken) / statistics.median(fresh)
    with capsys.disabled():
        print(f"\nsign-in median of 30: unknown email {1000 * statistics.median(unknown):.1f} ms, wrong password "
              f"{1000 * statistics.median(wrong):.1f} ms (ratio {sign_in_ratio:.3f}); sign-up median of 30: fresh "
              f"{1000 * statistics.median(fresh):.1f} ms, taken {1000 * statistics.median(taken):.1f} ms "
              f"(ratio {sign_up_ratio:.3f})")
    assert 0.9 <= sign_in_ratio <= 1.1 and 0.9 <= sign_up_ratio <= 1.1


# --- Throttling without lockout ---------------------------------------------------------------

async def test_strangers_failures_never_stop_the_owner_at_an_address_they_used(settings_with):
    settings = settings_with(rate_limit_signin="3/15minute", rate_limit_signin_account="10/hour",
                             trusted_proxies="127.0.0.1")
    async with Api.running(create_app(settings)) as api:
        # given the owner, who signed in from home before
        await sign_up(api, "victim@example.com")
        assert outcome(await sign_in(api, "victim@example.com", PASSWORD, "203.0.113.7")) == "SIGNED_IN"
        # when strangers from twenty addresses guess, two tries each
        guesses = [outcome(await sign_in(api, "victim@example.com", f"guess {n}", f"198.51.100.{n // 2}"))
                   for n in range(40)]
        assert guesses[:10] == ["INVALID_CREDENTIALS"] * 10  # then the account's ceiling is reached:
        assert set(guesses[10:]) == {"RATE_LIMITED"}  # strangers are slowed together
        # then the owner at home still signs in with the right password
        assert outcome(await sign_in(api, "victim@example.com", PASSWORD, "203.0.113.7")) == "SIGNED_IN"
        # and a stranger's own address is throttled by its own budget, whatever account it tries
        for n in range(3):
            await sign_in(api, f"someone{n}@example.com", "guess", "192.0.2.1")
        assert outcome(await sign_in(api, "other@example.com", "guess", "192.0.2.1")) == "RATE_LIMITED"


# --- Passwords ------------------------------------------------------------------------------------

async def test_changing_the_password_signs_out_every_other_session(api):
    mails = len(mailbox().sent_to("changer@example.com"))
    here = (await sign_up(api, "changer@example.com"))["token"]
    elsewhere = (await sign_in(api, "changer@example.com", PASSWORD))["data"]["signIn"]["token"]
    wrong = await api.mutate("changePassword", CHANGE, {"currentPassword": "not it at all", "newPassword": "x" * 20}, here)
    weak = await api.mutate("changePassword", CHANGE, {"currentPassword": PASSWORD, "newPassword": "password123"}, here)
    assert (user_error_codes(wrong), user_error_codes(weak)) == (["INVALID_CREDENTIALS"], ["WEAK_PASSWORD"])
    changed = await api.mutate("changePassword", CHANGE,
                               {"currentPassword": PASSWORD, "newPassword": "violet harbour kettle"}, here)
    assert changed["userErrors"] == []
    assert (await api.query(ME, token=elsewhere)).error_codes == ["UNAUTHENTICATED"]
    assert (await api.query(ME, token=here)).data["viewer"]["member"]["email"] == "changer@example.com"
    assert outcome(await sign_in(api, "changer@example.com", PASSWORD)) == "INVALID_CREDENTIALS"
    assert outcome(await sign_in(api, "changer@example.com", "violet harbour kettle")) == "SIGNED_IN"
    assert "password was changed" in (await mailbox().next_to("changer@example.com", mails, "password")).subject


async def test_a_reset_link_answers_alike_for_any_address_works_once_for_thirty_minutes_and_signs_out_everywhere(api):
    old = (await sign_up(api, "forgetful@example.com"))["token"]
    mails = len(mailbox().sent_to("forgetful@example.com"))
    # asking answers alike for an account's address and for nobody's
    for email in ("forgetful@example.com", "no-such-account@example.com"):
        assert await api.mutate("requestPasswordReset", REQUEST_RESET, {"email": email}) == {"done": True, "userErrors": []}
    token = await mailbox().reset_token_for("forgetful@example.com", mails)
    assert mailbox().sent_to("no-such-account@example.com") == []
    # a reset token older than thirty minutes is refused
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=31)):
        late = await api.mutate("resetPassword", RESET, {"token": token, "newPassword": "violet harbour kettle"})
    assert user_error_codes(late) == ["INVALID_RESET_TOKEN"]
    # in time, it sets the password, proves the address, signs out every session and signs in afresh
    reset = await api.mutate("resetPassword", RESET, {"token": token, "newPassword": "violet harbour kettle"})
    assert reset["userErrors"] == [] and reset["viewer"]["member"]["emailVerified"] is True
    assert (await api.query(ME, token=old)).error_codes == ["UNAUTHENTICATED"]
    assert (await api.query(ME, token=reset["token"])).data["viewer"]["member"]["email"] == "forgetful@example.com"
    # once
    again = await api.mutate("resetPassword", RESET, {"token": token, "newPassword": "another good passphrase"})
    assert user_error_codes(again) == ["INVALID_RESET_TOKEN"]
    assert outcome(await sign_in(api, "forgetful@example.com", "violet harbour kettle")) == "SIGNED_IN"


# --- Sessions -------------------------------------------------------------------------------------

async def test_sessions_are_listed_by_day_and_client_and_revoked_one_or_all(api):
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile Safari/604.1"
    laptop = (await sign_up(api, "sessions@example.com", user_agent=firefox))["token"]
    mobile = (await sign_in(api, "sessions@example.com", PASSWORD, user_agent=phone))["data"]["signIn"]["token"]
    listed = (await api.query(SESSIONS, token=laptop)).data["viewer"]["sessions"]
    today = datetime.now(UTC).date().isoformat()
    assert [(s["client"], s["current"], s["createdOn"], s["lastUsedOn"]) for s in listed] == [
        ("Safari on iOS", False, today, today), ("Firefox on Linux", True, today, today)]
    # a stranger's session id is nobody's to revoke
    stranger = await api.member()
    refused = await api.mutate("revokeSession", REVOKE, {"sessionId": listed[0]["id"]}, stranger)
    assert refused == {"done": False, "userErrors": [{"field": ["sessionId"], "code": "NOT_FOUND"}]}
    # revoking one ends only that one; signing out everywhere ends them all
    assert (await api.mutate("revokeSession", REVOKE, {"sessionId": listed[0]["id"]}, laptop))["done"] is True
    assert (await api.query(ME, token=mobile)).error_codes == ["UNAUTHENTICATED"]
    assert (await api.query(ME, token=laptop)).data["viewer"] is not None
    assert (await api.query(EVERYWHERE, token=laptop)).data["signOutEverywhere"]["done"] is True
    assert (await api.query(ME, token=laptop)).error_codes == ["UNAUTHENTICATED"]


# --- Bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("document", "variables", "expected"), [
    (VERIFY_EMAIL, {"input": {"code": ""}}, "INVALID_CODE"),
    (VERIFY_EMAIL, {"input": {"code": "x" * 10_000}}, "INVALID_CODE"),
    (VERIFY_EMAIL, {"input": {"code": "１２３４５６"}}, "INVALID_CODE"),
    (CHANGE, {"input": {"currentPassword": "x" * 10_000, "newPassword": "y"}}, "INVALID_CREDENTIALS"),
    (CHANGE, {"input": {"currentPassword": PASSWORD, "newPassword": "z" * 10_000}}, "PASSWORD_TOO_LONG"),
    (REQUEST_RESET, {"input": {"email": "not an address " * 100}}, None),
    (RESET, {"input": {"token": "", "newPassword": "violet harbour kettle"}}, "INVALID_RESET_TOKEN"),
    (RESET, {"input": {"token": "x" * 5_000, "newPassword": "violet harbour kettle"}}, "INVALID_RESET_TOKEN"),
    (REVOKE, {"input": {"sessionId": "not-an-id"}}, "NOT_FOUND"),
    (REVOKE, {"input": {"sessionId": "U2Vzc2lvbjo5OTk5OTk5OTk5OTk="}}, "NOT_FOUND"),
])
async def test_bad_input_to_the_account_mutations_is_a_user_error_never_a_server_error(api, document, variables, expected):
    token = await api.member(verified=False)  # (one that still has an address to prove)
    response = await api.query(document, variables, token)
    assert response.status == 200 and not response.body.get("errors"), response.body
    [payload] = response.data.values()
    assert [e["code"] for e in payload["userErrors"]] == ([expected] if expected else [])


async def test_a_nul_character_anywhere_in_account_input_is_refused_as_bad_input(api):
    response = await api.query(RESET, {"input": {"token": "\x00" * 500, "newPassword": "violet harbour kettle"}})
    assert response.status == 200 and response.error_codes == ["BAD_USER_INPUT"]
