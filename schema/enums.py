"""Domain enums exposed to GraphQL under their domain names."""

from collections.abc import Callable
from enum import Enum
from typing import Any

import strawberry

from domain import enums
from domain.anonymity import Attribute


def describe_values(enum: type[Enum], meaning: Callable[[Any], str]) -> None:
    """Give each value of an enum registered with strawberry its description in the schema."""
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = meaning(enum(value.value))


JobFunction = strawberry.enum(enums.JobFunction)
VerificationState = strawberry.enum(enums.VerificationState)
CareerBreakKind = strawberry.enum(enums.CareerBreakKind)
CompanySizeBand = strawberry.enum(enums.CompanySizeBand)
CompanyRoleKind = strawberry.enum(enums.CompanyRoleKind)


@strawberry.enum
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"
Dimension = strawberry.enum(enums.Dimension)
ReviewStatus = strawberry.enum(enums.ReviewStatus)
EmploymentStatus = strawberry.enum(enums.EmploymentStatus)
TenureBucket = strawberry.enum(enums.TenureBucket)
FaceAttribute = strawberry.enum(Attribute, name="FaceAttribute", description="An author attribute a review's face may show.")
