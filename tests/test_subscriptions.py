"""Live signals over real WebSockets (graphql-transport-ws) against real server processes: a
write through one process reaches a subscriber of another — through PostgreSQL LISTEN/NOTIFY, or
Redis pub/sub for SQLite — only after its transaction commits, only to those allowed to see it,
and never sooner than a review's page would date it: at the end of its day, which the tests
reach by moving the servers' clocks (tests/clocked.py), not by waiting.

One pair of servers per database serves the whole module; each test works at a company of its
own, with members of its own."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import websockets
from websockets.typing import Subprotocol

from tests.cli import workcred
from tests.clocked import jump, listeners, until
from tests.cluster import ClusterClient, Server, free_port, running
from tests.conftest import module_database
from tests.reviewing import RESPOND, SUBMIT, WITHDRAW, review_input
from tests.test_employment import ADD

pytestmark = pytest.mark.xdist_group("subscriptions")  # the module's servers serve all its tests
DAY = 86_400  # the signal period: the production default
PUBLISHED = """subscription ($slug: String!) { reviewPublished(companySlug: $slug) {
  id title overall company { slug } tenure { jobFunction } } }"""
RESPONDED = """subscription ($id: ID!) { reviewResponded(reviewId: $id) { body company { slug } } }"""
_companies = itertools.count(1)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def two_processes(request, tmp_path_factory) -> Iterator[tuple[str, list[Server]]]:
    """Two servers on one database of the module's own; on SQLite they share events through Redis."""
    database_url, env = module_database(request, tmp_path_factory), {}
    if request.param == "sqlite":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    with running([Server(free_port(), database_url, env) for _ in range(2)]) as servers:
        yield database_url, servers


class Subscriber:
    def __init__(self, socket: Any) -> None:
        self.socket = socket

    async def next_message(self, timeout: float = 15) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.socket.recv(), timeout))

    async def nothing_queued(self) -> None:
        """Nothing waits to be sent on this socket: a ping's pong is the next message."""
        await self.socket.send(json.dumps({"type": "ping"}))
        assert await self.next_message() == {"type": "pong"}


@asynccontextmanager
async def subscribed(
    server: Server, document: str, variables: dict[str, Any], token: str | None = None, refused: bool = False
) -> AsyncIterator[Subscriber]:
    """A subscription on `server`, in place (the server listens) before the block runs — unless
    it is to be `refused`, in which case its error is the next message."""
    url = server.url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
        init: dict[str, Any] = {"type": "connection_init"}
        if token is not None:
            init["payload"] = {"Authorization": f"Bearer {token}"}
        await socket.send(json.dumps(init))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        before = (await listeners(server.url))["channels"]

        async def listening() -> bool:
            after = (await listeners(server.url))["channels"]
            return any(count > before.get(channel, 0) for channel, count in after.items())

        await socket.send(json.dumps({"id": "1", "type": "subscribe",
                                      "payload": {"query": document, "variables": variables}}))
        if not refused:
            await until(listening, "the server listening for the subscription")
        yield Subscriber(socket)


async def waits_on_the_clock(server: Server) -> int:
    """How many signals the server holds back (each a wait on its clock)."""
    return int((await listeners(server.url))["waiting"])


class Company:
    """A company of the test's own, its reviewers and a representative, on the shared servers."""

    def __init__(self, client: ClusterClient, database_url: str) -> None:
        self.number = next(_companies)
        self.name, self.slug = f"Signal Co {self.number}", f"signal-co-{self.number}"
        self.client, self.database_url = client, database_url
        self._people = itertools.count(1)

    async def _member(self) -> tuple[str, str]:
        email = f"signal{self.number}-{next(self._people)}@example.com"
        return await self.client.member(email, "Signal member"), email

    async def reviewer(self) -> tuple[str, str]:
        """(token, employment id) of a new member with a current job here."""
        token, _ = await self._member()
        body = await self.client.ask(ADD, {"input": {
            "companyName": self.name, "jobFunction": "ENGINEERING", "location": "Shanghai", "startDate": "2020-01-01",
            "positions": [{"title": "Staff", "level": 3, "startDate": "2020-01-01"}]}}, token)
        return token, body["data"]["addEmployment"]["employment"]["id"]

    async def representative(self) -> str:
        token, email = await self._member()
        granted = workcred(self.database_url, "grant-role", "--company", self.slug, "--email", email,
                           "--role", "REPRESENTATIVE")
        assert granted.returncode == 0, granted.stderr
        return token

    async def submit(self, server: Server, reviewer: tuple[str, str], title: str) -> dict:
        token, employment_id = reviewer
        body = await self.client.ask(SUBMIT, {"input": review_input(employment_id, title=title)}, token, server)
        payload = body["data"]["submitReview"]
        assert payload["userErrors"] == [], payload
        return payload["review"]


@pytest.fixture
async def company(two_processes) -> AsyncIterator[tuple[Company, list[Server]]]:
    database_url, servers = two_processes
    async with ClusterClient(servers, concurrency=4) as client:
        yield Company(client, database_url), servers


async def _more(count: Awaitable[int], than: int) -> bool:
    return await count > than


async def a_day_passes(servers: list[Server]) -> None:
    for server in servers:
        await jump(server.url, DAY)


async def test_a_representative_hears_of_a_review_written_through_another_process_when_its_day_ends(company):
    company, (a, b) = company
    author, rep = await company.reviewer(), await company.representative()
    async with subscribed(a, PUBLISHED, {"slug": company.slug}, rep) as subscriber:
        holding = await waits_on_the_clock(a)
        review = await company.submit(b, author, "Written through B")
        # the review reaches A, which holds it to the end of its day, as its page dates it
        await until(lambda: _more(waits_on_the_clock(a), holding), "A holding the review's signal")
        await subscriber.nothing_queued()
        await a_day_passes([a, b])
        message = await subscriber.next_message()
    assert message["type"] == "next", message
    assert message["payload"]["data"]["reviewPublished"] == {
        "id": review["id"], "title": "Written through B", "overall": 4, "company": {"slug": company.slug},
        "tenure": {"jobFunction": review["tenure"]["jobFunction"]}}


async def test_a_review_withdrawn_before_its_release_is_never_signalled(company):
    company, (a, b) = company
    first, second, rep = await company.reviewer(), await company.reviewer(), await company.representative()
    async with subscribed(a, PUBLISHED, {"slug": company.slug}, rep) as subscriber:
        # given a review withdrawn on the day it was written, and one kept
        withdrawn = await company.submit(b, first, "Regretted")
        body = await company.client.ask(WITHDRAW, {"input": {"reviewId": withdrawn["id"]}}, first[0], b)
        assert body["data"]["withdrawReview"]["review"]["status"] == "WITHDRAWN"
        kept = await company.submit(b, second, "Kept")
        # when the day ends
        await a_day_passes([a, b])
        # then the kept one is the first signal: the withdrawn one, announced before it, was
        # looked at first and dropped
        message = await subscriber.next_message()
        assert message["payload"]["data"]["reviewPublished"]["id"] == kept["id"]
        await subscriber.nothing_queued()


async def test_anyone_hears_the_company_respond_through_another_process_at_once(company):
    company, (a, b) = company
    author, rep = await company.reviewer(), await company.representative()
    review = await company.submit(b, author, "Ask us anything")
    async with subscribed(a, RESPONDED, {"id": review["id"]}) as subscriber:
        body = await company.client.ask(RESPOND, {"input": {"reviewId": review["id"], "body": "Thank you."}}, rep, b)
        assert body["data"]["respondToReview"]["userErrors"] == []
        # responses are not held back (the company wrote them): no clock moves here
        message = await subscriber.next_message()
    assert message["payload"]["data"]["reviewResponded"] == {"body": "Thank you.", "company": {"slug": company.slug}}


async def test_only_the_companys_people_may_listen_for_new_reviews(company):
    company, (a, b) = company
    colleague, rep = await company.reviewer(), await company.representative()
    cases = [(None, "UNAUTHENTICATED"), (colleague[0], "FORBIDDEN"), ("not-a-token", "UNAUTHENTICATED")]
    for token, code in cases:
        async with subscribed(a, PUBLISHED, {"slug": company.slug}, token, refused=True) as refused, \
                subscribed(a, PUBLISHED, {"slug": company.slug}, rep) as allowed:
            message = await refused.next_message()
            assert message["type"] == "error", message
            assert [e["extensions"]["code"] for e in message["payload"]] == [code]
            # when a review is released, the company's representative hears of it, and still
            # nothing reaches the refused socket
            await company.submit(b, await company.reviewer(), f"Not for {code}")
            await a_day_passes([a, b])
            assert (await allowed.next_message())["type"] == "next"
            await refused.nothing_queued()
    async with subscribed(a, PUBLISHED, {"slug": "no-such-company"}, colleague[0], refused=True) as subscriber:
        message = await subscriber.next_message()
        assert message["type"] == "error"
        assert [e["extensions"]["code"] for e in message["payload"]] == ["BAD_USER_INPUT"]


async def test_listening_to_a_review_that_does_not_exist_is_bad_input(company):
    _, (a, _) = company
    # well-formed ids this deployment never gave out (no review has them), and no id at all
    unknown = [base64.urlsafe_b64encode(f"{kind}:k{place}".encode()).decode()
               for kind, place in (("Review", "00000000"), ("Review", "ffffffff"), ("Company", "00000001"))]
    for review_id in ("not-an-id", *unknown):
        async with subscribed(a, RESPONDED, {"id": review_id}, refused=True) as subscriber:
            message = await subscriber.next_message()
            assert message["type"] == "error", message
            assert [e["extensions"]["code"] for e in message["payload"]] == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_in_one_process_events_need_no_broker(fresh_database):
    database_url = fresh_database("migrated")
    with running([Server(free_port(), database_url)]) as [server]:
        async with ClusterClient([server], concurrency=2) as client:
            here = Company(client, database_url)
            author, rep = await here.reviewer(), await here.representative()
            async with subscribed(server, PUBLISHED, {"slug": here.slug}, rep) as subscriber:
                review = await here.submit(server, author, "Single process")
                await a_day_passes([server])
                message = await subscriber.next_message()
    assert message["payload"]["data"]["reviewPublished"]["id"] == review["id"]
