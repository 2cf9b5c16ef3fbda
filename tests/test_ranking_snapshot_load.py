"""A full load of the ranking snapshot reads companies a slice at a time; any slicing ranks
alike. Renamed and new companies are put back in the name orders one by one, as a sort would.
A load goes on when the request that started it is cut off."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import models
from infra import data_version
from resolvers import ranking_snapshot
from tests.reviewing import counting_statements

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


@given(
    st.lists(st.text(alphabet="aAbB青", max_size=3), min_size=1, max_size=30),
    st.data(),
)
def test_names_put_back_one_by_one_sort_as_a_sort_of_every_name(names, data):
    # given companies in name order (then id: position + 100 here)
    def key(position: int) -> tuple[str, int]:
        return names[position], position + 100

    order = np.array(sorted(range(len(names)), key=key), dtype=np.int64)
    ranks = np.empty(len(names), dtype=np.int64)
    ranks[order] = np.arange(len(names))
    # when some are renamed and some new ones come (after every known position)
    renamed = data.draw(st.lists(st.sampled_from(range(len(names))), unique=True))
    for position in renamed:
        names[position] = data.draw(st.text(alphabet="aAbB青", max_size=3))
    new = data.draw(st.lists(st.text(alphabet="aAbB青", max_size=3), max_size=5))
    moved = renamed + list(range(len(names), len(names) + len(new)))
    names.extend(new)
    # then putting only those back gives the order a full sort gives
    assert list(ranking_snapshot.resorted(order, ranks, key, moved)) == sorted(range(len(names)), key=key)


@pytest.mark.parametrize("database_kind", ["sqlite", "postgres"], indirect=True)
async def test_a_load_whose_request_is_cut_off_goes_on_for_the_next_request(demo, demo_database_url):
    # given a ranking that starts loading a snapshot (a second one of the demo database, this
    # process's own having loaded at start-up) and is cut off (its time budget spent, or its
    # client gone) while the load is under way
    connection = models.Company._meta.db

    async def version() -> str:
        return (await data_version.current(connection)).data

    key = f"{demo_database_url}#second"
    await demo.query(RANKING)  # (the process's own snapshot loaded: its load is not counted)
    with counting_statements() as counter:
        cut_off = asyncio.create_task(ranking_snapshot.current_snapshot(version, key))
        while not ranking_snapshot._snapshot_of(key).lock.locked():
            await asyncio.sleep(0)  # (yields to the load: no time passes)
        cut_off.cancel()
        # when the next ranking asks for it
        snapshot = await ranking_snapshot.current_snapshot(version, key)
    # then the load went on and was not started over
    assert cut_off.cancelled()
    assert len(counter.catch_ups) == 1
    assert snapshot.settled and snapshot.size == await models.Company.all().count()
