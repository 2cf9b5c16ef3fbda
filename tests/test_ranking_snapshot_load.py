"""A full load of the ranking snapshot reads companies a slice at a time; any slicing ranks
alike."""

from __future__ import annotations

import pytest

from resolvers import ranking_snapshot

RANKING = """{ companies(first: 12, orderBy: {field: FIT}, priorities: {weights: [{dimension: GROWTH, weight: 5},
  {dimension: MEANING, weight: 2}], perspective: ENGINEERING}) {
  edges { node { slug fit { score confidence } ratings { overall { count mean } } } } } }"""


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_a_full_load_in_small_slices_ranks_as_one_in_a_single_slice(demo, monkeypatch):
    whole = (await demo.query(RANKING)).data
    ranking_snapshot._SNAPSHOTS.clear()  # the next ranking loads the snapshot anew, in slices
    monkeypatch.setattr(ranking_snapshot, "FULL_LOAD_CHUNK", 5)
    monkeypatch.setattr(ranking_snapshot, "RANGE_CHUNK", 2)
    sliced = (await demo.query(RANKING + " ")).data  # another spelling: not the cached answer
    assert sliced == whole and len(whole["companies"]["edges"]) == 12
