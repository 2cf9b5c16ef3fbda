"""The snapshot's sparse tallies (resolvers/scope_tallies.py) read exactly as a dense array of
every (scope, key, company) would, whatever was set, cleared and grown before."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from resolvers.scope_tallies import ScopeTallies

SCOPES, KEYS = 4, 3
entries = st.lists(st.tuples(st.integers(0, SCOPES - 1), st.integers(0, KEYS - 1), st.integers(0, 100),
                             st.integers(1, 500), st.integers(1, 2500)), max_size=30)
steps = st.lists(st.one_of(
    st.tuples(st.just("grow"), st.integers(1, 20)),
    st.tuples(st.just("set"), entries),
    st.tuples(st.just("clear"), st.lists(st.integers(0, 100), max_size=10)),
), max_size=12)


@settings(max_examples=200, deadline=None)
@given(steps)
def test_sparse_tallies_read_as_dense_ones(operations):
    sparse = ScopeTallies(SCOPES, KEYS)
    dense_count = np.zeros((SCOPES, KEYS, 0), dtype=np.int64)
    dense_total = np.zeros((SCOPES, KEYS, 0), dtype=np.int64)
    for kind, argument in operations:
        size = dense_count.shape[2]
        if kind == "grow":
            sparse.grow(argument)
            padding = np.zeros((SCOPES, KEYS, argument), dtype=np.int64)
            dense_count, dense_total = np.concatenate([dense_count, padding], 2), np.concatenate([dense_total, padding], 2)
        elif kind == "set":
            # one value per (scope, key, company), as the tallies' rows are
            chosen = {(scope, key, position % size): (count, total)
                      for scope, key, position, count, total in argument} if size else {}
            if chosen:
                scopes, keys, positions = (np.array(column) for column in zip(*chosen, strict=True))
                counts, totals = (np.array(column) for column in zip(*chosen.values(), strict=True))
                sparse.set(scopes, keys, positions, counts, totals)
                dense_count[scopes, keys, positions], dense_total[scopes, keys, positions] = counts, totals
        elif size:
            positions = np.array([position % size for position in argument], dtype=np.int64)
            sparse.clear(positions)
            dense_count[:, :, positions], dense_total[:, :, positions] = 0, 0
    size = dense_count.shape[2]
    everyone = np.arange(size)
    for scope in range(SCOPES):
        for key in range(KEYS):
            counts, totals = sparse.column(scope, key, everyone)
            assert counts.tolist() == dense_count[scope, key].tolist()
            assert totals.tolist() == dense_total[scope, key].tolist()
        for position in range(size):
            assert sparse.company(scope, position) == (dense_count[scope, :, position].tolist(),
                                                       dense_total[scope, :, position].tolist())
