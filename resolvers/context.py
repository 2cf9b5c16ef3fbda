"""The per-request context: settings, the viewer behind the bearer token, the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

import models
from domain.accounts import Passwords, token_digest
from domain.fit import Priorities
from infra.settings import Settings
from resolvers.clock import now
from resolvers.errors import Unauthenticated
from resolvers.loaders import Loaders
from resolvers.priorities import saved_priorities

_UNRESOLVED = object()


def bearer_token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


@dataclass
class RequestContext:
    request: Request
    settings: Settings
    passwords: Passwords
    loaders: Loaders = field(default_factory=Loaders)
    _viewer: object = field(default=_UNRESOLVED)
    _token: models.AuthToken | None = None
    _saved_priorities: object = field(default=_UNRESOLVED)

    async def viewer(self) -> models.Member | None:
        """The signed-in member, or None; looked up at most once per request."""
        if self._viewer is _UNRESOLVED:
            self._viewer = None
            token = bearer_token(self.request)
            if token is not None:
                row = (
                    await models.AuthToken.filter(
                        token_hash=token_digest(token),
                        revoked_at__isnull=True,
                        expires_at__gt=now(),
                    )
                    .select_related("member")
                    .first()
                )
                if row is not None:
                    self._token = row
                    self._viewer = row.member
        return self._viewer  # type: ignore[return-value]

    async def require_viewer(self) -> models.Member:
        member = await self.viewer()
        if member is None:
            if bearer_token(self.request) is not None:
                raise Unauthenticated("Your session has expired or was signed out. Sign in again.")
            raise Unauthenticated()
        return member

    async def current_token(self) -> models.AuthToken:
        await self.require_viewer()
        assert self._token is not None
        return self._token

    async def saved_priorities(self) -> Priorities | None:
        """The viewer's saved fit priorities (None when anonymous or none saved), once per request."""
        if self._saved_priorities is _UNRESOLVED:
            member = await self.viewer()
            self._saved_priorities = None
            if member is not None:
                self._saved_priorities = await saved_priorities(member)
        return self._saved_priorities  # type: ignore[return-value]
