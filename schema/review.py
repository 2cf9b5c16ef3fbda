from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

import models
from domain.anonymity import Attribute, Face
from domain.dates import start_of_day
from domain.enums import (
    Dimension,
    EmploymentStatus,
    JobFunction,
    ResponseStatus,
    ReviewStatus,
    TenureBucket,
)
from domain.review import (
    ADVICE_MAX_LENGTH,
    CONS_MAX_LENGTH,
    PROS_MAX_LENGTH,
    RESPONSE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ReviewContent,
)
from resolvers.anonymity import face_of
from resolvers.context import RequestContext
from resolvers.ratings import dimension_scores
from resolvers.review import ReviewEdit
from resolvers.review import ReviewFilter as ResolverReviewFilter
from schema.errors import PAYLOAD, USER_ERRORS, UserError
from schema.node import Node, to_global_id

if TYPE_CHECKING:
    from schema.company import Company
    from schema.governance import RemovalPoll
    from schema.moderation import ReviewHistoryEntry

CompanyRef = Annotated["Company", strawberry.lazy("schema.company")]
ReviewHistoryEntryRef = Annotated["ReviewHistoryEntry", strawberry.lazy("schema.moderation")]
RemovalPollRef = Annotated["RemovalPoll", strawberry.lazy("schema.governance")]


@strawberry.type(description="A review's score for one dimension.")
class ReviewDimensionScore:
    dimension: Dimension = strawberry.field(description="The rated dimension.")
    score: int = strawberry.field(description="1–5.")


@strawberry.type(
    description="Who is speaking, in coarse terms, as of when the review was written or last edited. "
    "Shown only as far as at least k established colleagues at the company could be behind it "
    "(see docs/privacy.md); fixed when the author publishes or edits."
)
class TenureInfo:
    employment_status: EmploymentStatus | None = strawberry.field(description="Null when withheld.")
    tenure: TenureBucket | None = strawberry.field(
        description="Null when withheld; when `withheld` names `tenure` but this is set, it is "
        "a lower bound (MORE_THAN_1_YEAR: a year or more)."
    )
    job_function: JobFunction | None = strawberry.field(description="The author's job function, unless withheld.")
    location: str | None = strawberry.field(description="Where the author worked, unless withheld.")
    last_year: int | None = strawberry.field(description="Last year at the company (former employees).")
    withheld: list[Attribute] = strawberry.field(
        description="What this review holds back about its author, in the order it was held back."
    )

    @strawberry.field(description="Always null: verification is the company's decision, so a face never shows it.", 
        deprecation_reason="Always null: whether a job is verified is the company's decision, so a face never "
        "shows it (it would let a company split a crowd by verifying part of it). Goes in a later release."
    )
    def verified(self) -> bool | None:
        return None

    @classmethod
    def of(cls, face: Face) -> TenureInfo:
        return cls(
            employment_status=face.employment_status,
            tenure=face.tenure,
            job_function=face.job_function,
            location=face.location,
            last_year=face.last_year,
            withheld=face.withheld,
        )


@strawberry.type(description="The company's official answer to a review.")
class CompanyResponse(Node):
    body: str = strawberry.field(description="A public notice instead, once moderators removed it.")
    created_at: datetime.datetime = strawberry.field(description="The day it was posted (midnight UTC).")
    updated_at: datetime.datetime | None = strawberry.field(description="The day it was last edited (midnight UTC).")
    status: ResponseStatus = strawberry.field(description="PUBLISHED, or removed by a vote or by the moderators (then its body is null).")
    status_reason: str | None = strawberry.field(description="Why it was removed (public).")
    company_id: strawberry.Private[int]
    db_id: strawberry.Private[int]

    @strawberry.field(description="The company that answered.")
    async def company(self, info: strawberry.Info[RequestContext]) -> CompanyRef:
        from schema.company import Company

        return Company.from_row(await info.context.loaders.company_by_id.load(self.company_id))

    @strawberry.field(description="The latest removal poll on it, open or settled.")
    async def removal_poll(self, info: strawberry.Info[RequestContext]) -> RemovalPollRef | None:
        from schema.governance import RemovalPoll

        poll = await info.context.loaders.latest_poll_by_response.load(self.db_id)
        return RemovalPoll.from_row(poll) if poll is not None else None

    @classmethod
    def from_row(cls, row: models.CompanyResponse) -> CompanyResponse:
        return cls(
            id=to_global_id("CompanyResponse", row.id),
            body=row.body if row.status is ResponseStatus.PUBLISHED else _REMOVED_RESPONSE[row.status],
            created_at=row.created_at,
            updated_at=row.updated_at,
            status=row.status,
            status_reason=row.status_reason,
            company_id=row.company_id,
            db_id=row.id,
        )


_REMOVED_RESPONSE = {
    ResponseStatus.REMOVED_BY_VOTE: "Removed by a community vote",
    ResponseStatus.REMOVED_BY_MODERATION: "Removed by moderators",
}
_HIDDEN_TITLE = {
    ReviewStatus.HELD: "Not published yet",
    ReviewStatus.WITHDRAWN: "Withdrawn by its author",
    ReviewStatus.REMOVED_BY_VOTE: "Removed by a community vote",
    ReviewStatus.REMOVED_BY_MODERATION: "Removed by moderators",
}


@strawberry.type(description="A review. Its author is never revealed.")
class Review(Node):
    row: strawberry.Private[models.Review]
    # The author reading their own review sees its text even after it left publication.
    show_hidden_text: strawberry.Private[bool]

    @strawberry.field(description="1–5; null once the review is no longer published.")
    def overall(self) -> int | None:
        overall: int = self.row.overall
        return overall if self._text_visible else None

    @strawberry.field(description="Dimension scores the author gave, in fixed dimension order.")
    def ratings(self) -> list[ReviewDimensionScore]:
        if not self._text_visible:
            return []
        return [
            ReviewDimensionScore(dimension=dimension, score=score)
            for dimension, score in dimension_scores(self.row)
        ]

    @property
    def _text_visible(self) -> bool:
        return self.row.status is ReviewStatus.PUBLISHED or self.show_hidden_text

    @strawberry.field(description="For a review no longer published, a public notice instead.")
    def title(self) -> str:
        return self.row.title if self._text_visible else _HIDDEN_TITLE[self.row.status]

    @strawberry.field(description="What is good there (null once the review is withdrawn or removed).")
    def pros(self) -> str | None:
        return self.row.pros if self._text_visible else None

    @strawberry.field(description="What is not (null once the review is withdrawn or removed).")
    def cons(self) -> str | None:
        return self.row.cons if self._text_visible else None

    @strawberry.field(description="Advice to the company, if any (null once withdrawn or removed).")
    def advice_to_management(self) -> str | None:
        return self.row.advice_to_management if self._text_visible else None

    @strawberry.field(description="How many members marked it helpful.")
    def helpful_count(self) -> int:
        return self.row.helpful_count

    @strawberry.field(description="PUBLISHED, HELD (its author sees it alone), WITHDRAWN, or removed by a vote or "
        "by the moderators.")
    def status(self) -> ReviewStatus:
        return self.row.status

    @strawberry.field(description="Why the review is no longer published (public).")
    def status_reason(self) -> str | None:
        return self.row.status_reason

    @strawberry.field(description="The day it was written (midnight UTC): a date, never an instant.")
    def created_at(self) -> datetime.datetime:
        return start_of_day(self.row.created_at)

    @strawberry.field(description="The day the author last edited it (midnight UTC); null if never.")
    def updated_at(self) -> datetime.datetime | None:
        return start_of_day(self.row.updated_at) if self.row.updated_at is not None else None

    @strawberry.field(description="The company reviewed.")
    async def company(self, info: strawberry.Info[RequestContext]) -> CompanyRef:
        from schema.company import Company

        return Company.from_row(await info.context.loaders.company_by_id.load(self.row.company_id))

    @strawberry.field(description="The company's public answer, if any.")
    async def response(self, info: strawberry.Info[RequestContext]) -> CompanyResponse | None:
        if not self._text_visible:
            return None
        row = await info.context.loaders.response_by_review.load(self.row.id)
        return CompanyResponse.from_row(row) if row is not None else None

    @strawberry.field(description="The latest removal poll on it, open or settled.")
    async def removal_poll(self, info: strawberry.Info[RequestContext]) -> RemovalPollRef | None:
        from schema.governance import RemovalPoll

        poll = await info.context.loaders.latest_poll_by_review.load(self.row.id)
        return RemovalPoll.from_row(poll) if poll is not None else None

    @strawberry.field(description="How it left publication or came back, oldest first (public).")
    async def history(self, info: strawberry.Info[RequestContext]) -> list[ReviewHistoryEntryRef]:
        from schema.moderation import ReviewHistoryEntry

        return [ReviewHistoryEntry.of(entry) for entry in await info.context.loaders.history_by_review.load(self.row.id)]

    @strawberry.field(description="Null while the review is held (it has no face yet) and once it is no longer "
                      "published.")
    def tenure(self) -> TenureInfo | None:
        if self.row.status is ReviewStatus.HELD:
            return None
        return TenureInfo.of(face_of(self.row)) if self._text_visible else None

    @classmethod
    def from_row(cls, row: models.Review, show_hidden_text: bool = False) -> Review:
        return cls(id=to_global_id("Review", row.id), row=row, show_hidden_text=show_hidden_text)


@strawberry.input(description="A score for one dimension.")
class ReviewScoreInput:
    dimension: Dimension = strawberry.field(description="The rated dimension.")
    score: int = strawberry.field(description="1–5.")


def _scores(given: list[ReviewScoreInput]) -> list[tuple[Dimension, int]]:
    return [(score.dimension, score.score) for score in given]


@strawberry.input(description="A review of a company, written from one of your jobs there.")
class SubmitReviewInput:
    employment_id: strawberry.ID = strawberry.field(description="Your job at the reviewed company.")
    overall: int = strawberry.field(description="1–5.")
    ratings: list[ReviewScoreInput] = strawberry.field(description="At least one dimension, each once.")
    title: str = strawberry.field(description=f"1–{TITLE_MAX_LENGTH} characters.")
    pros: str | None = strawberry.field(default=None, description=f"Up to {PROS_MAX_LENGTH} characters.")
    cons: str | None = strawberry.field(default=None, description=f"Up to {CONS_MAX_LENGTH} characters.")
    advice_to_management: str | None = strawberry.field(
        default=None, description=f"Up to {ADVICE_MAX_LENGTH} characters."
    )
    withhold: list[Attribute] = strawberry.field(
        default_factory=list,
        description="What the review should not show of you even where the anonymity rule would allow it (it "
        "never shows more); kept when you edit it. `reviewFacePreview` shows what it would show.",
    )

    def to_command(self) -> ReviewContent:
        return ReviewContent(
            overall=self.overall,
            ratings=_scores(self.ratings),
            title=self.title,
            pros=self.pros,
            cons=self.cons,
            advice_to_management=self.advice_to_management,
        )


@strawberry.input(description="Omitted fields are kept; `ratings`, when given, replace all scores.")
class EditReviewInput:
    review_id: strawberry.ID = strawberry.field(description="Your published or held review.")
    overall: int | None = strawberry.field(default=None, description="A new overall score, 1–5; kept when omitted.")
    ratings: list[ReviewScoreInput] | None = strawberry.field(default=None, description="New scores per dimension (at least one, each once), replacing all the old ones; "
        "kept when omitted.")
    title: str | None = strawberry.field(default=None, description="A new headline, at most 120 characters; kept when omitted.")
    pros: str | None = strawberry.field(default=None, description='"" clears it.')
    cons: str | None = strawberry.field(default=None, description='"" clears it.')
    advice_to_management: str | None = strawberry.field(default=None, description='"" clears it.')

    def to_command(self) -> ReviewEdit:
        return ReviewEdit(
            overall=self.overall,
            ratings=_scores(self.ratings) if self.ratings is not None else None,
            title=self.title,
            pros=self.pros,
            cons=self.cons,
            advice_to_management=self.advice_to_management,
        )


@strawberry.input(description="One review.")
class ReviewIdInput:
    review_id: strawberry.ID = strawberry.field(description="The review's id.")


@strawberry.input(description="Your company's public answer to a review.")
class RespondToReviewInput:
    review_id: strawberry.ID = strawberry.field(description="A published review of your company without a response yet.")
    body: str = strawberry.field(description=f"1–{RESPONSE_MAX_LENGTH} characters.")


@strawberry.input(description="A new text for your company's response.")
class EditResponseInput:
    response_id: strawberry.ID = strawberry.field(description="The response (your company's).")
    body: str = strawberry.field(description=f"1–{RESPONSE_MAX_LENGTH} characters.")


@strawberry.type(description="What a review from a job would show of its author if written now.")
class ReviewFacePreview:
    tenure: TenureInfo | None = strawberry.field(description="The face; null when the review would be held.")
    held: bool = strawberry.field(
        description="true: too few counted colleagues could be behind any face yet — a review would be held, seen by "
        "you only, until one can hide you."
    )


@strawberry.type(description=PAYLOAD)
class ReviewPayload:
    review: Review | None = strawberry.field(description="The review as stored; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description=PAYLOAD)
class ResponsePayload:
    response: CompanyResponse | None = strawberry.field(description="The response as stored; null when nothing was done.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.input(description="The lowest score a review must give a dimension to be listed.")
class ReviewScoreMinimumInput:
    dimension: Dimension = strawberry.field(description="The rated dimension.")
    minimum: int = strawberry.field(description="1–5.")


@strawberry.input(description="Narrows a company's reviews; every given field must match. Filters see what faces "
     "show, never more.")
class ReviewFilter:
    status: ReviewStatus = strawberry.field(default=ReviewStatus.PUBLISHED, description="PUBLISHED (default); WITHDRAWN or removed ones are listed with their notices, "
                                   "filtered by date only. HELD is refused: only their authors see them (`viewer.reviews`).")
    employment_status: EmploymentStatus | None = strawberry.field(default=None, description="Reviews whose face shows this status (current or former employee).")
    tenure: TenureBucket | None = strawberry.field(default=None, description="Reviews whose face shows this tenure bucket.")
    verified: bool | None = strawberry.field(description="Ignored: whether a job is verified is the company's decision, so no review is "
        "filtered by it.", 
        default=None, deprecation_reason="Ignored: faces no longer show verification. Goes in a later release."
    )
    job_function: JobFunction | None = strawberry.field(
        default=None,
        description="Matches reviews whose face shows this function.",
    )
    min_overall: int | None = strawberry.field(default=None, description="The lowest overall score listed, 1–5.")
    max_overall: int | None = strawberry.field(default=None, description="The highest overall score listed, 1–5.")
    dimension_minimums: list[ReviewScoreMinimumInput] | None = strawberry.field(default=None, description="Lowest scores per dimension a review must give to be listed.")
    written_from: datetime.date | None = strawberry.field(default=None, description="Reviews written on or after this day.")
    written_to: datetime.date | None = strawberry.field(default=None, description="Reviews written on or before this day.")
    answered: bool | None = strawberry.field(
        default=None,
        description="Whether the company has responded (a response later removed still counts). "
        "With `orderBy: OLDEST`, `answered: false` is a responder's inbox.",
    )

    def to_command(self) -> ResolverReviewFilter:
        return ResolverReviewFilter(
            status=self.status,
            employment_status=self.employment_status,
            tenure=self.tenure,
            job_function=self.job_function,
            min_overall=self.min_overall,
            max_overall=self.max_overall,
            dimension_minimums=[(m.dimension, m.minimum) for m in self.dimension_minimums or []],
            answered=self.answered,
            written_from=self.written_from,
            written_to=self.written_to,
        )
