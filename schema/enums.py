"""Domain enums exposed to GraphQL under their domain names."""

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry

from domain import enums
from domain.anonymity import Attribute

EnumT = TypeVar("EnumT", bound=Enum)


def exposed(enum: type[EnumT], description: str, meanings: Mapping[str, str], name: str | None = None) -> type[EnumT]:
    """`enum` registered with strawberry (under `name`), itself and every value described: a
    value added without a meaning fails here, at import, not in a client's generated types."""
    if missing := [member.name for member in enum if member.name not in meanings]:
        raise ValueError(f"{enum.__name__}: no meaning for {', '.join(missing)}")
    strawberry.enum(enum, name=name, description=description)
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = meanings[enum(value.value).name]
    return enum


exposed(enums.JobFunction, "A line of work.", {
    "ENGINEERING": "Software, hardware and other engineering.",
    "PRODUCT": "Product management.",
    "DESIGN": "Product, visual and industrial design.",
    "DATA": "Data science, analytics and data engineering.",
    "SALES": "Sales and business development.",
    "MARKETING": "Marketing and communications.",
    "OPERATIONS": "Operations, supply chain and manufacturing.",
    "FINANCE": "Finance and accounting.",
    "HR": "People, recruiting and HR.",
    "LEGAL": "Legal and compliance.",
    "SUPPORT": "Customer support and success.",
    "MANAGEMENT": "General management and executives.",
    "OTHER": "Anything else.",
})
exposed(
    enums.VerificationState,
    "Whether a job's company confirmed it. A job is private to its member until the member asks the company.",
    {
        "UNVERIFIED": "Not sent to the company: it does not know of it.",
        "REQUESTED": "Sent to the company with `requestVerification`; waiting for its answer.",
        "VERIFIED": "The company confirmed it.",
        "DISPUTED": "The company says it is not so.",
    },
)
exposed(enums.CareerBreakKind, "What a career break was for.", {
    "EDUCATION": "Study or training.",
    "PARENTAL_LEAVE": "Caring for a new child.",
    "CAREGIVING": "Caring for someone.",
    "HEALTH": "Illness or recovery.",
    "SABBATICAL": "Time off by choice.",
    "JOB_SEARCH": "Looking for the next job.",
})
exposed(enums.CompanySizeBand, "How many people a company employs.", {
    "SIZE_1_50": "1 to 50.",
    "SIZE_51_200": "51 to 200.",
    "SIZE_201_1000": "201 to 1,000.",
    "SIZE_1001_5000": "1,001 to 5,000.",
    "SIZE_5001_10000": "5,001 to 10,000.",
    "SIZE_10000_PLUS": "More than 10,000.",
})
exposed(enums.CompanyRoleKind, "Who speaks for a company.", {
    "REPRESENTATIVE": "Answers reviews, verifies jobs and keeps the company's page.",
    "CEO": "A representative whose removal-poll vote weighs more, with one veto per period.",
})


class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


exposed(OrderDirection, "Which way a list runs.", {
    "ASC": "Ascending: A to Z, worst fit first.",
    "DESC": "Descending: Z to A, best fit first.",
})


exposed(enums.Dimension, "What reviews rate, each 1–5, in this display order.", {
    "COMPENSATION": "Pay and benefits.",
    "WORK_LIFE_BALANCE": "Hours and time for a life outside work.",
    "MANAGEMENT": "How well people are managed.",
    "GROWTH": "Room to learn and to advance.",
    "MEANING": "Whether the work matters.",
    "CULTURE": "How people treat each other.",
    "STABILITY": "Job security and the company's footing.",
})
exposed(enums.ReviewStatus, "Where a review stands.", {
    "HELD": "Written, but too few counted colleagues for any face to hide its author yet: seen by its author "
    "only, and published once a face can hide them.",
    "PUBLISHED": "Public.",
    "WITHDRAWN": "Taken back by its author; its text and scores are no longer shown.",
    "REMOVED_BY_VOTE": "Removed by a removal poll of the company's counted colleagues.",
    "REMOVED_BY_MODERATION": "Removed by the platform's moderators, with a public reason.",
})
exposed(enums.EmploymentStatus, "Whether a reviewer still works there (as their face shows).", {
    "CURRENT": "Still works there.",
    "FORMER": "Has left.",
})
exposed(enums.TenureBucket, "How long a reviewer worked there, in coarse steps (as their face shows).", {
    "LESS_THAN_1_YEAR": "Under a year.",
    "MORE_THAN_1_YEAR": "A year or more.",
    "MORE_THAN_3_YEARS": "Three years or more.",
    "MORE_THAN_5_YEARS": "Five years or more.",
    "MORE_THAN_8_YEARS": "Eight years or more.",
    "MORE_THAN_10_YEARS": "Ten years or more.",
})
exposed(enums.ResponseStatus, "Where a company's response stands.", {
    "PUBLISHED": "Public.",
    "REMOVED_BY_VOTE": "Removed by a removal poll.",
    "REMOVED_BY_MODERATION": "Removed by the platform's moderators, with a public reason.",
})
exposed(enums.RemovalReason, "The rule a review or response is said to break.", {
    "SPAM": "Advertising or repeated text.",
    "FAKE": "Not written from a real job there.",
    "OFF_TOPIC": "Not about working there.",
    "PERSONAL_INFORMATION": "Names or details that identify a person.",
    "HARASSMENT": "Insults or threats against a person.",
})
exposed(enums.RemovalPollStatus, "Where a removal poll stands.", {
    "OPEN": "Voting until `closesAt`.",
    "REMOVED": "The vote removed the content.",
    "KEPT": "The vote kept it (or too few voted).",
    "VETOED": "The CEO vetoed the removal.",
    "REFERRED": "A removal carried mostly by recently counted colleagues: a moderator decides.",
})
exposed(Attribute, "An author attribute a review's face may show.", {
    "LAST_YEAR": "The year a former employee left.",
    "LOCATION": "Where the author worked.",
    "JOB_FUNCTION": "The author's line of work.",
    "TENURE": "How long they worked there.",
    "EMPLOYMENT_STATUS": "Whether they still work there.",
}, name="FaceAttribute")
