"""The per-request context: settings, the viewer behind the bearer token, the loaders."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection

import models
from domain.fit import Priorities
from domain.member import Passwords, token_digest
from infra import data_version
from infra.cached_reads import LOOKUP, Lookup
from infra.events import EventBus
from infra.mail import Mailer
from infra.rate_limits import Allowance, Budget, RateLimited, RateLimits, client_address
from infra.settings import Settings
from resolvers.clock import now, today
from resolvers.errors import TooManyAttempts, Unauthenticated
from resolvers.loaders import Loaders
from resolvers.priorities import saved_priorities


def bearer_token(request: HTTPConnection, connection_params: object = None) -> str | None:
    """The token from the Authorization header, or for a WebSocket from the `connection_init`
    payload `{"Authorization": "Bearer <token>"}` (browsers cannot set headers on WebSockets)."""
    header = request.headers.get("authorization", "")
    if isinstance(connection_params, dict):
        given = connection_params.get("Authorization", connection_params.get("authorization"))
        header = given if isinstance(given, str) else header
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


async def _token_row(token: str | None) -> models.AuthToken | None:
    """The live token (with its member), or None; its day of last use noted (the one write a
    signed-in read makes, at most once a day per session: `Viewer.sessions` shows it)."""
    if token is None:
        return None
    row = (
        await models.AuthToken.filter(
            token_hash=token_digest(token), revoked_at__isnull=True, expires_at__gt=now()
        )
        .select_related("member")
        .first()
    )
    if row is not None and row.last_used_on != today():
        row.last_used_on = today()
        await models.AuthToken.filter(id=row.id).update(last_used_on=row.last_used_on)
    return row


@dataclass
class RequestContext:
    request: HTTPConnection
    settings: Settings
    passwords: Passwords
    rate_limits: RateLimits
    events: EventBus
    mailer: Mailer
    secret: bytes  # the deployment's (resolvers.member.deployment_secret)
    loaders: Loaders = field(init=False)
    # Set by strawberry from a WebSocket's `connection_init` payload.
    connection_params: dict[str, object] | None = None
    # Memoised lookups: sibling fields resolve concurrently, so each caches the task in flight,
    # not its result — a second asker awaits the same lookup instead of seeing "not yet known".
    _token_lookup: asyncio.Task[models.AuthToken | None] | None = None
    _priorities_lookup: asyncio.Task[Priorities | None] | None = None
    _version_lookup: asyncio.Task[data_version.Version] | None = None
    # This operation's cost and where its client stands after paying it (None before, or when
    # nothing was run).
    cost: int | None = None
    allowance: Allowance | None = None
    retry_after: int | None = None  # seconds, when the operation was refused for want of points
    # False once a field shows something about this request itself: its answer is nobody else's.
    shareable: bool = True
    # The companies whose pages `company(slug:)` showed, with their change stamps read with
    # their rows; None once it found none (a company created later would change the answer).
    # What keeps a cached company page true (infra/response_cache.py).
    companies_shown: dict[int, int] | None = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.data_version)

    def fresh_loaders(self) -> None:
        """Forget what this request's loaders (and data version) have read: for long-lived
        WebSocket contexts, where each event is a new read."""
        self._version_lookup = None
        self.loaders = Loaders(self.data_version)

    async def version(self) -> data_version.Version:
        """The version of public data (infra/data_version.py), read at most once per request
        (already read by the response cache's look-up, when it looked)."""
        lookup: Lookup | None = getattr(self.request.state, LOOKUP, None)
        if lookup is not None:
            return lookup.version
        if self._version_lookup is None:
            self._version_lookup = asyncio.ensure_future(data_version.current(models.Company._meta.db))
        return await self._version_lookup

    async def data_version(self) -> str:
        return (await self.version()).data

    def show_company(self, company: models.Company | None) -> None:
        """`company(slug:)` found `company` (read with its stamp), or nothing."""
        if company is None or company.version is None:  # none, or no stamp to keep it by
            self.companies_shown = None
        elif self.companies_shown is not None:
            self.companies_shown[company.id] = company.version.version

    def _bearer_token(self) -> str | None:
        return bearer_token(self.request, self.connection_params)

    async def _token(self) -> models.AuthToken | None:
        if self._token_lookup is None:
            self._token_lookup = asyncio.ensure_future(_token_row(self._bearer_token()))
        return await self._token_lookup

    async def viewer(self) -> models.Member | None:
        """The signed-in member, or None without a token; looked up at most once per request.
        A token that names no live session is an error, never "anonymous": the client should
        know its session ended rather than silently see less."""
        token = await self._token()
        if token is None and self._bearer_token() is not None:
            raise Unauthenticated("Invalid or expired token: sign in again.")
        return token.member if token is not None else None

    async def require_viewer(self) -> models.Member:
        member = await self.viewer()
        if member is None:
            raise Unauthenticated()
        return member

    async def current_token(self) -> models.AuthToken:
        await self.require_viewer()
        token = await self._token()
        assert token is not None
        return token

    def client_address(self) -> str:
        return client_address(self.request, self.settings.trusted_proxy_addresses)

    async def spend(self, budget: Budget, *keys: str) -> None:
        """Count an attempt against a rate limit; TooManyAttempts when it is spent."""
        try:
            await self.rate_limits.spend(budget, *keys)
        except RateLimited as limited:
            raise TooManyAttempts(limited.retry_after) from None

    async def pay_for_operation(self, cost: int) -> None:
        """Spend the operation's points from its client's budget — the member's, or the
        address's when anonymous (or the token is dead: that error is for the fields needing
        it) — and remember where the client stands; TooManyAttempts when too few are left."""
        try:
            member = await self.viewer()
        except Unauthenticated:
            member = None
        key = f"member:{member.id}" if member is not None else f"address:{self.client_address()}"
        self.cost = cost
        try:
            self.allowance = await self.rate_limits.spend_points(Budget.QUERY_COST, key, cost)
        except RateLimited as limited:
            self.allowance, self.retry_after = limited.allowance, limited.retry_after
            raise TooManyAttempts(limited.retry_after) from None

    async def check(self, budget: Budget, *keys: str) -> None:
        """TooManyAttempts if the budget is spent for any key; spends nothing."""
        try:
            await self.rate_limits.check(budget, *keys)
        except RateLimited as limited:
            raise TooManyAttempts(limited.retry_after) from None

    async def _viewer_priorities(self) -> Priorities | None:
        member = await self.viewer()
        return await saved_priorities(member) if member is not None else None

    async def saved_priorities(self) -> Priorities | None:
        """The viewer's saved fit priorities (None when anonymous or none saved), once per request."""
        if self._priorities_lookup is None:
            self._priorities_lookup = asyncio.ensure_future(self._viewer_priorities())
        return await self._priorities_lookup
