"""Company pages: lookup, listing and implicit creation."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.queryset import QuerySet

import models
from domain.companies import COMPANY_NAME_MAX_LENGTH, company_slug, normalise_company_name
from domain.enums import CompanySizeBand
from domain.violations import Outcome, Violation
from resolvers.pagination import Page, PageArgs, paginate

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class CompanyFilter:
    industry: str | None = None
    size_band: CompanySizeBand | None = None
    city: str | None = None


async def company_by_slug(slug: str) -> models.Company | None:
    return await models.Company.get_or_none(slug=slug.strip().lower())


def _filtered(search: str | None, company_filter: CompanyFilter | None) -> QuerySet[models.Company]:
    query = models.Company.all()
    if search and search.strip():
        query = query.filter(name__icontains=search.strip()[:SEARCH_MAX_LENGTH])
    if company_filter is not None:
        if company_filter.industry:
            query = query.filter(industry__iexact=company_filter.industry.strip())
        if company_filter.size_band:
            query = query.filter(size_band=company_filter.size_band)
        if company_filter.city:
            query = query.filter(headquarters_city__iexact=company_filter.city.strip())
    return query


async def list_companies(
    page: PageArgs, search: str | None, company_filter: CompanyFilter | None, descending: bool
) -> Page[models.Company]:
    order = ("-name", "-id") if descending else ("name", "id")
    return await paginate(_filtered(search, company_filter), order, page)


async def find_or_create_company(name: str) -> Outcome[models.Company]:
    """The page for `name`, created when no company has the same slug (case-insensitive name)."""
    name = normalise_company_name(name)
    slug = company_slug(name)
    if not slug:
        return Outcome.rejected(
            Violation(("companyName",), "INVALID_COMPANY_NAME", "Enter the company's name.")
        )
    if len(name) > COMPANY_NAME_MAX_LENGTH:
        return Outcome.rejected(
            Violation(
                ("companyName",),
                "TOO_LONG",
                f"A company name must be at most {COMPANY_NAME_MAX_LENGTH} characters.",
            )
        )
    # get_or_create re-reads after losing a race on the unique slug.
    company, _ = await models.Company.get_or_create(slug=slug, defaults={"name": name})
    return Outcome(company)
