"""Relay cursor pagination over an ordered, counted result (SPEC "API conventions").

Cursors are opaque base64 strings naming a position in the ordered result.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.errors import BadUserInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_CURSOR_PREFIX = "offset:"

RowT_co = TypeVar("RowT_co", covariant=True)  # a page of rows of one kind is a page of any wider kind
ModelT = TypeVar("ModelT", bound=Model)


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(frozen=True)
class Window:
    """Rows [start, end) of a result of `total` rows."""

    start: int
    end: int
    total: int

    @property
    def limit(self) -> int:
        return self.end - self.start

    @property
    def has_previous_page(self) -> bool:
        return self.start > 0

    @property
    def has_next_page(self) -> bool:
        return self.end < self.total

    def cursor(self, index_in_page: int) -> str:
        return encode_cursor(self.start + index_in_page)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    offset_text = text.removeprefix(_CURSOR_PREFIX)
    # ASCII digits only ("²" is a digit to str.isdigit), and no more than an offset can have.
    if not text.startswith(_CURSOR_PREFIX) or not (offset_text.isascii() and offset_text.isdigit()) or len(offset_text) > 10:
        raise BadUserInput(f"`{argument}` is not a cursor from this connection.")
    return int(offset_text)


def check_page_size(value: int | None, argument: str) -> None:
    if value is not None and not 1 <= value <= MAX_PAGE_SIZE:
        raise BadUserInput(f"`{argument}` must be between 1 and {MAX_PAGE_SIZE}, got {value}.")


def validate_page_args(args: PageArgs) -> None:
    """Reject bad arguments before any SQL runs."""
    check_page_size(args.first, "first")
    check_page_size(args.last, "last")
    for argument in ("after", "before"):
        cursor = getattr(args, argument)
        if cursor is not None:
            decode_cursor(cursor, argument)


def page_window(args: PageArgs, total: int) -> Window:
    """The slice selected by first/after/last/before, following the Relay algorithm."""
    validate_page_args(args)
    start = 0 if args.after is None else min(decode_cursor(args.after, "after") + 1, total)
    end = total if args.before is None else min(decode_cursor(args.before, "before"), total)
    end = max(start, end)
    first = args.first
    if first is None and args.last is None:
        first = DEFAULT_PAGE_SIZE
    if first is not None:
        end = min(end, start + first)
    if args.last is not None:
        start = max(start, end - args.last)
    return Window(start=start, end=end, total=total)


@dataclass(frozen=True)
class Page(Generic[RowT_co]):
    rows: Sequence[RowT_co]
    window: Window


async def paginate(
    query: QuerySet[ModelT], ordering: Sequence[str], args: PageArgs, known_total: int | None = None
) -> Page[ModelT]:
    """Count the query (unless an aggregate already knows the total), then fetch the requested
    slice in a total order."""
    validate_page_args(args)
    window = page_window(args, known_total if known_total is not None else await query.count())
    if not window.limit:
        return Page([], window)
    rows = await query.order_by(*ordering).offset(window.start).limit(window.limit)
    return Page(list(rows), window)
