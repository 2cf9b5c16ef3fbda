"""A small GraphQL client over the app's real HTTP interface (ASGI, lifespan included)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette

from tests.mailbox import mailbox

_numbers = itertools.count(1)


@dataclass
class Response:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        assert not self.body.get("errors"), f"unexpected errors: {self.body.get('errors')}"
        return self.body["data"]

    @property
    def error_codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.body.get("errors", [])]


class Api:
    def __init__(self, client: httpx.AsyncClient, app: Starlette) -> None:
        self.client = client
        self.app = app

    @classmethod
    @asynccontextmanager
    async def running(cls, app: Starlette) -> AsyncIterator[Api]:
        async with app.router.lifespan_context(app):
            # Each test starts from a loaded ranking snapshot: the load's statements are never
            # counted as a request's.
            await app.state.snapshot_loading
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://workcred.test") as client:
                yield cls(client, app)

    async def query(
        self, document: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post(
            "/graphql", json={"query": document, "variables": variables or {}}, headers=headers
        )
        return Response(response.status_code, response.json())

    async def mutate(
        self, name: str, document: str, input: dict[str, Any], token: str | None = None
    ) -> dict[str, Any]:
        """Run a mutation that must not raise GraphQL errors; return its payload."""
        return (await self.query(document, {"input": input}, token)).data[name]

    async def member(self, name: str | None = None, verified: bool = True) -> str:
        """Sign up a fresh member — who enters the code mailed to them, unless not `verified` —
        and return their bearer token."""
        number = next(_numbers)
        email = f"member{number}@example.com"
        mails_before = len(mailbox().sent_to(email))
        payload = await self.mutate(
            "signUp",
            SIGN_UP,
            {"email": email, "password": PASSWORD, "displayName": name or f"Member {number}"},
        )
        assert payload["userErrors"] == [], payload
        if verified:
            await self.verify(payload["token"], email, mails_before)
        return payload["token"]

    async def verify(self, token: str, email: str, mails_before: int = 0) -> None:
        """Enter the code mailed to `email` (the first one past `mails_before` mails to it)."""
        code = await mailbox().code_for(email, mails_before)
        verified = await self.mutate("verifyEmail", VERIFY_EMAIL, {"code": code}, token)
        assert verified["userErrors"] == [], verified


PASSWORD = "correct horse battery"
VERIFY_EMAIL = """mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) {
  member { emailVerified } userErrors { field code message } } }"""
SIGN_UP = """
mutation ($input: SignUpInput!) {
  signUp(input: $input) { token viewer { member { id email displayName } } userErrors { field code message } }
}
"""


async def use_deployment_ids() -> None:
    """Global ids this test's own code makes and reads (schema.node) use the deployment's key,
    as the app's requests do: the secret kept in the test's database."""
    from resolvers.member import deployment_secret
    from schema.node import ids_in_force

    ids_in_force(await deployment_secret(""))


async def pk(global_id: str, type_name: str) -> int | None:
    """The primary key a global id from the API names."""
    from schema.node import pk_of

    await use_deployment_ids()
    return pk_of(global_id, type_name)
