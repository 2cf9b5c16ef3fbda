"""Scalars stricter than strawberry's: a Date is `YYYY-MM-DD` in a plausible range, nothing else."""

from __future__ import annotations

import datetime as dt
import re

from strawberry.schema.types.base_scalars import isoformat, wrap_parser
from strawberry.types.scalar import ScalarDefinition

from domain.employment import EARLIEST_DATE, LATEST_DATE

_CALENDAR_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> dt.date:
    """Only the extended calendar form (`2021-03-01`): ISO week dates (`2020-W01-1`) and the
    basic form (`20200101`) are refused, as are years outside the plausible range."""
    if not _CALENDAR_DATE.fullmatch(text):
        raise ValueError("Use the form YYYY-MM-DD.")
    day = dt.date.fromisoformat(text)
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"Dates run from {EARLIEST_DATE} to {LATEST_DATE}.")
    return day


StrictDate = ScalarDefinition(
    name="Date",
    description=f"A calendar date, YYYY-MM-DD, from {EARLIEST_DATE} to {LATEST_DATE}.",
    specified_by_url=None,
    serialize=isoformat,
    parse_value=wrap_parser(parse_date, "Date"),
    parse_literal=None,
    origin=dt.date,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {dt.date: StrictDate}
