"""The Relay `Node` interface and global ids ("Type:pk", base64)."""

from __future__ import annotations

import base64
import binascii

import strawberry

# Primary keys are 32-bit integer columns; a larger number names nothing (and PostgreSQL would
# reject it as a parameter).
MAX_PRIMARY_KEY = 2**31 - 1


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode())


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """(type name, primary key), or None when the id is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(global_id.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    type_name, _, pk = text.partition(":")
    if not type_name or not (pk.isascii() and pk.isdigit()) or len(pk) > 10 or int(pk) > MAX_PRIMARY_KEY:
        return None
    return type_name, int(pk)


def pk_of(global_id: str, type_name: str) -> int | None:
    """The primary key if `global_id` names a `type_name`, else None."""
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != type_name:
        return None
    return decoded[1]


def given_pk(global_id: str | None, type_name: str) -> int | None:
    """For an optional id argument: None when it was not given, 0 (which no row has, so the
    lookup says NOT_FOUND) when it names nothing of `type_name`, else the primary key."""
    if global_id is None:
        return None
    return pk_of(global_id, type_name) or 0
