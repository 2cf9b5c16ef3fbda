"""Company pages: lookup, listing and implicit creation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from tortoise.queryset import QuerySet

import models
from domain.company import (
    COMPANY_NAME_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    ProfileEdit,
    check_profile_edit,
    company_slug,
    normalise_company_name,
    normalise_slug,
)
from domain.enums import CompanySizeBand
from domain.errors import ErrorCode
from domain.fit import FitResult, Priorities
from domain.ratings import ALL_FUNCTIONS, OVERALL
from domain.violations import Outcome, Violation
from resolvers.company_search import matching_ids, search_sections
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.fit import effective_priorities, require
from resolvers.pagination import Page, PageArgs, paginate, paginate_sections, validate_page_args
from resolvers.priorities import PrioritiesDraft
from resolvers.ranking_snapshot import ListingFilter, ShownCompany, current_snapshot, shown_companies
from resolvers.roles import require_representative

SEARCH_MAX_LENGTH = 100
UNKNOWN_COMPANY_SLUG = Violation(("companySlug",), ErrorCode.COMPANY_NOT_FOUND, "No company has this slug.")


class CompanyOrderField(Enum):
    NAME = "NAME"
    FIT = "FIT"


@dataclass(frozen=True)
class CompanyFilter:
    industry: str | None = None
    size_band: CompanySizeBand | None = None
    city: str | None = None
    min_review_count: int | None = None
    meets_minimums: bool = False


async def company_by_slug(slug: str, with_stamp: bool = False) -> models.Company | None:
    """None for an unknown slug, including one longer than any slug can be. `with_stamp`: its
    change stamp too (`company.version`), in the same statement."""
    slug = normalise_slug(slug)
    if len(slug) > SLUG_MAX_LENGTH:
        return None
    query = models.Company.filter(slug=slug)
    return await (query.select_related("version") if with_stamp else query).first()


def _bounded(value: str, argument: str, max_length: int) -> str:
    """A filter value no longer than the column it is compared with."""
    if len(value) > max_length:
        raise BadUserInput(f"`{argument}` is at most {max_length} characters.")
    return value


def _listing_filter(search: str | None, company_filter: CompanyFilter | None) -> ListingFilter:
    """The listing's narrowing, checked (too long, negative) and trimmed."""
    chosen = company_filter or CompanyFilter()
    if chosen.min_review_count is not None and chosen.min_review_count < 0:
        raise BadUserInput("`minReviewCount` must not be negative.")
    return ListingFilter(
        search=search.strip()[:SEARCH_MAX_LENGTH].casefold() if search and search.strip() else None,
        industry=_bounded(chosen.industry.strip(), "industry", 80).casefold() if chosen.industry else None,
        size_band=chosen.size_band.value if chosen.size_band else None,
        city=_bounded(chosen.city.strip(), "city", 120).casefold() if chosen.city else None,
        min_review_count=chosen.min_review_count or None,
    )


def _filtered(listing: ListingFilter) -> QuerySet[models.Company]:
    """The listing's narrowing but the search (resolvers/company_search.py)."""
    query = models.Company.all()
    if listing.industry:
        query = query.filter(industry__iexact=listing.industry)
    if listing.size_band:
        query = query.filter(size_band=listing.size_band)
    if listing.city:
        query = query.filter(headquarters_city__iexact=listing.city)
    if listing.min_review_count:
        query = query.filter(
            rating_aggregates__scope=ALL_FUNCTIONS,
            rating_aggregates__rating_key=OVERALL,
            rating_aggregates__count__gte=listing.min_review_count,
        )
    return query


@dataclass(frozen=True)
class CompanyListing:
    page: Page[models.Company | ShownCompany]
    # The priorities the listing was asked with (or ranked by): `Company.fit`'s default.
    priorities: Priorities | None
    # Each shown company's fit to them, where the ranking already knows it (by company id).
    fits: dict[int, FitResult] = field(default_factory=dict)


async def list_companies(
    context: RequestContext,
    page: PageArgs,
    search: str | None,
    company_filter: CompanyFilter | None,
    order_field: CompanyOrderField,
    *,
    descending: bool | None,
    priorities: PrioritiesDraft | None,
) -> CompanyListing:
    """By name (ascending unless `descending`), or by fit (best first unless `descending` is
    False). Ordering or filtering by fit ranks every matching company in the process's ranking
    snapshot, then reads only the companies shown."""
    listing = _listing_filter(search, company_filter)
    fit_order = order_field is CompanyOrderField.FIT
    meets_minimums = company_filter is not None and company_filter.meets_minimums
    if not fit_order and not meets_minimums:
        # Passed priorities are still validated: they become `Company.fit`'s default.
        chosen = await effective_priorities(context, priorities) if priorities is not None else None
        if listing.search:  # prefix matches first (resolvers/company_search.py)
            sections = search_sections(_filtered(listing), listing.search, descending=bool(descending))
            return CompanyListing(await paginate_sections(sections, page), chosen)
        order = ("-name", "-id") if descending else ("name", "id")
        return CompanyListing(await paginate(_filtered(listing), order, page), chosen)
    validate_page_args(page)
    chosen = require(await effective_priorities(context, priorities), "Ranking by fit")
    snapshot = await current_snapshot(context.data_version)
    reverse = descending is False if fit_order else bool(descending)
    found_ids = await matching_ids(listing.search) if listing.search else None
    ranked = snapshot.ranked_page(chosen, listing, meets_minimums, by_fit=fit_order, reverse=reverse, page=page,
                                  found=found_ids)
    rows = await shown_companies(ranked.company_ids)
    for company_id in rows:  # their ratings need no further read
        context.loaders.prime_ratings(company_id, snapshot.ratings(company_id))
    shown = [(rows[i], cursor) for i, cursor in zip(ranked.company_ids, ranked.cursors, strict=True) if i in rows]
    page_shown = Page(
        [row for row, _ in shown], [cursor for _, cursor in shown],
        ranked.has_next_page, ranked.has_previous_page, ranked.total,
    )
    return CompanyListing(page_shown, chosen, snapshot.fits(chosen, rows))


async def find_or_create_company(name: str) -> Outcome[models.Company]:
    """The page for `name`, created when no company has the same slug (case-insensitive name)."""
    name = normalise_company_name(name)
    slug = company_slug(name)
    if not slug:
        return Outcome.rejected(
            Violation(("companyName",), ErrorCode.INVALID_COMPANY_NAME, "Enter the company's name.")
        )
    if len(name) > COMPANY_NAME_MAX_LENGTH:
        return Outcome.rejected(
            Violation(
                ("companyName",),
                ErrorCode.TOO_LONG,
                f"A company name must be at most {COMPANY_NAME_MAX_LENGTH} characters.",
            )
        )
    # get_or_create re-reads after losing a race on the unique slug.
    company, _ = await models.Company.get_or_create(slug=slug, defaults={"name": name})
    return Outcome(company)


async def update_company_profile(
    member: models.Member, slug: str, edit: ProfileEdit
) -> Outcome[models.Company]:
    """The company's own page facts; its reviews are out of reach (no code path here touches them)."""
    company = await company_by_slug(slug)
    if company is None:
        return Outcome.rejected(UNKNOWN_COMPANY_SLUG)
    await require_representative(member, company.id)
    edit = edit.cleaned()
    if problems := check_profile_edit(edit):
        return Outcome.rejected(*problems)
    if changes := edit.changes():
        company.update_from_dict(changes)
        await company.save(update_fields=list(changes))
    return Outcome(company)
