"""Schema extensions: hide unexpected errors from clients, log them with the request id."""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.errors import PublicError
from workcred.request_id import current_request_id

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
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        return masked
