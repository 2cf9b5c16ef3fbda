from __future__ import annotations

import datetime

import strawberry

import models
from domain.violations import Outcome
from resolvers import credit as credit_resolvers
from resolvers import employment as employment_resolvers
from resolvers import governance, roles
from resolvers import member as member_resolvers
from resolvers import review as review_resolvers
from resolvers.context import RequestContext
from resolvers.pagination import PageArgs
from schema.company import Company
from schema.credit import CareerCredit, CareerCreditShare, share_of
from schema.employment import CareerBreak, Employment
from schema.errors import UserError, payload
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
        return [Employment.from_row(row) for row in await employment_resolvers.employments_of(self.row)]

    @strawberry.field(description="Declared career breaks, most recent first.")
    async def career_breaks(self) -> list[CareerBreak]:
        return [CareerBreak.from_row(row) for row in await employment_resolvers.career_breaks_of(self.row)]

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
    async def career_credit(self) -> CareerCredit | None:
        return CareerCredit.of((await credit_resolvers.live_credits([self.row.id]))[self.row.id])

    @strawberry.field(description="Companies your career credit is shared with, newest first.")
    async def career_credit_shares(self) -> list[CareerCreditShare]:
        return [share_of(row) for row in await credit_resolvers.active_shares(self.row)]

    @strawberry.field(description="Your weight (1–10) in removal polls, from your contribution (see README).")
    async def contribution_weight(self) -> float:
        return await governance.member_weight(self.row.id)

    @strawberry.field(description="Companies this member speaks for, as representative or CEO.")
    async def representing(self) -> list[Company]:
        return [Company.from_row(row) for row in await roles.companies_represented_by(self.row)]


@strawberry.input
class SignUpInput:
    email: str
    password: str = strawberry.field(description="At least 10 characters.")
    display_name: str

    def to_command(self) -> member_resolvers.SignUp:
        return member_resolvers.SignUp(email=self.email, password=self.password, display_name=self.display_name)


@strawberry.input
class SignInInput:
    email: str
    password: str

    def to_command(self) -> member_resolvers.Credentials:
        return member_resolvers.Credentials(email=self.email, password=self.password)


@strawberry.type
class AuthPayload:
    token: str | None = strawberry.field(
        description="Bearer token for the `Authorization` header. Shown once."
    )
    viewer: Viewer | None
    user_errors: list[UserError]



def _session_payload(outcome: Outcome[member_resolvers.Session]) -> AuthPayload:
    return payload(
        AuthPayload, outcome, token=lambda s: s.token, viewer=lambda s: Viewer(row=s.member)
    )


@strawberry.type
class SignOutPayload:
    user_errors: list[UserError]

    @strawberry.field
    def signed_out(self) -> bool:
        return not self.user_errors


@strawberry.type
class AuthMutations:
    @strawberry.mutation(description="Create an account and sign in.")
    async def sign_up(self, info: strawberry.Info[RequestContext], input: SignUpInput) -> AuthPayload:
        return _session_payload(await member_resolvers.sign_up(info.context, input.to_command()))

    @strawberry.mutation
    async def sign_in(self, info: strawberry.Info[RequestContext], input: SignInInput) -> AuthPayload:
        return _session_payload(await member_resolvers.sign_in(info.context, input.to_command()))

    @strawberry.mutation(description="Revoke the token this request is made with.")
    async def sign_out(self, info: strawberry.Info[RequestContext]) -> SignOutPayload:
        return payload(SignOutPayload, await member_resolvers.sign_out(info.context))
