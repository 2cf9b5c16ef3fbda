"""`companies(search:)` over its index (infra/company_search.py): the companies whose folded name
starts with the folded search come first, in name order; then — for searches of three
characters or more — those that contain it elsewhere, in the order they joined (by id: the
trigram index yields them so, and a page of them stops early instead of sorting every match)."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

import models
from infra.company_search import AFTER_EVERY_CHARACTER, MIN_SUBSTRING


def _starting_with(folded: str) -> Q:
    return Q(folded_name__gte=folded, folded_name__lt=folded + AFTER_EVERY_CHARACTER)


def _containing(query: QuerySet[models.Company], folded: str) -> QuerySet[models.Company]:
    """Through the trigram index: FTS5 on SQLite (`id__search`: infra/sqlite_engine.py), pg_trgm
    on PostgreSQL (which serves LIKE '%…%' from it)."""
    if models.Company._meta.db.capabilities.dialect == "sqlite":
        return query.filter(id__search=folded)
    return query.filter(folded_name__contains=folded)


def search_sections(
    query: QuerySet[models.Company], folded: str, descending: bool
) -> list[tuple[QuerySet[models.Company], tuple[str, ...]]]:
    """The companies of `query` matching `folded`: the parts they are listed in, each with its
    order (reversed when `descending`)."""
    def order(*columns: str) -> tuple[str, ...]:
        return tuple(f"-{column}" for column in columns) if descending else columns

    starting = (query.filter(_starting_with(folded)), order("folded_name", "id"))
    if len(folded) < MIN_SUBSTRING:
        return [starting]
    elsewhere = _containing(query, folded).filter(
        Q(folded_name__lt=folded) | Q(folded_name__gte=folded + AFTER_EVERY_CHARACTER)
    )
    return [starting, (elsewhere, order("id"))]


async def matching_ids(folded: str) -> list[int]:
    """Every company matching `folded`, for rankings that order by something else."""
    everyone = models.Company.all()
    found = everyone.filter(_starting_with(folded)) if len(folded) < MIN_SUBSTRING else _containing(everyone, folded)
    return [row["id"] for row in await found.values("id")]
