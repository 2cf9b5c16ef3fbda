from __future__ import annotations

import datetime

import strawberry

import models
from resolvers import auth
from resolvers import credit as credit_resolvers
from resolvers import reviews as review_resolvers
from resolvers.context import RequestContext
from resolvers.pagination import PageArgs
from schema.company import Company
from schema.credit import CareerCredit, CareerCreditShare, live_credits, share_of
from schema.employment import CareerBreak, Employment
from schema.errors import UserError, user_errors
from schema.fit import SavedPriorities
from schema.node import Node, to_global_id
from schema.pagination import Connection
from schema.review import Review


@strawberry.type(description="A member's account. Reachable only by that member.")
class Member(Node):
    email: str
    display_name: str
    created_at: datetime.datetime

    @classmethod
    def from_row(cls, row: models.Member) -> Member:
        return cls(
            id=to_global_id("Member", row.id),
            email=row.email,
            display_name=row.display_name,
            created_at=row.created_at,
        )


@strawberry.type(description="The signed-in member and everything private to them.")
class Viewer:
    row: strawberry.Private[models.Member]

    @strawberry.field
    def member(self) -> Member:
        return Member.from_row(self.row)

    @strawberry.field(description="Jobs, most recent first.")
    async def employments(self) -> list[Employment]:
        rows = await models.Employment.filter(member_id=self.row.id).order_by("-start_date", "-id")
        return [Employment.from_row(r) for r in rows]

    @strawberry.field(description="Declared career breaks, most recent first.")
    async def career_breaks(self) -> list[CareerBreak]:
        rows = await models.CareerBreak.filter(member_id=self.row.id).order_by("-start_date", "-id")
        return [CareerBreak.from_row(r) for r in rows]

    @strawberry.field(description="Reviews you wrote, in every status, newest first. Only you see this list.")
    async def reviews(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Review]:
        page = await review_resolvers.authored_reviews(
            self.row, PageArgs(first=first, after=after, last=last, before=before)
        )
        return Connection.build(page.rows, page.window, lambda row: Review.from_row(row, True))

    @strawberry.field(description="Your saved fit priorities; null when none are saved.")
    async def priorities(self, info: strawberry.Info[RequestContext]) -> SavedPriorities | None:
        saved = await info.context.saved_priorities()
        return SavedPriorities.of(saved) if saved is not None else None

    @strawberry.field(description="Your career credit, computed now. Only you (and companies you share it with) see it.")
    async def career_credit(self, info: strawberry.Info[RequestContext]) -> CareerCredit | None:
        return (await live_credits(info.context, [self.row.id]))[self.row.id]

    @strawberry.field(description="Companies your career credit is shared with, newest first.")
    async def career_credit_shares(self) -> list[CareerCreditShare]:
        return [share_of(row) for row in await credit_resolvers.active_shares(self.row)]

    @strawberry.field(description="Companies this member speaks for, as representative or CEO.")
    async def representing(self) -> list[Company]:
        rows = await models.Company.filter(roles__member_id=self.row.id).order_by("name", "id")
        return [Company.from_row(r) for r in rows]


@strawberry.input
class SignUpInput:
    email: str
    password: str = strawberry.field(description="At least 10 characters.")
    display_name: str


@strawberry.input
class SignInInput:
    email: str
    password: str


@strawberry.type
class AuthPayload:
    token: str | None = strawberry.field(
        description="Bearer token for the `Authorization` header. Shown once."
    )
    viewer: Viewer | None
    user_errors: list[UserError]

    @classmethod
    def from_outcome(cls, outcome) -> AuthPayload:
        session: auth.Session | None = outcome.value
        if session is None:
            return cls(token=None, viewer=None, user_errors=user_errors(outcome.violations))
        return cls(token=session.token, viewer=Viewer(row=session.member), user_errors=[])


@strawberry.type
class SignOutPayload:
    signed_out: bool
    user_errors: list[UserError]


@strawberry.type
class AuthMutations:
    @strawberry.mutation(description="Create an account and sign in.")
    async def sign_up(self, info: strawberry.Info[RequestContext], input: SignUpInput) -> AuthPayload:
        outcome = await auth.sign_up(info.context, input.email, input.password, input.display_name)
        return AuthPayload.from_outcome(outcome)

    @strawberry.mutation
    async def sign_in(self, info: strawberry.Info[RequestContext], input: SignInInput) -> AuthPayload:
        return AuthPayload.from_outcome(await auth.sign_in(info.context, input.email, input.password))

    @strawberry.mutation(description="Revoke the token this request is made with.")
    async def sign_out(self, info: strawberry.Info[RequestContext]) -> SignOutPayload:
        await auth.sign_out(info.context)
        return SignOutPayload(signed_out=True, user_errors=[])
