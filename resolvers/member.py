"""Sign up, sign in, sign out."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import models
from domain.errors import ErrorCode
from domain.member import EMAIL_MAX_LENGTH, check_sign_up, new_token, normalise_email
from domain.violations import Outcome, Violation
from infra.rate_limits import Budget
from resolvers.clock import now
from resolvers.context import RequestContext

EMAIL_TAKEN = Violation(("email",), ErrorCode.EMAIL_TAKEN, "An account with this email already exists.")
INVALID_CREDENTIALS = Violation(
    ("password",), ErrorCode.INVALID_CREDENTIALS, "The email or password is not correct."
)


@dataclass(frozen=True)
class SignUp:
    email: str
    password: str
    display_name: str


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str


@dataclass(frozen=True)
class Session:
    token: str
    member: models.Member


async def _issue_token(context: RequestContext, member: models.Member) -> str:
    token, digest = new_token()
    await models.AuthToken.create(
        member=member,
        token_hash=digest,
        expires_at=now() + timedelta(days=context.settings.token_ttl_days),
    )
    return token


async def sign_up(context: RequestContext, command: SignUp) -> Outcome[Session]:
    await context.spend(Budget.SIGN_UPS, context.client_address())
    email = normalise_email(command.email)
    password = command.password
    display_name = command.display_name.strip()
    if problems := check_sign_up(email, password, display_name):
        return Outcome.rejected(*problems)
    if await models.Member.filter(email=email).exists():
        return Outcome.rejected(EMAIL_TAKEN)
    password_hash = await asyncio.to_thread(context.passwords.hash, password)
    try:
        async with in_transaction():
            member = await models.Member.create(
                email=email, display_name=display_name, password_hash=password_hash
            )
            token = await _issue_token(context, member)
    except IntegrityError:
        # A concurrent sign-up with the same email won the unique index.
        return Outcome.rejected(EMAIL_TAKEN)
    return Outcome(Session(token, member))


def _account_key(email: str) -> str:
    """The account a sign-in names, as the rate limiter stores it: a digest, not the email."""
    return "account:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()


async def sign_in(context: RequestContext, credentials: Credentials) -> Outcome[Session]:
    email = normalise_email(credentials.email)
    # Failed attempts are counted per account and per address; while either budget is spent,
    # no password is even checked, so a guesser learns nothing until the window passes.
    attempt_keys = (_account_key(email), context.client_address())
    await context.check(Budget.FAILED_SIGN_INS, *attempt_keys)
    # An email longer than any account's is no account's: checked against the decoy like one.
    member = await models.Member.get_or_none(email=email) if len(email) <= EMAIL_MAX_LENGTH else None
    stored_hash = member.password_hash if member else None
    passwords = context.passwords
    password = credentials.password
    if not await asyncio.to_thread(passwords.verify, stored_hash, password):
        await context.spend(Budget.FAILED_SIGN_INS, *attempt_keys)
        return Outcome.rejected(INVALID_CREDENTIALS)
    assert member is not None
    if passwords.needs_rehash(member.password_hash):
        member.password_hash = await asyncio.to_thread(passwords.hash, password)
        await member.save(update_fields=["password_hash"])
    return Outcome(Session(await _issue_token(context, member), member))


async def sign_out(context: RequestContext) -> Outcome[None]:
    """Revoke the token this request was made with."""
    token = await context.current_token()
    await models.AuthToken.filter(id=token.id, revoked_at__isnull=True).update(
        revoked_at=now()
    )
    return Outcome()
