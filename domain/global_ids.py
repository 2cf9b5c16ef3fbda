"""Opaque global ids: a keyed permutation of 32-bit primary keys (a four-round Feistel network
under HMAC-SHA256), so an id says nothing of when its row was made or how many came before it,
and only the server, holding the key, can map one to a row."""

from __future__ import annotations

import hashlib
import hmac

ROUNDS = 4
_HALF_BITS = 16
_HALF_MASK = (1 << _HALF_BITS) - 1


def _round(key: bytes, number: int, half: int) -> int:
    digest = hmac.new(key, bytes([number]) + half.to_bytes(2, "big"), hashlib.sha256).digest()
    return int.from_bytes(digest[:2], "big")


def permute(value: int, key: bytes) -> int:
    """The 32-bit value's place under the key's permutation."""
    left, right = value >> _HALF_BITS, value & _HALF_MASK
    for number in range(ROUNDS):
        left, right = right, left ^ _round(key, number, right)
    return (left << _HALF_BITS) | right


def unpermute(value: int, key: bytes) -> int:
    """The inverse of `permute` under the same key."""
    left, right = value >> _HALF_BITS, value & _HALF_MASK
    for number in reversed(range(ROUNDS)):
        left, right = right ^ _round(key, number, left), left
    return (left << _HALF_BITS) | right
