"""The anonymous response cache: hits skip execution, ETags give 304s, a committed write is seen
by the next read in every process (its cache and its ranking snapshot), and nothing signed-in or
mutating is ever shared."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.data_version import Version
from infra.persisted_queries import document_hash
from infra.response_cache import MAX_KNOWN_QUERY_STRING, Entry, ResponseCache
from tests.cluster import ClusterClient, Server, free_port, running
from tests.databases import execute, fetch
from tests.reviewing import HELPFUL, RESPOND, counting_statements, published_review, representative, reviewer

PROFILE = """mutation ($input: UpdateCompanyProfileInput!) { updateCompanyProfile(input: $input) {
  userErrors { code } } }"""

RANKING = """{ companies(first: 5, orderBy: {field: FIT}, filter: {minReviewCount: 1},
  priorities: {weights: [{dimension: GROWTH, weight: 5}]}) { edges { node { slug } } } }"""
PAGE = '{ company(slug: "acme-robotics") { name ratings { overall { count } } reviews(first: 5) { totalCount } } }'


async def get(api, query: str, headers: dict | None = None) -> httpx.Response:
    return await api.client.get("/graphql", params={"query": query}, headers=headers or {})


async def test_a_repeated_anonymous_query_is_answered_from_the_cache(api):
    await published_review(api)
    first = await get(api, PAGE)
    with counting_statements() as log:
        second = await get(api, PAGE)
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert second.json() == first.json() and second.json()["data"]["company"]["reviews"]["totalCount"] == 1
    assert len(log.statements) == 1  # the data version, nothing else
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["cache-control"] == "public, no-cache"


async def test_only_this_databases_writes_move_its_cache_on(fresh_database, api):
    # given a cached page, and another database on the same server (another deployment's)
    await published_review(api)
    assert (await get(api, PAGE)).headers["x-cache"] == "miss"
    elsewhere = fresh_database("migrated")
    # when the other database's version moves (its writes commit), the page is still a hit
    execute(elsewhere, "UPDATE data_version SET version = version + 1")
    assert (await get(api, PAGE)).headers["x-cache"] == "hit"
    # and when this one does, it is not
    await published_review(api)
    moved = await get(api, PAGE)
    assert moved.headers["x-cache"] == "miss" and moved.json()["data"]["company"]["reviews"]["totalCount"] == 2


async def test_a_company_page_stays_cached_while_other_companies_are_written_to(api):
    # given a cached page of one company
    await published_review(api)
    assert (await get(api, PAGE)).headers["x-cache"] == "miss"
    # when other companies get jobs, reviews, answers and helpful marks
    _, review = await published_review(api, company="Globex Motors")
    rep = await representative(api, "globex-motors")
    await api.mutate("respondToReview", RESPOND, {"reviewId": review, "body": "Thank you."}, rep)
    await api.query(HELPFUL, {"input": {"reviewId": review}}, await api.member())
    await reviewer(api, company="Initech")
    # then the page is still answered from the cache, with one statement
    with counting_statements() as log:
        page = await get(api, PAGE)
    assert page.headers["x-cache"] == "hit" and len(log.statements) == 1
    # while a page of everything (the ranking) is not
    assert (await get(api, RANKING)).headers["x-cache"] == "miss"


HELPFUL_COUNT = """query ($slug: String!) { company(slug: $slug) { description
  reviews(first: 5) { totalCount edges { node { helpfulCount response { body } } } } } }"""


async def test_every_write_to_a_company_is_seen_by_its_next_read(api):
    _, review = await published_review(api)
    rep = await representative(api, "acme-robotics")

    async def read() -> tuple[str, dict]:
        response = await api.client.post("/graphql", json={"query": HELPFUL_COUNT, "variables": {"slug": "acme-robotics"}})
        return response.headers["x-cache"], response.json()["data"]["company"]

    def first(company: dict) -> dict:
        return company["reviews"]["edges"][0]["node"]

    assert (await read())[0] == "miss" and (await read())[0] == "hit"
    await api.query(HELPFUL, {"input": {"reviewId": review}}, await api.member())
    outcome, company = await read()
    assert (outcome, first(company)["helpfulCount"]) == ("miss", 1)
    await api.mutate("respondToReview", RESPOND, {"reviewId": review, "body": "We are listening."}, rep)
    outcome, company = await read()
    assert (outcome, first(company)["response"]) == ("miss", {"body": "We are listening."})
    await api.mutate("updateCompanyProfile", PROFILE, {"companySlug": "acme-robotics", "description": "Robots."}, rep)
    outcome, company = await read()
    assert (outcome, company["description"]) == ("miss", "Robots.")
    await published_review(api)
    outcome, company = await read()
    assert (outcome, company["reviews"]["totalCount"]) == ("miss", 2)
    assert (await read())[0] == "hit"


async def test_a_page_of_no_company_waits_for_any_write(api):
    # given the page of a company nobody has named yet, cached as null
    page = '{ company(slug: "initech") { name } }'
    assert (await get(api, page)).json()["data"]["company"] is None
    assert (await get(api, page)).headers["x-cache"] == "hit"
    # when a member names it, the next read shows it
    await reviewer(api, company="Initech")
    shown = await get(api, page)
    assert shown.headers["x-cache"] == "miss" and shown.json()["data"]["company"] == {"name": "Initech"}


async def test_a_query_string_answered_before_is_served_ahead_of_parsing_and_routing(api):
    await published_review(api)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(PAGE)}}
    persisted = {"extensions": json.dumps(extensions)}
    first = await api.client.post("/graphql", json={"query": PAGE, "extensions": extensions})
    assert first.headers["x-cache"] == "miss"
    # the same request spelled as a GET of the persisted hash: the shared entry, looked up once
    by_hash = await api.client.get("/graphql", params=persisted)
    with counting_statements() as log:
        again = await api.client.get("/graphql", params=persisted, headers={"X-Request-ID": "again-1"})
    assert (by_hash.headers["x-cache"], again.headers["x-cache"]) == ("hit", "hit")
    assert again.content == by_hash.content == first.content and len(log.statements) == 1
    assert again.headers["x-request-id"] == "again-1" and again.headers["etag"] == first.headers["etag"]
    assert (await api.client.get("/graphql", params=persisted, headers={"If-None-Match": first.headers["etag"]})
            ).status_code == 304


async def test_a_signed_in_viewer_is_never_answered_from_a_query_string_cached_for_anonymous(api):
    token, _ = await published_review(api)
    viewer = "{ viewer { member { email } } }"
    assert (await get(api, viewer)).json()["data"] == {"viewer": None}
    assert (await get(api, viewer)).headers["x-cache"] == "hit"
    mine = await get(api, viewer, {"Authorization": f"Bearer {token}"})
    assert mine.json()["data"]["viewer"]["member"]["email"].endswith("@example.com")
    assert "x-cache" not in mine.headers


def test_the_early_look_up_keeps_few_and_short_query_strings():
    cache = ResponseCache(seconds=60, entries=3)
    longest, too_long = b"q" * MAX_KNOWN_QUERY_STRING, b"q" * (MAX_KNOWN_QUERY_STRING + 1)
    cache.know_query_string(longest, "longest")
    cache.know_query_string(too_long, "too long")
    assert cache.identity_of(longest) == "longest" and cache.identity_of(too_long) is None
    for number in range(3):
        cache.know_query_string(b"%d" % number, str(number))
    assert cache.identity_of(longest) is None and cache.identity_of(b"0") == "0"  # the oldest went


async def test_a_long_query_string_is_still_answered_from_the_cache(api):
    await published_review(api)
    padded = PAGE + " " * MAX_KNOWN_QUERY_STRING
    assert [(await get(api, padded)).headers["x-cache"] for _ in range(2)] == ["miss", "hit"]


async def test_if_none_match_gets_a_304_until_the_data_changes(api):
    await published_review(api)
    etag = (await get(api, PAGE)).headers["etag"]
    unchanged = await get(api, PAGE, {"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    await published_review(api)  # a committed write moves the data version
    changed = await get(api, PAGE, {"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["data"]["company"]["reviews"]["totalCount"] == 2


async def test_signed_in_requests_and_mutations_are_never_shared(api):
    token, _ = await published_review(api)
    viewer = "{ viewer { member { email } } }"
    for _ in range(2):
        mine = await api.client.post("/graphql", json={"query": viewer}, headers={"Authorization": f"Bearer {token}"})
        assert "x-cache" not in mine.headers and "etag" not in mine.headers
        assert mine.json()["data"]["viewer"]["member"]["email"].endswith("@example.com")
    anonymous = await api.client.post("/graphql", json={"query": viewer})
    assert "@example.com" not in anonymous.text and not anonymous.json().get("errors")
    tokens = set()
    for _ in range(2):
        signed_up = await api.client.post("/graphql", json={"query": """mutation { signUp(input: {
            email: "twice@example.com", password: "correct horse battery", displayName: "Twice"}) {
            token userErrors { code } } }"""})
        assert "x-cache" not in signed_up.headers
        tokens.add(str(signed_up.json()["data"]["signUp"]))
    assert len(tokens) == 2  # the second got EMAIL_TAKEN, not the first's token


async def test_errors_are_not_cached(api):
    broken = '{ companies(first: 500) { totalCount } }'
    for _ in range(2):
        response = await get(api, broken)
        assert response.json()["errors"] and "x-cache" not in response.headers


async def test_the_cache_can_be_turned_off(settings_with):
    from app import create_app
    from tests.api import Api

    async with Api.running(create_app(settings_with(response_cache_seconds=0))) as api:
        assert "x-cache" not in (await get(api, PAGE)).headers


@pytest.fixture
def two_servers(fresh_database):
    url = fresh_database("migrated")
    with running([Server(free_port(), url) for _ in range(2)]) as servers:
        yield servers


async def test_a_write_through_one_process_is_seen_through_the_others_cache(two_servers):
    from tests.reviewing import review_input
    from tests.test_employment import ADD

    a, b = two_servers
    page = '{ company(slug: "coherent-co") { reviews(first: 1) { totalCount } } }'
    async with httpx.AsyncClient(timeout=30) as client:

        async def read(server: Server) -> tuple[int | None, str]:
            response = await client.get(f"{server.url}/graphql", params={"query": page})
            company = response.json()["data"]["company"]
            return (company["reviews"]["totalCount"] if company else None), response.headers.get("x-cache", "")

        async def ranked(server: Server) -> list[str]:
            response = await client.post(f"{server.url}/graphql", json={"query": RANKING})
            return [edge["node"]["slug"] for edge in response.json()["data"]["companies"]["edges"]]

        async def write(server: Server, query: str, variables: dict, token: str | None = None) -> dict:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = await client.post(f"{server.url}/graphql", json={"query": query, "variables": variables},
                                         headers=headers)
            return response.json()["data"]

        async with ClusterClient([a], concurrency=2) as signing_up:
            token = await signing_up.member("c@example.com", "C")
        job = await write(a, ADD, {"input": {"companyName": "Coherent Co", "jobFunction": "ENGINEERING",
                                             "location": "Shanghai", "startDate": "2020-01-01",
                                             "positions": [{"title": "Staff", "level": 3, "startDate": "2020-01-01"}]}},
                          token)
        assert await read(b) == (0, "miss") and await read(b) == (0, "hit")
        assert await ranked(b) == []  # B's ranking snapshot holds the company, unreviewed
        from tests.reviewing import SUBMIT

        submitted = await write(a, SUBMIT, {"input": review_input(job["addEmployment"]["employment"]["id"])}, token)
        assert submitted["submitReview"]["userErrors"] == []
        assert await read(b) == (1, "miss")
        # and B's ranking snapshot caught up with the company A's write changed
        assert await ranked(b) == ["coherent-co"]


@given(
    body=st.text(), data=st.integers(0, 2**40),
    stamps=st.dictionaries(st.integers(1, 2**31), st.integers(1, 2**40), min_size=1, max_size=5),
    moved=st.integers(1, 2**40),
)
def test_an_entry_reads_back_as_stored_and_is_fresh_only_while_what_it_shows_is_unchanged(body, data, stamps, moved):
    response = {"data": body}
    shown = tuple(sorted(stamps.items()))
    everything = Entry.showing_everything(response, Version(f"v{data}", 1))
    companies = Entry.showing_companies(response, stamps)
    for entry in (everything, companies):
        assert Entry.decoded(entry.encoded()) == entry
    # a page of everything lives until any write; a company page until one of its companies moves
    assert everything.fresh_at(Version(f"v{data}", 2)) and not everything.fresh_at(Version(f"v{data + 1}", 2))
    assert companies.fresh_at(Version(f"v{data + moved}", 2, shown))
    company, stamp = shown[0]
    assert not companies.fresh_at(Version(f"v{data}", 2, ((company, stamp + moved), *shown[1:])))
    assert not companies.fresh_at(Version(f"v{data}", 2, shown[1:]))  # one of them is gone


def test_only_writes_a_page_shows_stamp_its_company(fresh_database):
    url = fresh_database("migrated")
    now = "CURRENT_TIMESTAMP"
    execute(url, f"INSERT INTO company (slug, name, created_at, unanswered_review_count, member_count, "
                 f"verified_member_count, former_member_count, responded_review_count) "
                 f"VALUES ('acme', 'Acme', {now}, 0, 0, 0, 0, 0)")
    execute(url, "INSERT INTO removal_poll (company_id, reason, status, opened_at, closes_at, quorum, threshold, "
                 f"vetoed, remove_voters, keep_voters, remove_weight, recent_remove_weight, keep_weight) "
                 f"VALUES ((SELECT id FROM company), 'SPAM', 'OPEN', {now}, {now}, 5, 0.66, false, 0, 0, 0, 0, 0)")

    def stamp() -> int:
        return fetch(url, "SELECT version FROM company_version")[0][0]

    opened = stamp()
    # a vote moves the poll's running tallies, and a job the member counts: neither is shown
    execute(url, "UPDATE removal_poll SET remove_voters = 1, remove_weight = 1.0")
    execute(url, "UPDATE company SET member_count = 1, former_member_count = 1")
    assert stamp() == opened
    # the poll settling is shown, and so is the company's own description
    execute(url, "UPDATE removal_poll SET status = 'KEPT'")
    settled = stamp()
    assert settled != opened
    execute(url, "UPDATE company SET description = 'Robots.'")
    assert stamp() != settled
