"""Removal polls under concurrency across real processes: votes and changes of mind on the same
polls while settling runs from several places and two vetoes race. Afterwards every tally equals
a recount of the vote rows, every poll was settled once, aggregates have no drift, no 5xx."""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys

import pytest

from tests.cli import workcred
from tests.clocked import jump
from tests.cluster import ROOT, ClusterClient, Server, free_port, running, server_env
from tests.databases import fetch
from tests.reviewing import SUBMIT, review_input
from tests.test_concurrency import reviewers, sign_up
from tests.test_governance import OPEN, VETO, VOTE

PROCESSES = {"sqlite": 2, "postgres": 3}
WINDOW_SECONDS = 72 * 3600  # the production default: the servers' clocks jump over it
GOVERNANCE_ENV = {
    "WORKCRED_VOTER_MIN_ACCOUNT_AGE_DAYS": "0",
    "WORKCRED_POLL_QUORUM": "3",
}


@pytest.fixture
def governance_cluster(database_kind, fresh_database):
    database_url = fresh_database("migrated")
    with running([Server(free_port(), database_url, GOVERNANCE_ENV) for _ in range(PROCESSES[database_kind])]) as servers:
        yield database_url, servers


def settle_from_the_cli(database_url: str, ahead_seconds: float) -> subprocess.Popen:
    """`workcred settle-polls` as a process of its own, on a clock `ahead_seconds` ahead."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.clocked", str(ahead_seconds), "settle-polls"], cwd=ROOT,
        env={**server_env(database_url), **GOVERNANCE_ENV}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


async def test_votes_settling_and_vetoes_race_without_breaking_anything(governance_cluster, database_kind, capsys):
    database_url, servers = governance_cluster
    rng = random.Random(5)
    client = ClusterClient(servers, concurrency=32)
    try:
        people = await reviewers(client, 24)
        authors, voters = people[:4], people[4:]
        reviews = []
        for token, job in authors:
            body = await client.ask(SUBMIT, {"input": review_input(job)}, token)
            reviews.append(body["data"]["submitReview"]["review"]["id"])
        ceo_token, ceo_email = await sign_up(client, 900)
        await client.query("""mutation ($input: AddEmploymentInput!) { addEmployment(input: $input) { userErrors { code } } }""",
                           {"input": {"companyName": "Contended Co", "jobFunction": "MANAGEMENT", "location": "Shanghai",
                                      "startDate": "2015-01-01", "positions": [{"title": "CEO", "level": 10,
                                                                                "startDate": "2015-01-01"}]}}, ceo_token)
        granted = workcred(database_url, "grant-role", "--company", "contended-co", "--email", ceo_email, "--role", "CEO")
        assert granted.returncode == 0, granted.stderr
        polls = []
        for review_id in reviews:
            body = await client.ask(OPEN, {"input": {"reviewId": review_id, "reason": "SPAM"}}, voters[0][0])
            polls.append(body["data"]["openRemovalPoll"]["poll"]["id"])

        # every voter votes on every poll, twice at once, and some change their minds
        burst = [client.query(VOTE, {"input": {"pollId": poll, "remove": rng.random() < 0.7}}, token)
                 for token, _ in voters for poll in polls for _ in range(2)]
        burst += [client.query(VOTE, {"input": {"pollId": poll, "remove": rng.random() < 0.5}}, token)
                  for token, _ in rng.sample(voters, 8) for poll in polls]
        # and two vetoes by the CEO race each other
        burst += [client.query(VETO, {"input": {"pollId": polls[0]}}, ceo_token),
                  client.query(VETO, {"input": {"pollId": polls[1]}}, ceo_token)]
        rng.shuffle(burst)
        await asyncio.gather(*burst)

        # the window passes; settling runs from two CLI processes and from reads, all at once
        for server in servers:
            await jump(server.url, WINDOW_SECONDS + 1)
        settlers = [settle_from_the_cli(database_url, WINDOW_SECONDS + 1) for _ in range(2)]
        reads = [client.query('{ company(slug: "contended-co") { removalPolls { edges { node { status } } } } }')
                 for _ in range(6)]
        await asyncio.gather(*reads)
        for settler in settlers:
            _, errors = settler.communicate(timeout=60)
            assert settler.returncode == 0, errors
    finally:
        await client.close()

    # every tally equals a recount of its vote rows
    mismatched = fetch(database_url, """
        SELECT p.id FROM removal_poll p WHERE
          p.remove_voters <> (SELECT COUNT(*) FROM removal_vote v WHERE v.poll_id = p.id AND v.remove)
          OR p.keep_voters <> (SELECT COUNT(*) FROM removal_vote v WHERE v.poll_id = p.id AND NOT v.remove)
          OR ABS(p.remove_weight - (SELECT COALESCE(SUM(weight), 0) FROM removal_vote v
                                     WHERE v.poll_id = p.id AND v.remove)) > 1e-6
          OR ABS(p.keep_weight - (SELECT COALESCE(SUM(weight), 0) FROM removal_vote v
                                   WHERE v.poll_id = p.id AND NOT v.remove)) > 1e-6""")
    assert mismatched == []
    # every poll is settled, once: one community decision or one veto in each history
    assert fetch(database_url, "SELECT COUNT(*) FROM removal_poll WHERE status = 'OPEN'") == [(0,)]
    decisions = fetch(database_url, """
        SELECT r.id, COUNT(a.id) FROM review r LEFT JOIN audit_entry a ON a.review_id = r.id
          AND (a.actor = 'COMMUNITY' OR (a.actor = 'CEO_VETO' AND a.action = 'VETOED'))
        WHERE r.id IN (SELECT review_id FROM removal_poll) GROUP BY r.id""")
    assert decisions and all(count == 1 for _, count in decisions), decisions
    # exactly one of the racing vetoes won
    assert fetch(database_url, "SELECT COUNT(*) FROM veto") == [(1,)]
    assert client.tally.user_error_codes["VETO_ALREADY_USED"] == 1
    check = workcred(database_url, "repair-aggregates", "--check")
    drift = int(check.stdout.split()[2])
    assert drift == 0, check.stdout
    tally = client.tally
    with capsys.disabled():
        print(f"\ngovernance[{database_kind}]: {len(servers)} processes, {tally.requests} requests, "
              f"{dict(tally.user_error_codes)}, {tally.server_errors} 5xx, drift {drift}")
    assert tally.server_errors == 0 and tally.connection_failures == 0
    assert not tally.error_codes, tally.error_codes
