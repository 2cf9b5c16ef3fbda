"""Sealing small values so that only the server can read them back: deterministic authenticated
encryption (the SIV construction over HMAC-SHA256), standard library only.

The tag is a MAC of the plaintext and seeds the keystream, so the same value always seals to the
same token (a cursor stays one string), nothing about it can be read without the key, and a token
altered anywhere unseals to nothing.
"""

from __future__ import annotations

import hashlib
import hmac

TAG_BYTES = 16


def _derived(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, purpose, hashlib.sha256).digest()


def _keystream(key: bytes, tag: bytes, length: int) -> bytes:
    blocks = (hmac.new(key, tag + counter.to_bytes(4, "big"), hashlib.sha256).digest() for counter in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def seal(key: bytes, plaintext: bytes) -> bytes:
    tag = hmac.new(_derived(key, b"mac"), plaintext, hashlib.sha256).digest()[:TAG_BYTES]
    stream = _keystream(_derived(key, b"encrypt"), tag, len(plaintext))
    return tag + bytes(a ^ b for a, b in zip(plaintext, stream, strict=True))


def unseal(key: bytes, token: bytes) -> bytes | None:
    """The sealed value, or None for anything `seal` did not make under `key`."""
    tag, ciphertext = token[:TAG_BYTES], token[TAG_BYTES:]
    stream = _keystream(_derived(key, b"encrypt"), tag, len(ciphertext))
    plaintext = bytes(a ^ b for a, b in zip(ciphertext, stream, strict=True))
    expected = hmac.new(_derived(key, b"mac"), plaintext, hashlib.sha256).digest()[:TAG_BYTES]
    return plaintext if len(tag) == TAG_BYTES and hmac.compare_digest(tag, expected) else None
