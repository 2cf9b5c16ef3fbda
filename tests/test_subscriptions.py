"""Live signals over real WebSockets (graphql-transport-ws) against real server processes: a
write through one process reaches a subscriber of another — through PostgreSQL LISTEN/NOTIFY, or
Redis pub/sub for SQLite — only after its transaction commits, only to those allowed to see it,
and never sooner than a review's page would date it."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
import websockets

from domain.anonymity import signal_release_at
from tests.cluster import ClusterClient, Server, free_port, running
from tests.reviewing import RESPOND, SUBMIT, WITHDRAW, review_input
from tests.test_concurrency import representatives, reviewers

SIGNAL_PERIOD_SECONDS = 2
PUBLISHED = """subscription ($slug: String!) { reviewPublished(companySlug: $slug) {
  id title overall company { slug } tenure { jobFunction } } }"""
RESPONDED = """subscription ($id: ID!) { reviewResponded(reviewId: $id) { body company { slug } } }"""
SLUG = "contended-co"


@pytest.fixture
def two_processes(database_kind, fresh_database, request):
    """Two servers on one database; on SQLite they share events through Redis."""
    database_url = fresh_database("migrated")
    env = {"WORKCRED_REVIEW_SIGNAL_PERIOD_SECONDS": str(SIGNAL_PERIOD_SECONDS)}
    if database_kind == "sqlite":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    with running([Server(free_port(), database_url, env) for _ in range(2)]) as servers:
        yield database_url, servers


@pytest.fixture
def one_process(fresh_database):
    """The single-process SQLite default: events stay inside the process."""
    with running([Server(free_port(), fresh_database("migrated"), {"WORKCRED_REVIEW_SIGNAL_PERIOD_SECONDS": "1"})]) as [server]:
        yield server


class Subscriber:
    def __init__(self, socket: Any) -> None:
        self.socket = socket

    async def next_message(self, timeout: float = 15) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.socket.recv(), timeout))

    async def nothing_for(self, seconds: float) -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(self.socket.recv(), seconds)


@asynccontextmanager
async def subscribed(server: Server, document: str, variables: dict[str, Any], token: str | None = None):
    url = server.url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:
        init: dict[str, Any] = {"type": "connection_init"}
        if token is not None:
            init["payload"] = {"Authorization": f"Bearer {token}"}
        await socket.send(json.dumps(init))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(json.dumps({"id": "1", "type": "subscribe",
                                      "payload": {"query": document, "variables": variables}}))
        await asyncio.sleep(0.5)  # the subscription is registered before the write is made
        yield Subscriber(socket)


async def into_a_fresh_window() -> datetime:
    """Sleeps just past the start of the next signal window and returns when that window ends, so
    what follows has nearly a whole window before any review written now is released."""
    now = datetime.now(UTC)
    await asyncio.sleep((signal_release_at(now, SIGNAL_PERIOD_SECONDS) - now).total_seconds() + 0.05)
    return signal_release_at(datetime.now(UTC), SIGNAL_PERIOD_SECONDS)


async def submit(client: ClusterClient, server: Server, token: str, employment_id: str, title: str) -> dict:
    body = await client.query(SUBMIT, {"input": review_input(employment_id, title=title)}, token, server)
    payload = body["data"]["submitReview"]
    assert payload["userErrors"] == [], payload
    return payload["review"]


async def test_a_representative_hears_of_a_review_written_through_another_process(two_processes):
    database_url, (a, b) = two_processes
    async with ClusterClient([a, b], concurrency=4) as client:
        [(author, job)] = await reviewers(client, 1)
        [rep] = await representatives(client, database_url, 1)
        async with subscribed(a, PUBLISHED, {"slug": SLUG}, rep) as subscriber:
            before = datetime.now(UTC)
            review = await submit(client, b, author, job, "Written through B")
            message = await subscriber.next_message()
            arrived = datetime.now(UTC)
        assert message["type"] == "next", message
        shown = message["payload"]["data"]["reviewPublished"]
        assert shown == {"id": review["id"], "title": "Written through B", "overall": 4,
                         "company": {"slug": SLUG}, "tenure": {"jobFunction": review["tenure"]["jobFunction"]}}
        # held to the end of its window, as its page dates it
        assert arrived >= signal_release_at(before, SIGNAL_PERIOD_SECONDS)


async def test_a_review_withdrawn_before_its_release_is_never_signalled(two_processes):
    database_url, (a, b) = two_processes
    async with ClusterClient([a, b], concurrency=4) as client:
        (first, first_job), (second, second_job) = await reviewers(client, 2)
        [rep] = await representatives(client, database_url, 1)
        async with subscribed(a, PUBLISHED, {"slug": SLUG}, rep) as subscriber:
            # a review withdrawn after its release was rightly signalled: both writes must fall in one window
            release = await into_a_fresh_window()
            withdrawn = await submit(client, b, first, first_job, "Regretted")
            await client.query(WITHDRAW, {"input": {"reviewId": withdrawn["id"]}}, first, b)
            assert datetime.now(UTC) < release, "submitting and withdrawing took a whole signal window"
            kept = await submit(client, b, second, second_job, "Kept")
            message = await subscriber.next_message()
            assert message["payload"]["data"]["reviewPublished"]["id"] == kept["id"]
            await subscriber.nothing_for(SIGNAL_PERIOD_SECONDS + 1)


async def test_anyone_hears_the_company_respond_through_another_process(two_processes):
    database_url, (a, b) = two_processes
    async with ClusterClient([a, b], concurrency=4) as client:
        [(author, job)] = await reviewers(client, 1)
        [rep] = await representatives(client, database_url, 1)
        review = await submit(client, b, author, job, "Ask us anything")
        async with subscribed(a, RESPONDED, {"id": review["id"]}) as subscriber:
            started = time.monotonic()
            body = await client.query(RESPOND, {"input": {"reviewId": review["id"], "body": "Thank you."}}, rep, b)
            assert body["data"]["respondToReview"]["userErrors"] == []
            message = await subscriber.next_message()
        assert message["payload"]["data"]["reviewResponded"] == {"body": "Thank you.", "company": {"slug": SLUG}}
        assert time.monotonic() - started < 10  # responses are not held back: the company wrote them


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_in_one_process_events_need_no_broker(one_process):
    async with ClusterClient([one_process], concurrency=2) as client:
        [(author, job)] = await reviewers(client, 1)
        [rep] = await representatives(client, one_process.database_url, 1)
        async with subscribed(one_process, PUBLISHED, {"slug": SLUG}, rep) as subscriber:
            review = await submit(client, one_process, author, job, "Single process")
            message = await subscriber.next_message()
        assert message["payload"]["data"]["reviewPublished"]["id"] == review["id"]


async def test_only_the_companys_people_may_listen_for_new_reviews(two_processes):
    database_url, (a, b) = two_processes
    async with ClusterClient([a, b], concurrency=4) as client:
        (author, job), (colleague, _) = await reviewers(client, 2)
        cases = [(None, "UNAUTHENTICATED"), (colleague, "FORBIDDEN"), ("not-a-token", "UNAUTHENTICATED")]
        for token, code in cases:
            async with subscribed(a, PUBLISHED, {"slug": SLUG}, token) as subscriber:
                await submit(client, b, author, job, f"Not for {code}") if token is None else None
                message = await subscriber.next_message()
                assert message["type"] == "error", message
                assert [e["extensions"]["code"] for e in message["payload"]] == [code]
                await subscriber.nothing_for(SIGNAL_PERIOD_SECONDS + 1)
        async with subscribed(a, PUBLISHED, {"slug": "no-such-company"}, colleague) as subscriber:
            message = await subscriber.next_message()
            assert message["type"] == "error"
            assert [e["extensions"]["code"] for e in message["payload"]] == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_listening_to_a_review_that_does_not_exist_is_bad_input(one_process):
    from schema.node import to_global_id

    for review_id in ("not-an-id", to_global_id("Review", 999_999), to_global_id("Company", 1)):
        async with subscribed(one_process, RESPONDED, {"id": review_id}) as subscriber:
            message = await subscriber.next_message()
            assert message["type"] == "error", message
            assert [e["extensions"]["code"] for e in message["payload"]] == ["BAD_USER_INPUT"]
