"""A broken business rule, as data. Mutation payloads list them as `userErrors`; query
arguments that break a rule raise them inside an `InvalidInput` error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.errors import ErrorCode

T = TypeVar("T")


@dataclass(frozen=True)
class Violation:
    field: tuple[str, ...]
    code: ErrorCode
    message: str


def not_found(field: str, what: str) -> Violation:
    """The one way to say an id names nothing the caller may act on."""
    return Violation((field,), ErrorCode.NOT_FOUND, f"No such {what}.")


def check_text(
    value: str | None, field: str, *, max_length: int, required: bool, label: str
) -> list[Violation]:
    """Length rules for free text (already stripped by the caller)."""
    if value is None or value == "":
        if required:
            return [Violation((field,), ErrorCode.REQUIRED, f"{label} is required.")]
        return []
    if len(value) > max_length:
        return [
            Violation(
                (field,), ErrorCode.TOO_LONG, f"{label} must be at most {max_length} characters."
            )
        ]
    return []


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a command produced, or why it produced nothing."""

    value: T | None = None
    violations: tuple[Violation, ...] = ()

    @classmethod
    def rejected(cls, *violations: Violation) -> Outcome[T]:
        return cls(None, tuple(violations))
