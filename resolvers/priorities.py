"""A reader's fit priorities: validated from input, saved per member, read back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import models
from domain.enums import Dimension, JobFunction
from domain.fit import Priorities, check_priorities
from domain.violations import Outcome


@dataclass(frozen=True)
class PrioritiesDraft:
    weights: Sequence[tuple[Dimension, float]]
    minimums: Sequence[tuple[Dimension, float]]
    perspective: JobFunction | None


def to_priorities(draft: PrioritiesDraft) -> Outcome[Priorities]:
    if problems := check_priorities(draft.weights, draft.minimums):
        return Outcome.rejected(*problems)
    return Outcome(
        Priorities(
            weights=dict(draft.weights),
            minimums=dict(draft.minimums),
            perspective=draft.perspective,
        )
    )


def _saved(row: models.SavedPriorities) -> Priorities:
    return Priorities(
        weights={Dimension(d): float(w) for d, w in row.weights.items()},
        minimums={Dimension(d): float(m) for d, m in row.minimums.items()},
        perspective=JobFunction(row.perspective) if row.perspective else None,
    )


async def saved_priorities(member: models.Member) -> Priorities | None:
    row = await models.SavedPriorities.get_or_none(member_id=member.id)
    return _saved(row) if row is not None else None


async def save_priorities(member: models.Member, draft: PrioritiesDraft) -> Outcome[Priorities]:
    outcome = to_priorities(draft)
    if outcome.value is None:
        return outcome
    priorities = outcome.value
    await models.SavedPriorities.update_or_create(
        member_id=member.id,
        defaults={
            "weights": {d.value: w for d, w in priorities.weights.items()},
            "minimums": {d.value: m for d, m in priorities.minimums.items()},
            "perspective": priorities.perspective,
        },
    )
    return outcome


async def clear_priorities(member: models.Member) -> Outcome[Priorities]:
    """Forget the member's saved priorities; the outcome holds none."""
    await models.SavedPriorities.filter(member_id=member.id).delete()
    return Outcome()
