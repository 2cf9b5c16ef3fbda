"""A company's representatives keep its page facts current. Reviews stay out of their reach."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.company import (
    CITY_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    INDUSTRY_MAX_LENGTH,
    WEBSITE_MAX_LENGTH,
    ProfileEdit,
)
from domain.enums import CompanySizeBand
from resolvers import company as company_resolvers
from resolvers.context import RequestContext
from schema.company import Company
from schema.errors import INPUT, PAYLOAD, USER_ERRORS, UserError, payload


@strawberry.input(description="Omitted (or null) fields stay as they are; an empty text clears one.")
class UpdateCompanyProfileInput:
    company_slug: str = strawberry.field(description="Your company's slug.")
    description: str | None = strawberry.field(default=None, description=f"At most {DESCRIPTION_MAX_LENGTH} characters.")
    website: str | None = strawberry.field(
        default=None, description=f"An http(s) address, at most {WEBSITE_MAX_LENGTH} characters."
    )
    industry: str | None = strawberry.field(default=None, description=f"At most {INDUSTRY_MAX_LENGTH} characters.")
    size_band: CompanySizeBand | None = strawberry.field(default=None, description="The company's size band.")
    headquarters_city: str | None = strawberry.field(default=None, description=f"At most {CITY_MAX_LENGTH} characters.")

    def to_command(self) -> ProfileEdit:
        return ProfileEdit(
            description=self.description,
            website=self.website,
            industry=self.industry,
            size_band=self.size_band,
            headquarters_city=self.headquarters_city,
        )


@strawberry.type(description=PAYLOAD)
class CompanyPayload:
    company: Company | None = strawberry.field(description="The company as stored; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class CompanyMutations:
    @strawberry.mutation(
        description="Change the company's description, website, industry, size or city "
        "(its representatives and CEO only; anyone else gets FORBIDDEN)."
    )
    async def update_company_profile(
        self, info: strawberry.Info[RequestContext], input: Annotated[UpdateCompanyProfileInput, INPUT]
    ) -> CompanyPayload:
        member = await info.context.require_viewer()
        outcome = await company_resolvers.update_company_profile(member, input.company_slug, input.to_command())
        return payload(CompanyPayload, outcome, company=Company.from_row)
