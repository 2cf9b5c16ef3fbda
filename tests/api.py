"""A small GraphQL client over the app's real HTTP interface (ASGI, lifespan included)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette

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
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    @classmethod
    @asynccontextmanager
    async def running(cls, app: Starlette) -> AsyncIterator[Api]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://workcred.test") as client:
                yield cls(client)

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

    async def member(self, name: str | None = None) -> str:
        """Sign up a fresh member and return their bearer token."""
        number = next(_numbers)
        payload = await self.mutate(
            "signUp",
            SIGN_UP,
            {
                "email": f"member{number}@example.com",
                "password": "correct horse battery",
                "displayName": name or f"Member {number}",
            },
        )
        assert payload["userErrors"] == [], payload
        return payload["token"]


SIGN_UP = """
mutation ($input: SignUpInput!) {
  signUp(input: $input) { token viewer { member { id email displayName } } userErrors { field code message } }
}
"""
