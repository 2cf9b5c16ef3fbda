"""A request refused before GraphQL runs gets the same JSON as any GraphQL error — an `errors`
list whose entry carries `extensions.code` and the request id — whatever its HTTP status, so a
client (or GraphiQL) parses every answer one way."""

from __future__ import annotations

from dataclasses import dataclass, field

from cross_web import HTTPException
from starlette.responses import JSONResponse
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from domain.errors import ErrorCode
from infra.request_id import current_request_id

WEBSOCKET_HINT = (
    "Subscriptions run over a WebSocket to /graphql with the graphql-transport-ws protocol "
    "(GraphiQL on /graphql does this for you), not over HTTP."
)


@dataclass(frozen=True)
class Refusal:
    status: int
    code: ErrorCode
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> JSONResponse:
        body = {"errors": [{"message": self.message, "extensions": {"code": self.code, "requestId": current_request_id()}}]}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def error_response(status: int, code: ErrorCode, message: str) -> JSONResponse:
    return Refusal(status, code, message).response()


def of_operation(refused: Exception, method: str) -> Refusal:
    """Why strawberry would not run the operation: none named, none to run, or one of a kind
    this method does not carry."""
    if isinstance(refused, CannotGetOperationTypeError):
        if refused.operation_name is None:
            return Refusal(400, ErrorCode.OPERATION_NOT_FOUND, "The document has several operations: name one in `operationName`.")
        return Refusal(400, ErrorCode.OPERATION_NOT_FOUND, f'The document has no operation named "{refused.operation_name}".')
    if isinstance(refused, InvalidOperationTypeError):
        if refused.operation_type is OperationType.SUBSCRIPTION:
            return Refusal(400, ErrorCode.SUBSCRIPTION_NEEDS_WEBSOCKET, WEBSOCKET_HINT)
        return Refusal(405, ErrorCode.METHOD_NOT_ALLOWED, f"Mutations are sent with POST, not {method}.", {"Allow": "POST"})
    assert isinstance(refused, MissingQueryError)
    return Refusal(400, ErrorCode.BAD_REQUEST, "The request has no `query` (nor a persisted query's hash).")


def of_http(refused: HTTPException) -> Refusal:
    """strawberry's own HTTP refusals, in our words and codes."""
    if refused.status_code == 405:
        return Refusal(405, ErrorCode.METHOD_NOT_ALLOWED, "GraphQL is served over GET and POST only.", {"Allow": "GET, POST"})
    if refused.reason == "Unsupported content type":
        message = "Send a POST body as application/json (or a GET with the query string)."
        return Refusal(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, message)
    if refused.status_code == 404:  # a GET with no query while GraphiQL is off
        return Refusal(404, ErrorCode.BAD_REQUEST, "GraphiQL is turned off on this server; send a `query`.")
    return Refusal(refused.status_code, ErrorCode.BAD_REQUEST, refused.reason)
