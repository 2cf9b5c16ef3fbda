"""A member's sessions: listed (created and last used as days, a coarse client label), revoked
one by one or all at once."""

from __future__ import annotations

import models
from domain.violations import Outcome, not_found
from resolvers.clock import now
from resolvers.context import RequestContext


async def live_sessions(member: models.Member) -> list[models.AuthToken]:
    """Sessions that still sign the member in, newest first."""
    return await models.AuthToken.filter(member_id=member.id, revoked_at__isnull=True, expires_at__gt=now()).order_by(
        "-created_at", "-id"
    )


async def revoke_session(context: RequestContext, session_id: int | None) -> Outcome[models.AuthToken]:
    member = await context.require_viewer()
    session = await models.AuthToken.get_or_none(id=session_id, member_id=member.id, revoked_at__isnull=True)
    if session is None:
        return Outcome.rejected(not_found("sessionId", "session"))
    await models.AuthToken.filter(id=session.id).update(revoked_at=now())
    return Outcome(session)


async def revoke_all(member: models.Member, except_token_id: int | None = None) -> int:
    """Revoke every live session of the member (but `except_token_id`); how many were live."""
    sessions = models.AuthToken.filter(member_id=member.id, revoked_at__isnull=True)
    if except_token_id is not None:
        sessions = sessions.exclude(id=except_token_id)
    return await sessions.update(revoked_at=now())


async def sign_out_everywhere(context: RequestContext) -> Outcome[int]:
    return Outcome(await revoke_all(await context.require_viewer()))
