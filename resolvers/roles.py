"""Who speaks for a company: its representatives and CEO (granted by platform admins)."""

import models
from resolvers.errors import Forbidden


async def is_representative(member: models.Member, company_id: int) -> bool:
    """Does the member hold a role (representative or CEO) at the company?"""
    return await models.CompanyRole.exists(member_id=member.id, company_id=company_id)


async def require_representative(member: models.Member, company_id: int) -> None:
    """Forbidden unless the member holds a role (representative or CEO) at the company."""
    if not await is_representative(member, company_id):
        raise Forbidden("Only a representative of this company can do this.")


async def companies_represented_by(member: models.Member) -> list[models.Company]:
    """Companies the member speaks for, by name."""
    return await models.Company.filter(roles__member_id=member.id).order_by("name", "id")
