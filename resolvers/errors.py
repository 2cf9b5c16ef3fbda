"""Errors a client is meant to see, each with a stable `extensions.code` from the catalogue.

Anything else raised while resolving is masked at the edge (see schema/extensions.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import ErrorCode
from domain.violations import Violation


class PublicError(Exception):
    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        # graphql-core copies an original error's `extensions` onto the GraphQL error.
        self.extensions: dict[str, object] = {"code": self.code.value}


class BadUserInput(PublicError):
    code = ErrorCode.BAD_USER_INPUT


class Unauthenticated(PublicError):
    code = ErrorCode.UNAUTHENTICATED

    def __init__(self, message: str = "Sign in to do this.") -> None:
        super().__init__(message)


class Forbidden(PublicError):
    code = ErrorCode.FORBIDDEN

    def __init__(self, message: str = "You are not allowed to do this.") -> None:
        super().__init__(message)


class TooManyAttempts(PublicError):
    """A rate limit is spent; `extensions.retryAfterSeconds` says when to try again."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many attempts. Try again in {retry_after} seconds.")
        self.extensions["retryAfterSeconds"] = retry_after


class InvalidInput(PublicError):
    """Query arguments that break business rules; `extensions.problems` lists each one
    the way a mutation's `userErrors` would."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        violations = list(violations)
        super().__init__("; ".join(v.message for v in violations))
        self.extensions["problems"] = [
            {"field": list(v.field), "code": v.code.value, "message": v.message} for v in violations
        ]


class InvalidPriorities(InvalidInput):
    code = ErrorCode.INVALID_PRIORITIES
