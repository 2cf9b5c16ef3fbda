"""`userErrors` and the one way a mutation's payload is built from a resolver's `Outcome`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import strawberry

from domain.errors import ErrorCode
from domain.violations import Outcome, Violation
from schema.enums import exposed

PayloadT = TypeVar("PayloadT")
ValueT = TypeVar("ValueT")


exposed(
    ErrorCode,
    "Every code a client can meet: in a mutation's `userErrors`, in a GraphQL error's `extensions.code`, "
    "or in the JSON body of a request refused over HTTP. Codes are stable; new ones may be added, so keep "
    "a default branch.",
    {code.name: f"{code.description} Met in: {code.channel}." for code in ErrorCode},
)


# Wordings every mutation shares.
INPUT = strawberry.argument(description="What to do: see the input type's fields.")
PAYLOAD = "What a mutation returns: its result, or `userErrors` saying why nothing was done."
USER_ERRORS = "Why nothing was done, each with a code and the input field at fault; empty when it was done."


@strawberry.type(description="A validation or business-rule failure of a mutation's input.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the offending input field, e.g. [\"positions\", \"0\", \"level\"]."
    )
    code: ErrorCode = strawberry.field(description="Stable, machine-readable reason; branch on it.")
    message: str = strawberry.field(description="A sentence a person can act on.")


def user_errors(violations: Iterable[Violation]) -> list[UserError]:
    return [UserError(field=list(v.field) or None, code=v.code, message=v.message) for v in violations]


def payload(
    payload_type: Callable[..., PayloadT], outcome: Outcome[ValueT], **results: Callable[[ValueT], Any]
) -> PayloadT:
    """`payload_type` with its `userErrors`, and each result field in `results` made from the
    outcome's value — or null when the command produced none."""
    value = outcome.value
    fields = {name: None if value is None else make(value) for name, make in results.items()}
    return payload_type(**fields, user_errors=user_errors(outcome.violations))
