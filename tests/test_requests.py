"""Hostile or malformed requests get a clear 4xx or error, never a 500 or a stack trace."""

from __future__ import annotations

import pytest

from app import create_app
from tests.api import Api
from tests.databases import execute

SIGN_OUT = "mutation { signOut { signedOut } }"
SUBSCRIPTION = 'subscription { reviewPublished(companySlug: "acme") { id } }'
# Every way a request can be refused before GraphQL runs: (method, request, status, code).
MALFORMED = [
    ("POST", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "BAD_REQUEST"),
    ("POST", {"json": {}}, 400, "BAD_REQUEST"),
    ("POST", {"json": {"variables": {}}}, 400, "BAD_REQUEST"),
    ("POST", {"json": [{"query": "{ __typename }"}]}, 400, "BAD_REQUEST"),
    ("POST", {"json": {"query": "query A { __typename }", "operationName": "B"}}, 400, "OPERATION_NOT_FOUND"),
    ("POST", {"json": {"query": SUBSCRIPTION}}, 400, "SUBSCRIPTION_NEEDS_WEBSOCKET"),
    ("GET", {"params": {"query": SUBSCRIPTION}}, 400, "SUBSCRIPTION_NEEDS_WEBSOCKET"),
    ("GET", {"params": {"query": SIGN_OUT}}, 405, "METHOD_NOT_ALLOWED"),
    ("PUT", {"json": {"query": "{ __typename }"}}, 405, "METHOD_NOT_ALLOWED"),
    ("DELETE", {}, 405, "METHOD_NOT_ALLOWED"),
    ("POST", {"content": b"query={__typename}", "headers": {"content-type": "text/plain"}}, 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("POST", {"content": b"{}", "headers": {"content-type": "application/graphql"}}, 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("GET", {"params": {"variables": "{"}}, 400, "BAD_REQUEST"),
]


@pytest.mark.parametrize(("method", "request_", "status", "code"), MALFORMED)
async def test_every_refused_request_is_graphql_json_with_a_code(api, method, request_, status, code):
    response = await api.client.request(method, "/graphql", **request_)
    assert (response.status_code, response.headers["content-type"]) == (status, "application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code and error["extensions"]["requestId"]
    assert error["message"] and "Traceback" not in response.text
    if status == 405:
        assert response.headers["allow"] in ("POST", "GET, POST")


async def test_a_subscription_over_http_names_the_websocket(api):
    response = await api.client.post("/graphql", json={"query": SUBSCRIPTION})
    assert "WebSocket to /graphql" in response.json()["errors"][0]["message"]


async def test_syntax_and_validation_errors_carry_their_codes(api):
    syntax = await api.query("{ companies(first: 3 { totalCount } }")
    unknown = await api.query("{ companies { edges { node { passwordHash } } } }")
    [syntax_error], [unknown_error] = syntax.body["errors"], unknown.body["errors"]
    assert "Syntax Error" in syntax_error["message"] and "Traceback" not in str(syntax.body)
    assert syntax_error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "Cannot query field 'passwordHash'" in unknown_error["message"]
    assert unknown_error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_body_over_the_limit_is_413(api, settings):
    document = "{ viewer { member { id } } }" + " " * (settings.max_body_bytes + 10)
    response = await api.client.post("/graphql", json={"query": document})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_queries_deeper_than_the_configured_depth_are_refused(settings_with):
    async with Api.running(create_app(settings_with(max_query_depth=2))) as api:
        shallow = await api.query("{ viewer { employments { id } } }")
        deep = await api.query("{ viewer { employments { company { slug } } } }")
    assert shallow.data == {"viewer": None}
    assert "exceeds maximum operation depth of 2" in deep.body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(api):
    document = "{ " + " ".join(f"a{i}: viewer {{ member {{ id }} }}" for i in range(40)) + " }"
    response = await api.query(document)
    assert "aliases" in response.body["errors"][0]["message"]


async def test_unexpected_failures_are_masked_with_a_request_id(settings, caplog):
    # given a database that lost a table under the running app
    async with Api.running(create_app(settings)) as api:
        execute(settings.database_url, "DROP TABLE position")
        # when
        response = await api.client.post(
            "/graphql",
            json={"query": '{ companies { edges { node { slug } } } }'},
            headers={"X-Request-ID": "req-123"},
        )
        token = await api.member()
        failing = await api.query(
            "mutation ($input: AddEmploymentInput!) { addEmployment(input: $input) { userErrors { code } } }",
            {"input": {"companyName": "Acme", "jobFunction": "SALES", "location": "Xi'an",
                       "startDate": "2020-01-01", "positions": [
                           {"title": "AE", "level": 2, "startDate": "2020-01-01"}]}},
            token=token,
        )
    # then the client sees a code and a reference, not SQL or a traceback
    assert response.status_code == 200 and response.headers["x-request-id"] == "req-123"
    [error] = failing.body["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["message"].startswith("Unexpected error. Reference: ")
    assert "position" not in error["message"].lower() and "sql" not in str(failing.body).lower()
    # and the server log has the real cause with the request id
    assert any("unexpected error in addEmployment" in r.getMessage() for r in caplog.records)


async def test_healthz_checks_the_database(api):
    response = await api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_graphiql_is_served_unless_switched_off(api, settings_with):
    page = await api.client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    async with Api.running(create_app(settings_with(graphiql=False))) as quiet:
        hidden = await quiet.client.get("/graphql", headers={"accept": "text/html"})
    assert hidden.status_code == 404 and hidden.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_the_app_applies_migrations_when_it_starts(empty_database_url):
    from dataclasses import replace

    from tests.suite import suite_settings

    settings = replace(suite_settings(empty_database_url), auto_migrate=True)
    async with Api.running(create_app(settings)) as api:
        token = await api.member()
        viewer = await api.query("{ viewer { member { displayName } } }", token=token)
    assert viewer.data["viewer"]["member"]["displayName"].startswith("Member")
    # and a second start finds nothing to apply
    async with Api.running(create_app(settings)) as api:
        assert (await api.client.get("/healthz")).status_code == 200


COSTLY = """{ companies(first: 100) { edges { node {
  reviews(first: 100) { edges { node { title pros cons } } } } } } }"""


async def test_every_response_reports_its_cost(api):
    response = await api.query(
        "{ companies(first: 10) { edges { node { reviews(first: 5) { edges { node { title } } } } } } }"
    )
    assert response.body["extensions"]["cost"] == {"requested": 181, "limit": 10_000}


async def test_a_query_over_the_cost_limit_is_refused_before_anything_runs(api):
    from tests.reviewing import counting_statements

    with counting_statements() as counter:
        response = await api.query(COSTLY)
    assert response.error_codes == ["QUERY_TOO_COSTLY"]
    assert "would resolve about 50301 fields; the limit is 10000" in response.body["errors"][0]["message"]
    assert response.body["data"] is None
    # nothing ran but the response cache's look at the data version (anonymous requests)
    ran = [s for s in counter.statements if not s.startswith("Created connection")]
    assert ran in ([], [s for s in ran if "data_version" in s][:1])


async def test_variables_count_towards_the_cost(api):
    document = "query ($n: Int) { companies(first: $n) { edges { node { slug } } } }"
    small = await api.query(document, {"n": 2})
    large = await api.query(document, {"n": 100})
    assert small.body["extensions"]["cost"]["requested"] == 1 + 2 * 3  # edges, node, slug
    assert large.body["extensions"]["cost"]["requested"] == 1 + 100 * 3


async def test_text_with_a_nul_character_is_refused_on_every_input(api):
    from tests.reviewing import reviewer

    token, job = await reviewer(api)
    submit = await api.query(
        "mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { userErrors { code } } }",
        {"input": {"employmentId": job, "overall": 3, "title": "a\x00b",
                   "ratings": [{"dimension": "GROWTH", "score": 3}]}},
        token,
    )
    search = await api.query("query ($s: String) { companies(search: $s) { totalCount } }", {"s": "a\x00"})
    literal = await api.query('{ company(slug: "a\\u0000b") { slug } }')
    for response in (submit, search, literal):
        assert response.error_codes == ["BAD_USER_INPUT"]
        assert response.body["errors"][0]["message"] == "Text may not contain the NUL character (\\u0000)."
