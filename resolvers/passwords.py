"""Changing a password (other sessions signed out) and resetting a forgotten one through a
single-use token mailed to the account's address (every session signed out). Asking for a reset
answers alike for any address."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tortoise.transactions import in_transaction

import models
from domain import account_mail
from domain.errors import ErrorCode
from domain.member import RESET_LIFETIME, check_new_password, new_token, normalise_email, token_digest
from domain.violations import Outcome, Violation
from infra.rate_limits import Budget
from resolvers.clock import now
from resolvers.colleagues import admit_colleagues_of
from resolvers.context import RequestContext
from resolvers.member import Session, account_for, issue_token, mail
from resolvers.sessions import revoke_all

INVALID_RESET_TOKEN = Violation(
    ("token",), ErrorCode.INVALID_RESET_TOKEN, "This reset token is wrong, used or expired: ask for a new one."
)
WRONG_PASSWORD = Violation(("currentPassword",), ErrorCode.INVALID_CREDENTIALS, "Your current password is not correct.")


@dataclass(frozen=True)
class PasswordChange:
    current_password: str
    new_password: str


async def change_password(context: RequestContext, change: PasswordChange) -> Outcome[models.Member]:
    member = await context.require_viewer()
    attempts = (context.client_address(), f"change:{member.id}@{context.client_address()}")
    await context.check(Budget.FAILED_SIGN_INS, *attempts)
    if not await asyncio.to_thread(context.passwords.verify, member.password_hash, change.current_password):
        await context.spend(Budget.FAILED_SIGN_INS, *attempts)
        return Outcome.rejected(WRONG_PASSWORD)
    if problems := check_new_password(change.new_password, (member.email, member.display_name), "newPassword"):
        return Outcome.rejected(*problems)
    password_hash = await asyncio.to_thread(context.passwords.hash, change.new_password)
    current = await context.current_token()
    async with in_transaction():
        await models.Member.filter(id=member.id).update(password_hash=password_hash)
        await revoke_all(member, except_token_id=current.id)
    mail(context, member.email, account_mail.password_changed())
    return Outcome(member)


async def request_reset(context: RequestContext, email: str) -> Outcome[None]:
    """Mail a reset token to the account of `email`, if there is one; the answer is the same
    either way (and asking is limited per address and per account, so nobody is mail-bombed)."""
    email = normalise_email(email)
    await context.spend(Budget.MAILS, context.client_address(), f"reset:{token_digest(email)}")
    member = await account_for(email)
    if member is not None:
        token, digest = new_token()
        await models.PasswordReset.create(member_id=member.id, token_hash=digest, expires_at=now() + RESET_LIFETIME)
        mail(context, member.email, account_mail.password_reset(token))
    return Outcome()


async def reset_password(context: RequestContext, token: str, new_password: str) -> Outcome[Session]:
    """A new password from a mailed token: used once, it proves the address (verified now too),
    signs out every session and signs in afresh."""
    reset = await models.PasswordReset.filter(
        token_hash=token_digest(token.strip()), used_at__isnull=True, expires_at__gt=now()
    ).select_related("member").first()
    if reset is None:
        return Outcome.rejected(INVALID_RESET_TOKEN)
    member = reset.member
    if problems := check_new_password(new_password, (member.email, member.display_name), "newPassword"):
        return Outcome.rejected(*problems)
    password_hash = await asyncio.to_thread(context.passwords.hash, new_password)
    async with in_transaction():
        if not await models.PasswordReset.filter(id=reset.id, used_at__isnull=True).update(used_at=now()):
            return Outcome.rejected(INVALID_RESET_TOKEN)  # a concurrent reset used it first
        verified = member.verified_email or (
            None if await models.Member.exists(verified_email=member.email) else member.email
        )
        await models.Member.filter(id=member.id).update(
            password_hash=password_hash, verified_email=verified,
            email_verified_at=member.email_verified_at or (now() if verified else None),
        )
        await admit_colleagues_of(member.id)
        await revoke_all(member)
        await models.EmailCode.filter(member_id=member.id).delete()
    member.password_hash, member.verified_email = password_hash, verified
    mail(context, member.email, account_mail.password_changed())
    return Outcome(Session(await issue_token(context, member), member))
