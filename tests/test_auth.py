"""Sign up, sign in, sign out, and what a token can and cannot do."""

import pytest

from tests.api import SIGN_UP
from tests.databases import fetch

SIGN_IN = """
mutation ($input: SignInInput!) {
  signIn(input: $input) { token viewer { member { email } } userErrors { field code message } }
}
"""
SIGN_OUT = "mutation { signOut { signedOut userErrors { code } } }"
VIEWER = "{ viewer { member { email displayName } } }"

NEW_MEMBER = {"email": "Ada@Example.com", "password": "correct horse battery", "displayName": "Ada"}


async def test_sign_up_returns_a_token_that_identifies_the_member(api):
    # when
    payload = await api.mutate("signUp", SIGN_UP, NEW_MEMBER)
    # then
    assert payload["userErrors"] == []
    assert len(payload["token"]) >= 43  # 256 bits, url-safe base64
    viewer = (await api.query(VIEWER, token=payload["token"])).data["viewer"]
    assert viewer == {"member": {"email": "ada@example.com", "displayName": "Ada"}}


async def test_viewer_is_null_when_not_signed_in(api):
    assert (await api.query(VIEWER)).data == {"viewer": None}


async def test_sign_up_input_is_validated(api):
    payload = await api.mutate(
        "signUp", SIGN_UP, {"email": "not-an-email", "password": "short", "displayName": "  "}
    )
    assert {e["code"] for e in payload["userErrors"]} == {
        "INVALID_EMAIL",
        "PASSWORD_TOO_SHORT",
        "REQUIRED",
    }
    assert payload["token"] is None


async def test_overlong_password_is_refused_before_hashing(api):
    payload = await api.mutate("signUp", SIGN_UP, {**NEW_MEMBER, "password": "x" * 10_000})
    assert [e["code"] for e in payload["userErrors"]] == ["PASSWORD_TOO_LONG"]


@pytest.mark.parametrize(("password", "codes"), [
    ("violet harbour kettle " * 5, []),  # 110 characters of unrelated words: strong
    ("a" * 200, ["WEAK_PASSWORD"]),  # longer than the strength estimate reads, and weak
])
async def test_passwords_longer_than_the_strength_estimate_reads_are_judged_not_crashed_on(api, password, codes):
    payload = await api.mutate("signUp", SIGN_UP, {**NEW_MEMBER, "password": password})
    assert [e["code"] for e in payload["userErrors"]] == codes


async def test_sign_in_with_the_right_password(api):
    await api.mutate("signUp", SIGN_UP, NEW_MEMBER)
    payload = await api.mutate(
        "signIn", SIGN_IN, {"email": "ADA@example.com", "password": NEW_MEMBER["password"]}
    )
    assert payload["userErrors"] == []
    assert payload["viewer"] == {"member": {"email": "ada@example.com"}}


async def test_wrong_password_and_unknown_email_fail_alike(api):
    await api.mutate("signUp", SIGN_UP, NEW_MEMBER)
    wrong_password = await api.mutate(
        "signIn", SIGN_IN, {"email": NEW_MEMBER["email"], "password": "wrong password!"}
    )
    unknown_email = await api.mutate(
        "signIn", SIGN_IN, {"email": "nobody@example.com", "password": "wrong password!"}
    )
    for payload in (wrong_password, unknown_email):
        assert payload["token"] is None
        assert [e["code"] for e in payload["userErrors"]] == ["INVALID_CREDENTIALS"]
    assert wrong_password["userErrors"] == unknown_email["userErrors"]


async def test_sign_out_revokes_only_the_token_used(api):
    first = (await api.mutate("signUp", SIGN_UP, NEW_MEMBER))["token"]
    second = (
        await api.mutate(
            "signIn", SIGN_IN, {"email": NEW_MEMBER["email"], "password": NEW_MEMBER["password"]}
        )
    )["token"]
    # when
    assert (await api.mutate("signOut", SIGN_OUT, {}, token=first)) == {
        "signedOut": True,
        "userErrors": [],
    }
    # then
    assert (await api.query(VIEWER, token=first)).error_codes == ["UNAUTHENTICATED"]
    assert (await api.query(VIEWER, token=second)).data["viewer"] is not None
    again = await api.query(SIGN_OUT, token=first)
    assert again.error_codes == ["UNAUTHENTICATED"]


async def test_sign_out_without_a_token_is_unauthenticated(api):
    response = await api.query(SIGN_OUT)
    assert response.status == 200
    assert response.error_codes == ["UNAUTHENTICATED"]


async def test_a_forged_token_is_an_error_not_anonymous(api):
    await api.member()
    forged = await api.query(VIEWER, token="forged-token")
    assert forged.error_codes == ["UNAUTHENTICATED"]
    assert forged.body["errors"][0]["message"] == "Invalid or expired token: sign in again."
    assert forged.body["data"] == {"viewer": None}
    # an empty Authorization header is no token at all
    assert (await api.query(VIEWER, token="")).data == {"viewer": None}


async def test_tokens_are_stored_only_as_hashes(api, settings):
    token = (await api.mutate("signUp", SIGN_UP, NEW_MEMBER))["token"]
    stored = [row[0] for row in fetch(settings.database_url, "SELECT token_hash FROM auth_token")]
    password_hashes = [row[0] for row in fetch(settings.database_url, "SELECT password_hash FROM member")]
    assert token not in stored
    assert len(stored) == 1 and len(stored[0]) == 64
    assert password_hashes[0].startswith("$argon2id$")


async def test_sibling_fields_that_ask_for_the_viewer_all_see_the_signed_in_member(api):
    # given a member with saved priorities
    token = await api.member("Sibling")
    saved = await api.mutate(
        "setPriorities",
        "mutation ($input: PrioritiesInput!) { setPriorities(input: $input) { userErrors { code } } }",
        {"weights": [{"dimension": "GROWTH", "weight": 5}]},
        token,
    )
    assert saved["userErrors"] == []
    # when sibling fields resolve concurrently, each asking who the viewer is
    data = (
        await api.query(
            """{ first: viewer { member { displayName } priorities { weights { dimension } } }
                 second: viewer { member { displayName } priorities { weights { dimension } } }
                 third: viewer { member { displayName } } }""",
            token=token,
        )
    ).data
    # then none of them is treated as anonymous
    for alias in ("first", "second", "third"):
        assert data[alias] is not None, f"{alias} saw no viewer"
        assert data[alias]["member"]["displayName"] == "Sibling"
    assert data["first"]["priorities"] == data["second"]["priorities"] == {"weights": [{"dimension": "GROWTH"}]}


@pytest.mark.parametrize(
    "password",
    ["          ", "aaaaaaaaaa", "password12", "ada@example.com", "Ada Lovelace 99", "abcdefghij1234567890"],
    ids=["spaces", "repeated", "common", "the-email", "the-name", "sequences"],
)
async def test_weak_passwords_are_refused_with_a_helpful_message(api, password):
    payload = await api.mutate(
        "signUp", SIGN_UP, {"email": "ada@example.com", "password": password, "displayName": "Ada Lovelace"}
    )
    assert payload["token"] is None
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["password"], "WEAK_PASSWORD")
    assert "password" in error["message"].lower()
