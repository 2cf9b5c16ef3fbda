"""A broken business rule, as data. Resolvers turn these into `userErrors`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Violation:
    field: tuple[str, ...]
    code: str
    message: str


def check_text(
    value: str | None, field: str, *, max_length: int, required: bool, label: str
) -> list[Violation]:
    """Length rules for free text (already stripped by the caller)."""
    if value is None or value == "":
        if required:
            return [Violation((field,), "REQUIRED", f"{label} is required.")]
        return []
    if len(value) > max_length:
        return [
            Violation(
                (field,), "TOO_LONG", f"{label} must be at most {max_length} characters."
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
