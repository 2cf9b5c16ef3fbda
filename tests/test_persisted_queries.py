"""Persisted queries (Apollo's APQ protocol) over POST and GET, and the allow-list mode."""

from __future__ import annotations

import json
import secrets

import pytest

from app import create_app
from infra import shared_redis
from infra.bounded_store import BoundedStore
from infra.persisted_queries import PersistedQueries, document_hash
from infra.rate_limits import RateLimits
from infra.settings import Settings, SettingsError
from tests.api import Api

QUERY = "query Companies { companies(first: 2) { totalCount } }"
HASH = document_hash(QUERY)


def persisted(sha: str = HASH) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


async def post(api: Api, body: dict) -> tuple[int, dict]:
    response = await api.client.post("/graphql", json=body)
    return response.status_code, response.json()


def codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def test_a_client_registers_a_query_once_then_sends_only_its_hash(api):
    status, unknown = await post(api, {"extensions": persisted()})
    assert (status, codes(unknown), unknown["errors"][0]["message"]) == (
        200, ["PERSISTED_QUERY_NOT_FOUND"], "PersistedQueryNotFound"
    )
    status, registered = await post(api, {"query": QUERY, "extensions": persisted()})
    assert status == 200 and registered["data"] == {"companies": {"totalCount": 0}}
    status, by_hash = await post(api, {"extensions": persisted()})
    assert by_hash["data"] == registered["data"]


async def test_by_get_with_only_the_hash_in_the_url(api):
    await post(api, {"query": QUERY, "extensions": persisted()})
    response = await api.client.get(
        "/graphql", params={"extensions": json.dumps(persisted())}, headers={"Accept": "*/*"}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"companies": {"totalCount": 0}}


async def test_mutations_are_refused_over_get(api):
    mutation = 'mutation { signIn(input: {email: "a@example.com", password: "x"}) { token } }'
    response = await api.client.get("/graphql", params={"query": mutation})
    assert 400 <= response.status_code < 500


async def test_a_hash_that_does_not_match_its_text_registers_nothing(api):
    wrong = "0" * 64
    _, mismatch = await post(api, {"query": QUERY, "extensions": persisted(wrong)})
    assert codes(mismatch) == ["PERSISTED_QUERY_HASH_MISMATCH"] and mismatch.get("data") is None
    _, still_unknown = await post(api, {"extensions": persisted(wrong)})
    assert codes(still_unknown) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    "extension",
    [{"persistedQuery": {"version": 2, "sha256Hash": HASH}}, {"persistedQuery": {"version": 1, "sha256Hash": "xyz"}},
     {"persistedQuery": "yes"}],
)
async def test_malformed_persisted_query_extensions_are_bad_input(api, extension):
    status, body = await post(api, {"query": QUERY, "extensions": extension})
    assert status == 200 and codes(body) == ["BAD_USER_INPUT"]


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({HASH: QUERY}))
    return str(path)


async def test_allowlist_mode_runs_only_registered_documents(settings_with, manifest):
    app = create_app(settings_with(persisted_queries="allowlist", persisted_query_manifest=manifest))
    async with Api.running(app) as api:
        assert (await post(api, {"extensions": persisted()}))[1]["data"] == {"companies": {"totalCount": 0}}
        assert (await post(api, {"query": QUERY}))[1]["data"] == {"companies": {"totalCount": 0}}
        other = "{ companies(first: 1) { totalCount } }"
        for body in ({"query": other}, {"query": other, "extensions": persisted(document_hash(other))}):
            status, refused = await post(api, body)
            assert (status, codes(refused)) == (200, ["PERSISTED_QUERY_NOT_ALLOWED"])


async def test_off_mode_refuses_the_extension_but_runs_plain_queries(settings_with):
    async with Api.running(create_app(settings_with(persisted_queries="off"))) as api:
        assert codes((await post(api, {"extensions": persisted()}))[1]) == ["PERSISTED_QUERY_NOT_SUPPORTED"]
        assert (await post(api, {"query": QUERY}))[1]["data"] == {"companies": {"totalCount": 0}}


def test_settings_refuse_a_bad_mode_or_manifest(settings_with, tmp_path):
    with pytest.raises(SettingsError, match="WORKCRED_PERSISTED_QUERIES must be one of"):
        settings_with(persisted_queries="sometimes")
    with pytest.raises(SettingsError, match="needs WORKCRED_PERSISTED_QUERY_MANIFEST"):
        settings_with(persisted_queries="allowlist")
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({"0" * 64: QUERY}))
    with pytest.raises(SettingsError, match="does not match"):
        settings_with(persisted_queries="allowlist", persisted_query_manifest=str(forged))


async def test_with_redis_every_process_knows_what_one_registered(settings_with, redis_url):
    query = f"query Unique{secrets.token_hex(4)} {{ companies(first: 1) {{ totalCount }} }}"
    sha = document_hash(query)
    shared = settings_with(redis_url=redis_url)
    async with Api.running(create_app(shared)) as first, Api.running(create_app(shared)) as second:
        assert codes((await post(second, {"extensions": persisted(sha)}))[1]) == ["PERSISTED_QUERY_NOT_FOUND"]
        await post(first, {"query": query, "extensions": persisted(sha)})
        assert (await post(second, {"extensions": persisted(sha)}))[1]["data"] == {"companies": {"totalCount": 0}}


@pytest.fixture(params=["in process", "redis"])
async def shared(request):
    """Where bounded stores keep their entries: None (in process) or a Redis client, with a
    namespace of this test's own."""
    if request.param == "in process":
        yield None, None, ""
        return
    url = request.getfixturevalue("redis_url")
    client = shared_redis.connect(url)
    namespace = f"workcred-test:{secrets.token_hex(6)}:"
    try:
        yield client, url, namespace
    finally:
        keys = [key async for key in client.scan_iter(match=f"{namespace}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


def a_document(number: int) -> str:
    return f"query Registered{number} {{ viewer {{ member {{ id }} }} }} # {'x' * 900}"


async def test_one_address_registering_thousands_of_documents_keeps_only_its_budget(shared):
    redis, url, namespace = shared
    budgets = Settings(database_url="sqlite://:memory:", rate_limit_registrations="100/hour").budgets()
    limits = RateLimits(budgets, url, namespace)
    registry = PersistedQueries("auto", None, redis, namespace, rate_limits=limits)
    # when one address sends 5,000 distinct documents with their hashes
    for number in range(5_000):
        document = a_document(number)
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(document)}}
        assert await registry.resolve(document, extensions, "10.0.0.1") == document  # each still runs
    # then the registry kept its budget's worth, and another address still registers
    documents, size = await registry.size()
    assert documents == 100 and size < 100 * 1_000
    other = a_document(99_999)
    await registry.resolve(other, {"persistedQuery": {"version": 1, "sha256Hash": document_hash(other)}}, "10.0.0.2")
    assert await registry.resolve(None, {"persistedQuery": {"version": 1, "sha256Hash": document_hash(other)}}) == other


async def test_the_registry_and_the_response_cache_stay_within_their_bytes(shared):
    redis, _, namespace = shared
    store = BoundedStore(max_entries=1_000, max_bytes=100_000, lifetime_seconds=60, redis=redis, prefix=namespace)
    for number in range(2_000):
        await store.put(f"key{number}", a_document(number))
        await store.put(f"key{number}", a_document(number))  # kept again, counted once
    entries, size = await store.size()
    assert size <= 100_000 and 100 <= entries <= 105  # as many ~950-byte entries as fit
    assert await store.get("key1999") == a_document(1_999) and await store.get("key0") is None
    # the oldest went first: the latest hundred are all there (stored within one second, too)
    assert all([await store.get(f"key{number}") for number in range(1_900, 2_000)])
    await store.put("huge", "x" * 200_000)  # larger than the whole store: not kept, nothing pushed out
    assert await store.get("huge") is None and await store.get("key1999") is not None
