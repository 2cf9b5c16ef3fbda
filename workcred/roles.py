"""Platform-admin actions on company roles (run from the CLI, never through the API)."""

from __future__ import annotations

from tortoise.transactions import in_transaction

import models
from domain.company import normalise_slug
from domain.enums import CompanyRoleKind, PlatformRoleKind
from domain.member import normalise_email
from resolvers.company import company_by_slug
from resolvers.company_record import restand_member


class RoleError(Exception):
    """The grant cannot be made; the message says why."""


async def grant_role(company_slug: str, email: str, kind: CompanyRoleKind) -> models.CompanyRole:
    company = await company_by_slug(company_slug)
    if company is None:
        raise RoleError(f"No company with slug {company_slug!r}.")
    member = await _account(email)
    if kind is CompanyRoleKind.CEO:
        other_ceo = await models.CompanyRole.filter(company=company, kind=CompanyRoleKind.CEO).exclude(
            member=member
        ).exists()
        if other_ceo:
            raise RoleError(f"{company.name} already has a CEO; revoke that role first.")
    async with in_transaction():
        role, created = await models.CompanyRole.get_or_create(
            company=company, member=member, defaults={"kind": kind}
        )
        if created:
            await restand_member(company.id, member.id)  # representatives leave its tenure figures
        elif role.kind is not kind:
            role.kind = kind
            await role.save(update_fields=["kind"])
    return role


async def revoke_role(company_slug: str, email: str) -> bool:
    """Remove a member's role at a company; False when they held none."""
    role = await models.CompanyRole.get_or_none(
        company__slug=normalise_slug(company_slug), member__verified_email=normalise_email(email)
    )
    if role is None:
        return False
    async with in_transaction():
        await role.delete()
        await restand_member(role.company_id, role.member_id)
    return True


async def grant_moderator(email: str) -> None:
    """Make a member a platform moderator (idempotent)."""
    member = await _account(email)
    await models.PlatformRole.get_or_create(member=member, defaults={"kind": PlatformRoleKind.MODERATOR})


async def revoke_moderator(email: str) -> bool:
    """Take the moderator role away; False when the member held none."""
    return bool(await models.PlatformRole.filter(member__verified_email=normalise_email(email)).delete())


async def _account(email: str) -> models.Member:
    """The account that proved `email`: roles go to a verified address, never to one typed in."""
    member = await models.Member.get_or_none(verified_email=normalise_email(email))
    if member is None:
        raise RoleError(f"No member has verified the address {email!r}.")
    return member
