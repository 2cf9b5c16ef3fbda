from __future__ import annotations

from collections.abc import Iterable

import strawberry

from domain.violations import Violation


@strawberry.type(description="A validation or business-rule failure of a mutation's input.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the offending input field, e.g. [\"positions\", \"0\", \"level\"]."
    )
    code: str = strawberry.field(description="Stable, machine-readable reason.")
    message: str = strawberry.field(description="A sentence a person can act on.")


def user_errors(violations: Iterable[Violation]) -> list[UserError]:
    return [UserError(field=list(v.field) or None, code=v.code, message=v.message) for v in violations]
