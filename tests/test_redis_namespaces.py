"""Two deployments sharing one Redis: each hears only its own subscription events, spends only
its own rate-limit budgets and reads only its own cached responses (infra/shared_redis.py)."""

from __future__ import annotations

import secrets

import pytest

from infra.shared_redis import namespace
from tests.cluster import ClusterClient, Server, free_port, running
from tests.reviewing import SUBMIT, review_input
from tests.test_concurrency import representatives, reviewers
from tests.test_rate_limits import SIGN_IN, outcome
from tests.test_subscriptions import PUBLISHED, subscribed


@pytest.fixture
def two_deployments(fresh_database, redis_url):
    """Deployments A and B: one server each, on databases of their own, one Redis between them;
    the sign-in budget is small and the local proxy trusted, so a test can name the address."""
    env = {"REDIS_URL": redis_url, "WORKCRED_REVIEW_SIGNAL_PERIOD_SECONDS": "1",
           "WORKCRED_RATE_LIMIT_SIGNIN": "2/15minute", "WORKCRED_TRUSTED_PROXIES": "127.0.0.1"}
    urls = [fresh_database("migrated"), fresh_database("migrated")]
    with running([Server(free_port(), url, env) for url in urls]) as servers:
        yield list(zip(urls, servers, strict=True))


def test_the_namespace_follows_the_database_unless_one_is_set(tmp_path):
    first, second = (f"sqlite://{tmp_path / name}" for name in ("a.sqlite3", "b.sqlite3"))
    assert namespace(first) == namespace(f"{first}?journal_mode=WAL") != namespace(second)
    assert namespace("postgres://u@db:5432/a") == namespace("postgres://other@db:5432/a?application_name=x")
    assert namespace("postgres://u@db:5432/a") != namespace("postgres://u@db:5432/b")
    assert namespace(first, "shop-eu:") == "shop-eu:"


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_deployments_sharing_redis_hear_count_and_cache_only_their_own(two_deployments):
    (a_url, a), (b_url, b) = two_deployments
    async with ClusterClient([a, b], concurrency=4) as client:
        # given the same company, people and first review in both (their ids alike too)
        people = {}
        for url, server in ((a_url, a), (b_url, b)):
            client.servers = [server]
            people[server.url] = (await reviewers(client, 2), (await representatives(client, url, 1))[0])
        (a_first, a_second), a_rep = people[a.url]
        (b_first, _), _ = people[b.url]
        first = await client.ask(SUBMIT, {"input": review_input(a_first[1], title="A's first")}, a_first[0], a)
        assert first["data"]["submitReview"]["userErrors"] == []

        # when B publishes a review while A's representative listens, then A one of its own
        async with subscribed(a, PUBLISHED, {"slug": "contended-co"}, a_rep) as subscriber:
            on_b = await client.ask(SUBMIT, {"input": review_input(b_first[1], title="B's")}, b_first[0], b)
            on_a = await client.ask(SUBMIT, {"input": review_input(a_second[1], title="A's second")}, a_second[0], a)
            message = await subscriber.next_message()
        # then A hears its own second review first: had B's event (review 1 in B) reached A, A
        # would have announced its own review 1 before it
        assert on_b["data"]["submitReview"]["userErrors"] == []
        assert message["payload"]["data"]["reviewPublished"]["id"] == on_a["data"]["submitReview"]["review"]["id"]

        # when B's sign-in budget for an address and account is spent
        address, email = f"10.9.{secrets.randbelow(250)}.{secrets.randbelow(250)}", "burst0@example.com"

        async def attempt(server: Server, password: str) -> str:
            response = await client._clients[server.url].post(
                f"{server.url}/graphql", headers={"x-forwarded-for": address},
                json={"query": SIGN_IN, "variables": {"input": {"email": email, "password": password}}})
            return outcome(response.json())

        assert [await attempt(b, f"wrong {n}") for n in range(3)] == ["INVALID_CREDENTIALS"] * 2 + ["RATE_LIMITED"]
        # then the same account and address still sign in on A
        assert await attempt(a, "correct horse battery") == "SIGNED_IN"

        # and each deployment's cached answer to the same anonymous query is its own
        reviews = '{ company(slug: "contended-co") { reviews { edges { node { title } } } } }'
        titles: dict[str, list[list[str]]] = {}
        for server in (a, b, a, b):  # the second round is answered from each one's cache
            body = await client.ask(reviews, server=server)
            titles.setdefault(server.url, []).append([e["node"]["title"] for e in body["data"]["company"]["reviews"]["edges"]])
        # (one day's reviews come in their random order, the same on every read)
        assert titles[a.url][0] == titles[a.url][1] and sorted(titles[a.url][0]) == ["A's first", "A's second"]
        assert titles[b.url] == [["B's"]] * 2
