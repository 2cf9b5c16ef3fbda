"""Several real uvicorn processes serving one database, for concurrency and crash tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.suite import suite_environment

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 30
# Idle keep-alive connections outlive every pause in a test, so neither side closes one that the
# other is about to use (see ClusterClient).
SERVER_KEEP_ALIVE_SECONDS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str) -> dict[str, str]:
    """The suite's settings (tests/suite.py), without GraphiQL, and without a per-client share of
    requests in flight: the races here are fired by a few clients at once, far over any share
    (tests/test_rate_limits.py tests the share)."""
    return {
        **os.environ, **suite_environment(database_url), "WORKCRED_GRAPHIQL": "false",
        "WORKCRED_MAX_REQUESTS_IN_FLIGHT_PER_CLIENT": "0",
    }


@dataclass
class Server:
    port: int
    database_url: str
    env: dict[str, str] = field(default_factory=dict)  # settings beyond server_env's
    process: subprocess.Popen | None = None
    app: str = "tests.clocked:create_app"  # the ASGI app factory uvicorn runs: workcred, on a clock tests move
    health_path: str = "/healthz"  # answers 200 once the app is up

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.launch()
        self.wait_until_healthy()

    def launch(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", self.app, "--factory",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
             "--timeout-keep-alive", str(SERVER_KEEP_ALIVE_SECONDS)],
            cwd=ROOT, env={**server_env(self.database_url), **self.env},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    def wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server on {self.port} exited: {self.process.communicate()[1]}")
            try:
                if httpx.get(f"{self.url}{self.health_path}", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server on {self.port} did not become healthy")

    def kill(self) -> None:
        """kill -9: no shutdown, no cleanup, transactions in flight are simply cut off."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> str:
        if self.process is None or self.process.poll() is not None:
            return ""
        self.process.terminate()
        try:
            _, errors = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, errors = self.process.communicate()
        return errors or ""


@contextmanager
def running(servers: list[Server]) -> Iterator[list[Server]]:
    """The servers started; stopped afterwards, failing the test if any logged a traceback or
    met a locked database."""
    try:
        for server in servers:  # all start at once, then each is waited for
            server.launch()
        for server in servers:
            server.wait_until_healthy()
        yield servers
    finally:
        logs = "".join(server.stop() for server in servers)
    assert "Traceback" not in logs and "database is locked" not in logs, logs


@dataclass
class Tally:
    """What the burst produced, by outcome."""

    requests: int = 0
    by_status: Counter = field(default_factory=Counter)
    user_error_codes: Counter = field(default_factory=Counter)
    error_codes: Counter = field(default_factory=Counter)
    transport_errors: Counter = field(default_factory=Counter)  # connection failures, by what each was

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.by_status.items() if status >= 500)

    @property
    def connection_failures(self) -> int:
        return sum(self.transport_errors.values())


class ClusterClient:
    """Sends GraphQL requests round-robin across the servers, counting every outcome.

    Each server has its own connection pool, as large as the whole concurrency, whose idle
    connections never expire. httpcore 1.0.9's pool closes an idle connection — to respect the
    keep-alive limit (which it compares with all connections, idle or not), the expiry, or to
    make room for another server's — even when it has just been handed to a waiting request that
    has not started yet (encode/httpcore#1110, open); on a busy machine that request then fails
    with ReadError(ClosedResourceError): a failure of the test's client, not of the servers.
    A pool that never fills and never expires closes nothing; a connection whose server went
    away (the crash test) is still dropped, as the pool sees it readable.
    """

    def __init__(self, servers: list[Server], concurrency: int) -> None:
        self.servers = servers
        self.tally = Tally()
        self._turn = 0
        self._limit = asyncio.Semaphore(concurrency)
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency,
                              keepalive_expiry=None)
        self._clients = {server.url: httpx.AsyncClient(timeout=60, limits=limits) for server in servers}

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    async def __aenter__(self) -> ClusterClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def query(self, document: str, variables: dict[str, Any] | None = None, token: str | None = None,
                    server: Server | None = None) -> dict[str, Any] | None:
        """The response body, or None when the server could not be reached."""
        if server is None:
            server = self.servers[self._turn % len(self.servers)]
            self._turn += 1
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self._limit:
            self.tally.requests += 1
            try:
                response = await self._clients[server.url].post(
                    f"{server.url}/graphql", json={"query": document, "variables": variables or {}},
                    headers=headers,
                )
            except httpx.TransportError as failure:
                self.tally.transport_errors[f"{type(failure).__name__}: {failure or repr(failure.__cause__)}"] += 1
                return None
        self.tally.by_status[response.status_code] += 1
        body = response.json()
        for error in body.get("errors") or []:
            self.tally.error_codes[(error.get("extensions") or {}).get("code")] += 1
        for payload in (body.get("data") or {}).values():
            if isinstance(payload, dict):
                for user_error in payload.get("userErrors") or []:
                    self.tally.user_error_codes[user_error["code"]] += 1
        return body

    async def ask(self, document: str, variables: dict[str, Any] | None = None, token: str | None = None,
                  server: Server | None = None) -> dict[str, Any]:
        """`query`, where the server must answer (arranging a test, not bursting at one)."""
        body = await self.query(document, variables, token, server)
        assert body is not None, "the server could not be reached"
        return body

    async def member(self, email: str, display_name: str = "Member", server: Server | None = None) -> str:
        """Sign up `email` and enter the code mailed to it; the bearer token."""
        from tests.api import PASSWORD, SIGN_UP, VERIFY_EMAIL
        from tests.mailbox import mailbox

        mails_before = len(mailbox().sent_to(email))
        body = await self.ask(SIGN_UP, {"input": {"email": email, "password": PASSWORD, "displayName": display_name}},
                              server=server)
        token: str = body["data"]["signUp"]["token"]
        code = await mailbox().code_for(email, mails_before)
        verified = await self.ask(VERIFY_EMAIL, {"input": {"code": code}}, token, server)
        assert verified["data"]["verifyEmail"]["userErrors"] == [], verified
        return token
