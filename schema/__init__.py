"""The GraphQL schema: strawberry types, inputs and payloads. Fields delegate to resolvers/."""

from __future__ import annotations

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from infra.settings import Settings
from schema.company import Company
from schema.company_mutations import CompanyMutations
from schema.cost import shape_limits
from schema.credit import CreditMutations
from schema.employment import CareerBreak, Employment
from schema.employment_mutations import EmploymentMutations
from schema.extensions import (
    HeavyQueries,
    MaskUnexpectedErrors,
    QueryCostLimiter,
    RejectHostileInput,
    SpendMutationBudgets,
    give_codes,
)
from schema.fit import PriorityMutations
from schema.governance import GovernanceMutations, RemovalPoll
from schema.member import AuthMutations, Member
from schema.moderation import AppealMutations, ModerationMutations
from schema.query import Query
from schema.review import CompanyResponse, Review
from schema.review_mutations import ReviewMutations
from schema.scalars import SCALAR_OVERRIDES
from schema.subscriptions import Subscription

Mutation = merge_types(
    "Mutation",
    (
        AuthMutations,
        EmploymentMutations,
        ReviewMutations,
        CompanyMutations,
        PriorityMutations,
        CreditMutations,
        ModerationMutations,
        AppealMutations,
        GovernanceMutations,
    ),
)
# merge_types takes no description: the merged type's definition gets one.
Mutation.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Everything that changes data; each takes one `input` and returns `userErrors` beside its result."
)


class WorkcredSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors before execution (syntax, validation) and during it reach here, and only here,
        before masking. Unexpected errors are logged with the request id by
        MaskUnexpectedErrors; the rest are the client's own, need no server log, and get a code."""
        give_codes(errors)


def build_schema(settings: Settings) -> strawberry.Schema:
    # Built once here, the same rule class goes with every request, so ValidationCache can
    # recognise a document it validated.
    shape_rules: list[type[ASTValidationRule]] = [shape_limits(settings.max_query_depth, settings.max_aliases)]
    # One per schema (one per app): the heavy queries this process executes at once.
    heavy = HeavyQueries(settings.heavy_query_cost, settings.heavy_queries_in_flight)
    return WorkcredSchema(
        scalar_overrides=SCALAR_OVERRIDES,
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Company, Member, Employment, CareerBreak, Review, CompanyResponse, RemovalPoll],
        config=StrawberryConfig(auto_camel_case=True),
        extensions=[
            # Factories: strawberry builds extension instances per execution.
            lambda: AddValidationRules(shape_rules),
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            lambda: QueryCostLimiter(limit=settings.max_query_cost, heavy=heavy),
            RejectHostileInput,
            SpendMutationBudgets,
            MaskUnexpectedErrors,
        ],
    )


def sdl() -> str:
    """The schema's SDL as committed in schema.graphql."""
    return str(build_schema(Settings(database_url="sqlite://:memory:"))) + "\n"
