from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import strawberry

import models
from domain.company_record import company_record
from domain.enums import CompanySizeBand, RemovalPollStatus
from domain.fit import FitResult, Priorities
from domain.ratings import OVERALL
from resolvers import company as company_resolvers
from resolvers import credit as credit_resolvers
from resolvers import fit as fit_resolvers
from resolvers import governance
from resolvers import review as review_resolvers
from resolvers.company import CompanyOrderField
from resolvers.context import RequestContext
from resolvers.pagination import PageArgs
from resolvers.ranking_snapshot import ShownCompany
from resolvers.review import ReviewOrder
from schema.credit import CareerCredit, SharedCareerCredit, VerificationRequest
from schema.enums import OrderDirection, exposed
from schema.fit import Fit, PrioritiesInput
from schema.node import Node, to_global_id
from schema.pagination import After, Before, Connection, First, Last
from schema.ratings import CompanyRatings, CompanyRecord, RatingPeriod
from schema.review import Review, ReviewFilter

exposed(ReviewOrder, "How a company's reviews are ordered; one day's reviews keep a random order of their own.", {
    "NEWEST": "Latest day first.",
    "OLDEST": "Earliest day first.",
    "MOST_HELPFUL": "Most marked helpful first, then newest.",
    "HIGHEST": "Highest overall score first, then newest.",
    "LOWEST": "Lowest overall score first, then newest.",
})
RemovalPollRef = Annotated["RemovalPoll", strawberry.lazy("schema.governance")]
TransparencyRef = Annotated["Transparency", strawberry.lazy("schema.governance")]

if TYPE_CHECKING:
    from schema.governance import RemovalPoll, Transparency


@strawberry.type(description="A company's public page.")
class Company(Node):
    db_id: strawberry.Private[int]
    slug: str = strawberry.field(description="The company's unique, URL-safe name: `company(slug:)` finds it.")
    name: str = strawberry.field(description="The company's name.")
    industry: str | None = strawberry.field(description="Its industry, as the company gives it; null if not given.")
    size_band: CompanySizeBand | None = strawberry.field(description="How many people it employs, as the company gives it; null if not given.")
    headquarters_city: str | None = strawberry.field(description="Where it is based, as the company gives it; null if not given.")
    description: str | None = strawberry.field(description="What it does, in its own words; null if not given.")
    website: str | None = strawberry.field(description="Its web address (http or https); null if not given.")
    unanswered_review_count: int = strawberry.field(
        description="Published reviews the company has not responded to yet."
    )
    row: strawberry.Private[models.Company | ShownCompany]
    # Priorities of the listing this company came from: the default for `fit`; and the fit to
    # them, when the listing ranked by them.
    fit_priorities: strawberry.Private[Priorities | None] = None
    known_fit: strawberry.Private[FitResult | None] = None

    @strawberry.field(description="Its ratings from published reviews: overall and per dimension, with counts, "
        "means and bayesian averages.")
    async def ratings(self, info: strawberry.Info[RequestContext]) -> CompanyRatings:
        loaders = info.context.loaders
        return CompanyRatings.of(
            await loaders.ratings(self.db_id),
            await loaders.platform_means(),
            info.context.settings.bayesian_prior_strength,
        )

    @strawberry.field(
        description="Fit to `priorities`; else to the priorities `companies` was asked with; "
        "else to your saved priorities; null when there are none."
    )
    async def fit(
        self, info: strawberry.Info[RequestContext], priorities: Annotated[PrioritiesInput | None, strawberry.argument(description="Priorities to measure against; your saved ones when omitted.")] = None
    ) -> Fit | None:
        context = info.context
        chosen: Priorities | None = self.fit_priorities
        if priorities is None and chosen is not None and self.known_fit is not None:
            return Fit.of(self.known_fit, chosen)
        if priorities is not None or chosen is None:
            chosen = await fit_resolvers.effective_priorities(
                context, priorities.to_command() if priorities else None
            )
        if chosen is None:
            return None
        loaders = context.loaders
        function = (
            await loaders.function_ratings.load((self.db_id, chosen.perspective))
            if chosen.perspective
            else None
        )
        result = fit_resolvers.company_fit(
            chosen,
            await loaders.ratings(self.db_id),
            function,
            await loaders.platform_means(),
        )
        return Fit.of(result, chosen)

    @strawberry.field(description="Published reviews by default; see ReviewFilter.")
    async def reviews(
        self,
        info: strawberry.Info[RequestContext],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[ReviewFilter | None, strawberry.argument(description="Which reviews; published ones when omitted.")] = None,
        order_by: Annotated[ReviewOrder, strawberry.argument(description="NEWEST first when omitted.")] = ReviewOrder.NEWEST,
    ) -> Connection[Review]:
        review_filter = filter.to_command() if filter else review_resolvers.ReviewFilter()
        # Both read with the page's other tallies, in one statement.
        known_total, due_polls = await asyncio.gather(
            self._total_from_aggregates(info, review_filter.counted_by()),
            info.context.loaders.due_polls(self.db_id),
        )
        page = await review_resolvers.company_reviews(
            self.db_id,
            PageArgs(first=first, after=after, last=last, before=before),
            review_filter,
            order_by,
            due_polls,
            known_total,
        )
        return Connection.build(page, Review.from_row)

    async def _total_from_aggregates(
        self, info: strawberry.Info[RequestContext], source: review_resolvers.AggregateTotal | None
    ) -> int | None:
        if source is review_resolvers.AggregateTotal.UNANSWERED:
            return self.unanswered_review_count
        if source is review_resolvers.AggregateTotal.PUBLISHED:
            ratings = await info.context.loaders.ratings(self.db_id)
            return ratings[OVERALL].count if OVERALL in ratings else 0
        return None

    @strawberry.field(
        description="Career credits members shared with this company (its representatives only; "
        "null with a FORBIDDEN error for anyone else, the rest of the page unaffected)."
    )
    async def shared_career_credits(
        self,
        info: strawberry.Info[RequestContext],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SharedCareerCredit] | None:
        page = await credit_resolvers.shared_with_company(
            await info.context.require_viewer(),
            self.db_id,
            PageArgs(first=first, after=after, last=last, before=before),
        )
        credits = await credit_resolvers.live_credits(share.member_id for share in page.rows)
        return Connection.build(
            page,
            lambda share: SharedCareerCredit(
                member_display_name=share.member.display_name,
                shared_at=share.shared_at,
                career_credit=CareerCredit.of(credits[share.member_id]),
            ),
        )

    @strawberry.field(
        description="Jobs members list at this company, unverified first (its representatives only; "
        "null with a FORBIDDEN error for anyone else, the rest of the page unaffected)."
    )
    async def verification_requests(
        self,
        info: strawberry.Info[RequestContext],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[VerificationRequest] | None:
        page = await credit_resolvers.verification_requests(
            await info.context.require_viewer(),
            self.db_id,
            PageArgs(first=first, after=after, last=last, before=before),
        )
        return Connection.build(page, VerificationRequest.of)

    @strawberry.field(description="Removal polls about this company's content, newest first.")
    async def removal_polls(
        self,
        status: Annotated[RemovalPollStatus | None, strawberry.argument(description="Only polls in this state; all when omitted.")] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[RemovalPollRef]:
        from schema.governance import RemovalPoll

        page = await governance.company_polls(self.db_id, status, PageArgs(first=first, after=after, last=last, before=before))
        return Connection.build(page, RemovalPoll.from_row)

    @strawberry.field(description="How content about this company left or stayed: removals by vote (by reason) and by moderation, polls, vetoes.")
    async def governance(self) -> TransparencyRef:
        from schema.governance import Transparency

        return Transparency.of(await governance.transparency(self.db_id))

    @strawberry.field(description="Its long-term record from careers and reviews; counts about members stay null "
        "below k and move in steps of k.")
    async def record(self, info: strawberry.Info[RequestContext]) -> CompanyRecord:
        loaders = info.context.loaders
        histograms, ratings, trend = await asyncio.gather(
            loaders.record_histograms(self.db_id), loaders.ratings(self.db_id), loaders.trend(self.db_id)
        )
        published_reviews = ratings[OVERALL].count if OVERALL in ratings else 0
        k = info.context.settings.k_anonymity
        return CompanyRecord.of(company_record(histograms.tallies(self.row), published_reviews, k), trend)

    @strawberry.field(description="Count and mean overall rating per quarter, oldest first.")
    async def rating_trend(self, info: strawberry.Info[RequestContext]) -> list[RatingPeriod]:
        return [RatingPeriod.of(q) for q in await info.context.loaders.trend(self.db_id)]

    @classmethod
    def from_row(
        cls, row: models.Company | ShownCompany, fit_priorities: Priorities | None = None, known_fit: FitResult | None = None
    ) -> Company:
        return cls(
            id=to_global_id("Company", row.id),
            db_id=row.id,
            slug=row.slug,
            name=row.name,
            industry=row.industry,
            size_band=row.size_band,
            headquarters_city=row.headquarters_city,
            description=row.description,
            website=row.website,
            unanswered_review_count=row.unanswered_review_count,
            row=row,
            fit_priorities=fit_priorities,
            known_fit=known_fit,
        )


@strawberry.input(description="Narrows the company list; every given field must match.")
class CompanyFilter:
    industry: str | None = strawberry.field(default=None, description="The industry, exactly (case-insensitive).")
    size_band: CompanySizeBand | None = strawberry.field(default=None, description="The company's size band.")
    city: str | None = strawberry.field(default=None, description="Headquarters city.")
    min_review_count: int | None = strawberry.field(default=None, description="Published reviews.")
    meets_minimums: bool | None = strawberry.field(
        default=None, description="Only companies meeting the priorities' minimums (needs priorities)."
    )

    def to_command(self) -> company_resolvers.CompanyFilter:
        return company_resolvers.CompanyFilter(
            industry=self.industry,
            size_band=self.size_band,
            city=self.city,
            min_review_count=self.min_review_count,
            meets_minimums=bool(self.meets_minimums),
        )


exposed(CompanyOrderField, "What the company list is ordered by.", {
    "NAME": "The name, A to Z (DESC: Z to A).",
    "FIT": "Fit to the priorities, best first (ASC: worst first); ties by confidence, then name.",
})


@strawberry.input(description="How the company list is ordered.")
class CompanyOrder:
    field: CompanyOrderField = strawberry.field(default=CompanyOrderField.NAME, description="NAME (default) or FIT (needs priorities, given or saved).")
    direction: OrderDirection | None = strawberry.field(
        default=None, description="Default: ASC for NAME, DESC (best first) for FIT."
    )
