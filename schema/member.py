from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

import models
from domain.violations import Outcome
from resolvers import account_data, governance, roles
from resolvers import credit as credit_resolvers
from resolvers import employment as employment_resolvers
from resolvers import member as member_resolvers
from resolvers import passwords as password_resolvers
from resolvers import review as review_resolvers
from resolvers import sessions as session_resolvers
from resolvers.context import RequestContext
from resolvers.pagination import PageArgs
from schema.company import Company
from schema.credit import CareerCredit, CareerCreditShare, share_of
from schema.employment import CareerBreak, Employment
from schema.errors import INPUT, PAYLOAD, USER_ERRORS, UserError, payload
from schema.fit import SavedPriorities
from schema.node import Node, pk_of, to_global_id
from schema.pagination import After, Before, Connection, First, Last
from schema.review import Review


@strawberry.type(description="A member's account. Reachable only by that member.")
class Member(Node):
    email: str = strawberry.field(description="The account's address (visible to its owner only).")
    display_name: str = strawberry.field(description="The account's name, never shown on reviews.")
    created_at: datetime.datetime = strawberry.field(description="When the account was made.")
    email_verified: bool = strawberry.field(
        description="Whether you entered the code mailed to your address. Until you do, you may browse, "
        "record your career, see your credit and set priorities, but not review, respond, vote or verify."
    )

    @classmethod
    def from_row(cls, row: models.Member) -> Member:
        return cls(
            id=to_global_id("Member", row.id),
            email=row.email,
            display_name=row.display_name,
            created_at=row.created_at,
            email_verified=row.email_verified,
        )


@strawberry.type(description="A place you are signed in. Times are days: when it began and was last used.")
class Session(Node):
    created_on: datetime.date = strawberry.field(description="The day it signed in.")
    last_used_on: datetime.date | None = strawberry.field(description="The day it was last used; null if never since.")
    client: str = strawberry.field(description='What signed in, coarsely: "Firefox on Linux", "curl".')
    current: bool = strawberry.field(description="Whether this is the session of this request.")

    @classmethod
    def from_row(cls, row: models.AuthToken, current_id: int) -> Session:
        return cls(
            id=to_global_id("Session", row.id),
            created_on=row.created_at.date(),
            last_used_on=row.last_used_on,
            client=row.client or "Unknown client",
            current=row.id == current_id,
        )


@strawberry.type(description="The signed-in member and everything private to them.")
class Viewer:
    row: strawberry.Private[models.Member]

    @strawberry.field(description="Your account.")
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
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Review]:
        page = await review_resolvers.authored_reviews(
            self.row, PageArgs(first=first, after=after, last=last, before=before)
        )
        return Connection.build(page, lambda row: Review.from_row(row, True))

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

    @strawberry.field(description="Your weight (1–10) in removal polls, from your contribution (see docs/governance.md).")
    async def contribution_weight(self) -> float:
        return await governance.member_weight(self.row.id)

    @strawberry.field(description="Companies this member speaks for, as representative or CEO.")
    async def representing(self) -> list[Company]:
        return [Company.from_row(row) for row in await roles.companies_represented_by(self.row)]

    @strawberry.field(description="Where you are signed in, newest first; revoke any with revokeSession.")
    async def sessions(self, info: strawberry.Info[RequestContext]) -> list[Session]:
        current = await info.context.current_token()
        return [Session.from_row(row, current.id) for row in await session_resolvers.live_sessions(self.row)]

    @strawberry.field(
        description="Everything workcred holds about you, as one JSON document (your account, sessions, "
        "history, breaks, reviews in every status with their faces, the responses to them, votes, "
        "marks, shares, priorities and your career credit with its factors)."
    )
    async def export(self) -> JSON:
        return JSON(await account_data.export(self.row))


@strawberry.input(description="A new account; a code is mailed to prove the address.")
class SignUpInput:
    email: str = strawberry.field(description="Your email address: you prove it with the mailed code before you may review, "
        "respond or vote.")
    password: str = strawberry.field(description="At least 10 characters.")
    display_name: str = strawberry.field(description="Your name on the account, at most 80 characters: never shown on reviews, only to "
        "companies you share your career credit with or send a job to verify.")

    def to_command(self) -> member_resolvers.SignUp:
        return member_resolvers.SignUp(email=self.email, password=self.password, display_name=self.display_name)


@strawberry.input(description="Your email and password.")
class SignInInput:
    email: str = strawberry.field(description="The account's email address.")
    password: str = strawberry.field(description="The account's password.")

    def to_command(self) -> member_resolvers.Credentials:
        return member_resolvers.Credentials(email=self.email, password=self.password)


@strawberry.type(description=PAYLOAD)
class AuthPayload:
    token: str | None = strawberry.field(
        description="Bearer token for the `Authorization` header. Shown once."
    )
    viewer: Viewer | None = strawberry.field(description="The account signed in (or up); null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)



def _session_payload(outcome: Outcome[member_resolvers.Session]) -> AuthPayload:
    return payload(
        AuthPayload, outcome, token=lambda s: s.token, viewer=lambda s: Viewer(row=s.member)
    )


@strawberry.input(description="The code mailed to your address.")
class VerifyEmailInput:
    code: str = strawberry.field(description="The six digits mailed to your address.")


@strawberry.type(description=PAYLOAD)
class MemberPayload:
    member: Member | None = strawberry.field(description="The account as changed; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _member_payload(outcome: Outcome[models.Member]) -> MemberPayload:
    return payload(MemberPayload, outcome, member=Member.from_row)


@strawberry.input(description="Your current password and the new one; other sessions are signed out.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password you sign in with now.")
    new_password: str = strawberry.field(description="At least 10 characters, not easy to guess.")


@strawberry.input(description="The address to mail a reset link to (if an account has it; the answer is the same "
     "either way).")
class RequestPasswordResetInput:
    email: str = strawberry.field(description="The account's email address.")


@strawberry.input(description="The mailed token and a new password.")
class ResetPasswordInput:
    token: str = strawberry.field(description="The token mailed to the account's address.")
    new_password: str = strawberry.field(description="At least 10 characters, at most 256, not easy to guess.")


@strawberry.input(description="One of your sessions.")
class RevokeSessionInput:
    session_id: strawberry.ID = strawberry.field(description="The session's id (from `viewer { sessions }`).")


@strawberry.input(description="Your password, to confirm deleting your account and everything of yours.")
class DeleteAccountInput:
    password: str = strawberry.field(description="The password you sign in with.")
    withdraw_reviews: bool = strawberry.field(
        description="true: your published reviews are withdrawn. false: they stay, as anonymous content "
        "with the faces they show, and no author."
    )


@strawberry.type(description="What a mutation that only does something returns: whether it was done, or "
     "`userErrors`.")
class DoneMessage:
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)

    @strawberry.field(description="Whether it was done (false when userErrors say why not).")
    def done(self) -> bool:
        return not self.user_errors


@strawberry.type(description=PAYLOAD)
class SignOutPayload:
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)

    @strawberry.field(description="Whether the session was ended.")
    def signed_out(self) -> bool:
        return not self.user_errors


@strawberry.type
class AuthMutations:
    @strawberry.mutation(description="Create an account and sign in.")
    async def sign_up(self, info: strawberry.Info[RequestContext], input: Annotated[SignUpInput, INPUT]) -> AuthPayload:
        return _session_payload(await member_resolvers.sign_up(info.context, input.to_command()))

    @strawberry.mutation(description="Sign in with email and password; the token goes in `Authorization: Bearer "
        "<token>`.")
    async def sign_in(self, info: strawberry.Info[RequestContext], input: Annotated[SignInInput, INPUT]) -> AuthPayload:
        return _session_payload(await member_resolvers.sign_in(info.context, input.to_command()))

    @strawberry.mutation(description="Revoke the token this request is made with.")
    async def sign_out(self, info: strawberry.Info[RequestContext]) -> SignOutPayload:
        return payload(SignOutPayload, await member_resolvers.sign_out(info.context))

    @strawberry.mutation(description="Prove your address with the code mailed to it (valid 30 minutes, 5 tries).")
    async def verify_email(self, info: strawberry.Info[RequestContext], input: Annotated[VerifyEmailInput, INPUT]) -> MemberPayload:
        return _member_payload(await member_resolvers.verify_email(info.context, input.code))

    @strawberry.mutation(description="Mail a new code to your address (any earlier one stops working).")
    async def resend_verification_email(self, info: strawberry.Info[RequestContext]) -> MemberPayload:
        return _member_payload(await member_resolvers.resend_verification(info.context))

    @strawberry.mutation(description="Change your password; every other session is signed out.")
    async def change_password(self, info: strawberry.Info[RequestContext], input: Annotated[ChangePasswordInput, INPUT]) -> MemberPayload:
        change = password_resolvers.PasswordChange(input.current_password, input.new_password)
        return _member_payload(await password_resolvers.change_password(info.context, change))

    @strawberry.mutation(
        description="Mail a single-use reset token (valid 30 minutes) to the account of this address. "
        "The answer is the same whether or not the address has an account."
    )
    async def request_password_reset(
        self, info: strawberry.Info[RequestContext], input: Annotated[RequestPasswordResetInput, INPUT]
    ) -> DoneMessage:
        return payload(DoneMessage, await password_resolvers.request_reset(info.context, input.email))

    @strawberry.mutation(description="Choose a new password with a mailed token; every session is signed out, "
                         "and you are signed in afresh.")
    async def reset_password(self, info: strawberry.Info[RequestContext], input: Annotated[ResetPasswordInput, INPUT]) -> AuthPayload:
        return _session_payload(await password_resolvers.reset_password(info.context, input.token, input.new_password))

    @strawberry.mutation(description="Sign out one of your sessions (see Viewer.sessions).")
    async def revoke_session(self, info: strawberry.Info[RequestContext], input: Annotated[RevokeSessionInput, INPUT]) -> DoneMessage:
        outcome = await session_resolvers.revoke_session(info.context, pk_of(input.session_id, "Session"))
        return payload(DoneMessage, outcome)

    @strawberry.mutation(description="Sign out every session, this one included.")
    async def sign_out_everywhere(self, info: strawberry.Info[RequestContext]) -> DoneMessage:
        return payload(DoneMessage, await session_resolvers.sign_out_everywhere(info.context))

    @strawberry.mutation(
        description="Delete your account at once: your address, name, password, sessions, history, breaks, "
        "credit and its shares, priorities, helpful marks and votes in open polls are erased, and every "
        "figure they counted in moves. Download Viewer.export first if you want a copy."
    )
    async def delete_account(self, info: strawberry.Info[RequestContext], input: Annotated[DeleteAccountInput, INPUT]) -> DoneMessage:
        outcome = await account_data.delete_account(info.context, input.password, input.withdraw_reviews)
        return payload(DoneMessage, outcome)
