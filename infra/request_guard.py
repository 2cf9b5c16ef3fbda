"""HTTP-level guards for the GraphQL endpoint: a request body or query string that is not a
well-formed GraphQL request gets a 400 with a JSON error body, and no request holds a worker
longer than its time budget. Neither ever answers 500 for what the client sent."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import ErrorCode
from infra.refusals import error_response

# JSON nested deeper than this is no GraphQL request (variables are bounded again, tighter, later).
MAX_JSON_NESTING = 64
_JSON_PARAMETERS = ("variables", "extensions")


def _nesting(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iteratively)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            pending += [(child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def _nesting_bound(text: str) -> int:
    """An upper bound on the nesting of JSON text, without parsing it (brackets only)."""
    openings = text.count("[") + text.count("{")
    if openings <= MAX_JSON_NESTING:  # cannot nest deeper than it opens: no need to walk it
        return openings
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_json(text: str, what: str) -> tuple[Any, str | None]:
    """The parsed value, or why it is not acceptable JSON."""
    if _nesting_bound(text) > MAX_JSON_NESTING:
        return None, f"{what} nests deeper than {MAX_JSON_NESTING} levels."
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:  # ValueError covers huge integers too
        return None, f"{what} is not valid JSON: {str(error)[:120]}"
    return value, None


# Where the guard leaves a request's checked parameters (query, variables, operationName,
# extensions; the last two parsed) for the app behind it: `scope["state"][PARAMETERS]`.
PARAMETERS = "graphql_parameters"
Parameters = dict[str, Any]


def _problem_of_parameters(parameters: Parameters) -> str | None:
    for key in _JSON_PARAMETERS:
        if parameters.get(key) is not None and not isinstance(parameters[key], dict):
            return f"`{key}` must be a JSON object."
    if parameters.get("query") is not None and not isinstance(parameters["query"], str):
        return "`query` must be a string."
    return None


def parsed_body(body: bytes) -> tuple[Parameters | None, str | None]:
    """A POST body's GraphQL parameters, or why it is not a GraphQL request object."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None, "The request body is not valid UTF-8."
    request, problem = parse_json(text, "The request body")
    if problem:
        return None, problem
    if not isinstance(request, dict):
        return None, "The request body must be a JSON object with a `query`."
    problem = _problem_of_parameters(request)
    return (None, problem) if problem else (request, None)


def parsed_query_string(query_string: bytes) -> tuple[Parameters | None, str | None]:
    """A GET request's GraphQL parameters, or why they are not a GraphQL request."""
    try:
        parameters: Parameters = dict(parse_qsl(query_string.decode("utf-8"), errors="strict"))
    except (UnicodeDecodeError, ValueError):
        return None, "The query string is not valid UTF-8."
    for key in _JSON_PARAMETERS:
        if key in parameters:
            parameters[key], problem = parse_json(parameters[key], f"`{key}`")
            if problem:
                return None, problem
    problem = _problem_of_parameters(parameters)
    return (None, problem) if problem else (parameters, None)


class GraphQLRequestGuard:
    """Checks the body (POST) or query string (GET) of requests to `path`, then replays the
    body to the app unchanged. The body is already bounded by the body-size middleware."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET":
            parameters, problem = parsed_query_string(scope.get("query_string", b""))
            if problem:
                await error_response(400, ErrorCode.BAD_REQUEST, problem)(scope, receive, send)
                return
            scope.setdefault("state", {})[PARAMETERS] = parameters
            await self.app(scope, receive, send)
            return
        if scope["method"] != "POST" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        parameters, problem = parsed_body(body)
        if problem:
            await error_response(400, ErrorCode.BAD_REQUEST, problem)(scope, receive, send)
            return
        scope.setdefault("state", {})[PARAMETERS] = parameters
        await self.app(scope, replaying(body, receive), send)


def replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` with an already-read body handed out again first, for the app behind."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _is_json(scope: Scope) -> bool:
    content_type: bytes = dict(scope["headers"]).get(b"content-type", b"")
    return content_type.split(b";")[0].strip().lower() == b"application/json"


class TimeBudgetMiddleware:
    """Ends any HTTP request still running after `seconds` with a 503 (if nothing was sent yet),
    freeing the worker. Request analysis is linear, so this guards slow I/O, not parsing."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if started:
                raise
            message = f"The request took longer than {self.seconds:g} s and was stopped."
            await error_response(503, ErrorCode.REQUEST_TIMEOUT, message)(scope, receive, send)
