"""The Relay `Node` interface and global ids: "Type:k" and the primary key's place under the
deployment's keyed permutation (domain/global_ids.py), in 8 hex digits, base64."""

from __future__ import annotations

import base64
import binascii
import re
from contextvars import ContextVar

import strawberry

from domain.global_ids import permute, unpermute
from domain.member import keyed_digest
from resolvers.pagination import cursors_in_force

# Primary keys are 32-bit integer columns; a larger number names nothing (and PostgreSQL would
# reject it as a parameter).
MAX_PRIMARY_KEY = 2**31 - 1


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id; `node(id:)` finds the object again. Take ids from responses, "
        "never build them.")


# The permutation's key for this request (ids_in_force): the app sets it with each request's
# context, as it puts its settings in force.
_id_key: ContextVar[bytes] = ContextVar("workcred_id_key")
_PERMUTED = re.compile(r"k([0-9a-f]{8})")


def ids_in_force(secret: bytes) -> None:
    """Global ids made and read from here on use the deployment `secret`'s permutation, and
    cursors its seal."""
    _id_key.set(keyed_digest(secret, "global-ids").encode("ascii"))
    cursors_in_force(secret)


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:k{permute(pk, _id_key.get()):08x}".encode()).decode())


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """(type name, primary key), or None when the id is not one of ours (the sequential
    "Type:pk" form of earlier releases included)."""
    try:
        text = base64.urlsafe_b64decode(global_id.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    type_name, _, place = text.partition(":")
    if not type_name or (permuted := _PERMUTED.fullmatch(place)) is None:
        return None
    pk = unpermute(int(permuted.group(1), 16), _id_key.get())
    return (type_name, pk) if 0 < pk <= MAX_PRIMARY_KEY else None


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
