"""Several app processes on one database under a burst of conflicting writes (SPEC "Running").

Every invariant must hold across processes: aggregates equal a recomputation, one review per
member per company per 12 months, one response per review, one helpful vote per member and review, helpful
counts equal their votes; duplicates attempted at the same moment get a userErrors entry, and
no request ends in a 5xx. Bounded: a few hundred requests, each with a 60 s timeout.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from tests.cli import workcred
from tests.cluster import ClusterClient, Server, free_port, running
from tests.databases import fetch
from tests.reviewing import EDIT, HELPFUL, RESPOND, SUBMIT, WITHDRAW, review_input
from tests.test_employment import ADD

PROCESSES = {"sqlite": 2, "postgres": 4}
REVIEWERS = 40
CONFLICT_CODES = {"REVIEW_TOO_SOON", "ALREADY_MARKED", "ALREADY_RESPONDED", "REVIEW_NOT_PUBLISHED",
                  "REVIEW_NOT_EDITABLE"}
COMPANY = "Contended Co"


@pytest.fixture
def cluster(database_kind, fresh_database):
    database_url = fresh_database("migrated")
    with running([Server(free_port(), database_url) for _ in range(PROCESSES[database_kind])]) as servers:
        yield database_url, servers


async def sign_up(client: ClusterClient, number: int) -> tuple[str, str]:
    email = f"burst{number}@example.com"
    return await client.member(email, f"Burst {number}"), email


async def reviewers(client: ClusterClient, count: int) -> list[tuple[str, str]]:
    """(token, employment id) for `count` members with a current job at the company."""
    tokens = await asyncio.gather(*(sign_up(client, n) for n in range(count)))
    jobs = await asyncio.gather(*(
        client.ask(ADD, {"input": {
            "companyName": COMPANY, "jobFunction": random.Random(n).choice(["ENGINEERING", "SALES"]),
            "location": "Shanghai", "startDate": "2020-01-01",
            "positions": [{"title": "Staff", "level": 3, "startDate": "2020-01-01"}]}}, token)
        for n, (token, _) in enumerate(tokens)
    ))
    return [(token, job["data"]["addEmployment"]["employment"]["id"]) for (token, _), job in zip(tokens, jobs, strict=True)]


async def representatives(client: ClusterClient, database_url: str, count: int) -> list[str]:
    tokens = []
    for number in range(count):
        token, email = await sign_up(client, 1000 + number)
        granted = workcred(database_url, "grant-role", "--company", "contended-co", "--email", email,
                           "--role", "REPRESENTATIVE")
        assert granted.returncode == 0, granted.stderr
        tokens.append(token)
    return tokens


def random_scores(rng: random.Random) -> dict:
    dimensions = rng.sample(["COMPENSATION", "GROWTH", "CULTURE", "MEANING"], k=rng.randint(1, 4))
    return {"overall": rng.randint(1, 5), "ratings": [{"dimension": d, "score": rng.randint(1, 5)} for d in dimensions]}


def check_invariants(database_url: str) -> int:
    """Uniqueness and counters as stored; returns the drift `repair-aggregates --check` found."""
    [(duplicate_reviews,)] = fetch(database_url, "SELECT COUNT(*) FROM (SELECT employment_id FROM review "
                                                 "GROUP BY employment_id HAVING COUNT(*) > 1) AS d")
    [(duplicate_responses,)] = fetch(database_url, "SELECT COUNT(*) FROM (SELECT review_id FROM company_response "
                                                   "GROUP BY review_id HAVING COUNT(*) > 1) AS d")
    [(wrong_helpful_counts,)] = fetch(
        database_url,
        "SELECT COUNT(*) FROM review r WHERE r.helpful_count <> "
        "(SELECT COUNT(*) FROM helpful_vote v WHERE v.review_id = r.id)",
    )
    assert (duplicate_reviews, duplicate_responses, wrong_helpful_counts) == (0, 0, 0)
    check = workcred(database_url, "repair-aggregates", "--check")
    assert check.stdout.startswith("drift found: "), check.stderr
    return int(check.stdout.split()[2])


def report(capsys, name: str, database_kind: str, servers: list[Server], client: ClusterClient, drift: int) -> None:
    tally = client.tally
    conflicts = sum(n for code, n in tally.user_error_codes.items() if code in CONFLICT_CODES)
    with capsys.disabled():
        print(
            f"\n{name}[{database_kind}]: {len(servers)} processes, {tally.requests} requests, "
            f"{conflicts} conflicts handled {dict(tally.user_error_codes)}, "
            f"{tally.server_errors} 5xx, {tally.connection_failures} connection failures {dict(tally.transport_errors)}, "
            f"drift {drift}"
        )


async def test_concurrent_conflicting_writes_across_processes(cluster, database_kind, capsys):
    database_url, servers = cluster
    rng = random.Random(7)
    client = ClusterClient(servers, concurrency=48)
    try:
        people = await reviewers(client, REVIEWERS)
        reps = await representatives(client, database_url, 2)

        # every reviewer submits twice at once from the same job: exactly one may win
        submits = await asyncio.gather(*(
            client.query(SUBMIT, {"input": review_input(job, **random_scores(rng))}, token)
            for token, job in people for _ in range(2)
        ))
        reviews: list[tuple[str, str]] = []
        for index, body in enumerate(submits):
            assert body is not None, "a server went away while nothing was killed"
            payload = body["data"]["submitReview"]
            if payload["review"]:
                reviews.append((people[index // 2][0], payload["review"]["id"]))
        assert len(reviews) == REVIEWERS

        # then edits, withdrawals, helpful votes and responses, all at once and each twice
        burst = []
        for author, review_id in reviews:
            burst += [client.query(EDIT, {"input": {"reviewId": review_id, **random_scores(rng)}}, author)
                      for _ in range(2)]
            burst += [client.query(RESPOND, {"input": {"reviewId": review_id, "body": "Thank you."}}, rep)
                      for rep in reps]
        for author, review_id in rng.sample(reviews, k=10):
            burst += [client.query(WITHDRAW, {"input": {"reviewId": review_id}}, author) for _ in range(2)]
        for reader, _ in people:
            for _, review_id in rng.sample(reviews, k=5):
                burst += [client.query(HELPFUL, {"input": {"reviewId": review_id}}, reader) for _ in range(2)]
        rng.shuffle(burst)
        await asyncio.gather(*burst)
    finally:
        await client.close()

    drift = check_invariants(database_url)
    report(capsys, "concurrency", database_kind, servers, client, drift)
    tally = client.tally
    assert tally.server_errors == 0 and tally.connection_failures == 0
    assert not tally.error_codes, tally.error_codes
    assert tally.user_error_codes["REVIEW_TOO_SOON"] == REVIEWERS
    assert tally.user_error_codes["ALREADY_RESPONDED"] + tally.user_error_codes["REVIEW_NOT_PUBLISHED"] >= REVIEWERS - 10
    assert tally.user_error_codes["ALREADY_MARKED"] > 0
    assert set(tally.user_error_codes) <= CONFLICT_CODES | {"OWN_REVIEW"}
    assert drift == 0


async def test_a_process_killed_mid_burst_leaves_no_drift(cluster, database_kind, capsys):
    database_url, servers = cluster
    rng = random.Random(11)
    client = ClusterClient(servers, concurrency=32)
    try:
        people = await reviewers(client, 30)
        victim = servers[0]
        killed = asyncio.Event()
        started = client.tally.requests

        async def kill_when_busy() -> None:
            async with asyncio.timeout(60):  # bounded: a burst that never gets busy fails
                while client.tally.requests - started < 60:
                    await asyncio.sleep(0.005)
            victim.kill()
            killed.set()

        async def write(token: str, job: str) -> None:
            body = await client.query(SUBMIT, {"input": review_input(job, **random_scores(rng))}, token)
            review = ((body or {}).get("data") or {}).get("submitReview", {}).get("review")
            if review:
                for _ in range(3):
                    await client.query(EDIT, {"input": {"reviewId": review["id"], **random_scores(rng)}}, token)

        await asyncio.gather(kill_when_busy(), *(write(token, job) for token, job in people))
        assert killed.is_set()
        # the killed process comes back on its port and serves writes again
        victim.start()
        token, _ = await sign_up(client, 500)
        job = await client.ask(ADD, {"input": {
            "companyName": COMPANY, "jobFunction": "DATA", "location": "Shanghai", "startDate": "2021-01-01",
            "positions": [{"title": "Analyst", "level": 2, "startDate": "2021-01-01"}]}}, token, server=victim)
        job_id = job["data"]["addEmployment"]["employment"]["id"]
        body = await client.ask(SUBMIT, {"input": review_input(job_id)}, token, server=victim)
        assert body["data"]["submitReview"]["review"] is not None, body
    finally:
        await client.close()

    drift = check_invariants(database_url)
    report(capsys, "crash", database_kind, servers, client, drift)
    assert client.tally.server_errors == 0
    assert client.tally.connection_failures > 0  # requests really were in flight to the victim
    assert drift == 0


@pytest.mark.parametrize("database_kind", ["postgres"], indirect=True)
async def test_writes_to_the_same_companies_in_opposite_orders_stamp_them_without_deadlock(fresh_database):
    """Each transaction notes its companies as it writes and stamps them, in id order, only as
    it commits (migration 0026): no lock on a stamp is held between statements."""
    import asyncpg

    url = fresh_database("migrated")
    setup = await asyncpg.connect(url)
    first, second = await asyncpg.connect(url), await asyncpg.connect(url)
    try:
        a, b = [await setup.fetchval(
            "INSERT INTO company (slug, name, created_at) VALUES ($1, $1, now()) RETURNING id", slug)
            for slug in ("alpha", "beta")]
        # a poll opening: a write each company's page shows
        poll = ("INSERT INTO removal_poll (company_id, reason, status, opened_at, closes_at, quorum, threshold, "
                "vetoed, remove_voters, keep_voters, remove_weight, keep_weight) "
                "VALUES ($1, 'SPAM', 'OPEN', now(), now() + interval '7 days', 5, 0.66, false, 0, 0, 0, 0)")
        writers = [(first, (a, b)), (second, (b, a))]
        transactions = [connection.transaction() for connection, _ in writers]

        async def interleaved() -> None:
            for transaction in transactions:
                await transaction.start()
            for step in range(2):  # first writes A while second writes B, then each the other
                for connection, companies in writers:
                    await connection.execute(poll, companies[step])
            await asyncio.gather(*(transaction.commit() for transaction in transactions))

        await asyncio.wait_for(interleaved(), timeout=30)  # a lock held between statements would hang it
        stamps = dict(await setup.fetch(
            "SELECT company_id, version FROM company_version WHERE company_id = ANY($1::int[])", [a, b]
        ))
        assert stamps[a] == stamps[b]  # both stamped last by the same (the later) commit
    finally:
        for connection in (setup, first, second):
            await connection.close()
