"""Schema extensions: bound query cost, hide unexpected errors and log them with the request id."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSyntaxError,
    IntValueNode,
    OperationType,
    StringValueNode,
    Visitor,
    get_operation_ast,
    visit,
)
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.types import ExecutionContext

from domain.errors import ErrorCode
from infra.lru import Lru
from infra.rate_limits import Budget
from infra.request_id import current_request_id
from resolvers.context import RequestContext
from resolvers.errors import PublicError
from schema.cost import query_cost

logger = logging.getLogger("workcred.errors")


def is_unexpected(error: GraphQLError) -> bool:
    """Resolver failures that are not a PublicError. Parse/validation errors are the client's."""
    original = error.original_error
    return original is not None and not isinstance(original, (PublicError, GraphQLError))


def error_code(error: GraphQLError) -> ErrorCode:
    """The code of an error raised before any resolver ran: a syntax error, a value that does
    not fit its type (bad user input), or a document the schema does not allow."""
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if isinstance(error.original_error, StrawberryInputCoercionError | ValueError | TypeError) or any(
        marker in error.message for marker in _INPUT_VALUE_MARKERS
    ):
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.GRAPHQL_VALIDATION_FAILED


# How graphql-core words errors about argument and variable values that do not fit their type.
_INPUT_VALUE_MARKERS = ("cannot represent", "got invalid value", "Expected value of type", "of required type")


def give_codes(errors: list[GraphQLError]) -> None:
    """Every error that is the client's own gets an `extensions.code`, so a client can always
    branch on one (unexpected errors get theirs from MaskUnexpectedErrors)."""
    for error in errors:
        if not is_unexpected(error) and not (error.extensions or {}).get("code"):
            error.extensions = {**(error.extensions or {}), "code": error_code(error)}


class MaskUnexpectedErrors(MaskErrors):
    """Masks unexpected errors, logged with the request id."""

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


def refuse(context: ExecutionContext, message: str, extensions: dict[str, Any]) -> None:
    """Answer the operation with this one error instead of running it."""
    context.result = ExecutionResult(data=None, errors=[GraphQLError(message, extensions=extensions)])


class HeavyQueries:
    """Heavy queries (estimated at `cost` or more) take turns: at most `in_flight` execute at
    once in this process (0: no bound), so a few clients sending them cannot keep the event loop
    from cheap requests and /healthz. A query waiting its turn still counts against the request
    time budget."""

    def __init__(self, cost: int, in_flight: int) -> None:
        self.cost = cost
        self._turns = asyncio.Semaphore(in_flight) if in_flight else None

    @asynccontextmanager
    async def turn(self, cost: int) -> AsyncIterator[None]:
        if self._turns is None or cost < self.cost:
            yield
            return
        async with self._turns:
            yield


class QueryCostLimiter(SchemaExtension):
    """Refuse a query whose estimated cost (see schema/cost.py) exceeds the limit, or the points
    its client has left this minute, before any resolver runs; run a heavy one in its turn
    (HeavyQueries); report the cost of every query in `extensions.cost`."""

    def __init__(self, limit: int, heavy: HeavyQueries) -> None:
        self.limit = limit
        self.heavy = heavy
        self.requested: int | None = None

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        executing = 0  # the cost of what will execute (a refused query does not)
        if context.graphql_document is not None:
            self.requested = query_cost(
                context.schema._schema, context.graphql_document, context.operation_name, context.variables
            )
            if self.requested > self.limit:
                message = (
                    f"This query would resolve about {self.requested} fields; the limit is "
                    f"{self.limit}. Ask for fewer items (first/last) or fewer fields."
                )
                refuse(context, message, {"code": ErrorCode.QUERY_TOO_COSTLY})
            else:
                request: RequestContext = context.context
                try:
                    await request.pay_for_operation(self.requested)
                    executing = self.requested
                except PublicError as refused:
                    refuse(context, str(refused), refused.extensions)
        async with self.heavy.turn(executing):
            yield

    def get_results(self) -> dict[str, Any]:
        if self.requested is None:
            return {}
        return {"cost": {"requested": self.requested, "limit": self.limit}}


# Longer than any text the API stores (a review's pros or cons: 5,000 characters).
MAX_TEXT_LENGTH = 10_000
# GraphQL's Int is 32-bit: a longer literal is not an Int, and parsing it costs quadratic time.
MAX_INT_LITERAL_LENGTH = 11
MAX_VARIABLE_NESTING = 20


def text_problem(text: str) -> str | None:
    """Why a string cannot be taken (stored or compared), or None."""
    if "\x00" in text:
        return "Text may not contain the NUL character (\\u0000)."
    if len(text) > MAX_TEXT_LENGTH:
        return f"Text may be at most {MAX_TEXT_LENGTH} characters long."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Text may not contain unpaired surrogates (e.g. \\ud800)."
    return None


def value_problem(value: object) -> str | None:
    """The first problem in a variable value (iteratively, so no depth can overflow)."""
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_VARIABLE_NESTING:
            return f"Variables may nest at most {MAX_VARIABLE_NESTING} levels."
        if isinstance(item, str):
            if problem := text_problem(item):
                return problem
        elif isinstance(item, dict):
            pending += [(key, depth + 1) for key in item] + [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            pending += [(v, depth + 1) for v in item]
    return None


class _LiteralInspector(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.problem: str | None = None

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        self.problem = self.problem or text_problem(node.value)

    def enter_int_value(self, node: IntValueNode, *_: object) -> None:
        if len(node.value) > MAX_INT_LITERAL_LENGTH:
            self.problem = self.problem or f"{node.value[:12]}… is not a 32-bit Int."


# Documents already inspected, by identity: ParserCache hands the same document object for the
# same text, and walking a page's document costs more than executing its cheaper fields.
_INSPECTED: Lru[int, tuple[DocumentNode, str | None]] = Lru(256)


def literal_problem(document: DocumentNode) -> str | None:
    """The first problem in the document's literals, or None."""
    kept = _INSPECTED.get(id(document))
    if kept is not None and kept[0] is document:
        return kept[1]
    inspector = _LiteralInspector()
    visit(document, inspector)
    _INSPECTED.put(id(document), (document, inspector.problem))
    return inspector.problem


class RejectHostileInput(SchemaExtension):
    """Refuse, before anything runs, input no resolver should see: NUL characters (PostgreSQL
    cannot store them), unpaired surrogates (no database can), text longer than anything we
    store, Int literals too long to be an Int, and deeply nested variables. Literals are
    checked right after parsing — validation would choke on a 5,000-digit Int."""

    def on_parse(self) -> Iterator[None]:
        yield
        document = self.execution_context.graphql_document
        if document is not None and (problem := literal_problem(document)):
            raise GraphQLError(problem, extensions={"code": ErrorCode.BAD_USER_INPUT})

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if problem := value_problem(context.variables or {}):
            refuse(context, problem, {"code": ErrorCode.BAD_USER_INPUT})
        yield


class SpendMutationBudgets(SchemaExtension):
    """Every mutation a signed-in member sends counts against their write budget, and each job
    they add against their new-job budget, before anything runs. (Sign-ups and failed sign-ins
    are counted where they happen, per address and per account.)"""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = get_operation_ast(document, context.operation_name) if document else None
        if operation is not None and operation.operation is OperationType.MUTATION:
            request: RequestContext = context.context
            roots = [s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)]
            try:
                member = await request.viewer()
                if member is not None:
                    key = f"member:{member.id}"
                    await request.spend(Budget.WRITES, key)
                    for _ in range(roots.count("addEmployment")):
                        await request.spend(Budget.NEW_STINTS, key)
            except PublicError as refused:
                refuse(context, str(refused), refused.extensions)
        yield
