"""Career credit in the API: the owner's profile, employer verification, sharing with companies."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

import models
from credit import REASON_MEANINGS, Band, Factor, ReasonCode, Status
from domain.enums import JobFunction, VerificationState
from domain.violations import Outcome
from resolvers import credit as credit_resolvers
from resolvers.context import RequestContext
from schema.enums import describe_values
from schema.errors import UserError, payload
from schema.node import pk_of, to_global_id

if TYPE_CHECKING:
    from schema.company import Company

CompanyRef = Annotated["Company", strawberry.lazy("schema.company")]
# The engine's enums, exposed under GraphQL names (strawberry.enum registers them in place).
strawberry.enum(Band, name="CreditBand")
strawberry.enum(Factor, name="CreditFactorKind")
strawberry.enum(Status, name="CreditStatus")
strawberry.enum(
    ReasonCode,
    name="CreditReasonCode",
    description="Why a credit is what it is: flags (claims not rewarded), costs and strengths.",
)
describe_values(ReasonCode, REASON_MEANINGS.__getitem__)


@strawberry.enum
class VerificationDecision(Enum):
    VERIFIED = "VERIFIED"
    DISPUTED = "DISPUTED"


@strawberry.type
class CreditFactor:
    factor: Factor
    score: float = strawberry.field(description="0–100.")
    weight: float = strawberry.field(description="Share of the credit, 0–1.")
    explanation: str


@strawberry.type(
    description="An explainable career credit: five factors, each 0–100 with a reason, weighted "
    "into a 300–850 score and a band."
)
class CareerCredit:
    status: Status
    score: int | None = strawberry.field(description="300–850; null with insufficient history.")
    band: Band | None
    factors: list[CreditFactor]
    reason_codes: list[ReasonCode] = strawberry.field(
        description="At most four: flags first, then what costs the most points, most first."
    )
    positives: list[ReasonCode] = strawberry.field(description="The strongest factors (strengths), at most three.")
    percentile: float | None = strawberry.field(
        description="Share (0–100) of members whose stored credit is below this score."
    )
    computed_at: datetime.datetime | None

    @classmethod
    def of(cls, live: credit_resolvers.LiveCredit) -> CareerCredit:
        profile = live.profile
        return cls(
            status=profile.status,
            score=profile.score,
            band=profile.band,
            factors=[CreditFactor(factor=f.factor, score=f.value, weight=f.weight, explanation=f.explanation)
                     for f in profile.factors],
            reason_codes=list(profile.reason_codes),
            positives=list(profile.positives),
            percentile=live.percentile,
            computed_at=live.computed_at,
        )


@strawberry.type(description="A company your career credit is shared with.")
class CareerCreditShare:
    company_id: strawberry.Private[int]
    shared_at: datetime.datetime

    @strawberry.field
    async def company(self, info: strawberry.Info[RequestContext]) -> CompanyRef:
        from schema.company import Company

        return Company.from_row(await info.context.loaders.company_by_id.load(self.company_id))


@strawberry.type(description="A member's career credit, shared with your company.")
class SharedCareerCredit:
    member_display_name: str
    shared_at: datetime.datetime
    career_credit: CareerCredit


@strawberry.type(description="A job a member lists at your company, for you to verify or dispute.")
class VerificationRequest:
    employment_id: strawberry.ID
    member_display_name: str
    job_function: JobFunction
    location: str
    start_date: datetime.date
    end_date: datetime.date | None
    title: str | None = strawberry.field(description="The member's latest title in this job.")
    verification: VerificationState

    @classmethod
    def of(cls, request: credit_resolvers.VerificationRequest) -> VerificationRequest:
        employment = request.employment
        return cls(
            employment_id=to_global_id("Employment", employment.id),
            member_display_name=request.member_name,
            job_function=employment.job_function,
            location=employment.location,
            start_date=employment.start_date,
            end_date=employment.end_date,
            title=request.title,
            verification=employment.verification,
        )


@strawberry.input
class VerifyEmploymentInput:
    employment_id: strawberry.ID
    decision: VerificationDecision


@strawberry.input
class CareerCreditShareInput:
    company_slug: str


@strawberry.type
class VerifyEmploymentPayload:
    employment_id: strawberry.ID | None
    verification: VerificationState | None
    user_errors: list[UserError]


@strawberry.type
class CareerCreditSharePayload:
    share: CareerCreditShare | None
    user_errors: list[UserError]


@strawberry.type
class RevokeCareerCreditSharePayload:
    user_errors: list[UserError]

    @strawberry.field
    def revoked(self) -> bool:
        return not self.user_errors


def _verification_payload(outcome: Outcome[models.Employment]) -> VerifyEmploymentPayload:
    return payload(
        VerifyEmploymentPayload,
        outcome,
        employment_id=lambda row: to_global_id("Employment", row.id),
        verification=lambda row: row.verification,
    )


def share_of(row: models.CreditShare) -> CareerCreditShare:
    return CareerCreditShare(company_id=row.company_id, shared_at=row.shared_at)


@strawberry.input
class EmploymentIdInput:
    employment_id: strawberry.ID


@strawberry.type
class CreditMutations:
    @strawberry.mutation(
        description="Ask the job's company to verify it. From then on its representatives see this job "
        "with your display name, function, city and dates (a job you never send stays yours alone); "
        "a verified job counts fully in your career credit. Take it back with cancelVerificationRequest "
        "until they answer."
    )
    async def request_verification(
        self, info: strawberry.Info[RequestContext], input: EmploymentIdInput
    ) -> VerifyEmploymentPayload:
        outcome = await credit_resolvers.request_verification(
            await info.context.require_viewer(), pk_of(input.employment_id, "Employment")
        )
        return _verification_payload(outcome)

    @strawberry.mutation(description="Take a verification request back before the company answers; the job is private again.")
    async def cancel_verification_request(
        self, info: strawberry.Info[RequestContext], input: EmploymentIdInput
    ) -> VerifyEmploymentPayload:
        outcome = await credit_resolvers.cancel_verification_request(
            await info.context.require_viewer(), pk_of(input.employment_id, "Employment")
        )
        return _verification_payload(outcome)

    @strawberry.mutation(
        description="Verify or dispute a job its member sent your company (representatives only)."
    )
    async def verify_employment(
        self, info: strawberry.Info[RequestContext], input: VerifyEmploymentInput
    ) -> VerifyEmploymentPayload:
        member = await info.context.require_viewer()
        outcome = await credit_resolvers.verify_employment(
            member, pk_of(input.employment_id, "Employment"), VerificationState(input.decision.value)
        )
        return _verification_payload(outcome)

    @strawberry.mutation(description="Let a company's representatives see your career credit.")
    async def share_career_credit(
        self, info: strawberry.Info[RequestContext], input: CareerCreditShareInput
    ) -> CareerCreditSharePayload:
        outcome = await credit_resolvers.share_credit(await info.context.require_viewer(), input.company_slug)
        return payload(CareerCreditSharePayload, outcome, share=share_of)

    @strawberry.mutation(description="Stop sharing your career credit with a company.")
    async def revoke_career_credit_share(
        self, info: strawberry.Info[RequestContext], input: CareerCreditShareInput
    ) -> RevokeCareerCreditSharePayload:
        outcome = await credit_resolvers.revoke_credit_share(
            await info.context.require_viewer(), input.company_slug
        )
        return payload(RevokeCareerCreditSharePayload, outcome)
