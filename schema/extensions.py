"""Schema extensions: bound query cost, hide unexpected errors and log them with the request id."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, StringValueNode, Visitor, visit
from strawberry.extensions import MaskErrors, SchemaExtension

from domain.errors import ErrorCode
from infra.request_id import current_request_id
from resolvers.errors import PublicError
from schema.cost import query_cost

logger = logging.getLogger("workcred.errors")


def is_unexpected(error: GraphQLError) -> bool:
    """Resolver failures that are not a PublicError. Parse/validation errors are the client's."""
    original = error.original_error
    return original is not None and not isinstance(original, (PublicError, GraphQLError))


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = current_request_id()
        logger.error(
            "unexpected error in %s (request id %s)",
            ".".join(map(str, error.path or [])),
            request_id,
            exc_info=error.original_error,
        )
        masked = super().anonymise_error(error)
        masked.message = f"Unexpected error. Reference: {request_id}."
        masked.extensions = {"code": ErrorCode.INTERNAL_SERVER_ERROR, "requestId": request_id}
        return masked


class QueryCostLimiter(SchemaExtension):
    """Refuse a query whose estimated cost (see schema/cost.py) exceeds the limit, before any
    resolver runs; report the cost of every query in `extensions.cost`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.requested: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            self.requested = query_cost(
                context.schema._schema, context.graphql_document, context.operation_name, context.variables
            )
            if self.requested > self.limit:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"This query would resolve about {self.requested} fields; the limit is "
                            f"{self.limit}. Ask for fewer items (first/last) or fewer fields.",
                            extensions={"code": ErrorCode.QUERY_TOO_COSTLY},
                        )
                    ],
                )
        yield

    def get_results(self) -> dict[str, Any]:
        if self.requested is None:
            return {}
        return {"cost": {"requested": self.requested, "limit": self.limit}}


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class _NulLiteralFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        self.found = self.found or "\x00" in node.value


class RejectNulCharacters(SchemaExtension):
    """Refuse text holding U+0000 anywhere in the input, before anything runs. PostgreSQL
    cannot store it, and no name, review or search needs it."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        finder = _NulLiteralFinder()
        if context.graphql_document is not None:
            visit(context.graphql_document, finder)
        if finder.found or _holds_nul(context.variables):
            context.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        "Text may not contain the NUL character (\\u0000).",
                        extensions={"code": ErrorCode.BAD_USER_INPUT},
                    )
                ],
            )
        yield
