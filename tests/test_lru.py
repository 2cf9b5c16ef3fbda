"""The bound behind every in-process cache: the least recently used entry goes first."""

from __future__ import annotations

from infra.lru import Lru


def test_the_least_recently_used_entry_is_evicted_and_handed_to_on_evict():
    evicted: list[str] = []
    kept: Lru[str, str] = Lru(2, on_evict=evicted.append)
    kept.put("a", "A")
    kept.put("b", "B")
    assert kept.get("a") == "A"  # now newer than b
    kept.put("c", "C")
    assert (kept.get("b"), kept.get("a"), kept.get("c"), evicted, len(kept)) == (None, "A", "C", ["B"], 2)
    kept.forget("a")
    kept.forget("missing")
    assert (kept.get("a"), len(kept)) == (None, 1)
