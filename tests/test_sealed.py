"""Sealed values: only the key opens them, and an altered token opens to nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.sealed import seal, unseal

KEYS = st.binary(min_size=16, max_size=64)


@given(KEYS, st.binary(max_size=300))
def test_a_sealed_value_opens_with_its_key_and_only_with_it(key, value):
    token = seal(key, value)
    assert unseal(key, token) == value and seal(key, value) == token  # the same value, the same token
    assert unseal(key + b"!", token) is None
    assert len(value) < 8 or value not in token  # shorter ones may turn up by chance


@given(KEYS, st.binary(min_size=1, max_size=300), st.data())
def test_an_altered_token_opens_to_nothing(key, value, data):
    token = bytearray(seal(key, value))
    place = data.draw(st.integers(0, len(token) - 1))
    token[place] ^= data.draw(st.integers(1, 255))
    assert unseal(key, bytes(token)) is None
    assert unseal(key, bytes(token[:-1])) is None
