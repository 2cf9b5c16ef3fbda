"""Signing up, proving an address, signing in and out.

Nothing here tells anyone whether an address has an account. Sign-up answers alike either way —
it always opens a new, unverified account, and the address is mailed a code when it has no
verified account yet, or a note that someone tried to sign up when it has one — and sign-in
answers a wrong password and an unknown address with the same code after the same work (one
password check either way). An address has one account that can sign in: the one that verified
it, or until then the newest.

Failed sign-ins are limited per address and per (account, address), so a stranger's guesses
spend the stranger's budgets; a ceiling per account slows a crowd of strangers down, but never
refuses the owner signing in from an address they signed in from before.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

import models
from domain import account_mail
from domain.clients import client_label
from domain.errors import ErrorCode
from domain.member import (
    CODE_LIFETIME,
    CODE_TRIES,
    EMAIL_MAX_LENGTH,
    check_sign_up,
    keyed_digest,
    new_code,
    new_token,
    normalise_email,
    same_digest,
)
from domain.violations import Outcome, Violation
from infra.mail import Mail
from infra.rate_limits import Budget
from resolvers.clock import now
from resolvers.colleagues import admit_colleagues_of
from resolvers.context import RequestContext
from resolvers.errors import TooManyAttempts

INVALID_CREDENTIALS = Violation(
    ("password",), ErrorCode.INVALID_CREDENTIALS, "The email or password is not correct."
)
INVALID_CODE = Violation(("code",), ErrorCode.INVALID_CODE, "This code is wrong, expired or used up: ask for a new one.")
ALREADY_VERIFIED = Violation((), ErrorCode.EMAIL_ALREADY_VERIFIED, "Your address is verified already.")
ADDRESS_TAKEN = Violation(
    ("code",), ErrorCode.EMAIL_TAKEN, "Another account verified this address first; sign in to that one."
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


async def issue_token(context: RequestContext, member: models.Member) -> str:
    """A new session for `member`, labelled with the client that asked for it."""
    token, digest = new_token()
    await models.AuthToken.create(
        member=member,
        token_hash=digest,
        expires_at=now() + timedelta(days=context.settings.token_ttl_days),
        last_used_on=now().date(),
        client=client_label(context.request.headers.get("user-agent")),
    )
    return token


async def account_for(email: str) -> models.Member | None:
    """The account that signs in with `email`: the one that verified it, else the newest."""
    if len(email) > EMAIL_MAX_LENGTH:  # longer than any account's
        return None
    # Both looked up, always: one statement fewer for an address with a verified account would
    # tell a patient stranger, by timing, which addresses have one.
    verified = await models.Member.get_or_none(verified_email=email)
    newest = await models.Member.filter(email=email).order_by("-id").first()
    return verified or newest


def mail(context: RequestContext, to: str, text: tuple[str, str]) -> None:
    subject, body = text
    context.mailer.send_later(Mail(to, subject, body))


async def send_code(context: RequestContext, member: models.Member) -> None:
    """A new code for `member`'s address (any earlier one stops working), mailed."""
    code = new_code()
    async with in_transaction():
        await models.EmailCode.filter(member_id=member.id).delete()
        await models.EmailCode.create(
            member_id=member.id,
            code_hash=keyed_digest(context.secret, "email-code", member.id, code),
            expires_at=now() + CODE_LIFETIME,
            tries_left=CODE_TRIES,
        )
    mail(context, member.email, account_mail.verification_code(code))


async def sign_up(context: RequestContext, command: SignUp) -> Outcome[Session]:
    await context.spend(Budget.SIGN_UPS, context.client_address())
    email = normalise_email(command.email)
    display_name = command.display_name.strip()
    if problems := check_sign_up(email, command.password, display_name):
        return Outcome.rejected(*problems)
    password_hash = await asyncio.to_thread(context.passwords.hash, command.password)
    async with in_transaction():
        member = await models.Member.create(email=email, display_name=display_name, password_hash=password_hash)
        token = await issue_token(context, member)
        await _remember_address(context, member)
    if await models.Member.exists(verified_email=email):
        mail(context, email, account_mail.sign_up_attempted())
    else:
        await send_code(context, member)
    return Outcome(Session(token, member))


def _account_key(email: str) -> str:
    """The account a sign-in names, as the rate limiter stores it: a digest, not the email."""
    return "account:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()


async def _known_address(context: RequestContext, member: models.Member | None) -> bool:
    if member is None:
        return False
    key = keyed_digest(context.secret, "address", context.client_address())
    return await models.KnownAddress.exists(member_id=member.id, address_key=key)


async def _remember_address(context: RequestContext, member: models.Member) -> None:
    key = keyed_digest(context.secret, "address", context.client_address())
    await models.KnownAddress.update_or_create(
        member_id=member.id, address_key=key, defaults={"last_signed_in_at": now()}
    )


async def sign_in(context: RequestContext, credentials: Credentials) -> Outcome[Session]:
    email = normalise_email(credentials.email)
    account, address = _account_key(email), context.client_address()
    this_address = (address, f"{account}@{address}")
    # The budgets of this address, and of this account from it: spent, nothing is checked.
    await context.check(Budget.FAILED_SIGN_INS, *this_address)
    member = await account_for(email)
    # Strangers together past the account's ceiling: only addresses it signed in from go on.
    try:
        await context.check(Budget.FAILED_SIGN_INS_TO_ACCOUNT, account)
    except TooManyAttempts:
        if not await _known_address(context, member):
            raise
    stored_hash = member.password_hash if member else None
    if not await asyncio.to_thread(context.passwords.verify, stored_hash, credentials.password):
        await context.spend(Budget.FAILED_SIGN_INS, *this_address)
        await context.rate_limits.count(Budget.FAILED_SIGN_INS_TO_ACCOUNT, account)
        return Outcome.rejected(INVALID_CREDENTIALS)
    assert member is not None
    if context.passwords.needs_rehash(member.password_hash):
        member.password_hash = await asyncio.to_thread(context.passwords.hash, credentials.password)
        await member.save(update_fields=["password_hash"])
    await _remember_address(context, member)
    if not member.email_verified and not await models.EmailCode.exists(member_id=member.id, expires_at__gt=now()):
        await send_code(context, member)  # an account from before addresses were proven: asked now
    return Outcome(Session(await issue_token(context, member), member))


async def sign_out(context: RequestContext) -> Outcome[None]:
    """Revoke the token this request was made with."""
    token = await context.current_token()
    await models.AuthToken.filter(id=token.id, revoked_at__isnull=True).update(revoked_at=now())
    return Outcome()


async def verify_email(context: RequestContext, code: str) -> Outcome[models.Member]:
    """The code mailed to the viewer's address proves it is theirs."""
    member = await context.require_viewer()
    if member.email_verified:
        return Outcome.rejected(ALREADY_VERIFIED)
    async with in_transaction():
        live = await models.EmailCode.filter(member_id=member.id, expires_at__gt=now(), tries_left__gt=0).first()
        if live is None:
            return Outcome.rejected(INVALID_CODE)
        if not same_digest(live.code_hash, keyed_digest(context.secret, "email-code", member.id, code.strip())):
            await models.EmailCode.filter(id=live.id).update(tries_left=live.tries_left - 1)
            return Outcome.rejected(INVALID_CODE)
        await models.EmailCode.filter(member_id=member.id).delete()
    try:
        async with in_transaction():
            await models.Member.filter(id=member.id).update(verified_email=member.email, email_verified_at=now())
            await admit_colleagues_of(member.id)  # a proven address may make them a counted colleague
    except IntegrityError:  # another account of this address entered its code first
        return Outcome.rejected(ADDRESS_TAKEN)
    member.verified_email, member.email_verified_at = member.email, now()
    return Outcome(member)


async def resend_verification(context: RequestContext) -> Outcome[models.Member]:
    member = await context.require_viewer()
    if member.email_verified:
        return Outcome.rejected(ALREADY_VERIFIED)
    await context.spend(Budget.MAILS, f"member:{member.id}", context.client_address())
    await send_code(context, member)
    return Outcome(member)


async def deployment_secret(configured: str) -> bytes:
    """WORKCRED_SECRET_KEY when set, else the key the database was created with."""
    if configured:
        return configured.encode("utf-8")
    row = await models.DeploymentSecret.get(id=1)
    return row.secret.encode("utf-8")
