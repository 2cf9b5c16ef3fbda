"""Input an attacker sends: never a 500, never a stall, always a clear 4xx or BAD_USER_INPUT."""

from __future__ import annotations

import base64
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api import Response
from tests.reviewing import reviewer


def bomb(levels: int, leaf: str = 'company(slug: "x") { name }') -> str:
    """Fragments that double at each level: 2**levels copies of `leaf` once expanded."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Query {{ {leaf} }}")
    return "query { ...F0 }\n" + "\n".join(fragments)


async def test_a_fragment_bomb_is_refused_without_walking_it(api):
    # given a ~1 KB document whose fragments expand to 2**30 fields
    document = bomb(30)
    assert len(document) < 1300
    # when it is sent
    started = time.perf_counter()
    response = await api.query(document)
    elapsed = time.perf_counter() - started
    # then the cost was computed, not walked: refused with the exact expansion, at once
    assert response.error_codes == ["QUERY_TOO_COSTLY"]
    assert response.body["extensions"]["cost"]["requested"] == 2 * 2**30  # company + name per copy
    assert elapsed < 2, f"{elapsed:.2f} s (the old analysis took hours at this size)"


async def test_aliases_multiplied_by_fragments_are_counted(api):
    response = await api.query(bomb(6, "a: __typename b: __typename"))
    assert "aliases found" in response.body["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [b"null", b'"hello"', b"42", b"true", b"[]", b"[" * 1000 + b"]" * 1000, b"\xff\xfe{}",
     b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}",
     b'{"query": 5}', b'{"query": "{ __typename }", "variables": [1]}'],
    ids=["null", "string", "number", "true", "array", "deep", "not-utf8", "huge-int", "query-not-text",
         "variables-not-object"],
)
async def test_a_body_that_is_no_graphql_request_gets_a_400_with_a_json_error(api, body):
    response = await api.client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST" and error["extensions"]["requestId"]


@pytest.mark.parametrize(
    "variables",
    ['{"n": ' + "9" * 5000 + "}", "[" * 500 + "]" * 500, '{"a": "\\ud800"}', "not json"],
    ids=["huge-int", "deep", "surrogate", "not-json"],
)
async def test_bad_get_parameters_are_refused_clearly(api, variables):
    response = await api.client.get("/graphql", params={"query": "{ __typename }", "variables": variables})
    assert response.status_code < 500, response.text
    assert response.json()["errors"][0]["extensions"]["code"] in ("BAD_REQUEST", "BAD_USER_INPUT")


async def post_raw(api, document: str, variables: dict | None, token: str | None = None) -> Response:
    """POST as JSON with every non-ASCII character escaped, so unpaired surrogates go through."""
    headers = {"content-type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    body = json.dumps({"query": document, "variables": variables or {}})
    response = await api.client.post("/graphql", content=body.encode("ascii"), headers=headers)
    return Response(response.status_code, response.json())


def nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth):
        value = {"inner": value}
    return value


@pytest.mark.parametrize(
    "document, variables",
    [
        ('{ company(slug: "' + "s" * 200 + '") { name } }', None),
        ("query ($s: String!) { company(slug: $s) { name } }", {"s": "\ud800"}),
        ("{ companies(first: " + "9" * 5000 + ") { totalCount } }", None),
        ('{ node(id: "' + base64.b64encode("Company:²".encode()).decode() + '") { id } }', None),
        ('{ companies(after: "' + base64.b64encode(("offset:" + "9" * 5000).encode()).decode() + '") { totalCount } }', None),
        ('{ company(slug: "acme-robotics") { reviews(filter: {writtenTo: "9999-12-31"}) { totalCount } } }', None),
        ('{ company(slug: "acme-robotics") { reviews(filter: {writtenTo: "2020-W01-1"}) { totalCount } } }', None),
        ('{ company(slug: "acme-robotics") { reviews(filter: {writtenTo: "20200101"}) { totalCount } } }', None),
        ("query ($v: PrioritiesInput) { companies(priorities: $v) { totalCount } }", {"v": nested(500)}),
    ],
    ids=["long-slug", "lone-surrogate", "huge-int-literal", "non-ascii-id", "huge-cursor", "far-date",
         "week-date", "basic-date", "deep-variable"],
)
async def test_malformed_arguments_are_bad_user_input_not_server_errors(api, document, variables):
    await reviewer(api)  # the company exists
    for _ in range(2):  # the second time from the parser's cache (and the literals' verdict on it)
        response = await post_raw(api, document, variables)
        assert response.status < 500
        codes = response.error_codes
        assert "INTERNAL_SERVER_ERROR" not in codes, response.body
        if document.startswith(('{ company(slug: "sss', "{ node")):
            # a slug or id that cannot exist names nothing: the lookup's answer is null
            assert codes == [] and response.body["data"] in ({"company": None}, {"node": None}), response.body
        else:
            assert codes and set(codes) <= {"BAD_USER_INPUT", "BAD_REQUEST"}, response.body


HOSTILE_TEXT = st.one_of(
    st.text(max_size=50),
    st.sampled_from(["\ud800", "\x00", "x" * 20_000, "é" * 300, "2020-W01-1", "9" * 5000, "０１", "²"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE_TEXT)
async def test_hostile_strings_in_every_mutation_never_cause_a_server_error(api, text):
    token = await api.member()
    mutations = [
        ("signUp", "SignUpInput!", {"email": text, "password": text, "displayName": text}),
        ("signIn", "SignInInput!", {"email": text, "password": text}),
        ("addEmployment", "AddEmploymentInput!", {"companyName": text, "jobFunction": "DATA", "location": text,
                                                   "startDate": "2020-01-01", "positions": [
                                                       {"title": text, "level": 3, "startDate": "2020-01-01"}]}),
        ("addEmployment", "AddEmploymentInput!", {"companySlug": text, "jobFunction": "DATA", "location": "X",
                                                   "startDate": "2020-01-01", "positions": [
                                                       {"title": "T", "level": 3, "startDate": "2020-01-01"}]}),
        ("shareCareerCredit", "CareerCreditShareInput!", {"companySlug": text}),
        ("submitReview", "SubmitReviewInput!", {"employmentId": text, "overall": 3, "title": text,
                                                 "ratings": [{"dimension": "GROWTH", "score": 3}]}),
        ("verifyEmployment", "VerifyEmploymentInput!", {"employmentId": text, "decision": "VERIFIED"}),
        ("addEmployment", "AddEmploymentInput!", {"companyName": "Hostile Co", "jobFunction": "DATA", "location": "X",
                                                   "startDate": text, "positions": [
                                                       {"title": "T", "level": 3, "startDate": text}]}),
        ("verifyEmail", "VerifyEmailInput!", {"code": text}),
        ("changePassword", "ChangePasswordInput!", {"currentPassword": text, "newPassword": text}),
        ("requestPasswordReset", "RequestPasswordResetInput!", {"email": text}),
        ("resetPassword", "ResetPasswordInput!", {"token": text, "newPassword": text}),
        ("revokeSession", "RevokeSessionInput!", {"sessionId": text}),
        ("deleteAccount", "DeleteAccountInput!", {"password": text, "withdrawReviews": False}),
        ("requestVerification", "EmploymentIdInput!", {"employmentId": text}),
        ("cancelVerificationRequest", "EmploymentIdInput!", {"employmentId": text}),
        ("submitReview", "SubmitReviewInput!", {"employmentId": text, "overall": 3, "title": "T",
                                                 "ratings": [{"dimension": "GROWTH", "score": 3}],
                                                 "withhold": ["LOCATION"]}),
        ("appealRemoval", "AppealRemovalInput!", {"reviewId": text, "statement": text}),
        ("appealRemoval", "AppealRemovalInput!", {"responseId": text, "statement": text}),
        ("decideAppeal", "DecideAppealInput!", {"appealId": text, "decision": "RESTORE", "reason": text}),
        ("decideReferredPoll", "DecideReferredPollInput!", {"pollId": text, "decision": "KEEP", "reason": text}),
    ]
    for name, input_type, value in mutations:
        document = f"mutation ($input: {input_type}) {{ {name}(input: $input) {{ userErrors {{ code }} }} }}"
        response = await post_raw(api, document, {"input": value}, token)
        assert response.status < 500, (name, response.body)
        assert "INTERNAL_SERVER_ERROR" not in response.error_codes, (name, text, response.body)


LONG_SLUG = "s" * 200


@pytest.mark.parametrize(
    "mutation, input_type, value, expected",
    [
        ("addEmployment", "AddEmploymentInput!", {"companySlug": LONG_SLUG, "jobFunction": "DATA", "location": "X",
                                                   "startDate": "2020-01-01", "positions": [
                                                       {"title": "T", "level": 3, "startDate": "2020-01-01"}]},
         ["COMPANY_NOT_FOUND"]),
        ("shareCareerCredit", "CareerCreditShareInput!", {"companySlug": LONG_SLUG}, ["COMPANY_NOT_FOUND"]),
    ],
    ids=["add-employment", "share-credit"],
)
async def test_overlong_slugs_in_mutations_name_no_company(api, mutation, input_type, value, expected):
    token = await api.member()
    document = f"mutation ($input: {input_type}) {{ {mutation}(input: $input) {{ userErrors {{ code }} }} }}"
    payload = (await api.query(document, {"input": value}, token)).data[mutation]
    assert [e["code"] for e in payload["userErrors"]] == expected


async def test_a_job_starting_in_year_one_is_refused(api):
    token = await api.member()
    response = await api.query(
        "mutation ($input: AddEmploymentInput!) { addEmployment(input: $input) { userErrors { code } } }",
        {"input": {"companyName": "Old Co", "jobFunction": "DATA", "location": "X", "startDate": "0001-01-01",
                   "positions": [{"title": "T", "level": 3, "startDate": "0001-01-01"}]}},
        token,
    )
    # both dates (the job's and its position's) are refused
    assert response.error_codes == ["BAD_USER_INPUT", "BAD_USER_INPUT"]
    assert "Dates run from 1950-01-01" in response.body["errors"][0]["message"]


async def test_a_refused_representative_field_leaves_the_rest_of_the_page(api):
    await reviewer(api)
    response = await api.query(
        '{ company(slug: "acme-robotics") { name verificationRequests(first: 3) { totalCount } } }'
    )
    assert response.error_codes == ["UNAUTHENTICATED"]
    assert response.body["data"] == {"company": {"name": "Acme Robotics", "verificationRequests": None}}
