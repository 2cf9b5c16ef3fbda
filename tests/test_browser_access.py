"""A browser frontend on another origin: CORS only for configured origins; `/` leads to the API."""

from __future__ import annotations

import pytest

from app import create_app
from infra.settings import Settings, SettingsError
from tests.api import Api

FRONTEND = "https://app.workcred.example"


async def preflight(api: Api, origin: str):
    return await api.client.options("/graphql", headers={
        "origin": origin, "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type"})


async def test_a_configured_origin_may_call_the_api_with_a_bearer_token(settings_with):
    async with Api.running(create_app(settings_with(cors_origins=f"{FRONTEND}, https://admin.example"))) as api:
        response = await preflight(api, FRONTEND)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == FRONTEND
        allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
        assert {"authorization", "content-type"} <= allowed and "*" not in allowed
        assert "access-control-allow-credentials" not in response.headers
        actual = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": FRONTEND})
        assert actual.headers["access-control-allow-origin"] == FRONTEND


async def test_an_unlisted_origin_gets_no_allowance(settings_with):
    async with Api.running(create_app(settings_with(cors_origins=FRONTEND))) as api:
        response = await preflight(api, "https://evil.example")
        assert "access-control-allow-origin" not in response.headers
        actual = await api.client.post("/graphql", json={"query": "{ __typename }"},
                                       headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in actual.headers


async def test_without_configured_origins_there_are_no_cors_headers_at_all(api):
    response = await preflight(api, FRONTEND)
    assert not any(name.startswith("access-control-") for name in response.headers)


async def test_the_root_leads_to_graphql(api):
    response = await api.client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/graphql"


@pytest.mark.parametrize(
    "setting, value",
    [("port", 70000), ("port", 0), ("max_query_cost", -5), ("max_query_depth", 0), ("max_tokens", 0)],
)
def test_out_of_range_settings_are_refused_by_name(setting, value):
    with pytest.raises(SettingsError, match=f"WORKCRED_{setting.upper()}"):
        Settings(database_url="sqlite://:memory:", **{setting: value})


async def test_browser_code_may_read_the_response_headers_and_send_client_headers(settings_with):
    settings = settings_with(cors_origins=FRONTEND, cors_allow_headers="X-Trace-Id")
    async with Api.running(create_app(settings)) as api:
        asked = "authorization, content-type, apollographql-client-name, apollographql-client-version, x-trace-id"
        response = await api.client.options("/graphql", headers={
            "origin": FRONTEND, "access-control-request-method": "POST", "access-control-request-headers": asked})
        refused = await api.client.options("/graphql", headers={
            "origin": FRONTEND, "access-control-request-method": "POST", "access-control-request-headers": "x-other"})
        actual = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": FRONTEND})
    assert response.status_code == 200 and refused.status_code == 400
    exposed = {name.strip().lower() for name in actual.headers["access-control-expose-headers"].split(",")}
    assert {"x-request-id", "etag", "x-cache", "ratelimit-remaining", "retry-after"} <= exposed


@pytest.mark.parametrize(
    "origins", ["http://localhost:3000/", "localhost:3000", "https://app.example/path", "ftp://x.example", "http://"]
)
def test_an_origin_that_can_never_match_is_refused_at_start_up_in_one_line(origins):
    with pytest.raises(SettingsError, match="WORKCRED_CORS_ORIGINS") as refused:
        Settings(database_url="sqlite://:memory:", cors_origins=f"https://fine.example, {origins}")
    assert "\n" not in str(refused.value) and repr(origins) in str(refused.value)


@pytest.mark.parametrize("origins", ["*", "http://localhost:3000", "https://app.example", "http://[::1]:8000"])
def test_origins_as_browsers_send_them_are_accepted(origins):
    assert Settings(database_url="sqlite://:memory:", cors_origins=origins).cors_origin_list == [origins]


async def test_large_responses_are_gzipped_and_cacheable_ones_vary_by_credentials_and_encoding(api):
    introspection = "{ __schema { types { name description fields { name description } } } }"
    big = await api.client.get("/graphql", params={"query": introspection}, headers={"accept-encoding": "gzip"})
    again = await api.client.get("/graphql", params={"query": introspection}, headers={"accept-encoding": "gzip"})
    small = await api.client.get("/graphql", params={"query": "{ __typename }"}, headers={"accept-encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip" and big.json()["data"]["__schema"]["types"]
    assert "content-encoding" not in small.headers
    for response in (big, again, small):
        assert response.headers["vary"] == "Authorization, Accept-Encoding", response.headers
    assert (big.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
