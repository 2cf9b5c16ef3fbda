"""Schemathesis (GraphQL mode) against a live server: generated queries and mutations, signed out
and signed in, never get a 5xx or an INTERNAL_SERVER_ERROR. Bounded per operation."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from tests.cluster import ClusterClient, Server, free_port
from tests.databases import run_sync

EXAMPLES_PER_OPERATION = 30


@pytest.fixture
def live_server(demo_database_url):
    server = Server(free_port(), demo_database_url)
    server.start()
    yield server
    logs = server.stop()
    assert "Traceback" not in logs.replace("unexpected error in", ""), logs


def signed_in_token(server: Server) -> str:
    """A member whose address is verified, so the fuzz reaches what members may do."""

    async def member() -> str:
        async with ClusterClient([server], concurrency=1) as client:
            return await client.member("fuzzer@example.com", "Fuzzer")

    return run_sync(member())


def coded(text: str) -> bool:
    """Whether a response is GraphQL JSON whose every error carries a code."""
    try:
        body = json.loads(text)
    except ValueError:
        return False
    errors = body.get("errors") or [] if isinstance(body, dict) else None
    return errors is not None and all(isinstance(e, dict) and (e.get("extensions") or {}).get("code") for e in errors)


# On SQLite only: the fuzz finds what the GraphQL layer does with what it is given, which does not
# depend on the database; both databases' write paths are under the hostile-input sweep.
@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_generated_requests_never_meet_a_server_error(live_server):
    schema = schemathesis.graphql.from_url(f"{live_server.url}/graphql")
    token = signed_in_token(live_server)
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an Err (a schema it cannot read) fails here

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case) -> None:
            nonlocal tried
            for headers in ({}, {"Authorization": f"Bearer {token}"}):
                tried += 1
                response = case.call(headers=headers)
                if response.status_code >= 500 or "INTERNAL_SERVER_ERROR" in response.text or not coded(response.text):
                    failures.append(f"{case.operation.label}: {response.status_code} {response.text[:300]}")

        call()
    print(f"fuzz: {tried} requests, {len(failures)} server errors or errors without a code")
    assert tried > 100
    assert failures == []
