"""Relay cursor pagination by keyset (SPEC "API conventions").

A cursor names the row it stands for by the values the connection is ordered by, never by a
position — sealed under the deployment's key (domain/sealed.py), so that no reader learns those
values (a review's row number would tell which of a day's reviews came first): a page that starts after a cursor starts after that row, whatever
was published or removed before it meanwhile. `first`/`after` read forward, `last`/`before`
backward, each fetching one row more than it shows to tell whether there is another page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, TypeVar

from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from domain.member import keyed_digest
from domain.sealed import seal, unseal
from resolvers.errors import BadUserInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_CURSOR_PREFIX = "k1:"
MAX_CURSOR_LENGTH = 1_000

RowT_co = TypeVar("RowT_co", covariant=True)  # a page of rows of one kind is a page of any wider kind
ModelT = TypeVar("ModelT", bound=Model)
OtherT = TypeVar("OtherT")
KeyValue = int | float | str
Key = tuple[KeyValue, ...]


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backward(self) -> bool:
        """Read from the end (`last` without `first`)."""
        return self.last is not None and self.first is None

    @property
    def size(self) -> int:
        return (self.last if self.backward else self.first) or DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class Page(Generic[RowT_co]):
    rows: Sequence[RowT_co]
    cursors: Sequence[str]  # one per row
    has_next_page: bool
    has_previous_page: bool
    total: int

    def with_rows(self, rows: Sequence[OtherT]) -> Page[OtherT]:
        """The same page showing `rows` (one for each of its rows, in order)."""
        return Page(rows, self.cursors, self.has_next_page, self.has_previous_page, self.total)


# The key cursors are sealed with in this request (cursors_in_force).
_cursor_key: ContextVar[bytes] = ContextVar("workcred_cursor_key")


def cursors_in_force(secret: bytes) -> None:
    """Cursors made and read from here on are sealed under the deployment `secret`'s key."""
    _cursor_key.set(keyed_digest(secret, "cursors").encode("ascii"))


def encode_cursor(key: Sequence[KeyValue]) -> str:
    plaintext = (_CURSOR_PREFIX + json.dumps(list(key))).encode()
    return base64.urlsafe_b64encode(seal(_cursor_key.get(), plaintext)).decode()


def decode_cursor(cursor: str, argument: str, arity: int | None) -> Key:
    """The ordering values a cursor names (`arity` of them; any number for None), or
    BadUserInput: any text not made here is refused."""
    refusal = BadUserInput(f"`{argument}` is not a cursor from this connection.")
    try:
        opened = unseal(_cursor_key.get(), base64.urlsafe_b64decode(cursor.encode("ascii")[:MAX_CURSOR_LENGTH]))
        text = opened.decode("utf-8") if opened is not None else ""
        values = json.loads(text.removeprefix(_CURSOR_PREFIX)) if text.startswith(_CURSOR_PREFIX) else None
    except (binascii.Error, UnicodeError, ValueError, RecursionError):
        raise refusal from None
    if (
        len(cursor) > MAX_CURSOR_LENGTH
        or not isinstance(values, list)
        or not values
        or (arity is not None and len(values) != arity)
        or not all(isinstance(v, int | float | str) and not isinstance(v, bool) for v in values)
    ):
        raise refusal
    return tuple(values)


def check_page_size(value: int | None, argument: str) -> None:
    if value is not None and not 1 <= value <= MAX_PAGE_SIZE:
        raise BadUserInput(f"`{argument}` must be between 1 and {MAX_PAGE_SIZE}, got {value}.")


def validate_page_args(args: PageArgs) -> None:
    """Reject bad sizes before any SQL runs (cursors are checked against their connection's order)."""
    check_page_size(args.first, "first")
    check_page_size(args.last, "last")


def trimmed(rows: list[RowT_co], args: PageArgs) -> tuple[list[RowT_co], bool]:
    """The rows a page shows, in reading order, of up to `size + 1` fetched in fetching order
    (backward when reading backward), and whether more lay beyond them."""
    more = len(rows) > args.size
    rows = rows[: args.size]
    if args.backward:
        rows.reverse()
    if args.first is not None and args.last is not None:  # Relay: `first`, then `last` of those
        rows = rows[-args.last :]
    return rows, more


def page_of(rows: list[RowT_co], more: bool, args: PageArgs, key: Callable[[RowT_co], Key], total: int) -> Page[RowT_co]:
    """A page of `rows` as `trimmed` left them; the side the page was read from knows whether more
    lie beyond it, the other side whether a cursor was given there."""
    return Page(
        rows,
        [encode_cursor(key(row)) for row in rows],
        has_next_page=args.before is not None if args.backward else more,
        has_previous_page=more if args.backward else args.after is not None,
        total=total,
    )


def _stored(value: Any) -> KeyValue:
    """A row's ordering value as a cursor keeps it."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return value
    raise TypeError(f"cannot order a cursor by {value!r}")


def _restored(field: fields.Field[Any], value: KeyValue, argument: str) -> Any:
    """A cursor's value as the column compares it (BadUserInput if it cannot be one)."""
    try:
        if isinstance(field, fields.DatetimeField):
            return datetime.fromisoformat(str(value))
        if isinstance(field, fields.DateField):
            return date.fromisoformat(str(value))
        if (enum_type := getattr(field, "enum_type", None)) is not None:
            return enum_type(value)
        if isinstance(field, fields.IntField | fields.BigIntField | fields.SmallIntField) and isinstance(value, int):
            return value
        if isinstance(field, fields.CharField | fields.TextField) and isinstance(value, str):
            return value
        if isinstance(field, fields.FloatField) and isinstance(value, int | float):
            return value
    except ValueError:
        pass
    raise BadUserInput(f"`{argument}` is not a cursor from this connection.")


def _beyond(ordering: Sequence[tuple[str, bool]], key: Sequence[Any], forward: bool) -> Q:
    """Rows after `key` in the ordering (or before it): beyond it in the first column, or equal
    there and beyond it in the next, and so on. The first column's bound is repeated on its own
    so an index on the ordering can start its scan at the key."""
    alternatives = []
    for index, (name, descending) in enumerate(ordering):
        greater = forward != descending
        equal_before = {prior: key[j] for j, (prior, _) in enumerate(ordering[:index])}
        alternatives.append(Q(**equal_before, **{f"{name}__{'gt' if greater else 'lt'}": key[index]}))
    first_name, first_descending = ordering[0]
    bound = Q(**{f"{first_name}__{'gte' if forward != first_descending else 'lte'}": key[0]})
    return bound & Q(*alternatives, join_type="OR")


def _columns(ordering: Sequence[str]) -> list[tuple[str, bool]]:
    return [(name.lstrip("-"), name.startswith("-")) for name in ordering]


def _fetching(columns: Sequence[tuple[str, bool]], backward: bool) -> list[str]:
    """The ordering rows are fetched in: reversed when reading backward."""
    return [f"{'' if descending == backward else '-'}{name}" for name, descending in columns]


def _restored_key(
    model: type[Model], columns: Sequence[tuple[str, bool]], raw: Sequence[KeyValue], argument: str
) -> list[Any]:
    model_fields = model._meta.fields_map
    return [_restored(model_fields[name], value, argument) for (name, _), value in zip(columns, raw, strict=True)]


def _key_of(columns: Sequence[tuple[str, bool]]) -> Callable[[Any], Key]:
    return lambda row: tuple(_stored(getattr(row, name)) for name, _ in columns)


async def paginate(
    query: QuerySet[ModelT], ordering: Sequence[str], args: PageArgs, known_total: int | None = None
) -> Page[ModelT]:
    """Count the query (unless an aggregate already knows the total), then fetch the requested
    page after/before its cursors in `ordering` (which must be total: end with a unique column)."""
    validate_page_args(args)
    columns = _columns(ordering)
    bounds = []
    for argument, forward in (("after", True), ("before", False)):
        cursor = getattr(args, argument)
        if cursor is not None:
            raw = decode_cursor(cursor, argument, len(columns))
            bounds.append(_beyond(columns, _restored_key(query.model, columns, raw, argument), forward))
    total = known_total if known_total is not None else await query.count()
    if not total:
        return page_of([], False, args, lambda row: (), 0)
    query = query.filter(*bounds)
    rows, more = trimmed(list(await query.order_by(*_fetching(columns, args.backward)).limit(args.size + 1)), args)
    return page_of(rows, more, args, _key_of(columns), total)


async def paginate_sections(
    sections: Sequence[tuple[QuerySet[ModelT], Sequence[str]]], args: PageArgs
) -> Page[ModelT]:
    """`paginate` over sections listed one after another (each a query and its own total
    ordering; no row in two): a cursor names its section and its place there. Reads the sections
    a page reaches, in turn."""
    validate_page_args(args)
    orders = [_columns(ordering) for _, ordering in sections]
    model = sections[0][0].model
    places: dict[str, tuple[int, list[Any]]] = {}
    for argument in ("after", "before"):
        cursor = getattr(args, argument)
        if cursor is not None:
            section, *raw = decode_cursor(cursor, argument, None)
            if not (isinstance(section, int) and 0 <= section < len(sections) and len(raw) == len(orders[section])):
                raise BadUserInput(f"`{argument}` is not a cursor from this connection.")
            places[argument] = (section, _restored_key(model, orders[section], raw, argument))
    total = sum([await query.count() for query, _ in sections])
    if not total:
        return page_of([], False, args, lambda row: (), 0)
    after, before = places.get("after"), places.get("before")
    found: list[tuple[int, ModelT]] = []
    for index in reversed(range(len(sections))) if args.backward else range(len(sections)):
        if (after and index < after[0]) or (before and index > before[0]):
            continue
        query, columns = sections[index][0], orders[index]
        if after and index == after[0]:
            query = query.filter(_beyond(columns, after[1], True))
        if before and index == before[0]:
            query = query.filter(_beyond(columns, before[1], False))
        fetched = await query.order_by(*_fetching(columns, args.backward)).limit(args.size + 1 - len(found))
        found += [(index, row) for row in fetched]
        if len(found) > args.size:
            break
    rows, more = trimmed(found, args)
    keys = [_key_of(columns) for columns in orders]
    page = page_of(rows, more, args, lambda pair: (pair[0], *keys[pair[0]](pair[1])), total)
    return page.with_rows([row for _, row in rows])
