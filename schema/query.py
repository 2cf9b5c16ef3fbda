from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from resolvers import appeals as appeal_resolvers
from resolvers import company as company_resolvers
from resolvers import governance as governance_resolvers
from resolvers import node as node_resolvers
from resolvers import review as review_resolvers
from resolvers.context import RequestContext
from resolvers.pagination import PageArgs
from schema.company import Company, CompanyFilter, CompanyOrder
from schema.employment import CareerBreak, Employment
from schema.enums import OrderDirection
from schema.fit import PrioritiesInput
from schema.governance import RemovalPoll, Transparency
from schema.member import Member, Viewer
from schema.moderation import ModerationQueueItem
from schema.node import Node, from_global_id, pk_of
from schema.pagination import After, Before, Connection, First, Last
from schema.rate_limit import RateLimit, rate_limit
from schema.review import CompanyResponse, Review, ReviewFacePreview, TenureInfo

# Type name in the global id → (row lookup honouring privacy, schema type).
_NODE_TYPES: dict[str, tuple[Callable[[RequestContext, int], Awaitable[Any]], Any]] = {
    "Company": (node_resolvers.company, Company),
    "Member": (node_resolvers.own_member, Member),
    "Employment": (node_resolvers.own_employment, Employment),
    "CareerBreak": (node_resolvers.own_career_break, CareerBreak),
    "Review": (node_resolvers.review, Review),
    "CompanyResponse": (node_resolvers.company_response, CompanyResponse),
    "RemovalPoll": (node_resolvers.removal_poll, RemovalPoll),
}


@strawberry.type(description="Everything that reads: companies, reviews, your own account and history.")
class Query:
    @strawberry.field(description="Any object by global id; null if unknown or not yours to see.")
    async def node(self, info: strawberry.Info[RequestContext], id: Annotated[strawberry.ID, strawberry.argument(description="A global id from a response.")]) -> Node | None:
        decoded = from_global_id(id)
        if decoded is None or decoded[0] not in _NODE_TYPES:
            return None
        lookup, node_type = _NODE_TYPES[decoded[0]]
        row = await lookup(info.context, decoded[1])
        return node_type.from_row(row) if row is not None else None

    @strawberry.field(
        description="What a review from one of your jobs would show of you if written now (before you write it); "
        "null if the job is not yours. Sign-in required."
    )
    async def review_face_preview(
        self, info: strawberry.Info[RequestContext], employment_id: Annotated[strawberry.ID, strawberry.argument(description="One of your jobs.")]
    ) -> ReviewFacePreview | None:
        member = await info.context.require_viewer()
        try:
            face = await review_resolvers.face_preview(member, pk_of(employment_id, "Employment"))
        except LookupError:
            return None
        return ReviewFacePreview(tenure=TenureInfo.of(face) if face is not None else None, held=face is None)

    @strawberry.field(
        description="Open appeals and referred removal polls, oldest first (platform moderators only)."
    )
    async def moderation_queue(
        self, info: strawberry.Info[RequestContext], first: Annotated[int, strawberry.argument(description="Items after `after` (or from the start): 1–100; 20 when neither `first` nor "
            "`last` is given.")] = 50
    ) -> list[ModerationQueueItem]:
        member = await info.context.require_viewer()
        return [ModerationQueueItem.of(item) for item in await appeal_resolvers.moderation_queue(member, first)]

    @strawberry.field(description='Platform-wide transparency totals for one quarter, e.g. period: "2026-Q4".')
    async def transparency_report(self, period: Annotated[str, strawberry.argument(description="A quarter, e.g. 2026-Q4.")]) -> Transparency:
        since, until = governance_resolvers.quarter_bounds(period)
        return Transparency.of(await governance_resolvers.transparency(None, since, until))

    rate_limit: RateLimit | None = strawberry.field(
        resolver=rate_limit,
        description="Your points budget after this operation (null if none was counted).",
    )

    @strawberry.field(description="The signed-in member; null when not signed in.")
    async def viewer(self, info: strawberry.Info[RequestContext]) -> Viewer | None:
        member = await info.context.viewer()
        return Viewer(row=member) if member is not None else None

    @strawberry.field(description="One company by its slug; null if none has it.")
    async def company(self, info: strawberry.Info[RequestContext], slug: Annotated[str, strawberry.argument(description="The company's slug (case-insensitive).")]) -> Company | None:
        row = await company_resolvers.company_by_slug(slug, with_stamp=True)
        info.context.show_company(row)
        if row is None:
            return None
        info.context.loaders.company_by_id.prime(row.id, row)
        return Company.from_row(row)

    @strawberry.field(
        description="Companies by name or by fit to your priorities; `search` matches part of the name."
    )
    async def companies(
        self,
        info: strawberry.Info[RequestContext],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        search: Annotated[str | None, strawberry.argument(description=(
            "Part of the name, case-insensitive: names starting with it first, then (three characters "
            "or more) names containing it elsewhere."))] = None,
        filter: Annotated[CompanyFilter | None, strawberry.argument(description="Which companies.")] = None,
        priorities: Annotated[PrioritiesInput | None, strawberry.argument(description="Priorities to rank by (orderBy FIT) and to measure `fit` against; your saved "
            "ones when omitted.")] = None,
        order_by: Annotated[CompanyOrder | None, strawberry.argument(description="By NAME when omitted.")] = None,
    ) -> Connection[Company]:
        order_by = order_by or CompanyOrder()
        listing = await company_resolvers.list_companies(
            info.context,
            PageArgs(first=first, after=after, last=last, before=before),
            search,
            filter.to_command() if filter else None,
            order_by.field,
            descending=None if order_by.direction is None else order_by.direction == OrderDirection.DESC,
            priorities=priorities.to_command() if priorities else None,
        )
        return Connection.build(
            listing.page,
            lambda row: Company.from_row(row, fit_priorities=listing.priorities, known_fit=listing.fits.get(row.id)),
        )
