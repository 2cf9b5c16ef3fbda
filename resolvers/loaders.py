"""Per-request DataLoaders: every to-one / to-many hop of the schema batches into one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

import models


async def _companies_by_id(ids: Sequence[int]) -> list[models.Company | None]:
    rows = {row.id: row for row in await models.Company.filter(id__in=set(ids))}
    return [rows.get(i) for i in ids]


async def _positions_by_employment(ids: Sequence[int]) -> list[list[models.Position]]:
    grouped: dict[int, list[models.Position]] = defaultdict(list)
    for row in await models.Position.filter(employment_id__in=set(ids)).order_by("start_date", "id"):
        grouped[row.employment_id].append(row)
    return [grouped.get(i, []) for i in ids]


class Loaders:
    """Built fresh for every request, so nothing cached leaks between viewers."""

    def __init__(self) -> None:
        self.company_by_id = DataLoader(load_fn=_companies_by_id)
        self.positions_by_employment = DataLoader(load_fn=_positions_by_employment)
