from __future__ import annotations

from enum import Enum

import strawberry

import models
from domain.enums import CompanySizeBand
from resolvers import company as company_resolvers
from schema.enums import OrderDirection
from schema.node import Node, to_global_id


@strawberry.type(description="A company's public page.")
class Company(Node):
    db_id: strawberry.Private[int]
    slug: str
    name: str
    industry: str | None
    size_band: CompanySizeBand | None
    headquarters_city: str | None
    description: str | None

    @classmethod
    def from_row(cls, row: models.Company) -> Company:
        return cls(
            id=to_global_id("Company", row.id),
            db_id=row.id,
            slug=row.slug,
            name=row.name,
            industry=row.industry,
            size_band=row.size_band,
            headquarters_city=row.headquarters_city,
            description=row.description,
        )


@strawberry.input
class CompanyFilter:
    industry: str | None = None
    size_band: CompanySizeBand | None = None
    city: str | None = strawberry.field(default=None, description="Headquarters city.")

    def to_domain(self) -> company_resolvers.CompanyFilter:
        return company_resolvers.CompanyFilter(
            industry=self.industry, size_band=self.size_band, city=self.city
        )


@strawberry.enum
class CompanyOrderField(Enum):
    NAME = "NAME"


@strawberry.input
class CompanyOrder:
    field: CompanyOrderField = CompanyOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC
