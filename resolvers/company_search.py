"""`companies(search:)` over its index (infra/company_search.py): the companies whose folded name
starts with the folded search come first, then — for searches of three characters or more —
those that contain it elsewhere; each part in folded-name order."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

import models
from infra.company_search import AFTER_EVERY_CHARACTER, MIN_SUBSTRING


def _starting_with(folded: str) -> Q:
    return Q(folded_name__gte=folded, folded_name__lt=folded + AFTER_EVERY_CHARACTER)


def _containing(query: QuerySet[models.Company], folded: str) -> QuerySet[models.Company]:
    """Through the trigram index: FTS5 on SQLite (its `__search`: infra/sqlite_engine.py),
    pg_trgm on PostgreSQL (which serves LIKE '%…%' from it)."""
    if models.Company._meta.db.capabilities.dialect == "sqlite":
        return query.filter(folded_name__search=folded)
    return query.filter(folded_name__contains=folded)


def search_sections(query: QuerySet[models.Company], folded: str) -> list[QuerySet[models.Company]]:
    """The companies of `query` matching `folded`, in the parts they are listed in."""
    starting = query.filter(_starting_with(folded))
    if len(folded) < MIN_SUBSTRING:
        return [starting]
    elsewhere = _containing(query, folded).filter(
        Q(folded_name__lt=folded) | Q(folded_name__gte=folded + AFTER_EVERY_CHARACTER)
    )
    return [starting, elsewhere]


async def matching_ids(folded: str) -> list[int]:
    """Every company matching `folded`, for rankings that order by something else."""
    everyone = models.Company.all()
    found = everyone.filter(_starting_with(folded)) if len(folded) < MIN_SUBSTRING else _containing(everyone, folded)
    return [row["id"] for row in await found.values("id")]
